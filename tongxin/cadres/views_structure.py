"""The structure statistics of the cadre files (结构): a page with charts and its Excel.

Cadre officers only (the files they may view); township staff keep their numbers-only
page of their township's bodies (``cadres:body_counts``); everyone else gets 404. No
person is named: only counts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from tongxin.cadres.choices import Affiliation, BodyKind, Education, Gender, PersonStatus, RankLevel
from tongxin.cadres.models import Person
from tongxin.cadres.services.structure import (
    AGE_BANDS,
    NONE,
    OTHER,
    STATUSES,
    Structure,
    export_rows,
    structure_for,
)
from tongxin.core.downloads import dated_name, english
from tongxin.core.scope import EXPORT, VIEW, can
from tongxin.core.views.generic import export_response
from tongxin.core.workbooks import Column, Layout, exported_on


def dimension_names() -> dict[str, str]:
    return {
        "affiliation": _("Affiliation"),
        "age": _("Age band"),
        "gender": _("Gender"),
        "education": _("Education"),
        "field": _("Field of expertise"),
        "rank": _("Rank level"),
    }


def _age_label(key: str, low: int | None, high: int | None) -> str:
    if low is None:
        return _("%(age)d and under") % {"age": high}
    if high is None:
        return _("%(age)d and over") % {"age": low}
    return f"{low}–{high}"


def category_labels() -> dict[str, dict[str, str]]:
    """The words for each dimension's categories, in the reader's language."""
    return {
        "dimensions": dimension_names(),
        "affiliation": {k: str(v) for k, v in Affiliation.choices},
        "gender": {k: str(v) for k, v in Gender.choices},
        "education": {k: str(v) for k, v in Education.choices},
        "rank": {k: str(v) for k, v in RankLevel.choices},
        "field": {OTHER: _("Other fields"), NONE: _("Not recorded")},
        "age": {key: _age_label(key, low, high) for key, low, high in AGE_BANDS},
    }


def chart_data(structure: Structure, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """What the charts draw: per dimension the categories and one series per status
    (serving and reserve side by side), the bodies and the yearly trend."""
    status_names = {k: str(v) for k, v in PersonStatus.choices}
    body_names = {k: str(v) for k, v in BodyKind.choices}
    return {
        "statuses": [{"key": s, "name": status_names[s]} for s in (PersonStatus.SERVING, PersonStatus.RESERVE)],
        "dimensions": {
            key: {
                "title": labels["dimensions"][key],
                "categories": [labels.get(key, {}).get(row.key, row.key) for row in rows],
                "series": {s: [row.of(s) for row in rows] for s in STATUSES},
            }
            for key, rows in structure.dimensions.items()
        },
        "bodies": {
            "categories": [body_names.get(b.kind, b.kind) for b in structure.bodies],
            "posts": [b.posts for b in structure.bodies],
            "non_party": [b.non_party for b in structure.bodies],
        },
        "years": {
            "categories": [str(y.year) for y in structure.years],
            "serving": [y.serving for y in structure.years],
            "pool": [y.pool_entries for y in structure.years],
        },
        "i18n": {
            "posts": _("Posts"),
            "non_party": _("Held by non-party cadres"),
            "serving": _("Holding a post"),
            "pool": _("Entered the reserve pool"),
        },
    }


def _require(request: HttpRequest, action: str) -> None:
    if not can(request.user, Person, action):
        raise Http404


class StructureView(LoginRequiredMixin, View):
    """Counts by affiliation, age band, gender, education, field, rank and body, the
    yearly trend, and the reserve beside the serving cadres — charts and tables."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, VIEW)
        structure = structure_for(user=request.user)
        labels = category_labels()
        status_names = dict(PersonStatus.choices)
        tables = [
            {
                "key": key,
                "title": labels["dimensions"][key],
                "rows": [
                    {
                        "label": labels.get(key, {}).get(row.key, row.key),
                        "counts": [row.of(s) for s in STATUSES],
                        "total": row.total,
                        "serving_share": structure.share(key, row.key, PersonStatus.SERVING),
                        "reserve_share": structure.share(key, row.key, PersonStatus.RESERVE),
                    }
                    for row in rows
                ],
            }
            for key, rows in structure.dimensions.items()
        ]
        body_names = dict(BodyKind.choices)
        context = {
            "structure": structure,
            "tables": tables,
            "statuses": [status_names[s] for s in STATUSES],
            "bodies": [(body_names.get(b.kind, b.kind), b) for b in structure.bodies],
            "charts": chart_data(structure, labels),
            "may_export": can(request.user, Person, EXPORT),
        }
        return render(request, "cadres/structure.html", context)


class StructureExportView(LoginRequiredMixin, View):
    """The structure tables as .xlsx: one row per category of every dimension, then the
    bodies and the years. Counts only (no person), so not an export of files."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, EXPORT)
        structure = structure_for(user=request.user)
        labels = category_labels()
        status_names = dict(PersonStatus.choices)
        rows = export_rows(structure, labels)
        body_names = dict(BodyKind.choices)
        for body in structure.bodies:
            name = str(body_names.get(body.kind, body.kind))
            rows.append([_("Leadership bodies"), name, body.non_party, "", "", "", body.posts])
        for year in structure.years:
            rows.append([_("Year"), str(year.year), year.serving, year.pool_entries, "", "", ""])
        columns = [
            Column(_("Dimension")),
            Column(_("Category")),
            *(Column(str(status_names[s])) for s in STATUSES),
            Column(_("Total")),
        ]
        title = _("Structure of the non-party cadres")
        notes = [
            exported_on(),
            _("Bodies: posts held by non-party cadres under the first status, all posts under total."),
            _("Years: people holding a post under the first status, entries to the reserve pool under the second."),
        ]
        layout = Layout(title, columns, notes=notes)
        fallback = dated_name(english(lambda: _("Structure of the non-party cadres")))
        return export_response(layout, rows, name=dated_name(title), fallback=fallback)
