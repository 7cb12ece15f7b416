"""Vectorised conversion of Python preference lists to flat NumPy arrays.

Everything here is an implementation detail of :mod:`tongxin.matching`; the
public entry points validate their input through these helpers so that bad
input fails with one :class:`~tongxin.matching.errors.MatchingInputError`
naming the side, the index and the problem.
"""

from __future__ import annotations

import array
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from .errors import InputProblem, MatchingInputError

IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

EMPTY: IntArray = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Lists:
    """The preference lists of one side, flattened.

    ``flat[offsets[i]:offsets[i + 1]]`` is agent ``i``'s list, best first.
    """

    flat: IntArray
    offsets: IntArray

    @property
    def n(self) -> int:
        """Number of agents (lists)."""
        return int(self.offsets.size - 1)

    def lengths(self) -> IntArray:
        """Length of every list."""
        return np.diff(self.offsets)

    def owners(self) -> IntArray:
        """For every entry of ``flat``, the agent whose list it is in."""
        return np.repeat(np.arange(self.n, dtype=np.int64), self.lengths())

    def row(self, i: int) -> list[int]:
        """Agent ``i``'s list as Python ints."""
        return [int(x) for x in self.flat[self.offsets[i] : self.offsets[i + 1]]]

    def locate(self, position: int) -> tuple[int, int]:
        """``(agent, position in the agent's list)`` of a position in ``flat``."""
        owner = int(np.searchsorted(self.offsets, position, side="right")) - 1
        return owner, position - int(self.offsets[owner])


def check_lengths(prefs: Sequence[object], capacity: Sequence[object], side: str) -> None:
    """Raise unless a side's preference lists and capacities have one entry per agent."""
    if len(prefs) != len(capacity):
        raise MatchingInputError(
            f"{side}_capacity",
            None,
            InputProblem.LENGTH_MISMATCH,
            f"{side}_prefs has {len(prefs)} lists but {side}_capacity has "
            f"{len(capacity)} entries; they must have one entry per {side}",
            value=len(capacity),
        )


def to_capacities(capacity: Sequence[int], side: str) -> IntArray:
    """Convert capacities to an int64 array; raise on a non-integer or negative entry."""
    field = f"{side}_capacity"
    buf = array.array("q")
    try:
        if isinstance(capacity, list):
            buf.fromlist(capacity)
        else:
            buf.extend(capacity)
    except (TypeError, OverflowError):
        for i, value in enumerate(capacity):
            try:
                operator.index(value)
            except TypeError:
                raise MatchingInputError(
                    field,
                    i,
                    InputProblem.NOT_AN_INTEGER,
                    f"capacity {value!r} is not an integer",
                    value=value,
                ) from None
        raise MatchingInputError(field, None, InputProblem.BAD_VALUE, "capacities do not fit in 64 bits") from None
    caps: IntArray = np.frombuffer(buf, dtype=np.int64) if len(buf) else EMPTY
    if caps.size and int(caps.min()) < 0:
        i = int(np.flatnonzero(caps < 0)[0])
        raise MatchingInputError(
            field,
            i,
            InputProblem.NEGATIVE_CAPACITY,
            f"capacity {int(caps[i])} is negative; capacities must be >= 0",
            value=int(caps[i]),
        )
    return caps


