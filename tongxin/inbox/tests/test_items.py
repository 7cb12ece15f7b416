"""The inbox: what waits for each role, counted through the policy and the services' own
rules, folded when zero, at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.inbox.services.items import inbox
from tongxin.pairing import services
from tongxin.pairing.choices import ActivityHead, PairStatus
from tongxin.pairing.models import Activity, LiaisonAppointment, Pair, Report
from tongxin.testing.factories import enterprise, hat, user, village
from tongxin.testing.pairing import PairingWorld

from .conftest import InboxWorld, client_for

MARCH_5 = date(2026, 3, 5)  # February is being reported (due 10 March); January is overdue


def counts(person: User, today: date = MARCH_5) -> dict[tuple[str, str], int]:
    return {(section.role, item.key): item.count for section in inbox(person, today) for item in section.items}


@pytest.mark.django_db
def test_review_queue_per_role(iworld: InboxWorld) -> None:
    """Township staff see the proposals of their own township waiting for the township's
    review; once approved they wait for the county — for the administrator, not for the
    county staff member who ran the matching (nobody approves their own entry); a returned
    proposal waits for the county's decision, likewise."""
    admin, staff, town = (iworld.user(r) for r in (Role.COUNTY_ADMIN, Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF))
    assert counts(town)[(Role.TOWNSHIP_STAFF, "review")] == 1
    assert counts(iworld.town_b)[(Role.TOWNSHIP_STAFF, "review")] == 1
    assert (Role.COUNTY_ADMIN, "approve") not in counts(admin)

    services.pair_township_approve(pair=iworld.proposal_a, user=town)
    services.pair_return(pair=iworld.proposal_b, user=iworld.town_b, reason="村里不同意")
    assert (Role.TOWNSHIP_STAFF, "review") not in counts(town)
    mine = counts(admin)
    assert mine[(Role.COUNTY_ADMIN, "approve")] == 1 and mine[(Role.COUNTY_ADMIN, "decide")] == 1
    theirs = counts(staff)
    assert (Role.COUNTY_STAFF, "approve") not in theirs and (Role.COUNTY_STAFF, "decide") not in theirs
    for person in (admin, town, iworld.town_b):
        for item in (i for s in inbox(person, MARCH_5) for i in s.items):
            assert client_for(person).get(item.url).status_code == 200, (person, item.url)
    (section,) = [s for s in inbox(admin, MARCH_5) if s.role == Role.COUNTY_ADMIN]
    approve = next(item for item in section.items if item.key == "approve")
    assert approve.url == reverse("pairing:campaign_review", args=[iworld.review.pk]) + "?status=township_approved"
    assert approve.campaign == iworld.review.name and approve.oldest is not None


