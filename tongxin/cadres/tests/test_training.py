"""Training (培养): the services (enrol, attendance, completion with a certificate,
recommendation), hours per person and year, the "not trained in the last N years" list
and its export, the compliance candidates' training hours — on the pages and the API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog, Enrolment, Person, Recommendation
from tongxin.cadres.services.compliance import compliance_report
from tongxin.cadres.services.training import (
    enrolment_attend,
    enrolment_complete,
    enrolment_enrol,
    hours_in_year,
    not_trained,
    person_hours_by_year,
    person_recommend,
)
from tongxin.core.exceptions import WorkflowError
from tongxin.core.models import ObjectChange
from tongxin.testing import cadres
from tongxin.testing.factories import World
from tongxin.testing.sheets import exported_sheet, table_rows


def _officer(world: World) -> Any:
    return world.users[Role.CADRE_OFFICER]


def _client(world: World) -> Client:
    client = Client()
    client.force_login(_officer(world))
    return client


@pytest.mark.django_db
def test_enrol_attend_complete_through_the_services(world: World) -> None:
    """Enrol once (not twice, not a retired person, not another county's); hours between 0
    and the course's; completion not before the start, a certificate needs its number,
    hours default to the course's; nothing after completion."""
    officer = _officer(world)
    course = cadres.course(world.county, hours=Decimal("40"))
    p = cadres.person(world.county)
    enrolment = enrolment_enrol(user=officer, course=course, person=p)
    with pytest.raises(WorkflowError):
        enrolment_enrol(user=officer, course=course, person=p)
    with pytest.raises(WorkflowError):
        enrolment_enrol(user=officer, course=course, person=cadres.person(world.county, status="retired"))
    with pytest.raises(Http404):  # the foreign person is not in scope
        enrolment_enrol(user=officer, course=course, person=cadres.person(world.county2))
    for hours in (Decimal("-1"), Decimal("40.5")):
        with pytest.raises(WorkflowError):
            enrolment_attend(user=officer, enrolment=enrolment, hours=hours)
    enrolment_attend(user=officer, enrolment=enrolment, hours=Decimal("36"))
    with pytest.raises(WorkflowError):
        enrolment_complete(user=officer, enrolment=enrolment, on=date(2026, 3, 1))  # before the start
    with pytest.raises(WorkflowError):
        enrolment_complete(user=officer, enrolment=enrolment, on=date(2026, 3, 6), certificate_date=date(2026, 3, 6))
    done = enrolment_complete(
        user=officer,
        enrolment=enrolment,
        on=date(2026, 3, 6),
        certificate_number=" 2026-001 ",
        certificate_date=date(2026, 3, 6),
    )
    assert (done.status, done.hours_attended, done.certificate_number) == ("completed", Decimal("36"), "2026-001")
    with pytest.raises(WorkflowError):
        enrolment_complete(user=officer, enrolment=done, on=date(2026, 3, 7))
    other = enrolment_complete(
        user=officer,
        enrolment=enrolment_enrol(user=officer, course=course, person=cadres.person(world.county)),
        on=date(2026, 3, 6),
    )
    assert other.hours_attended == Decimal("40")  # attendance not recorded: the course's hours


@pytest.mark.django_db
def test_pages_take_the_steps_and_they_are_audited(world: World, settings: Any, tmp_path: Path) -> None:
    """Enrol on the course page, attendance and completion (with a certificate file) on the
    enrolment page; each write is in the change log under the officer's name; the file is
    served through the policy (and the read logged), to nobody else."""
    settings.MEDIA_ROOT = tmp_path
    client = _client(world)
    course = cadres.course(world.county)
    p = cadres.person(world.county, "周敏")
    page = client.get(reverse("cadres:course_detail", args=[course.pk]))
    assert page.status_code == 200 and b'data-testid="enrol-form"' in page.content
    assert client.post(reverse("cadres:course_enrol", args=[course.pk]), {"person": p.pk}).status_code == 302
    enrolment = Enrolment.objects.get(course=course, person=p)
    client.post(reverse("cadres:enrolment_attend", args=[enrolment.pk]), {"hours": "38.5"})
    pdf = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 certificate", content_type="application/pdf")
    response = client.post(
        reverse("cadres:enrolment_complete", args=[enrolment.pk]),
        {
            "on": "2026-03-06",
            "certificate_number": "浙社院2026-17",
            "certificate_date": "2026-03-06",
            "certificate_file": pdf,
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.hours_attended, enrolment.certificate_number) == (
        "completed",
        Decimal("38.5"),
        "浙社院2026-17",
    )
    changes = ObjectChange.objects.filter(changed_object_id=enrolment.pk, object_repr=str(enrolment))
    assert changes.count() == 3 and set(changes.values_list("user", flat=True)) == {_officer(world).pk}
    AccessLog.objects.all().delete()
    file = client.get(reverse("cadres:enrolment_certificate", args=[enrolment.pk]))
    assert file.status_code == 200 and b"".join(file.streaming_content) == b"%PDF-1.4 certificate"  # type: ignore[attr-defined]
    assert list(AccessLog.objects.values_list("person", "kind")) == [(p.pk, "page")]
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.PROVINCE_STAFF):
        other = Client()
        other.force_login(world.users[role])
        assert other.get(reverse("cadres:enrolment_certificate", args=[enrolment.pk])).status_code == 404


@pytest.mark.django_db
def test_bad_input_on_the_pages_writes_nothing(world: World, settings: Any, tmp_path: Path) -> None:
    """Nonsense hours, dates and files, another county's person: a message, never a 500,
    nothing written."""
    settings.MEDIA_ROOT = tmp_path
    client = _client(world)
    course = cadres.course(world.county)
    enrolment = cadres.enrolment(course, cadres.person(world.county))
    foreign = cadres.person(world.county2)
    assert client.post(reverse("cadres:course_enrol", args=[course.pk]), {"person": foreign.pk}).status_code == 302
    assert client.post(reverse("cadres:course_enrol", args=[course.pk]), {"person": "x"}).status_code == 302
    for hours in ("abc", "-3", "99999", ""):
        assert client.post(reverse("cadres:enrolment_attend", args=[enrolment.pk]), {"hours": hours}).status_code == 302
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    for data in ({"on": "never"}, {"on": "2026-03-06", "certificate_file": exe}, {"on": "2020-01-01"}):
        assert client.post(reverse("cadres:enrolment_complete", args=[enrolment.pk]), data).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.hours_attended, enrolment.certificate_file.name) == ("enrolled", None, "")
    assert Enrolment.objects.count() == 1
    p = cadres.person(world.county)
    assert (
        client.post(reverse("cadres:person_recommend", args=[p.pk]), {"college": "mars", "on": "x"}).status_code == 302
    )
    assert not Recommendation.objects.exists()
    assert client.get(reverse("cadres:training_hours"), {"year": "abc"}).status_code == 400
    for years in ("abc", "0", "-1", "999"):
        assert client.get(reverse("cadres:not_trained"), {"years": years}).status_code == 400
    assert client.get(reverse("cadres:not_trained_export"), {"years": "x", "purpose": "统计"}).status_code == 400
    assert client.get(reverse("cadres:enrolment_list"), {"status": "nope"}).status_code == 400


