"""Organisations serving society: organisation-level only (no link to a person, no
religion or ethnicity on any person record), scope by township, the dashboard and the
import of an existing activity list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.core.imports import Importer
from tongxin.platforms.forms import CharityActivityImportForm
from tongxin.platforms.models import CharityActivity, Organisation
from tongxin.platforms.models import charity as charity_models
from tongxin.platforms.tests.conftest import api_for, client_for, sheet
from tongxin.testing import platforms
from tongxin.testing.factories import World

BANNED = re.compile(r"ethnic|minzu|religio|faith|belief|民族|宗教|信仰", re.IGNORECASE)
PERSON_LABELS = {"cadres.Person", "accounts.User"}


def _charity_models() -> list[type[models.Model]]:
    return [
        model for model in apps.get_app_config("platforms").get_models() if model.__module__ == charity_models.__name__
    ]


def _is_person_model(model: type[models.Model]) -> bool:
    """A model that records a person: the cadre files, the users, anything linking to
    them, or anything with a birth date or a gender."""
    if model._meta.label in PERSON_LABELS:
        return True
    names = {field.name for field in model._meta.get_fields()}
    if names & {"birth_date", "gender", "resident_id"}:
        return True
    return any(
        field.is_relation and field.related_model is not None and field.related_model._meta.label in PERSON_LABELS
        for field in model._meta.get_fields()
        if not field.auto_created
    )


def test_no_model_of_the_charity_platform_links_to_a_person() -> None:
    """Organisation-level only: no field (or reverse relation) of the charity platform's
    models leads to a person — neither to a cadre file nor to a user."""
    found = _charity_models()
    assert {m.__name__ for m in found} == {"Organisation", "CharityActivity", "CharityEvent"}
    for model in found:
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None:
                continue
            assert not _is_person_model(related), (model.__name__, field.name, related._meta.label)


def test_no_person_record_anywhere_has_a_religion_or_ethnicity() -> None:
    """No person model of the project has a field named, labelled or described like a
    religion or an ethnicity."""
    people = [m for m in apps.get_models() if m.__module__.startswith("tongxin.") and _is_person_model(m)]
    assert {"cadres.Person", "accounts.User"} <= {m._meta.label for m in people}
    for model in people:
        for field in model._meta.get_fields():
            texts = [field.name, str(getattr(field, "verbose_name", "")), str(getattr(field, "help_text", ""))]
            assert not any(BANNED.search(text) for text in texts), (model._meta.label, field.name)


@pytest.mark.django_db
def test_township_staff_see_their_township_only(world: World) -> None:
    """Township staff list their township's organisations and activities (read only);
    the county sees both townships, never the other county."""
    own = platforms.organisation(world.county, world.township, name="东岳庙")
    sibling = platforms.organisation(world.county, world.township_b, name="西山寺")
    foreign = platforms.organisation(world.county2, world.township2, name="南山观")
    for org in (own, sibling, foreign):
        platforms.activity(org)
    town = client_for(world.users[Role.TOWNSHIP_STAFF])
    listing = town.get(reverse("platforms:organisation_list"))
    assert {o.pk for o in listing.context["filter"].qs} == {own.pk}
    assert town.get(reverse("platforms:organisation_add")).status_code == 404
    county = client_for(world.users[Role.COUNTY_STAFF])
    listing = county.get(reverse("platforms:charityactivity_list"))
    assert {a.organisation_id for a in listing.context["filter"].qs} == {own.pk, sibling.pk}
    assert county.get(foreign.get_absolute_url()).status_code == 404
    api = api_for(world.users[Role.TOWNSHIP_STAFF]).get("/api/platforms/charity/organisations/")
    assert [row["id"] for row in api.json()["results"]] == [own.pk]


@pytest.mark.django_db
def test_charity_dashboard_sums_amounts_and_beneficiaries(world: World) -> None:
    """Per kind: activities, amount and beneficiaries of the organisations in scope."""
    org = platforms.organisation(world.county, world.township)
    platforms.activity(org, kind="elderly", amount=1000, beneficiaries=10)
    platforms.activity(org, kind="elderly", amount=500, beneficiaries=5)
    platforms.activity(platforms.organisation(world.county2), kind="elderly", amount=9999, beneficiaries=99)
    page = client_for(world.users[Role.COUNTY_STAFF]).get(reverse("platforms:charity_dashboard"))
    kinds = {t.key: t for t in page.context["tables"]}["kinds"].rows
    assert [(r["activities"], r["amount"], r["beneficiaries"]) for r in kinds] == [(2, 1500, 15)]


@pytest.mark.django_db
def test_import_of_an_existing_activity_list(world: World) -> None:
    """Activities are imported by number, their organisation named by its registration
    number; an organisation of another county is refused and nothing is written."""
    staff = world.users[Role.COUNTY_STAFF]
    org = platforms.organisation(world.county, world.township, registration_number="330122-ZJ-0901")
    foreign = platforms.organisation(world.county2, registration_number="320115-ZJ-0001")
    header = ["code", "organisation", "kind", "title", "date", "amount", "beneficiaries"]
    rows: list[list[Any]] = [
        ["330122-CS-0901", org.registration_number, "relief", "冬季送温暖", "2026-01-10", 3000, 50]
    ]

    def run(data: list[list[Any]], *, dry_run: bool = False) -> Any:
        importer = Importer(model=CharityActivity, form_class=CharityActivityImportForm, key_field="code", user=staff)
        return importer.run(sheet(header, data), dry_run=dry_run)

    refused = run([*rows, ["330122-CS-0902", foreign.registration_number, "relief", "外县", "2026-01-11", 1, 1]])
    assert refused.errors and not CharityActivity.objects.exists()
    done = run(rows)
    assert done.ok and CharityActivity.objects.get().organisation == org
    assert Organisation.objects.count() == 2
