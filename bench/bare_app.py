"""WSGI application for ``bench.lists``: the project plus one bench-only page, the yardstick.

The yardstick is the village list's first page written the plain Django way: the same
50 rows in scope (township joined, needs and advantages prefetched, the ledger's order)
and the same 15 columns, rendered by one template loop, no table library, no filter form,
no navigation. Everything else is the project unchanged (settings, middleware, session,
all of its URLs), so the ledger pages served next to it are measured on the same server.

Only the benchmark serves this module (``gunicorn bench.bare_app:application``); the
product's URLconf is not touched.
"""

from __future__ import annotations

import importlib
import os

from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.prod")

# The production entry point (the project loaded, then frozen), before the project's modules.
application = importlib.import_module("tongxin.wsgi").application

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import URLPattern, URLResolver, path  # noqa: E402

from tongxin import urls as project_urls  # noqa: E402
from tongxin.core.scope import VIEW, restrict  # noqa: E402
from tongxin.regions.models import Village  # noqa: E402

BARE_PATH = "bench/bare/villages/"
ROWS = 50

_TEMPLATE = engines["django"].from_string(
    """<!doctype html><html><head><meta charset="utf-8"><title>villages</title></head><body>
<table class="table"><thead><tr><th>code</th><th>name</th><th>township</th><th>kind</th><th>urban-rural</th>
<th>population</th><th>households</th><th>area</th><th>per-capita income</th><th>collective income</th>
<th>industries</th><th>needs</th><th>advantages</th><th>party secretary</th><th>party members</th></tr></thead>
<tbody>{% for v in villages %}<tr><td>{{ v.code }}</td><td><a href="{{ v.get_absolute_url }}">{{ v.name }}</a></td>
<td>{{ v.township.name }}</td><td>{{ v.get_kind_display }}</td><td>{{ v.get_urban_rural_display }}</td>
<td>{{ v.population }}</td><td>{{ v.households }}</td><td>{{ v.area_km2 }}</td><td>{{ v.per_capita_income }}</td>
<td>{{ v.collective_income }}</td><td>{{ v.industries }}</td>
<td>{% for n in v.needs.all %}{% if not forloop.first %}、{% endif %}{{ n }}{% endfor %}</td>
<td>{% for a in v.advantages.all %}{% if not forloop.first %}、{% endif %}{{ a }}{% endfor %}</td>
<td>{{ v.party_secretary }}</td><td>{{ v.party_members }}</td></tr>{% endfor %}</tbody></table>
</body></html>"""
)


@login_required
def bare_villages(request: HttpRequest) -> HttpResponse:
    """The first 50 villages in the user's scope, one plain template loop."""
    queryset = restrict(Village.objects.all(), request.user, VIEW)
    ordering: list[str] = [str(name) for name in Village._meta.ordering or ()]
    rows = list(queryset.select_related("township").prefetch_related("needs", "advantages").order_by(*ordering)[:ROWS])
    return HttpResponse(_TEMPLATE.render({"villages": rows}))


urlpatterns: list[URLPattern | URLResolver] = [
    path(BARE_PATH, bare_villages, name="bench-bare-villages"),
    *project_urls.urlpatterns,
]
settings.ROOT_URLCONF = __name__  # this module: the project's URLs plus the yardstick
