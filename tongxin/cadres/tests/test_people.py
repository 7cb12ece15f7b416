"""Person files: identifiers validated on every path, masked on every path, every read
logged; the roster import; no ethnicity or religion anywhere."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import AccessKind
from tongxin.cadres.forms import PersonImportForm
from tongxin.cadres.models import AccessLog, Person
from tongxin.cadres.models.people import PERSON_PERMISSIONS
from tongxin.core.imports import Importer
from tongxin.core.models import ObjectChange
from tongxin.core.scope import ALL, RolePermissions
from tongxin.testing.cadres import person, resident_id
from tongxin.testing.factories import World
from tongxin.testing.sheets import exported_sheet, table_rows


@pytest.fixture
def officer(world: World) -> Any:
    return world.users[Role.CADRE_OFFICER]


@pytest.fixture
def client(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


@pytest.fixture
def api(officer: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(officer)
    return c


@pytest.fixture
def without_unmask(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cadre officer who may read files but not unmask them."""
    monkeypatch.setattr(
        Person, "permissions", RolePermissions({Role.CADRE_OFFICER: ALL}, workflow=frozenset({"unmask", "advance"}))
    )


def test_no_ethnicity_or_religion_anywhere() -> None:
    """No field of any model of the app is named or labelled like ethnicity or religion."""
    banned = re.compile(r"ethnic|nation|minzu|religio|faith|belief|民族|宗教|信仰", re.IGNORECASE)
    for model in apps.get_app_config("cadres").get_models():
        for field in model._meta.get_fields():
            texts = [field.name, str(getattr(field, "verbose_name", "")), str(getattr(field, "help_text", ""))]
            assert not any(banned.search(text) for text in texts), (model, field.name)
    assert "unmask" in PERSON_PERMISSIONS.workflow


@pytest.mark.django_db
def test_resident_id_must_agree_with_birth_date_and_gender(world: World) -> None:
    """A valid ID number is stored normalised; an invalid one, or one whose birth date or
    gender differs from the file's, is refused by the model (so by every path)."""
    good = resident_id(world.county, date(1985, 3, 1), male=False, sequence=7)
    p = Person(
        code="X-1", name="甲", gender="female", birth_date=date(1985, 3, 1), education="master",
        affiliation="cdl", county=world.county, resident_id=good.lower(), mobile="13900000001",
    )  # fmt: skip
    p.full_clean()
    assert p.resident_id == good and p.mobile == "13900000001"
    p.gender = "male"
    with pytest.raises(ValidationError) as caught:
        p.full_clean()
    assert set(caught.value.message_dict) == {"gender"}
    p.gender, p.birth_date = "female", date(1985, 3, 2)
    with pytest.raises(ValidationError) as caught:
        p.full_clean()
    assert set(caught.value.message_dict) == {"birth_date"}
    p.birth_date, p.resident_id = date(1985, 3, 1), good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        p.full_clean()
    assert set(caught.value.message_dict) == {"resident_id"}


@pytest.mark.django_db
def test_api_refuses_an_inconsistent_id_number(world: World, api: APIClient) -> None:
    """The API runs the same rule: 400 with the field's error, nothing written."""
    born = date(1990, 6, 15)
    payload = {
        "code": "330122-9001", "name": "乙", "gender": "female", "birth_date": "1990-06-15",
        "education": "bachelor", "affiliation": "js", "county": world.county.pk,
        "resident_id": resident_id(world.county, born, male=True),
    }  # fmt: skip
    response = api.post("/api/cadres/people/", payload, format="json")
    assert response.status_code == 400 and "gender" in response.json()
    assert not Person.objects.filter(code="330122-9001").exists()
    payload["gender"] = "male"
    assert api.post("/api/cadres/people/", payload, format="json").status_code == 201


@pytest.mark.django_db
def test_identifiers_are_masked_on_page_api_export_and_history(world: World, client: Client, api: APIClient) -> None:
    """The full ID number and mobile appear on no page, API answer, export or change log;
    their masked forms do."""
    p = person(world.county)
    full_id, full_mobile = p.resident_id, p.mobile
    assert full_id and full_mobile
    masked_id = full_id[:6] + "********" + full_id[14:]
    masked_mobile = full_mobile[:3] + "****" + full_mobile[-4:]
    page = client.get(reverse("cadres:person_detail", args=[p.pk])).content.decode()
    listing = client.get(reverse("cadres:person_list")).content.decode()
    edit = client.get(reverse("cadres:person_edit", args=[p.pk])).content.decode()
    history = client.get(reverse("cadres:person_history", args=[p.pk])).content.decode()
    detail = api.get(f"/api/cadres/people/{p.pk}/").json()
    api_list = api.get("/api/cadres/people/").content.decode()
    export = client.get(reverse("cadres:person_export"), {"purpose": "统计"})
    cells = " ".join(str(c) for row in table_rows(exported_sheet(export.getvalue())) for c in row)
    for text in (page, listing, edit, api_list, cells):
        assert full_id not in text and full_mobile not in text
        assert masked_id in text and masked_mobile in text
    assert full_id not in history and full_mobile not in history
    assert (detail["resident_id"], detail["mobile"]) == (masked_id, masked_mobile)
    logged = ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(Person), changed_object_id=p.pk
    )
    assert logged.postchange_data["resident_id"] == masked_id
    assert logged.postchange_data["mobile"] == masked_mobile


