"""A dashboard per platform (ECharts) with an Excel export behind every chart."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from tongxin.core.downloads import dated_name, english
from tongxin.core.scope import EXPORT, VIEW, can
from tongxin.core.views.generic import export_response
from tongxin.core.workbooks import Column, Layout, exported_on
from tongxin.platforms.services.dashboards import BOARDS, Board, Table


def _board(request: HttpRequest, key: str, action: str) -> Board:
    board = BOARDS.get(key)
    if board is None or not can(request.user, board.model, action):
        raise Http404
    return board


@login_required
def dashboard(request: HttpRequest, board: str) -> HttpResponse:
    """The charts of one platform, from the rows the person may view."""
    spec = _board(request, board, VIEW)
    tables = spec.tables(request.user, VIEW, timezone.localdate())
    context = {
        "board": spec,
        "tables": tables,
        "charts_json": json.dumps({t.key: t.chart() for t in tables}, ensure_ascii=False, default=str),
        "may_export": can(request.user, spec.model, EXPORT),
        "export_url": reverse(f"platforms:{spec.key}_dashboard_export"),
    }
    return render(request, "platforms/dashboard.html", context)


@login_required
def dashboard_export(request: HttpRequest, board: str) -> HttpResponse:
    """The table behind one chart (``?table=``, by default the first) as .xlsx, from the
    rows the person may export; an unknown table is 404."""
    spec = _board(request, board, EXPORT)
    tables = spec.tables(request.user, EXPORT, timezone.localdate())
    found = {t.key: t for t in tables}
    chosen: Table | None = found.get(request.GET.get("table", tables[0].key))
    if chosen is None:
        raise Http404
    columns = [chosen.category, *chosen.series]
    layout = Layout(
        f"{spec.title} · {chosen.title}",
        [Column(capfirst(str(s.label)), s.number_format) for s in columns],
        notes=[exported_on()],
    )
    rows: list[list[Any]] = [[row.get(s.key) for s in columns] for row in chosen.rows]
    name = dated_name(f"{spec.title}_{chosen.title}")
    fallback = dated_name(english(lambda: f"{spec.title} {chosen.title}"))
    return export_response(layout, rows, name=name, fallback=fallback)
