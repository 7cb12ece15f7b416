"""Why a pair is, or is not, matched: structured explanations with an English rendering.

An explanation carries a stable reason code (for translation by the web
layer) and the facts behind it, for each of the two parties:

* does it list the other, and at which position;
* its capacity and current partners (best first);
* the partners it ranks above the other party;
* whether it would accept the other (a free place, or a worse partner to drop).

For an unmatched, mutually acceptable pair of agents with places, a stable
matching always has at least one party that is *full with partners it ranks
higher*; that is the answer to "why not the village I ranked first?". If
neither is, the pair blocks the matching (possible only for a matching that
is not stable, e.g. after a manual override).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from ._arrays import IntArray
from .errors import InputProblem, MatchingInputError

if TYPE_CHECKING:
    from .problem import Problem

T = TypeVar("T")
U = TypeVar("U")


class Reason(StrEnum):
    """Why a (proposer, receiver) pair is or is not matched."""

    MATCHED = "matched"
    MATCHED_NOT_ACCEPTABLE = "matched_not_acceptable"
    NOT_MUTUALLY_ACCEPTABLE = "not_mutually_acceptable"
    NO_CAPACITY = "no_capacity"
    PROPOSER_FULL = "proposer_full_with_preferred"
    RECEIVER_FULL = "receiver_full_with_preferred"
    BOTH_FULL = "both_full_with_preferred"
    BLOCKING_PAIR = "blocking_pair"


@dataclass(frozen=True, slots=True)
class SideFacts(Generic[T]):
    """What one party of a pair contributes to the explanation.

    ``T`` is the type of the *other* side's agents (indices or ids).
    ``rank_of_other`` is 0-based (``None`` when not listed). ``partners`` are
    the party's current partners, best first (partners it does not list come
    last). ``preferred_partners`` are those it ranks above the other party.
    ``would_accept`` is true when the party lists the other, has a place and
    either has a free place or ranks the other above some partner.
    """

    lists_other: bool
    rank_of_other: int | None
    capacity: int
    partners: tuple[T, ...]
    preferred_partners: tuple[T, ...]
    would_accept: bool

    @property
    def has_free_place(self) -> bool:
        """Fewer partners than places."""
        return len(self.partners) < self.capacity

    @property
    def full_with_preferred(self) -> bool:
        """Lists the other and has places, but all are taken by partners it ranks higher."""
        return self.lists_other and self.capacity > 0 and not self.would_accept

    def map(self, f: Callable[[T], U]) -> SideFacts[U]:
        """The same facts with the partners renamed by ``f``."""
        return SideFacts(
            lists_other=self.lists_other,
            rank_of_other=self.rank_of_other,
            capacity=self.capacity,
            partners=tuple(map(f, self.partners)),
            preferred_partners=tuple(map(f, self.preferred_partners)),
            would_accept=self.would_accept,
        )


def classify(first: SideFacts[T], second: SideFacts[U], matched: bool) -> str:
    """Side-neutral reason: ``matched``, ``first_full``, ``second_full``, ... (internal)."""
    acceptable = first.lists_other and second.lists_other
    if matched:
        return "matched" if acceptable else "matched_not_acceptable"
    if not acceptable:
        return "not_mutually_acceptable"
    if first.capacity == 0 or second.capacity == 0:
        return "no_capacity"
    if not first.would_accept and not second.would_accept:
        return "both_full"
    if not second.would_accept:
        return "second_full"
    if not first.would_accept:
        return "first_full"
    return "blocking_pair"


_CORE_REASON = {
    "matched": Reason.MATCHED,
    "matched_not_acceptable": Reason.MATCHED_NOT_ACCEPTABLE,
    "not_mutually_acceptable": Reason.NOT_MUTUALLY_ACCEPTABLE,
    "no_capacity": Reason.NO_CAPACITY,
    "first_full": Reason.PROPOSER_FULL,
    "second_full": Reason.RECEIVER_FULL,
    "both_full": Reason.BOTH_FULL,
    "blocking_pair": Reason.BLOCKING_PAIR,
}
_KIND_OF_CORE = {reason: kind for kind, reason in _CORE_REASON.items()}


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why ``proposer`` and ``receiver`` are, or are not, matched (index form)."""

    proposer: int
    receiver: int
    reason: Reason
    proposer_side: SideFacts[int]
    receiver_side: SideFacts[int]

    @property
    def matched(self) -> bool:
        """The pair is in the matching."""
        return self.reason in (Reason.MATCHED, Reason.MATCHED_NOT_ACCEPTABLE)

    def text(
        self,
        proposer_noun: str = "proposer",
        receiver_noun: str = "receiver",
        name: Callable[[str, int], str] | None = None,
    ) -> str:
        """English rendering, e.g. "Receiver 3 holds 2 proposers it ranks higher than proposer 0: 1, 4."

        ``name(noun, index)`` may return a display name for an agent.
        """
        label = name or (lambda noun, index: str(index))
        return render(
            _KIND_OF_CORE[self.reason],
            Party(
                proposer_noun,
                label(proposer_noun, self.proposer),
                self.proposer_side.map(lambda j: label(receiver_noun, j)),
            ),
            Party(
                receiver_noun,
                label(receiver_noun, self.receiver),
                self.receiver_side.map(lambda i: label(proposer_noun, i)),
            ),
        )