@pytest.mark.django_db
def test_recommendation_is_recorded_on_the_person_page(world: World) -> None:
    client = _client(world)
    p = cadres.person(world.county, "陈静")
    data = {"college": "province_college", "on": "2026-04-01", "recommended_by": " 县委 统战部 ", "note": ""}
    assert client.post(reverse("cadres:person_recommend", args=[p.pk]), data).status_code == 302
    (item,) = Recommendation.objects.all()
    assert (item.person, item.college, item.recommended_by, item.outcome) == (
        p,
        "province_college",
        "县委 统战部",
        "pending",
    )
    page = client.get(reverse("cadres:person_detail", args=[p.pk]))
    assert "县委 统战部" in page.content.decode() and b'data-testid="recommend-form"' in page.content
    with pytest.raises(WorkflowError):
        person_recommend(
            user=_officer(world), person=p, college="city_college", on=date(2026, 1, 1), recommended_by=" "
        )


@pytest.mark.django_db
def test_hours_per_person_and_year(world: World) -> None:
    """Hours attended count in the year their course ends; withdrawn enrolments and
    unrecorded attendance count nothing."""
    p = cadres.person(world.county, "林涛")
    q = cadres.person(world.county, "许文")
    c2025 = cadres.course(world.county, start=date(2025, 12, 29), end=date(2026, 1, 2), hours=Decimal("30"))
    c2025b = cadres.course(world.county, start=date(2025, 5, 1), end=date(2025, 5, 3), hours=Decimal("24"))
    c2026 = cadres.course(world.county, start=date(2026, 4, 1), end=date(2026, 4, 3), hours=Decimal("24"))
    withdrawn = cadres.course(world.county, start=date(2026, 5, 1), end=date(2026, 5, 3), hours=Decimal("10"))
    cadres.enrolment(c2025, p, hours_attended=Decimal("28"))
    cadres.enrolment(c2025b, p, hours_attended=Decimal("20.5"))
    cadres.enrolment(c2026, p)  # attendance not recorded
    cadres.enrolment(withdrawn, p, hours_attended=Decimal("10"), status="withdrawn")
    cadres.enrolment(c2026, q, hours_attended=Decimal("24"))
    assert person_hours_by_year(p) == [(2026, Decimal("28")), (2025, Decimal("20.5"))]
    people = Person.objects.filter(pk__in=[p.pk, q.pk]).order_by("pk")
    assert [(x.name, x.hours) for x in hours_in_year(people, 2026)] == [
        ("林涛", Decimal("28")),
        ("许文", Decimal("24")),
    ]
    assert [(x.name, x.hours) for x in hours_in_year(people, 2025)] == [
        ("林涛", Decimal("20.5")),
        ("许文", Decimal("0")),
    ]
    client = _client(world)
    page = client.get(reverse("cadres:training_hours"), {"year": 2025})
    assert [(x.name, x.hours) for x in page.context["rows"]] == [("林涛", Decimal("20.5"))]
    profile = client.get(reverse("cadres:person_detail", args=[p.pk]))
    assert profile.context["hours_by_year"] == [(2026, Decimal("28")), (2025, Decimal("20.5"))]