@pytest.mark.django_db
def test_running_campaign_per_role(pworld: PairingWorld) -> None:
    """On 5 March: the liaison officer and the enterprise contact have February's report to
    file (due 10 March); the village contact an activity to confirm; township and county
    staff the January report the enterprise submitted to accept, the county the overdue
    January report of township B and a liaison term ending within 30 days. Returning the
    report puts it in the filers' "to fix" and back among the overdue."""
    w = pworld.world
    admin, staff, town, liaison, ent, vil = (
        w.users[r]
        for r in (
            Role.COUNTY_ADMIN,
            Role.COUNTY_STAFF,
            Role.TOWNSHIP_STAFF,
            Role.LIAISON,
            Role.ENTERPRISE_CONTACT,
            Role.VILLAGE_CONTACT,
        )
    )
    services.report_submit(pair=pworld.pair, user=ent, period=date(2026, 1, 1))
    short = user("liaison9", Role.LIAISON, county=w.county)
    services.liaison_appoint(
        campaign=pworld.campaign,
        user=admin,
        liaison=short,
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2026, 3, 20),
    )

    assert counts(liaison) == {(Role.LIAISON, "file"): 1}
    # "Reports to file" opens the filer's own pairs whose report is still to send.
    to_file = next(i for s in inbox(liaison, MARCH_5) for i in s.items if i.key == "file")
    assert to_file.url == reverse("pairing:my_pairs") + f"?campaign={pworld.campaign.pk}&report=to_file"
    assert counts(ent) == {(Role.ENTERPRISE_CONTACT, "file"): 1}
    assert counts(vil) == {(Role.VILLAGE_CONTACT, "confirm"): 1}
    assert counts(town) == {(Role.TOWNSHIP_STAFF, "accept"): 1}
    assert counts(admin) == {
        (Role.COUNTY_ADMIN, "accept"): 1,
        (Role.COUNTY_ADMIN, "overdue"): 1,
        (Role.COUNTY_ADMIN, "terms"): 1,
    }
    assert counts(short) == {(Role.LIAISON, "file"): 1, (Role.LIAISON, "overdue"): 1}
    overdue = next(i for s in inbox(admin, MARCH_5) for i in s.items if i.key == "overdue")
    assert overdue.oldest == date(2026, 2, 10) and overdue.url == reverse(
        "pairing:campaign_late", args=[pworld.campaign.pk]
    )

    report = Report.objects.get(pair=pworld.pair, period=date(2026, 1, 1))
    services.report_return(report=report, user=staff, reason="数字不全")
    assert counts(liaison) == {(Role.LIAISON, "file"): 1, (Role.LIAISON, "fix"): 1, (Role.LIAISON, "overdue"): 1}
    assert counts(town) == {(Role.TOWNSHIP_STAFF, "overdue"): 1}
    assert counts(staff)[(Role.COUNTY_STAFF, "overdue")] == 2
    # Every link opens the page that does it, for the person it is shown to.
    for person in (admin, staff, town, liaison, ent, vil, short):
        client = client_for(person)
        for item in (i for s in inbox(person, MARCH_5) for i in s.items):
            assert client.get(item.url).status_code == 200, (person, item.url)
    # Confirmed, the activity leaves the village's inbox.
    services.activity_confirm(activity=pworld.activity, user=vil)
    assert counts(vil) == {}


@pytest.mark.django_db
def test_rankings_wait_for_the_contacts_while_selection_is_open(iworld: InboxWorld) -> None:
    """A contact whose organisation has not ranked yet in an open selection has a ranking
    to submit, linking to its ranking page; once ranked it is gone."""
    from tongxin.testing.pairing import campaign_for, participant

    w = iworld.p.world
    campaign = campaign_for(w.county, "2028村企共建")
    services.campaign_advance(campaign=campaign, user=w.users[Role.COUNTY_ADMIN], to="selection")
    ent = w.users[Role.ENTERPRISE_CONTACT]
    mine = inbox(ent, MARCH_5)
    (item,) = [i for s in mine for i in s.items if i.key == "rank"]
    own = participant(campaign, w.enterprise)
    assert item.count == 1 and item.url == reverse("pairing:campaign_rank", args=[campaign.pk, own.pk])
    services.preferences_set(participant=own, user=ent, partners=[w.village.pk])
    assert not [i for s in inbox(ent, MARCH_5) for i in s.items if i.key == "rank"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PROVINCE_STAFF, Role.REVIEWER])
def test_nothing_waiting_folds_to_one_line(iworld: InboxWorld, role: str) -> None:
    """Zero-count items are not shown; a person with nothing waiting sees one line saying
    so — and the ledger cards are still there below."""
    person = iworld.user(role)
    assert inbox(person) == []
    page = client_for(person).get(reverse("core:home")).content.decode()
    assert 'data-testid="inbox-empty"' in page and 'data-testid="inbox-item-' not in page
    assert page.index('data-testid="inbox"') < page.index('data-testid="count-village"')


@pytest.mark.django_db
def test_home_shows_only_the_items_with_work(iworld: InboxWorld) -> None:
    """The township's home page starts with its review item (count, link to the filtered
    review queue); the items with nothing waiting are not on it."""
    page = client_for(iworld.user(Role.TOWNSHIP_STAFF)).get(reverse("core:home")).content.decode()
    assert 'data-testid="inbox-item-review"' in page
    assert 'data-testid="inbox-item-accept"' not in page and 'data-testid="inbox-empty"' not in page
    assert reverse("pairing:campaign_review", args=[iworld.review.pk]) + "?status=proposed" in page
    assert page.index('data-testid="inbox"') < page.index('data-testid="count-village"')