@dataclass(frozen=True, slots=True)
class Party:
    """One party of a pair, ready for rendering: its noun, display name and facts."""

    noun: str
    name: str
    facts: SideFacts[str]

    @property
    def label(self) -> str:
        return f"{self.noun} {self.name}"


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render(kind: str, first: Party, second: Party) -> str:
    """English sentence(s) for a side-neutral reason ``kind`` (see :func:`classify`)."""
    a, b = first.label, second.label
    fa, fb = first.facts, second.facts
    if kind == "matched":
        return _cap(
            f"{a} and {b} are matched: {b} is no. {(fa.rank_of_other or 0) + 1} on "
            f"{a}'s list and {a} is no. {(fb.rank_of_other or 0) + 1} on {b}'s list."
        )
    if kind in ("matched_not_acceptable", "not_mutually_acceptable"):
        if not fa.lists_other and not fb.lists_other:
            why = f"neither {a} nor {b} lists the other"
        elif not fb.lists_other:
            why = f"{b} does not list {a}"
        else:
            why = f"{a} does not list {b}"
        if kind == "matched_not_acceptable":
            return _cap(f"{a} and {b} are matched, but not mutually acceptable: {why}.")
        return _cap(f"not mutually acceptable: {why}.")
    if kind == "no_capacity":
        empty = [p.label for p in (first, second) if p.facts.capacity == 0]
        return _cap(f"{' and '.join(empty)} {'has' if len(empty) == 1 else 'have'} no places (capacity 0).")
    sentences = []
    if kind in ("second_full", "both_full"):
        sentences.append(
            f"{b} holds {_count(len(fb.preferred_partners), first.noun)} it ranks "
            f"higher than {a}: {', '.join(fb.preferred_partners)}."
        )
    if kind in ("first_full", "both_full"):
        sentences.append(
            f"{a} is full with {_count(len(fa.preferred_partners), second.noun)} it "
            f"ranks higher than {b}: {', '.join(fa.preferred_partners)}."
        )
    if kind == "blocking_pair":
        sentences.append(
            f"{a} and {b} block this matching: each would rather be matched with "
            f"the other ({_wish(first, b)}; {_wish(second, a)})."
        )
    if not sentences:
        raise ValueError(f"unknown explanation kind {kind!r}")
    return " ".join(_cap(s) for s in sentences)


def _wish(party: Party, other: str) -> str:
    facts = party.facts
    if facts.has_free_place:
        return f"{party.label} has a free place"
    return f"{party.label} ranks {other} above its partner {facts.partners[-1]}"


class MatchingView:
    """Partner look-ups for a matching given as pair arrays sorted by ``(proposer, receiver)``."""

    def __init__(self, problem: Problem, proposers: IntArray, receivers: IntArray) -> None:
        self._problem = problem
        self._p_receivers = receivers
        self._p_offsets = np.searchsorted(proposers, np.arange(problem.n_proposers + 1))
        order = np.argsort(receivers, kind="stable")
        self._r_proposers = proposers[order]
        self._r_offsets = np.searchsorted(receivers[order], np.arange(problem.n_receivers + 1))

    def proposer_partners(self, i: int) -> list[int]:
        """Receivers matched to proposer ``i``, in ``i``'s order (unlisted ones last)."""
        found = self._p_receivers[self._p_offsets[i] : self._p_offsets[i + 1]].tolist()
        rank = self._problem.rank_of_receiver
        return sorted(found, key=lambda j: (_or_last(rank(i, j)), j))

    def receiver_partners(self, j: int) -> list[int]:
        """Proposers matched to receiver ``j``, in ``j``'s order (unlisted ones last)."""
        found = self._r_proposers[self._r_offsets[j] : self._r_offsets[j + 1]].tolist()
        rank = self._problem.rank_of_proposer
        return sorted(found, key=lambda i: (_or_last(rank(j, i)), i))


def _or_last(rank: int | None) -> int:
    return 2**62 if rank is None else rank


def side_facts(
    partners: list[int],
    rank_of: Callable[[int], int | None],
    rank_of_other: int | None,
    capacity: int,
) -> SideFacts[int]:
    """Facts for one party given its partners (best first) and ranking function."""
    lists_other = rank_of_other is not None
    if rank_of_other is None:
        preferred = tuple(p for p in partners if rank_of(p) is not None)
        worse_exists = False
    else:
        preferred = tuple(p for p in partners if _or_last(rank_of(p)) < rank_of_other)
        worse_exists = len(preferred) < len(partners)
    would_accept = lists_other and capacity > 0 and (len(partners) < capacity or worse_exists)
    return SideFacts(
        lists_other=lists_other,
        rank_of_other=rank_of_other,
        capacity=capacity,
        partners=tuple(partners),
        preferred_partners=preferred,
        would_accept=would_accept,
    )


def explain_pair(problem: Problem, view: MatchingView, proposer: int, receiver: int) -> Explanation:
    """Explain the pair ``(proposer, receiver)`` in the matching ``view``."""
    if not 0 <= proposer < problem.n_proposers:
        raise MatchingInputError(
            "proposer",
            proposer,
            InputProblem.OUT_OF_RANGE,
            f"no such proposer (there are {problem.n_proposers})",
            value=proposer,
        )
    if not 0 <= receiver < problem.n_receivers:
        raise MatchingInputError(
            "receiver",
            receiver,
            InputProblem.OUT_OF_RANGE,
            f"no such receiver (there are {problem.n_receivers})",
            value=receiver,
        )
    p_partners = view.proposer_partners(proposer)
    r_partners = view.receiver_partners(receiver)
    p_side = side_facts(
        p_partners,
        lambda j: problem.rank_of_receiver(proposer, j),
        problem.rank_of_receiver(proposer, receiver),
        int(problem.proposer_capacity[proposer]),
    )
    r_side = side_facts(
        r_partners,
        lambda i: problem.rank_of_proposer(receiver, i),
        problem.rank_of_proposer(receiver, proposer),
        int(problem.receiver_capacity[receiver]),
    )
    kind = classify(p_side, r_side, receiver in p_partners)
    return Explanation(proposer, receiver, _CORE_REASON[kind], p_side, r_side)