@pytest.fixture
def trained(world: World) -> dict[str, Person]:
    """A: completed a course ending 2024-05-03; B: completed one ending 2021-01-03; C:
    never enrolled; D: retired; E: enrolled in 2025, not completed; F: another county."""
    people = {k: cadres.person(world.county, f"人员{k}") for k in "ABCE"}
    people["D"] = cadres.person(world.county, "人员D", status="retired")
    people["F"] = cadres.person(world.county2, "人员F")
    for key, end, status in (
        ("A", date(2024, 5, 3), "completed"),
        ("B", date(2021, 1, 3), "completed"),
        ("E", date(2025, 5, 3), "enrolled"),
    ):
        course = cadres.course(world.county, start=end - timedelta(days=2), end=end)
        cadres.enrolment(course, people[key], status=status, completed_on=end if status == "completed" else None)
    return people


@pytest.mark.django_db
def test_not_trained_in_the_last_years(world: World, trained: dict[str, Person]) -> None:
    """On 2026-06-01: 3 years back is 2023-06-01 (A trained; B, C, E not); 5 years back is
    2021-06-01 (B still not); 6 years back is 2020-06-01 (B trained). Retired people and
    other counties are never listed."""
    officer = _officer(world)
    today = date(2026, 6, 1)

    def names(years: int) -> list[str]:
        return [p.name for p in not_trained(user=officer, years=years, today=today)]

    assert names(3) == ["人员B", "人员C", "人员E"]
    assert names(5) == ["人员B", "人员C", "人员E"]
    assert names(6) == ["人员C", "人员E"]
    rows = {p.name: p.last_trained for p in not_trained(user=officer, years=3, today=today)}  # type: ignore[attr-defined]
    assert rows == {"人员B": date(2021, 1, 3), "人员C": None, "人员E": None}


