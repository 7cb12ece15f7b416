"""Retention (PIPL): the files of people who left are anonymised after the configured
years by a scheduled, change-logged command; names are gone, the statistics intact. A
person's own data is exported on request, logged with the purpose."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import (
    AccessLog,
    Enrolment,
    FriendContact,
    Person,
    PostHistory,
    Recommendation,
    ReserveReview,
)
from tongxin.cadres.services.retention import ANONYMOUS, due_for_anonymisation, people_anonymise
from tongxin.cadres.services.structure import structure_for
from tongxin.core.context import change_context
from tongxin.core.models import ObjectChange
from tongxin.testing import cadres
from tongxin.testing.factories import World

TODAY = date(2026, 11, 30)


def _changes(model: Any, pk: int) -> list[ObjectChange]:
    kind = ContentType.objects.get_for_model(model)
    return list(ObjectChange.objects.filter(changed_object_type=kind, changed_object_id=pk).order_by("pk"))


@pytest.fixture
def departed(world: World) -> dict[str, Person]:
    """Who left 6 years ago (due, 5 years by default), who left last year (not due), who
    is serving (never due); with a reserve history and a review on the first."""
    old = cadres.person(world.county, "林远航", status="reserve", birth_date=date(1971, 8, 9),
                        affiliation="js", education="doctorate", rank="division", expertise="水利工程")  # fmt: skip
    cadres.stage(old, "found", date(2018, 3, 5), note="林远航同志经基层推荐")
    cadres.stage(old, "removed", date(2019, 4, 6), reason="调离本县")
    ReserveReview.objects.create(person=old, date=date(2019, 1, 2), note="林远航年度考核称职")
    cadres.training_and_friends(old)  # an enrolment, a recommendation, a friend-making contact
    cadres.post(cadres.body(world.county, township=world.township), old)
    old.status, old.left_on = "left", date(2020, 7, 1)
    old.save()
    recent = cadres.person(world.county, "陈新", status="left", left_on=date(2026, 1, 1))
    serving = cadres.person(world.county, "王常在")
    return {"old": old, "recent": recent, "serving": serving}


def _stats(world: World) -> Any:
    s = structure_for(user=world.users[Role.CADRE_OFFICER], today=TODAY)
    return (s.totals, s.dimensions, s.bodies, s.years)


@pytest.mark.django_db
def test_anonymising_removes_names_and_keeps_the_statistics(world: World, departed: dict[str, Person]) -> None:
    """Only the file due is anonymised: name, file number, ID number, mobile, work unit
    and post, the exact birth date and every free text gone — also from the change log —;
    gender, birth year, education, affiliation, rank, field and the years kept, so the
    structure statistics are the same before and after."""
    old = departed["old"]
    assert [p.pk for p in due_for_anonymisation(TODAY)] == [old.pk]
    before = _stats(world)
    with change_context(source="command"):
        run = people_anonymise(today=TODAY)
    assert (run.years, run.due, run.anonymised) == (5, 1, 1)
    assert _stats(world) == before
    old.refresh_from_db()
    assert (old.name, old.code, old.resident_id, old.mobile, old.work_unit, old.post) == (
        ANONYMOUS, f"anon-{old.pk}", None, "", "", ""
    )  # fmt: skip
    assert (old.gender, old.birth_date, old.education, old.affiliation, old.rank, old.expertise) == (
        "male", date(1971, 1, 1), "doctorate", "js", "division", "水利工程"
    )  # fmt: skip
    assert old.anonymised_on == TODAY and old.left_on == date(2020, 1, 1)
    assert set(old.stages.values_list("note", "reason")) == {("", "")}
    assert list(old.stages.values_list("date", flat=True)) == [date(2018, 1, 1), date(2019, 1, 1)]
    assert list(old.reviews.values_list("note", flat=True)) == [""]
    assert set(PostHistory.objects.filter(person=old).values_list("work_unit", "post")) == {("", "")}
    # Training and friend-making rows keep their dates to the year and lose what was written.
    assert list(FriendContact.objects.filter(pair__person=old).values_list("topics", "concerns", "follow_up")) == [
        ("", "", "")
    ]
    assert all(c.date.month == 1 and c.date.day == 1 for c in FriendContact.objects.filter(pair__person=old))
    assert list(Recommendation.objects.filter(person=old).values_list("note", "recommended_by")) == [("", "")]
    assert list(Enrolment.objects.filter(person=old).values_list("certificate_number", flat=True)) == [""]
    # Nothing of the file is left in the history either.
    logged = json.dumps(
        [
            [c.object_repr, c.prechange_data, c.postchange_data]
            for model in (Person, PostHistory, ReserveReview, Enrolment, Recommendation, FriendContact)
            for c in ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(model))
        ],
        ensure_ascii=False,
    )
    assert "林远航" not in logged and "调离本县" not in logged and "1971-08-09" not in logged
    assert "陈新" in logged  # not due: untouched
    last = _changes(Person, old.pk)[-1]
    assert last.source == "command" and last.postchange_data["name"] == ANONYMOUS
    assert last.prechange_data["name"] == "(removed)"
    for other in (departed["recent"], departed["serving"]):
        other.refresh_from_db()
        assert other.anonymised_on is None and other.name in ("陈新", "王常在")


@pytest.mark.django_db
def test_the_command_is_audited_configurable_and_idempotent(
    world: World, departed: dict[str, Person], settings: Any
) -> None:
    """``anonymise_departed`` reports what it did; a dry run changes nothing; a second run
    finds nothing; a shorter period (the setting or ``--years``) reaches more files."""
    out = StringIO()
    call_command("anonymise_departed", "--today", "2026-11-30", "--dry-run", stdout=out)
    assert "1 files due, 0 anonymised" in out.getvalue()
    assert not Person.objects.filter(anonymised_on__isnull=False).exists()
    call_command("anonymise_departed", "--today", "2026-11-30", stdout=out)
    assert "1 files due, 1 anonymised" in out.getvalue()
    assert _changes(Person, departed["old"].pk)[-1].source == "command"
    again = StringIO()
    call_command("anonymise_departed", "--today", "2026-11-30", stdout=again)
    assert "0 files due" in again.getvalue()
    settings.TONGXIN = {**settings.TONGXIN, "CADRE_RETENTION_YEARS": 0}
    with pytest.raises(Exception, match="at least one year"):
        call_command("anonymise_departed", "--today", "2027-02-01")
    settings.TONGXIN = {**settings.TONGXIN, "CADRE_RETENTION_YEARS": 1}
    call_command("anonymise_departed", "--today", "2027-02-01", stdout=again)
    assert "1 files due, 1 anonymised" in again.getvalue()
    assert Person.objects.filter(anonymised_on__isnull=False).count() == 2


@pytest.mark.django_db
def test_the_retention_task_is_scheduled() -> None:
    """The daily scheduler enqueues the retention run (``RETENTION_AT``)."""
    from django.conf import settings

    from tongxin.cadres.tasks import anonymise_departed

    assert "tongxin.cadres.tasks.anonymise_departed" in settings.TONGXIN_SCHEDULE
    assert callable(anonymise_departed.enqueue)


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    return client


@pytest.mark.django_db
def test_a_persons_own_data_on_request(world: World, departed: dict[str, Person]) -> None:
    """The officer states a purpose and gets a workbook of everything held on the person —
    profile in full, posts, stages, reviews, who read the file —; the export is logged with
    the purpose; a blank purpose is refused; other roles get 404."""
    person = departed["serving"]
    cadres.training_and_friends(person)  # what training and friend-making hold on them too
    client = _officer(world)
    client.get(reverse("cadres:person_detail", args=[person.pk]))
    url = reverse("cadres:person_data", args=[person.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and b"subject-purpose" in asked.content
    assert client.get(url, {"purpose": "  "}).status_code == 400
    response = client.get(url, {"purpose": "本人书面申请查阅"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    import io

    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 9
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert "与王常在谈心" in cells  # the friend-making contact's topics
    assert "王常在" in cells and person.resident_id in cells and person.mobile in cells and "县农业农村局" in cells
    entry = AccessLog.objects.filter(kind=AccessKind.SUBJECT).get()
    assert (entry.person_id, entry.purpose) == (person.pk, "本人书面申请查阅")
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF):
        other = Client()
        other.force_login(world.users[role])
        assert other.get(url, {"purpose": "x"}).status_code == 404
    assert AccessLog.objects.filter(kind=AccessKind.SUBJECT).count() == 1
