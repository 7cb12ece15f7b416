"""The pairing exports: the tables behind the dashboard's charts and the pair ledger.

Each table's columns have a header in the user's language with its unit and an Excel
number format; above the table, the campaign and period it covers and the export date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.core import units
from tongxin.core.downloads import dated_name, english
from tongxin.core.filtersets import filters_text
from tongxin.core.units import with_unit
from tongxin.core.workbooks import Column, Layout, exported_on
from tongxin.pairing.models import Campaign, MatchRun
from tongxin.pairing.services.dashboard import indicator_labels

_PERCENT = units.PERCENT_SIGN

#: The columns of the dashboard's tables, by the key of the chart data: (header, number format).
DASHBOARD_COLUMNS: dict[str, tuple[Any, str | None]] = {
    "township": (_("township"), None),
    "villages": (_("villages taking part"), units.COUNT),
    "paired": (_("Villages paired"), units.COUNT),
    "coverage": (with_unit(_("Coverage"), _PERCENT), units.PERCENT),
    "mode": (_("cooperation mode"), None),
    "pairs": (_("number of pairs"), units.COUNT),
    "indicator": (_("indicator"), None),
    "target": (_("target"), units.MONEY),
    "actual": (_("actual"), units.MONEY),
    "progress": (with_unit(pgettext_lazy("share of a target reached", "progress"), _PERCENT), units.PERCENT),
    "period": (_("period"), None),
    "expected": (_("expected"), units.COUNT),
    "submitted": (_("submitted"), units.COUNT),
    "on_time": (_("on time"), units.COUNT),
    "completeness": (with_unit(_("completeness"), _PERCENT), units.PERCENT),
    "timeliness": (with_unit(_("timeliness"), _PERCENT), units.PERCENT),
    "not_due": (_("not due yet"), None),
    "latitude": (_("latitude"), None),
    "longitude": (_("longitude"), None),
    "head": (_("head"), None),
    "activities": (_("number of activities"), units.COUNT),
    "amount": (_("amount (10,000 yuan)"), units.MONEY),
}
#: Indicator totals: money with two decimals, counts whole.
_INDICATOR_FORMATS = {
    "investment": units.MONEY,
    "projects": units.COUNT,
    "jobs": units.COUNT,
    "farmer_income": units.MONEY,
    "collective_income": units.MONEY,
}

#: The pair ledger counties file upward: (key of the row, header, number format).
LEDGER_COLUMNS: tuple[tuple[str, Any, str | None], ...] = (
    ("enterprise", _("enterprise"), None),
    ("village", _("village"), None),
    ("township", _("township"), None),
    ("start_date", _("start date"), None),
    ("liaison", _("liaison officer"), None),
    ("investment", _("investment (10,000 yuan)"), units.MONEY),
    ("projects", _("projects"), units.COUNT),
    ("jobs", _("jobs for villagers"), units.COUNT),
    ("income", _("income increase (10,000 yuan)"), units.MONEY),
    ("reports_on_time", _("reports on time"), units.COUNT),
)


def dashboard_columns(keys: Sequence[str]) -> list[Column]:
    """The columns of a dashboard table whose rows have ``keys``."""
    labels = indicator_labels()
    columns = []
    for key in keys:
        if key in _INDICATOR_FORMATS:
            columns.append(Column(capfirst(labels[key]), _INDICATOR_FORMATS[key]))
            continue
        header, number_format = DASHBOARD_COLUMNS.get(key, (key, None))
        columns.append(Column(capfirst(str(header)), number_format))
    return columns


def filters_of(campaign: Campaign, period: date | None = None) -> str:
    """The line saying what a dashboard table or the ledger covers: the campaign, the period."""
    chosen = [(capfirst(str(_("campaign"))), campaign.name)]
    if period is not None:
        chosen.append((capfirst(str(_("period"))), period.strftime("%Y-%m")))
    return filters_text(chosen)


def _notes(campaign: Campaign, period: date | None = None) -> list[str]:
    return [filters_of(campaign, period), exported_on()]


def dashboard_export(
    campaign: Campaign, period: date, title: Any, rows: list[dict[str, Any]]
) -> tuple[Layout, list[list[Any]], str, str]:
    """The layout, rows, file name and ASCII fallback name of one dashboard table."""
    keys = list(rows[0]) if rows else []
    layout = Layout(str(title), dashboard_columns(keys), notes=_notes(campaign, period))
    name = dated_name(f"{title}_{campaign.name}")
    fallback = dated_name(english(lambda: str(title)))
    return layout, [[_cell(value) for value in row.values()] for row in rows], name, fallback


def _cell(value: Any) -> Any:
    """A value as the sheet shows it: a flag (a period not due yet) as "yes" or blank."""
    if isinstance(value, bool):
        return str(_("yes")) if value else ""
    return value


def ledger_export(campaign: Campaign, rows: list[dict[str, Any]]) -> tuple[Layout, list[list[Any]], str, str]:
    """The layout, rows, file name and ASCII fallback name of the pair ledger."""
    columns = [Column(capfirst(str(header)), number_format) for _key, header, number_format in LEDGER_COLUMNS]
    layout = Layout(f"{_('Pair ledger')} {campaign.name}", columns, notes=_notes(campaign))
    values = [[row[key] for key, _header, _format in LEDGER_COLUMNS] for row in rows]
    name = dated_name(f"{_('Pair ledger')}_{campaign.name}")
    fallback = dated_name(english(lambda: str(_("Pair ledger"))))
    return layout, values, name, fallback


def late_export(
    campaign: Campaign, rows: list[dict[str, Any]], chosen: list[tuple[str, str]]
) -> tuple[Layout, list[list[Any]], str, str]:
    """The layout, rows, file name and ASCII fallback name of the late and missing list
    (``chosen``: the filters applied, as (label, value))."""
    title = _("Late and missing reports")
    headers = (_("period"), _("due date"), _("enterprise"), _("village"), _("township"), _("state"))
    columns = [Column(capfirst(str(header)), None) for header in headers]
    notes = [filters_text([(capfirst(str(_("campaign"))), campaign.name), *chosen]), exported_on()]
    layout = Layout(f"{title} {campaign.name}", columns, notes=notes)
    states = {"missing": str(_("missing")), "late": str(_("late"))}
    values = [
        [
            row["period"].strftime("%Y-%m"),
            row["due"],
            row["pair"].enterprise.name,
            row["pair"].village.name,
            row["pair"].township.name,
            states[row["state"]],
        ]
        for row in rows
    ]
    name = dated_name(f"{title}_{campaign.name}")
    fallback = dated_name(english(lambda: str(title)))
    return layout, values, name, fallback


ONE_DECIMAL = "0.0"
#: A match run's proposals: (key of the row, header, number format).
RUN_COLUMNS: tuple[tuple[str, Any, str | None], ...] = (
    ("enterprise", _("enterprise"), None),
    ("village", _("village"), None),
    ("township", _("township"), None),
    ("status", _("status"), None),
    ("fit", _("fit (0–100)"), ONE_DECIMAL),
    ("needs_met", _("needs met"), None),
    ("advantages", _("advantages matched"), None),
    ("distance_km", with_unit(_("distance"), pgettext_lazy("unit", "km")), ONE_DECIMAL),
    ("why", _("why"), None),
)


def run_proposals_export(
    run: MatchRun, filters_line: str, rows: Iterable[dict[str, Any]]
) -> tuple[Layout, Iterator[list[Any]], str, str]:
    """The layout, rows, file name and ASCII fallback name of a run's proposals."""
    columns = [Column(capfirst(str(header)), number_format) for _key, header, number_format in RUN_COLUMNS]
    title = _("Match run %(n)s proposals") % {"n": run.pk}
    layout = Layout(
        f"{title} {run.campaign.name}", columns, notes=[filters_of(run.campaign), filters_line, exported_on()]
    )
    values = ([row[key] for key, _header, _format in RUN_COLUMNS] for row in rows)
    name = dated_name(f"{title}_{run.campaign.name}")
    fallback = dated_name(english(lambda: _("Match run %(n)s proposals") % {"n": run.pk}))
    return layout, values, name, fallback
