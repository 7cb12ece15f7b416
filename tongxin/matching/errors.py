"""The one exception type raised for bad input to the matching engine."""

from __future__ import annotations

from enum import StrEnum


class InputProblem(StrEnum):
    """What is wrong with a piece of input (a stable code for translations)."""

    LENGTH_MISMATCH = "length_mismatch"
    NOT_AN_INTEGER = "not_an_integer"
    NEGATIVE_CAPACITY = "negative_capacity"
    OUT_OF_RANGE = "out_of_range"
    DUPLICATE = "duplicate"
    UNKNOWN_ID = "unknown_id"
    BAD_VALUE = "bad_value"


class MatchingInputError(ValueError):
    """Bad input to the matching engine.

    The message names the side, the index (or id) and the problem, e.g.
    ``proposer_prefs[3]: receiver 12 is out of range (there are 10 receivers)``.
    The same facts are available as attributes so that a web layer can
    translate or attach them to a form field:

    * ``field``: the argument, e.g. ``"proposer_prefs"`` or ``"village_capacity"``;
    * ``index``: the proposer/receiver index or agent id the problem is in,
      or ``None`` when it concerns the whole argument;
    * ``problem``: an :class:`InputProblem` code;
    * ``value``: the offending entry (a partner index or id, a capacity), if any;
    * ``detail``: the English sentence after the colon.
    """

    def __init__(
        self,
        field: str,
        index: object,
        problem: InputProblem,
        detail: str,
        value: object = None,
    ) -> None:
        self.field = field
        self.index = index
        self.problem = problem
        self.detail = detail
        self.value = value
        where = field if index is None else f"{field}[{index!r}]"
        super().__init__(f"{where}: {detail}")


class UnknownIdError(MatchingInputError, KeyError):
    """An agent id that is not in the market or model.

    Raised with problem code ``unknown_id``. It is also a ``KeyError``, like a
    failed mapping look-up, so callers may catch either.
    """

    def __init__(self, field: str, index: object, detail: str, value: object = None) -> None:
        super().__init__(field, index, InputProblem.UNKNOWN_ID, detail, value)

    def __str__(self) -> str:
        return str(self.args[0])