def to_lists(prefs: Sequence[Sequence[int]], side: str, other: str, n_other: int) -> Lists:
    """Flatten one side's preference lists and check every entry is an index of the other side.

    ``side`` and ``other`` are nouns used in error messages ("proposer",
    "receiver"). Duplicates are detected later, by the join that needs the
    sorted keys anyway (see :mod:`tongxin.matching.problem`).
    """
    field = f"{side}_prefs"
    n = len(prefs)
    buf = array.array("q")
    fromlist = buf.fromlist
    try:
        # array.fromlist is the fastest strict conversion: it rejects floats,
        # strings and other non-integers and leaves the buffer unchanged on error.
        for seq in prefs:
            fromlist(seq)  # type: ignore[arg-type]
        lengths = np.fromiter(map(len, prefs), dtype=np.int64, count=n)
    except (TypeError, OverflowError):
        buf, lengths = _flatten_slowly(prefs, field, other, n_other)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat: IntArray = np.frombuffer(buf, dtype=np.int64) if len(buf) else EMPTY
    lists = Lists(flat, offsets)
    if flat.size and (int(flat.min()) < 0 or int(flat.max()) >= n_other):
        bad = int(np.flatnonzero((flat < 0) | (flat >= n_other))[0])
        owner, position = lists.locate(bad)
        raise _out_of_range(field, owner, position, int(flat[bad]), other, n_other)
    return lists


def _out_of_range(field: str, owner: int, position: int, value: int, other: str, n_other: int) -> MatchingInputError:
    return MatchingInputError(
        field,
        owner,
        InputProblem.OUT_OF_RANGE,
        f"entry {position} is {other} {value}, which is out of range "
        f"(there are {n_other} {other}s, indices 0..{n_other - 1})",
        value=value,
    )


def _flatten_slowly(
    prefs: Sequence[Sequence[int]], field: str, other: str, n_other: int
) -> tuple[array.array[int], IntArray]:
    """Flattening that accepts any sequences and names the first bad entry."""
    buf = array.array("q")
    lengths = np.zeros(len(prefs), dtype=np.int64)
    for i, seq in enumerate(prefs):
        if isinstance(seq, np.ndarray) and seq.dtype.kind in "iu" and seq.ndim == 1:
            if seq.dtype.kind == "u" and seq.size and int(seq.max()) >= 2**63:
                position = int(np.argmax(seq >= 2**63))
                raise _out_of_range(field, i, position, int(seq[position]), other, n_other)
            buf.frombytes(seq.astype(np.int64).tobytes())
            lengths[i] = seq.size
            continue
        if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable):
            raise MatchingInputError(
                field,
                i,
                InputProblem.BAD_VALUE,
                f"expected a sequence of {other} indices, got {type(seq).__name__}",
            )
        start = len(buf)
        try:
            if isinstance(seq, list):
                buf.fromlist(seq)
            else:
                buf.extend(seq)
        except (TypeError, OverflowError):
            del buf[start:]
            for position, value in enumerate(seq):
                try:
                    index = operator.index(value)
                except TypeError:
                    raise MatchingInputError(
                        field,
                        i,
                        InputProblem.NOT_AN_INTEGER,
                        f"entry {position} is {value!r}, not an integer {other} index",
                        value=value,
                    ) from None
                if not -(2**63) <= index < 2**63:
                    raise _out_of_range(field, i, position, index, other, n_other) from None
            raise  # pragma: no cover - every failure is explained above
        lengths[i] = len(buf) - start
    return buf, lengths


def segment_ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + c)`` for every ``(s, c)``, vectorised."""
    ends = np.cumsum(counts)
    total = int(ends[-1]) if ends.size else 0
    if total == 0:
        return EMPTY
    shift = np.repeat(starts - (ends - counts), counts)
    shift += np.arange(total, dtype=np.int64)
    return shift


def stable_argsort_bounded(values: IntArray, bound: int) -> IntArray:
    """Stable argsort of non-negative integers below ``bound``.

    An LSD radix sort in 16-bit digits built on NumPy's radix sort for
    ``uint16`` (what ``kind="stable"`` uses for 16-bit keys). For the sizes met
    here it is several times faster than a comparison argsort of int64 keys.
    """
    order: IntArray | None = None
    shift = 0
    while True:
        digit = ((values >> shift) & 0xFFFF).astype(np.uint16)
        if order is None:
            order = np.argsort(digit, kind="stable").astype(np.int64, copy=False)
        else:
            order = order[np.argsort(digit[order], kind="stable")]
        shift += 16
        if bound <= (1 << shift):
            return order
