"""The change log in people's words: labels, choice labels, names, local dates, sentences."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tongxin.accounts.choices import Role
from tongxin.core.context import change_context
from tongxin.core.history import describe_change, describe_changes
from tongxin.core.models import ObjectChange
from tongxin.regions.models import Village
from tongxin.surveys.models import Survey
from tongxin.testing.factories import World


def _change(model: type[Any], before: dict[str, Any], after: dict[str, Any]) -> ObjectChange:
    return ObjectChange(
        changed_object_type=ContentType.objects.get_for_model(model),
        changed_object_id=1,
        action="update",
        prechange_data=before,
        postchange_data=after,
    )


def _village_change(world: World) -> ObjectChange:
    return _change(
        Village,
        {
            "township_id": world.township.pk,
            "urban_rural": "111",
            "needs": [],
            "party_secretary": "王芳",
            "version": 1,
        },
        {
            "township_id": world.township_b.pk,
            "urban_rural": "112",
            "needs": ["capital", "marketing"],
            "party_secretary": "",
            "version": 2,
        },
    )


@pytest.mark.django_db
def test_fk_choice_m2m_blank_in_chinese(world: World) -> None:
    """In Chinese (the default): field labels, the township by name, the choice label, the
    needs by label joined with 、, a cleared field; no key, id, code or Python list."""
    with translation.override("zh-hans"):
        rows = {row.label: row for row in describe_change(_village_change(world))}
        text = " ".join(row.sentence for row in rows.values())
    assert len(rows) == 4
    township = rows["乡镇"]
    assert (township.kind, township.before, township.after) == ("changed", "分水镇", "横村镇")
    assert (rows[next(k for k in rows if "111 主城区" in rows[k].before)].after) == "112 城乡结合区"
    needs = rows["薄弱环节/需求"]
    assert (needs.kind, needs.after) == ("set", "资金、市场对接与销售")
    assert rows["党支部书记"].kind == "cleared" and rows["党支部书记"].before == "王芳"
    for raw in ("township_id", "urban_rural", "capital", "["):
        assert raw not in text
    assert "version" not in text and "版本" not in rows


@pytest.mark.django_db
def test_fk_choice_m2m_blank_in_english(world: World) -> None:
    """In English: capitalised labels, ", " between list items and the three sentence forms."""
    with translation.override("en"):
        rows = {row.label: row for row in describe_change(_village_change(world))}
        sentences = [row.sentence for row in rows.values()]
    assert "Changed Township from 分水镇 to 横村镇" in sentences
    assert "Changed Urban–rural code from 111 City core to 112 Urban–rural fringe" in sentences
    assert "Set Weak links / needs to Funding, Market access and sales" in sentences
    assert "Cleared Party branch secretary" in sentences


@pytest.mark.django_db
def test_date_is_formatted_by_the_locale(world: World) -> None:
    """A date field reads as a date of the language, not an ISO string."""
    change = _change(Survey, {"date": "2026-05-01"}, {"date": "2026-11-29"})
    with translation.override("zh-hans"):
        (row,) = describe_change(change)
        assert (row.label, row.before, row.after) == ("日期", "2026年5月1日", "2026年11月29日")
    with translation.override("en"):
        (row,) = describe_change(change)
        assert row.sentence == "Changed Date from May 1, 2026 to Nov. 29, 2026"


@pytest.mark.django_db
def test_related_names_are_read_once_per_model(world: World, django_assert_num_queries: Any) -> None:
    """Describing many records reads each related model once (township, capability), not per row."""
    changes = [_village_change(world) for _ in range(20)]
    ContentType.objects.get_for_model(Village)  # warm the content type cache
    with django_assert_num_queries(2):
        described = describe_changes(changes)
    assert all(len(rows) == 4 for rows in described)


def _edit_many(village: Village, world: World, times: int) -> None:
    townships = [world.township, world.township_b]
    for n in range(times):
        with change_context(source="system"):
            village.township = townships[n % 2]
            village.party_secretary = f"书记{n}"
            village.save()
            village.needs.set(["capital"] if n % 2 else ["marketing"])


def _history_queries(client: Client, village: Village) -> tuple[int, str]:
    url = reverse("regions:village_history", args=[village.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_history_page_words_and_query_count(world: World) -> None:
    """The history page shows sentences with names and full names, and its query count does
    not grow with the number of changes (pinned)."""
    client = Client()
    staff = world.users[Role.COUNTY_STAFF]
    staff.full_name = "赵敏"
    staff.save()
    client.force_login(staff)
    village = world.village
    _edit_many(village, world, 3)
    few, _html = _history_queries(client, village)
    _edit_many(village, world, 30)
    many, html = _history_queries(client, village)
    assert many == few, (few, many)
    assert many <= 20, many
    assert "横村镇" in html and "township_id" not in html and "['" not in html


@pytest.mark.django_db
def test_history_page_names_the_person(world: World) -> None:
    """The person who made a change is shown by full name, else by login name."""
    client = Client()
    staff = world.users[Role.TOWNSHIP_STAFF]
    staff.full_name = "李娜"
    staff.save()
    client.force_login(staff)
    village = world.village
    response = client.post(
        reverse("regions:village_edit", args=[village.pk]),
        {
            "township": village.township_id,
            "code": village.code,
            "name": "东溪新村",
            "urban_rural": village.urban_rural,
            "population": village.population,
            "households": village.households,
            "area_km2": "3.5",
            "per_capita_income": 20000,
            "collective_income": 100000,
            "industries": "茶叶",
            "needs": ["capital"],
            "advantages": ["forest"],
            "party_members": 30,
            "version": village.version,
        },
    )
    assert response.status_code == 302, response.content
    html = client.get(reverse("regions:village_history", args=[village.pk])).content.decode()
    assert "李娜" in html and "东溪新村" in html
    assert "from 0 to 20,000" in html or "从0改为20,000" in html
    assert "20000" not in html


@pytest.mark.django_db
def test_history_page_keeps_scope(world: World) -> None:
    """Out of scope stays 404: a township cadre cannot read another township's history."""
    client = Client()
    client.force_login(world.users[Role.TOWNSHIP_STAFF])
    assert client.get(reverse("regions:village_history", args=[world.village_b.pk])).status_code == 404