@pytest.mark.django_db
def test_saving_the_masked_values_keeps_the_identifiers(world: World, client: Client, api: APIClient) -> None:
    """The edit form and a PUT of what the API answered carry the masked values; saving
    them changes nothing of the stored identifiers."""
    p = person(world.county)
    full_id, full_mobile = p.resident_id, p.mobile
    detail = api.get(f"/api/cadres/people/{p.pk}/").json()
    detail["post"] = "局长"
    assert api.put(f"/api/cadres/people/{p.pk}/", detail, format="json").status_code == 200
    p.refresh_from_db()
    assert (p.post, p.resident_id, p.mobile) == ("局长", full_id, full_mobile)
    form = client.get(reverse("cadres:person_edit", args=[p.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["birth_date"] = p.birth_date.isoformat()
    data["work_unit"] = "县科技局"
    response = client.post(reverse("cadres:person_edit", args=[p.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    p.refresh_from_db()
    assert (p.work_unit, p.resident_id, p.mobile) == ("县科技局", full_id, full_mobile)


@pytest.mark.django_db
def test_every_read_is_logged(world: World, client: Client, api: APIClient, officer: Any) -> None:
    """A page view, an API detail read, an unmask and an export each leave an access-log
    row: who, which person (how many for an export) and the export's purpose."""
    p = person(world.county)
    person(world.county)
    client.get(reverse("cadres:person_detail", args=[p.pk]))
    api.get(f"/api/cadres/people/{p.pk}/")
    unmasked = api.post(f"/api/cadres/people/{p.pk}/unmask/").json()
    assert unmasked == {"resident_id": p.resident_id, "mobile": p.mobile}
    client.get(reverse("cadres:person_export"), {"purpose": "换届考察"})
    log = list(AccessLog.objects.order_by("pk").values_list("kind", "person_id", "count", "purpose", "user_id"))
    assert log == [
        (AccessKind.PAGE, p.pk, 1, "", officer.pk),
        (AccessKind.API, p.pk, 1, "", officer.pk),
        (AccessKind.UNMASK, p.pk, 1, "", officer.pk),
        (AccessKind.EXPORT, None, 2, "换届考察", officer.pk),
    ]
    report = client.get(reverse("cadres:accesslog_list")).content.decode()
    assert "换届考察" in report


@pytest.mark.django_db
def test_export_asks_for_a_purpose(world: World, client: Client) -> None:
    """Without a purpose the export shows a form and logs nothing; a blank purpose is 400."""
    person(world.county)
    asked = client.get(reverse("cadres:person_export"))
    assert asked.status_code == 200 and b"export-purpose" in asked.content
    assert client.get(reverse("cadres:person_export"), {"purpose": "  "}).status_code == 400
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_unmasked_export_only_with_the_right(world: World, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking for full identifiers in an export: holders of the right get them (logged as
    an unmask too); others are refused (403) and nothing is logged."""
    p = person(world.county)
    response = client.get(reverse("cadres:person_export"), {"purpose": "核对", "unmask": "on"})
    cells = " ".join(str(c) for row in table_rows(exported_sheet(response.getvalue())) for c in row)
    assert p.resident_id in cells and p.mobile in cells
    assert set(AccessLog.objects.values_list("kind", flat=True)) == {AccessKind.EXPORT, AccessKind.UNMASK}
    AccessLog.objects.all().delete()
    monkeypatch.setattr(
        Person, "permissions", RolePermissions({Role.CADRE_OFFICER: ALL}, workflow=frozenset({"unmask", "advance"}))
    )
    assert client.get(reverse("cadres:person_export"), {"purpose": "核对", "unmask": "on"}).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("without_unmask")
def test_unmask_needs_the_right(world: World, client: Client, api: APIClient) -> None:
    """Someone who may read a file but holds no unmask right is refused (403) on the page
    and the API, and nothing is logged as unmasked; no unmask button is shown."""
    p = person(world.county)
    assert client.post(reverse("cadres:person_unmask", args=[p.pk])).status_code == 403
    assert api.post(f"/api/cadres/people/{p.pk}/unmask/").status_code == 403
    assert not AccessLog.objects.filter(kind=AccessKind.UNMASK).exists()
    page = client.get(reverse("cadres:person_detail", args=[p.pk]))
    assert not page.context["can_unmask"] and b'data-testid="unmask"' not in page.content


def _roster(rows: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["code", "name", "gender", "birth_date", "education", "affiliation", "county", "resident_id"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_roster_import_dry_run_row_errors_all_or_nothing(world: World, officer: Any) -> None:
    """A roster with one bad row (ID number against the gender) writes nothing and names
    the row; a dry run of a good one writes nothing; the real run writes every row; a row
    of another county is refused."""
    c = world.county
    born = date(1975, 5, 5)
    good = [
        ["330122-5001", "甲", "male", "1975-05-05", "bachelor", "non_party", c.code, resident_id(c, born, male=True)],
        ["330122-5002", "乙", "female", "1980-01-01", "master", "cdl", c.code, ""],
    ]
    bad = [*good, ["330122-5003", "丙", "female", "1975-05-05", "master", "js", c.code, resident_id(c, born)]]

    def run(rows: list[list[Any]], *, dry_run: bool) -> Any:
        importer = Importer(model=Person, form_class=PersonImportForm, key_field="code", user=officer)
        return importer.run(_roster(rows), dry_run=dry_run)

    failed = run(bad, dry_run=False)
    assert len(failed.errors) == 1 and "4" in failed.errors[0]
    assert not Person.objects.exists()
    checked = run(good, dry_run=True)
    assert checked.ok and not Person.objects.exists()
    done = run(good, dry_run=False)
    assert done.ok and done.created == 2
    assert set(Person.objects.values_list("code", flat=True)) == {"330122-5001", "330122-5002"}
    foreign = run(
        [["320115-0001", "丁", "male", "1970-01-01", "bachelor", "js", world.county2.code, ""]], dry_run=False
    )
    assert foreign.errors and not Person.objects.filter(code="320115-0001").exists()
