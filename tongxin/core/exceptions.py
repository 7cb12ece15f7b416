"""Errors raised by the core layers and mapped to HTTP answers in one place."""

from django.utils.translation import gettext_lazy as _


class StaleObjectError(Exception):
    """The object was changed by someone else since it was loaded (optimistic lock)."""

    message = _(
        "This record was changed by someone else while you were editing it. "
        "Reload it to see the current values, then make your change again."
    )


class OutOfScopeError(Exception):
    """A write would leave the acting user's scope (for example moving a village away)."""

    message = _("You can only save records inside your own area of responsibility.")


class WorkflowError(Exception):
    """A workflow step that is not allowed now (wrong stage, wrong person, missing reason).

    ``message`` is translated and shown to the user; pages show it as an error message,
    the API answers 400 with it and ``code``.
    """

    def __init__(self, message: object, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
