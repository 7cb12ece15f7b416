"""Senders of one-time codes: pluggable (``SELECTION_CODE_SENDER``, a dotted path).

- :class:`ConsoleSender` (development): writes the message to the log, so the code can be
  read from the terminal of ``make run``.
- :class:`MemorySender` (tests): keeps the messages in :data:`OUTBOX`.
- :class:`SmsProvider`: the adapter interface for a production SMS provider. A provider
  adapter (Aliyun, Tencent Cloud, a carrier gateway…) subclasses it and implements
  :meth:`SmsProvider.deliver` with the provider's client, template and signature.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("tongxin.selection.sms")


@dataclass(frozen=True)
class Message:
    phone: str
    code: str
    minutes: int


class CodeSender(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleSender:
    """Development: the code goes to the log (the console of the development server)."""

    def send(self, message: Message) -> None:
        logger.warning("One-time code for %s: %s (valid %s minutes)", message.phone, message.code, message.minutes)


OUTBOX: list[Message] = []


class MemorySender:
    """Tests: messages are kept in :data:`OUTBOX`."""

    def send(self, message: Message) -> None:
        OUTBOX.append(message)


class SmsProvider(ABC):
    """The adapter interface for a production SMS provider.

    ``SELECTION_SMS`` (a dict in the settings) is passed to the adapter as ``options``
    (keys, template id, signature). :meth:`send` turns a failure into :class:`SendError`,
    which the vote page reports as "the code could not be sent"."""

    def __init__(self, options: dict[str, str] | None = None) -> None:
        self.options = options if options is not None else dict(getattr(settings, "SELECTION_SMS", {}))

    @abstractmethod
    def deliver(self, phone: str, template_params: dict[str, str]) -> None:
        """Send the provider's code template to ``phone`` with ``template_params``."""

    def send(self, message: Message) -> None:
        try:
            self.deliver(message.phone, {"code": message.code, "minutes": str(message.minutes)})
        except SendError:
            raise
        except Exception as exc:  # the provider's own errors
            raise SendError(str(exc)) from exc


class SendError(Exception):
    """The code could not be delivered."""


def sender() -> CodeSender:
    path = getattr(settings, "SELECTION_CODE_SENDER", "tongxin.selection.sms.ConsoleSender")
    cls = import_string(path)
    instance: CodeSender = cls()
    return instance
