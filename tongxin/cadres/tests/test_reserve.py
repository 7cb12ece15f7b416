"""The reserve pipeline: dated stages in order, removal with a reason, status follows,
the young-cadre flag; page and API through the same service."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import StageRecord
from tongxin.cadres.services.reserve import is_young, next_stages, reserve_advance
from tongxin.core.exceptions import WorkflowError
from tongxin.testing import cadres
from tongxin.testing.cadres import person
from tongxin.testing.factories import World


@pytest.mark.django_db
def test_stages_follow_in_order_and_the_status_follows(world: World) -> None:
    """found → inspected → pool (status reserve) → trained (once a course is completed) →
    appointed (status serving);
    a skipped step, a step after appointment or a date before the last one is refused."""
    officer = world.users[Role.CADRE_OFFICER]
    p = person(world.county, status="serving")
    with pytest.raises(WorkflowError):
        reserve_advance(user=officer, person=p, stage="pool", on=date(2026, 1, 1))
    reserve_advance(user=officer, person=p, stage="found", on=date(2026, 1, 1), note="基层摸底")
    with pytest.raises(WorkflowError):
        reserve_advance(user=officer, person=p, stage="inspected", on=date(2025, 12, 1))
    reserve_advance(user=officer, person=p, stage="inspected", on=date(2026, 2, 1), note="统战部走访考察")
    reserve_advance(user=officer, person=p, stage="pool", on=date(2026, 3, 1))
    p.refresh_from_db()
    assert p.status == "reserve"
    with pytest.raises(WorkflowError):  # "trained" rests on a completed course
        reserve_advance(user=officer, person=p, stage="trained", on=date(2026, 4, 1))
    cadres.enrolment(cadres.course(world.county), p, status="completed", completed_on=date(2026, 3, 6))
    trained = reserve_advance(user=officer, person=p, stage="trained", on=date(2026, 4, 1))
    assert trained.note.startswith("党外干部培训班")
    reserve_advance(user=officer, person=p, stage="appointed", on=date(2026, 5, 1))
    p.refresh_from_db()
    assert p.status == "serving"
    assert next_stages("appointed") == []
    with pytest.raises(WorkflowError):
        reserve_advance(user=officer, person=p, stage="removed", on=date(2026, 6, 1), reason="x")
    assert list(p.stages.values_list("stage", flat=True)) == ["found", "inspected", "pool", "trained", "appointed"]


@pytest.mark.django_db
def test_removal_needs_a_reason(world: World) -> None:
    officer = world.users[Role.CADRE_OFFICER]
    p = person(world.county)
    reserve_advance(user=officer, person=p, stage="found", on=date(2026, 1, 1))
    with pytest.raises(WorkflowError):
        reserve_advance(user=officer, person=p, stage="removed", on=date(2026, 2, 1), reason="  ")
    reserve_advance(user=officer, person=p, stage="removed", on=date(2026, 2, 1), reason="本人申请退出")
    assert next_stages("removed") == []


@pytest.mark.django_db
def test_young_cadre_limit_is_configurable(world: World, settings: Any) -> None:
    """35 by default; the county may set 40."""
    p = person(world.county, birth_date=date(1988, 6, 1))
    today = date(2026, 6, 1)  # 38 years old
    assert not is_young(p, today)
    settings.TONGXIN = {**settings.TONGXIN, "CADRE_YOUNG_AGE": 40}
    assert is_young(p, today)


@pytest.mark.django_db
def test_page_and_api_take_steps_through_the_service(world: World) -> None:
    """The page records a step and shows it; the API records the next; a wrong step is a
    400 in the API and nothing is written; other roles get 404."""
    p = person(world.county)
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    response = client.post(reverse("cadres:person_stage", args=[p.pk]), {"stage": "found", "date": "2026-01-05"})
    assert response.status_code == 302
    page = client.get(reverse("cadres:person_detail", args=[p.pk]))
    assert b'data-testid="stage-form"' in page.content and [r.stage for r in page.context["stages"]] == ["found"]
    api = APIClient()
    api.force_authenticate(world.users[Role.CADRE_OFFICER])
    assert api.post(f"/api/cadres/people/{p.pk}/stage/", {"stage": "trained", "date": "2026-02-01"}).status_code == 400
    ok = api.post(f"/api/cadres/people/{p.pk}/stage/", {"stage": "inspected", "date": "2026-02-01"})
    assert ok.status_code == 201
    assert StageRecord.objects.filter(person=p).count() == 2
    other = Client()
    other.force_login(world.users[Role.COUNTY_ADMIN])
    assert (
        other.post(reverse("cadres:person_stage", args=[p.pk]), {"stage": "pool", "date": "2026-03-01"}).status_code
        == 404
    )
    assert StageRecord.objects.filter(person=p).count() == 2