@pytest.mark.django_db
def test_survey_card_figures_in_words(world: World) -> None:
    """Survey cards show figures by the profile's labels with grouped numbers, not raw keys."""
    survey = Survey.objects.filter(village=world.village).get()
    survey.figures = {"population": 1200, "per_capita_income_yuan": 23500}
    survey.save()
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    html = client.get(world.village.get_absolute_url()).content.decode()
    assert "per_capita_income_yuan" not in html and "population=" not in html
    assert "1,200" in html and "23,500" in html
    with translation.override("en"):
        assert survey.figure_items()[0] == ("Population", "1,200")
    assert survey.date == date(2026, 5, 1)


def test_timeline_names_stages_and_statuses_not_codes() -> None:
    """A timeline event's stage or pair status reads by its label, never its English code."""
    from tongxin.pairing.choices import EventKind
    from tongxin.pairing.models import CampaignEvent

    stage = CampaignEvent(kind=EventKind.STAGE_CHANGED, data={"before": "selection", "after": "matching"})
    status = CampaignEvent(kind=EventKind.REOPENED, data={"after": "township_approved"})
    with translation.override("en"):
        assert (stage.before_label, stage.after_label) == ("Selection open", "Matching")
        assert status.after_label == "Approved by the township"
    with translation.override("zh-hans"):
        assert "matching" not in stage.after_label and "township_approved" not in status.after_label
    assert CampaignEvent(kind=EventKind.REOPENED, data={}).after_label == ""
