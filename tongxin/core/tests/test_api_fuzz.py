"""A fuzz pass over the whole API, driven by its own OpenAPI schema (Schemathesis).

The schema drf-spectacular serves at /api/schema/ is loaded in-process, and every
operation is called with up to ``MAX_EXAMPLES`` generated requests against the Django app
itself (WSGI, no server), signed in as county staff with an API token, on the pairing test
world. Ids in paths are drawn from real rows (own, sibling, foreign) as well as generated
ones. The one property: no answer is a server error (5xx).

Runs with the rest of the suite (``make test``); the examples are derandomised, so a
failure is reproduced by running this file again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from tongxin.accounts.choices import Role
from tongxin.testing.access import module_transaction
from tongxin.testing.factories import build_world
from tongxin.testing.pairing import PairingWorld, build_pairing_world

MAX_EXAMPLES = 10
_APP = WSGIHandler()


def openapi() -> dict[str, Any]:
    """The schema as /api/schema/ serves it (generated in-process, as JSON)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    rendered: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))
    return rendered


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[PairingWorld]:
    """One pairing world for every operation (each test still runs in a savepoint)."""
    with module_transaction(django_db_blocker):
        yield build_pairing_world(build_world())


@pytest.fixture
def pworld(shared_world: PairingWorld, db: Any) -> PairingWorld:
    return shared_world


@pytest.fixture
def auth(pworld: PairingWorld) -> Iterator[dict[str, str]]:
    """County staff's token header. Requests go through Django's WSGI handler, which would
    close the test's database connection at the end of each request: as Django's own test
    client does, that is switched off meanwhile."""
    cache.clear()  # the API's rate limits count per user
    token, _created = Token.objects.get_or_create(user=pworld.world.users[Role.COUNTY_STAFF])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Token {token.key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(pworld: PairingWorld) -> list[int]:
    """Ids of rows that exist: in the own township, the sibling one and the other county."""
    w = pworld.world
    rows = [w.township, w.township_b, w.township2, w.village, w.village2, w.enterprise, w.enterprise2]
    rows += [pworld.campaign, pworld.campaign2, pworld.pair, pworld.pair_b, pworld.pair2]
    rows += [pworld.activity, pworld.activity2, pworld.report, pworld.report2, pworld.appointment]
    return sorted({row.pk for row in rows})


# Generating the schema needs no database: it is loaded when the module is collected, so
# each operation is a test of its own.
schema = schemathesis.openapi.from_dict(openapi())
schema.app = _APP


@pytest.mark.django_db
@schema.parametrize()
@schema.given(pick=st.integers(min_value=0, max_value=40))
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_5xx(case: Any, pick: int, auth: dict[str, str], real_ids: list[int]) -> None:
    """No generated request to any API operation, with a real or a made-up id, with a valid
    or a broken body, ends in a server error."""
    for name in list(case.path_parameters or {}):
        if pick < len(real_ids) * 2 and pick % 2 == 0:
            case.path_parameters[name] = real_ids[pick // 2]  # a row that exists
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])
