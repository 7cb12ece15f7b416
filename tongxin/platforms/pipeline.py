"""The investment project pipeline as a pure transition table (no Django).

lead → contacted → site visit → negotiating → signed → landed → producing, one step at a
time, or lost (with a reason) from any stage before producing. The funnel counts, for
each stage, the projects that reached it; conversion is the share of projects of a group
that reached a stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEAD, CONTACTED, SITE_VISIT, NEGOTIATING, SIGNED, LANDED, PRODUCING, LOST = (
    "lead",
    "contacted",
    "site_visit",
    "negotiating",
    "signed",
    "landed",
    "producing",
    "lost",
)
#: The stages in order (lost is not one of them: it ends the pipeline).
ORDER: tuple[str, ...] = (LEAD, CONTACTED, SITE_VISIT, NEGOTIATING, SIGNED, LANDED, PRODUCING)
#: Stages a project no longer moves from.
FINAL = frozenset({PRODUCING, LOST})
#: from → the stages that may follow.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    **{stage: frozenset({ORDER[index + 1], LOST}) for index, stage in enumerate(ORDER[:-1])},
    PRODUCING: frozenset(),
    LOST: frozenset(),
}


def next_stages(current: str) -> frozenset[str]:
    """The stages that may follow ``current`` (an unknown stage: none)."""
    return TRANSITIONS.get(current, frozenset())


def may_move(current: str, to: str) -> bool:
    return to in next_stages(current)


def reached(stage: str, history: Iterable[str]) -> bool:
    """Whether a project whose steps were ``history`` reached ``stage``."""
    return stage in set(history)


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    reached: int
    conversion: float | None  # share of all projects, in %


def funnel(histories: Iterable[Iterable[str]]) -> list[FunnelRow]:
    """Per stage of :data:`ORDER`, how many projects reached it and the share of all."""
    sets = [set(history) for history in histories]
    total = len(sets)
    return [
        FunnelRow(stage, n, round(100 * n / total, 1) if total else None)
        for stage in ORDER
        for n in [sum(1 for steps in sets if stage in steps)]
    ]


@dataclass(frozen=True)
class Conversion:
    group: str
    projects: int
    signed: int
    landed: int
    lost: int

    @property
    def signed_rate(self) -> float | None:
        return round(100 * self.signed / self.projects, 1) if self.projects else None

    @property
    def landed_rate(self) -> float | None:
        return round(100 * self.landed / self.projects, 1) if self.projects else None


def conversion(groups: Mapping[str, Iterable[Iterable[str]]]) -> list[Conversion]:
    """Per group (an origin, an association): projects, how many reached signing and
    landing, how many were lost."""
    rows = []
    for name, histories in groups.items():
        sets = [set(history) for history in histories]
        rows.append(
            Conversion(
                name,
                len(sets),
                sum(1 for steps in sets if SIGNED in steps),
                sum(1 for steps in sets if LANDED in steps),
                sum(1 for steps in sets if LOST in steps),
            )
        )
    return rows
