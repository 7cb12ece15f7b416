"""The structure of the cadre team (结构): counts by affiliation, age band, gender,
education, field, rank and body, serving counts per year, and the reserve beside the
serving cadres.

Every count is a grouped count in the database; the number of queries is fixed
(:data:`QUERIES`) whatever the number of people: one grouped by affiliation, gender,
education, rank, age band and status together, one by field and status, one for the
bodies, one for the serving trend and one for the reserve pool's entries per year. Only the
statistics-relevant fields are read (gender, birth year, education, affiliation, rank,
field, status, posts' dates), which anonymisation keeps, so the figures survive it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from tongxin.cadres.choices import Affiliation, BodyKind, Education, Gender, PersonStatus, RankLevel, ReserveStage
from tongxin.cadres.models import Person, Post, PostHistory, StageRecord
from tongxin.core.scope import VIEW, restrict

#: Age bands by birth year (age = this year − birth year), the usual way of the statistics.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("-35", None, 35),
    ("36-40", 36, 40),
    ("41-45", 41, 45),
    ("46-50", 46, 50),
    ("51-55", 51, 55),
    ("56-", 56, None),
)
#: The fields of expertise shown one by one; the rest are summed as "other".
TOP_FIELDS = 12
OTHER = "__other__"
NONE = "__none__"
TREND_YEARS = 10
STATUSES: tuple[str, ...] = tuple(PersonStatus.values)
#: Queries one :func:`structure_stats` costs.
QUERIES = 5


@dataclass(frozen=True)
class Row:
    """One category of a dimension: how many people of each status."""

    key: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of(self, status: str) -> int:
        return self.counts.get(status, 0)


@dataclass(frozen=True)
class BodyRow:
    """One kind of leadership body: posts, posts held by people of the files, and how many
    different people hold them."""

    kind: str
    posts: int
    non_party: int
    people: int


@dataclass(frozen=True)
class YearRow:
    """One year: people of the files holding a post in it, and entries to the reserve pool."""

    year: int
    serving: int
    pool_entries: int


@dataclass(frozen=True)
class Structure:
    """The whole structure report of the people in one queryset."""

    today: date
    dimensions: dict[str, list[Row]]
    bodies: list[BodyRow]
    years: list[YearRow]
    totals: dict[str, int] = field(default_factory=dict)

    def share(self, dimension: str, key: str, status: str) -> float | None:
        """The share (0–100) of ``status`` people in category ``key`` of ``dimension``."""
        total = self.totals.get(status, 0)
        if not total:
            return None
        row = next((r for r in self.dimensions[dimension] if r.key == key), None)
        return round(100 * (row.of(status) if row else 0) / total, 1)


#: The dimensions counted together in one grouped query (their combinations are few), each
#: with its fixed order of categories; the field of expertise (free text) is counted apart.
CUBE: dict[str, tuple[str, tuple[str, ...]]] = {
    "affiliation": ("affiliation", tuple(Affiliation.values)),
    "gender": ("gender", tuple(Gender.values)),
    "education": ("education", tuple(Education.values)),
    "rank": ("rank", tuple(RankLevel.values)),
    "age": ("band", tuple(key for key, _low, _high in AGE_BANDS)),
}
DIMENSIONS = (*CUBE, "field")


def _band(today: date) -> Case:
    """The age band of a birth date, in the database: age by birth year, so a band is a
    range of birth dates from 1 January to 1 January."""
    whens = []
    for key, low, high in AGE_BANDS:
        condition = Q()
        if high is not None:
            condition &= Q(birth_date__gte=date(today.year - high, 1, 1))
        if low is not None:
            condition &= Q(birth_date__lt=date(today.year - low + 1, 1, 1))
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _cube(people: QuerySet[Person], today: date) -> dict[str, dict[str, dict[str, int]]]:
    """{dimension: {category: {status: n}}} of the ``CUBE`` dimensions, one query grouped
    by all of them (a few thousand combinations at most, summed here)."""
    names = [name for name, _order in CUBE.values()]
    rows = people.annotate(band=_band(today)).order_by().values(*names, "status").annotate(n=Count("pk"))
    out: dict[str, dict[str, dict[str, int]]] = {key: {} for key in CUBE}
    for row in rows:
        for key, (name, _order) in CUBE.items():
            _add(out[key], str(row[name]), {row["status"]: row["n"]})
    return out


def _grouped(people: QuerySet[Person], name: str) -> dict[str, dict[str, int]]:
    """{category: {status: n}} of one field, one query."""
    rows = people.order_by().values(name, "status").annotate(n=Count("pk"))
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        key = row[name]
        _add(out, "" if key is None else str(key), {row["status"]: row["n"]})
    return out


def age_band(age: int) -> str:
    """The band of an age in whole years (what `_band` computes in the database)."""
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    return AGE_BANDS[-1][0]


def _add(out: dict[str, dict[str, int]], key: str, counts: dict[str, int]) -> None:
    cell = out.setdefault(key, {})
    for status, n in counts.items():
        cell[status] = cell.get(status, 0) + n


def _fields(grouped: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The ``TOP_FIELDS`` largest fields by themselves, the others summed as ``OTHER``,
    blank ones as ``NONE``."""
    named = sorted(((k, v) for k, v in grouped.items() if k.strip()), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    out: dict[str, dict[str, int]] = dict(named[:TOP_FIELDS])
    for _key, counts in named[TOP_FIELDS:]:
        _add(out, OTHER, counts)
    for key, counts in grouped.items():
        if not key.strip():
            _add(out, NONE, counts)
    return out


def _rows(grouped: dict[str, dict[str, int]], order: Iterable[str] | None) -> list[Row]:
    if order is None:
        return [Row(key, counts) for key, counts in grouped.items()]
    return [Row(key, grouped.get(key, {})) for key in order]


def structure_stats(
    *, people: QuerySet[Person], posts: QuerySet[Post], history: QuerySet[PostHistory],
    stages: QuerySet[StageRecord], today: date | None = None,
) -> Structure:  # fmt: skip
    """The structure of ``people`` (already restricted to what the reader may see), the
    bodies of ``posts``, and the serving trend of ``history`` over the last
    ``TREND_YEARS`` years. :data:`QUERIES` queries."""
    today = today or timezone.localdate()
    cube = _cube(people, today)
    dimensions: dict[str, list[Row]] = {key: _rows(cube[key], order) for key, (_name, order) in CUBE.items()}
    dimensions["field"] = _rows(_fields(_grouped(people, "expertise")), None)
    totals: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for row in dimensions["gender"]:
        for status, n in row.counts.items():
            totals[status] = totals.get(status, 0) + n
    return Structure(
        today=today,
        dimensions=dimensions,
        bodies=_bodies(posts),
        years=_years(history, stages, today),
        totals=totals,
    )


def _bodies(posts: QuerySet[Post]) -> list[BodyRow]:
    """Per kind of body, one query."""
    rows = (
        posts.order_by()
        .values(kind=F("body__kind"))
        .annotate(
            total=Count("pk"),
            non_party=Count("pk", filter=Q(person__isnull=False)),
            people=Count("person", distinct=True),
        )
    )
    found = {row["kind"]: row for row in rows}
    return [
        BodyRow(kind, found[kind]["total"], found[kind]["non_party"], found[kind]["people"])
        for kind in BodyKind.values
        if kind in found
    ]


def _years(history: QuerySet[PostHistory], stages: QuerySet[StageRecord], today: date) -> list[YearRow]:
    """People holding a post in each year (from the dated posts held: one query) and the
    entries to the reserve pool per year (one query)."""
    years = list(range(today.year - TREND_YEARS + 1, today.year + 1))
    serving = history.order_by().aggregate(
        **{
            f"y{year}": Count(
                "person",
                distinct=True,
                filter=Q(start__lte=date(year, 12, 31)) & (Q(end__isnull=True) | Q(end__gte=date(year, 1, 1))),
            )
            for year in years
        }
    )
    entries = (
        stages.filter(stage=ReserveStage.POOL, date__year__gte=years[0])
        .order_by()
        .values(year=ExtractYear("date"))
        .annotate(n=Count("pk"))
    )
    pool = {row["year"]: row["n"] for row in entries}
    return [YearRow(year, serving[f"y{year}"] or 0, pool.get(year, 0)) for year in years]


def structure_for(*, user: Any, today: date | None = None) -> Structure:
    """The structure of the cadre files ``user`` may view (nothing for anyone else)."""
    return structure_stats(
        people=restrict(Person.objects.all(), user, VIEW),
        posts=restrict(Post.objects.all(), user, VIEW),
        history=restrict(PostHistory.objects.all(), user, VIEW),
        stages=restrict(StageRecord.objects.all(), user, VIEW),
        today=today,
    )


def export_rows(structure: Structure, labels: dict[str, dict[str, str]]) -> list[list[Any]]:
    """Every dimension as rows for the Excel sheet: dimension, category, one count per
    status, total (``labels``: the words for dimensions and categories)."""
    rows: list[list[Any]] = []
    for dimension, items in structure.dimensions.items():
        for row in items:
            name = labels.get(dimension, {}).get(row.key, row.key)
            rows.append([labels["dimensions"][dimension], name, *(row.of(s) for s in STATUSES), row.total])
    return rows


__all__ = ["QUERIES", "BodyRow", "Row", "Structure", "YearRow", "export_rows", "structure_for", "structure_stats"]