def _grow(pworld: PairingWorld, rows: int, person: User) -> None:
    """More pairs (half in each township of county 1), each with a submitted report, an
    activity, a draft report of February and an appointment of ``person``."""
    w = pworld.world
    have = Pair.objects.filter(campaign=pworld.campaign).count()
    appointment = LiaisonAppointment(
        campaign=pworld.campaign, liaison=person, term_start=date(2026, 1, 1), term_end=date(2026, 3, 30)
    )
    appointment.save()
    for n in range(have, rows):
        township = w.township if n % 2 == 0 else w.township_b
        pair = Pair(
            campaign=pworld.campaign,
            enterprise=enterprise(township),
            village=village(township, 400 + n),
            status=PairStatus.APPROVED,
            start_date=date(2026, 1, 1),
        )
        pair.save()
        appointment.pairs.add(pair)
        Activity(pair=pair, head=ActivityHead.PARTY, date=date(2026, 2, 1), title=f"活动{n}").save()
        Report(pair=pair, period=date(2026, 1, 1), due_date=date(2026, 2, 10), status="submitted").save()


@pytest.mark.django_db
def test_query_count_is_constant_for_three_hats(
    pworld: PairingWorld, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """A person with three hats (county staff, liaison officer, township staff) costs the
    same number of queries with 5 pairs as with 40: 1 for the running campaigns and one per
    item of each role (county 7, township 3, liaison 3) — pinned, on the home page too."""
    w = pworld.world
    three = user("threehats", Role.COUNTY_STAFF, county=w.county)
    hat(three, Role.LIAISON, w.county)
    hat(three, Role.TOWNSHIP_STAFF, w.township)
    client = client_for(three)

    def measure() -> tuple[int, int]:
        fresh = User.objects.get(pk=three.pk)
        inbox(fresh, MARCH_5)  # the person's hats are read once, then kept on the user
        reset_queries()  # the log keeps 9,000 queries: growing the world can fill it
        with CaptureQueriesContext(connection) as service:
            inbox(fresh, MARCH_5)
        client.get(reverse("core:home"))
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("core:home")).status_code == 200
        return len(service), len(page)

    _grow(pworld, 5, three)
    small = measure()
    _grow(pworld, 40, three)
    large = measure()
    assert large == small, (small, large)
    assert {s.role for s in inbox(User.objects.get(pk=three.pk), MARCH_5)} == {
        Role.COUNTY_STAFF,
        Role.LIAISON,
        Role.TOWNSHIP_STAFF,
    }
    fresh = User.objects.get(pk=three.pk)
    inbox(fresh, MARCH_5)
    reset_queries()
    with django_assert_max_num_queries(14):
        inbox(fresh, MARCH_5)
    with django_assert_max_num_queries(small[1]):
        client.get(reverse("core:home"))


@pytest.mark.django_db
def test_restrict_by_role_keeps_only_those_hats(pworld: PairingWorld) -> None:
    """``restrict(…, roles=…)`` counts through the hats of those roles only: a township
    cadre who is also the liaison officer of township B's pair sees both pairs, through
    the township hat only township A's, through the liaison hat only township B's."""
    from tongxin.core.scope import VIEW, restrict

    w = pworld.world
    both = user("both9", Role.TOWNSHIP_STAFF, township=w.township)
    hat(both, Role.LIAISON, w.county)
    appointment = LiaisonAppointment(
        campaign=pworld.campaign, liaison=both, term_start=date(2026, 1, 1), term_end=date(2026, 12, 31)
    )
    appointment.save()
    appointment.pairs.set([pworld.pair_b])
    pairs = Pair.objects.filter(campaign=pworld.campaign)
    assert set(restrict(pairs, both, VIEW)) == {pworld.pair, pworld.pair_b}
    assert set(restrict(pairs, both, VIEW, roles=frozenset({Role.TOWNSHIP_STAFF}))) == {pworld.pair}
    assert set(restrict(pairs, both, VIEW, roles=frozenset({Role.LIAISON}))) == {pworld.pair_b}
    assert not restrict(pairs, both, VIEW, roles=frozenset({Role.COUNTY_STAFF})).exists()
