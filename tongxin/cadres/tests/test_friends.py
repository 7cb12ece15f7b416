"""Making friends (交友): the due date and overdue rule against hand-computed dates (pure
and in the database), the per-leader and county views, the inbox item of the county's
cadre officers, contacts and pairs on the pages and the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres import friendship
from tongxin.cadres.models import AccessLog, FriendContact, FriendPair
from tongxin.cadres.services.friends import county_view, overdue_pairs, overdue_summary, pair_states
from tongxin.inbox.services.items import inbox
from tongxin.testing import cadres
from tongxin.testing.factories import World


@pytest.mark.parametrize(
    ("last", "months", "due", "last_fine_day"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28), date(2026, 2, 28)),  # a shorter month
        (date(2026, 3, 15), 1, date(2026, 4, 15), date(2026, 4, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28), date(2026, 2, 28)),
        (date(2025, 12, 31), 3, date(2026, 3, 31), date(2026, 3, 31)),
        (date(2025, 8, 31), 6, date(2026, 2, 28), date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28), date(2025, 2, 28)),  # from a leap day
        (date(2025, 7, 1), 12, date(2026, 7, 1), date(2026, 7, 1)),
    ],
)
def test_due_and_overdue_by_hand(last: date, months: int, due: date, last_fine_day: date) -> None:
    """Due ``months`` after the last contact; still fine on the due day, overdue the next."""
    assert friendship.due_date(last, months) == due
    assert not friendship.is_overdue(last, months, last_fine_day)
    assert friendship.is_overdue(last, months, last_fine_day + timedelta(days=1))


@pytest.fixture
def pairs(world: World) -> dict[str, FriendPair]:
    """Four pairs of one leader, judged on 2026-03-01:
    monthly, last contact 2026-01-31 → due 2026-02-28: overdue;
    quarterly, last contact 2025-12-01 → due 2026-03-01: not overdue;
    half-yearly, no contact, paired 2025-08-31 → due 2026-02-28: overdue;
    yearly, ended 2026-01-01 (no contact): never overdue.
    A foreign pair (county 2), overdue, is nobody's here."""
    leader = cadres.leader(world.county, "王建国")
    p = {
        "monthly": cadres.friend_pair(leader, cadres.person(world.county, "甲"), frequency="monthly"),
        "quarterly": cadres.friend_pair(leader, cadres.person(world.county, "乙"), frequency="quarterly"),
        "half": cadres.friend_pair(
            leader, cadres.person(world.county, "丙"), frequency="half_yearly", since=date(2025, 8, 31)
        ),
        "ended": cadres.friend_pair(
            leader, cadres.person(world.county, "丁"), frequency="yearly", ended=date(2026, 1, 1)
        ),
    }
    cadres.contact(p["monthly"], date(2025, 12, 20))
    cadres.contact(p["monthly"], date(2026, 1, 31))
    cadres.contact(p["quarterly"], date(2025, 12, 1), form="visit")
    foreign = cadres.friend_pair(cadres.leader(world.county2), cadres.person(world.county2), frequency="monthly")
    p["foreign"] = foreign
    return p


TODAY = date(2026, 3, 1)


@pytest.mark.django_db
def test_overdue_pairs_in_the_database_agree_with_the_hand(world: World, pairs: dict[str, FriendPair]) -> None:
    officer = world.users[Role.CADRE_OFFICER]
    overdue = set(overdue_pairs(user=officer, today=TODAY).values_list("pk", flat=True))
    assert overdue == {pairs["monthly"].pk, pairs["half"].pk}
    assert overdue_summary(user=officer, today=TODAY) == (2, date(2026, 2, 28))
    states = {s.pair.pk: s for s in pair_states(FriendPair.objects.filter(leader=pairs["monthly"].leader), TODAY)}
    assert {pk for pk, s in states.items() if s.overdue} == overdue
    assert states[pairs["quarterly"].pk].due == date(2026, 3, 1)
    assert states[pairs["monthly"].pk].last_contact == date(2026, 1, 31)
    assert states[pairs["half"].pk].last_contact is None
    assert overdue_pairs(user=officer, today=date(2026, 2, 28)).count() == 0  # both due that very day
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.PROVINCE_STAFF):
        assert overdue_summary(user=world.users[role], today=TODAY) == (0, None)


@pytest.mark.django_db
def test_county_and_leader_views(world: World, pairs: dict[str, FriendPair]) -> None:
    """The county: three running pairs (the ended one not), overdue and contacts of the
    year per leader; the leader's page lists each pair with its due date."""
    officer = world.users[Role.CADRE_OFFICER]
    view = county_view(user=officer, today=TODAY)
    assert (view.pairs, view.overdue, view.contacts_this_year) == (3, 2, 1)
    (row,) = view.leaders
    assert (row.leader.name, row.pairs, row.overdue, row.contacts_this_year) == ("王建国", 3, 2, 1)
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("cadres:friends"))
    assert page.status_code == 200 and page.context["view"].leaders[0].leader.name == "王建国"
    leader = client.get(reverse("cadres:leadingcadre_detail", args=[pairs["monthly"].leader_id]))
    assert leader.status_code == 200 and len(leader.context["states"]) == 4
    overdue = client.get(reverse("cadres:friends_overdue"))
    today = timezone.localdate()
    assert {s.pair.pk for s in overdue.context["states"]} == {
        s.pair.pk
        for s in pair_states(FriendPair.objects.filter(pk__in=[p.pk for p in pairs.values()]), today)
        if s.overdue and s.pair.leader.county_id == world.county.pk
    }