@pytest.mark.django_db
def test_not_trained_page_and_export(world: World, trained: dict[str, Person]) -> None:
    """The page defaults to 3 years; the export asks for a purpose, is logged with it (one
    row, how many people) and holds the page's people."""
    client = _client(world)
    page = client.get(reverse("cadres:not_trained"))
    assert page.status_code == 200 and page.context["years"] == 3
    listed = {p.name for p in page.context["rows"]}
    assert {"人员B", "人员C", "人员E"} <= listed and not listed & {"人员D", "人员F"}
    ask = client.get(reverse("cadres:not_trained_export"), {"years": 3})
    assert ask.status_code == 200 and b'data-testid="export-purpose"' in ask.content
    assert client.get(reverse("cadres:not_trained_export"), {"years": 3, "purpose": "  "}).status_code == 400
    assert not AccessLog.objects.exists()
    export = client.get(reverse("cadres:not_trained_export"), {"years": 3, "purpose": "年度培训计划"})
    assert export.status_code == 200
    sheet = table_rows(exported_sheet(export.getvalue()))
    assert {row[1] for row in sheet[1:]} == listed
    (entry,) = AccessLog.objects.all()
    assert (entry.kind, entry.count, entry.purpose) == ("export", len(listed), "年度培训计划")


@pytest.mark.django_db
def test_candidates_score_real_training_hours(world: World) -> None:
    """A reserve candidate's training hours of the last three years count in the fit."""
    cadres.rule(world.county)
    cadres.body(world.county, township=world.township, name="分水镇班子")
    reserve = cadres.person(world.county, "赵丽", status="reserve")
    today = timezone.localdate()
    course = cadres.course(world.county, start=today - timedelta(days=40), end=today - timedelta(days=36))
    cadres.enrolment(course, reserve, hours_attended=Decimal("40"), status="completed", completed_on=course.end)
    (report,) = compliance_report(user=_officer(world))
    (candidate,) = report.gaps[0].candidates
    training = [r for r in candidate.reasons if r.code == "training"]
    assert [(r.points, r.value) for r in training] == [(10.0, "40")]


@pytest.mark.django_db
def test_training_api(world: World) -> None:
    """Courses are created and changed; enrolments go through the services (create, attend,
    complete), wrong input is a 400 and writes nothing; a read of an enrolment is logged."""
    api = APIClient()
    api.force_authenticate(_officer(world))
    course = {
        "name": "县社院专题班",
        "kind": "county_college",
        "organiser": "县社会主义学院",
        "county": world.county.pk,
    }
    created = api.post("/api/cadres/courses/", {**course, "start": "2026-03-02", "end": "2026-03-06", "hours": "40"})
    assert created.status_code == 201, created.content
    bad = api.post("/api/cadres/courses/", {**course, "start": "2026-03-06", "end": "2026-03-02", "hours": "-4"})
    assert bad.status_code == 400
    p = cadres.person(world.county)
    foreign = cadres.person(world.county2)
    course_id = created.json()["id"]
    assert api.post("/api/cadres/enrolments/", {"course": course_id, "person": foreign.pk}).status_code == 400
    enrolled = api.post("/api/cadres/enrolments/", {"course": course_id, "person": p.pk})
    assert enrolled.status_code == 201, enrolled.content
    assert api.post("/api/cadres/enrolments/", {"course": course_id, "person": p.pk}).status_code == 400
    pk = enrolled.json()["id"]
    for hours in ("abc", "-1", "41"):
        assert api.post(f"/api/cadres/enrolments/{pk}/attend/", {"hours": hours}).status_code == 400
    assert api.post(f"/api/cadres/enrolments/{pk}/attend/", {"hours": "30"}).json()["hours_attended"] == "30.0"
    assert api.post(f"/api/cadres/enrolments/{pk}/complete/", {"on": "someday"}).status_code == 400
    done = api.post(f"/api/cadres/enrolments/{pk}/complete/", {"on": "2026-03-06", "certificate_number": "A-1"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert api.patch(f"/api/cadres/enrolments/{pk}/", {"status": "enrolled"}, format="json").status_code == 405
    AccessLog.objects.all().delete()
    detail = api.get(f"/api/cadres/enrolments/{pk}/")
    assert detail.status_code == 200 and p.resident_id not in detail.content.decode()
    assert list(AccessLog.objects.values_list("person", "kind")) == [(p.pk, "api")]
