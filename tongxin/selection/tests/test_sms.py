"""The SMS provider adapter interface: an adapter must deliver; its errors become SendError."""

from __future__ import annotations

import pytest

from tongxin.selection.sms import Message, SendError, SmsProvider


def test_an_adapter_must_implement_deliver_and_its_errors_are_send_errors() -> None:
    class Incomplete(SmsProvider):
        pass

    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]

    sent: list[tuple[str, dict[str, str]]] = []

    class Gateway(SmsProvider):
        def deliver(self, phone: str, template_params: dict[str, str]) -> None:
            if phone.endswith("0"):
                raise ConnectionError("gateway down")
            sent.append((phone, template_params))

    gateway = Gateway(options={"template": "SMS_1"})
    gateway.send(Message("13900000001", "123456", 10))
    assert sent == [("13900000001", {"code": "123456", "minutes": "10"})]
    with pytest.raises(SendError, match="gateway down"):
        gateway.send(Message("13900000000", "123456", 10))