@pytest.mark.django_db
def test_inbox_flags_overdue_pairs_for_the_county_officers(world: World, pairs: dict[str, FriendPair]) -> None:
    """The cadre officer's inbox counts the county's overdue pairs, due since the earliest
    due date, and links to the overdue list; nobody else's inbox has the item."""
    sections = inbox(world.users[Role.CADRE_OFFICER], today=TODAY)
    items = [item for section in sections for item in section.items]
    assert [(i.key, i.count, i.oldest, i.url) for i in items] == [
        ("friends", 2, date(2026, 2, 28), reverse("cadres:friends_overdue"))
    ]
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF):
        assert all(i.key != "friends" for s in inbox(world.users[role], today=TODAY) for i in s.items)


@pytest.mark.django_db
def test_contacts_and_pairs_on_the_pages(world: World, pairs: dict[str, FriendPair]) -> None:
    """A contact is logged from the pair's page (the add form preset with the pair); a
    follow-up needs its owner, a date in the future or before the pair is refused; the
    pair page read is logged; a pair across counties is refused."""
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    pair = pairs["half"]
    page = client.get(reverse("cadres:friendpair_detail", args=[pair.pk]))
    assert page.status_code == 200 and page.context["state"].overdue is (timezone.localdate() > date(2026, 2, 28))
    assert list(AccessLog.objects.values_list("person", "kind")) == [(pair.person_id, "page")]
    form = client.get(page.context["add_contact"])
    assert form.status_code == 200 and form.context["form"].initial.get("pair") == str(pair.pk)
    base = {"pair": pair.pk, "date": "2026-03-01", "form": "talk", "topics": "谈心"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for bad in (
        {"follow_up": "回复诉求"},
        {"date": tomorrow},
        {"date": "2025-08-30"},
        {"date": "x"},
        {"form": "telepathy"},
        {"topics": ""},
    ):
        response = client.post(reverse("cadres:friendcontact_add"), {**base, **bad})
        assert response.status_code == 200 and response.context["form"].errors, bad
    assert not FriendContact.objects.filter(pair=pair).exists()
    ok = client.post(
        reverse("cadres:friendcontact_add"), {**base, "follow_up": "回复诉求", "follow_up_owner": "统战部"}
    )
    assert ok.status_code == 302
    assert FriendContact.objects.get(pair=pair).follow_up_owner == "统战部"
    across = client.post(
        reverse("cadres:friendpair_add"),
        {"leader": pair.leader_id, "person": pairs["foreign"].person_id, "frequency": "monthly", "since": "2026-01-01"},
    )
    assert across.status_code == 200 and across.context["form"].errors
    assert not FriendPair.objects.filter(person=pairs["foreign"].person, leader=pair.leader).exists()


@pytest.mark.django_db
def test_friends_api(world: World, pairs: dict[str, FriendPair]) -> None:
    """Pairs and contacts in the API: the county's only; reads logged; identifiers never
    shown; bad input 400."""
    api = APIClient()
    api.force_authenticate(world.users[Role.CADRE_OFFICER])
    listed = {row["id"] for row in api.get("/api/cadres/friend-pairs/").json()["results"]}
    assert listed == {p.pk for k, p in pairs.items() if k != "foreign"}
    assert api.get(f"/api/cadres/friend-pairs/{pairs['foreign'].pk}/").status_code == 404
    pair = pairs["monthly"]
    detail = api.get(f"/api/cadres/friend-pairs/{pair.pk}/")
    assert detail.status_code == 200 and pair.person.resident_id not in detail.content.decode()
    assert pair.person.mobile not in detail.content.decode()
    assert list(AccessLog.objects.values_list("person", "kind")) == [(pair.person_id, "api")]
    made = api.post(
        "/api/cadres/friend-contacts/",
        {"pair": pair.pk, "date": "2026-02-10", "form": "phone", "topics": "电话问候", "concerns": "子女入学"},
    )
    assert made.status_code == 201, made.content
    for bad in (
        {"pair": pairs["foreign"].pk, "date": "2026-02-10", "form": "phone", "topics": "x"},
        {"pair": pair.pk, "date": "2026-02-30", "form": "phone", "topics": "x"},
        {"pair": pair.pk, "date": "2026-02-10", "form": "phone", "topics": "x", "follow_up": "跟进"},
        {"pair": "abc"},
    ):
        assert api.post("/api/cadres/friend-contacts/", bad).status_code == 400, bad
    assert FriendContact.objects.filter(pair=pair).count() == 3
    contact_id = made.json()["id"]
    AccessLog.objects.all().delete()
    assert api.get(f"/api/cadres/friend-contacts/{contact_id}/").status_code == 200
    assert list(AccessLog.objects.values_list("person", "kind")) == [(pair.person_id, "api")]
    assert (
        api.post(
            "/api/cadres/friend-pairs/",
            {"leader": pair.leader_id, "person": pair.person_id, "frequency": "monthly", "since": "2026-01-01"},
        ).status_code
        == 400
    )
