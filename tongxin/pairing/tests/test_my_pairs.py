"""A filer's "my pairs" page: one card per own pair with this period's report, a one-tap
link to file or fix it, the next due date and the latest activity; scoped to the
liaison officer's own appointments (or the enterprise contact's enterprise), at a pinned
number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import ActivityHead
from tongxin.pairing.models import Activity, Report
from tongxin.pairing.services.mine import my_pairs, pair_cards
from tongxin.testing.factories import hat, user
from tongxin.testing.pairing import PairingWorld

MARCH_5 = date(2026, 3, 5)  # February is being reported (due 10 March by default)


def _client(person: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(person)
    return client


def _states(person: Any, today: date = MARCH_5) -> dict[int, str]:
    return {card.pair.pk: card.state for card in pair_cards(list(my_pairs(person)), today)}


@pytest.mark.django_db
def test_cards_follow_the_report_of_this_period(pworld: PairingWorld) -> None:
    """The liaison's only pair is to file for February (January's draft does not count);
    saved as a draft it reads "draft" with a link to finish it, submitted "submitted"
    with a link to read it, returned "returned" with a link to fix it, then accepted."""
    w = pworld.world
    liaison, staff = w.users[Role.LIAISON], w.users[Role.COUNTY_STAFF]
    feb = date(2026, 2, 1)
    (card,) = pair_cards(list(my_pairs(liaison)), MARCH_5)
    assert (card.pair.pk, card.state, card.period) == (pworld.pair.pk, "to_file", feb)
    assert card.action_url == reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-02-01"])
    assert card.next_due == card.due and card.due >= MARCH_5 and not card.overdue
    assert card.pair.last_activity_id == pworld.activity.pk

    draft = services.report_save(pair=pworld.pair, user=liaison, period=feb, data={"narrative": "二月"}, version=0)
    assert _states(liaison) == {pworld.pair.pk: "draft"}
    report = services.report_submit(pair=pworld.pair, user=liaison, period=feb, version=draft.version)
    (card,) = pair_cards(list(my_pairs(liaison)), MARCH_5)
    assert card.state == "submitted" and card.action_url == reverse("pairing:report_detail", args=[report.pk])
    services.report_return(report=report, user=staff, reason="数字不全")
    (card,) = pair_cards(list(my_pairs(liaison)), MARCH_5)
    assert card.state == "returned" and card.action_url.endswith("/reports/2026-02-01/")
    # Past its due date the card says so.
    (late,) = pair_cards(list(my_pairs(liaison)), date(2026, 3, 20))
    assert late.state == "returned" and late.overdue and late.period == feb
    report.refresh_from_db()
    services.report_submit(pair=pworld.pair, user=liaison, period=feb, version=report.version)
    report.refresh_from_db()
    services.report_accept(report=report, user=staff)
    assert _states(liaison) == {pworld.pair.pk: "accepted"}


@pytest.mark.django_db
def test_only_own_pairs_even_with_a_township_hat(pworld: PairingWorld) -> None:
    """A township cadre who is also a liaison officer sees on this page only the pairs
    they are appointed to, not their township's; an enterprise contact their enterprise's;
    county staff, township staff and village contacts none (the page says so); the menu
    links the page only for those who file."""
    w = pworld.world
    cadre = user("cadre-liaison", Role.TOWNSHIP_STAFF, township=w.township)
    hat(cadre, Role.LIAISON, w.county)
    assert _states(cadre) == {}
    services.liaison_appoint(
        campaign=pworld.campaign,
        user=w.users[Role.COUNTY_ADMIN],
        liaison=cadre,
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2027, 12, 31),
    )
    assert set(_states(cadre)) == {pworld.pair_b.pk}
    assert set(_states(w.users[Role.ENTERPRISE_CONTACT])) == {pworld.pair.pk}
    for role in (Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.VILLAGE_CONTACT):
        page = _client(w.users[role]).get(reverse("pairing:my_pairs"))
        assert page.status_code == 200 and 'data-testid="no-pairs"' in page.content.decode()
        assert 'data-testid="my-pairs-link"' not in page.content.decode()
    page = _client(cadre).get(reverse("pairing:my_pairs")).content.decode()
    assert f'data-testid="pair-{pworld.pair_b.pk}"' in page and f'data-testid="pair-{pworld.pair.pk}"' not in page
    assert 'data-testid="my-pairs-link"' in page
    assert _client(cadre).get(reverse("pairing:my_pairs")).status_code == 200
    anonymous = Client().get(reverse("pairing:my_pairs"))
    assert anonymous.status_code == 302


@pytest.mark.django_db
def test_page_filters_and_bad_filters(pworld: PairingWorld) -> None:
    """``?report=to_file`` keeps the pairs whose report is still to send (the inbox item
    links there), ``?report=accepted`` those accepted; an unknown filter is a 400 with
    every pair."""
    liaison = pworld.world.users[Role.LIAISON]
    client = _client(liaison)
    url = reverse("pairing:my_pairs")
    shown = client.get(url, {"report": "accepted"}).content.decode()
    assert 'data-testid="no-pairs"' in shown
    everything = client.get(url, {"report": "to_file", "campaign": pworld.campaign.pk})
    assert f'data-testid="pair-{pworld.pair.pk}"' in everything.content.decode()
    assert client.get(url, {"campaign": pworld.campaign2.pk}).content.decode().count('class="card my-pair"') == 0
    for bad in ({"report": "nonsense"}, {"campaign": "x"}):
        answer = client.get(url, bad)
        assert answer.status_code == 400 and f'data-testid="pair-{pworld.pair.pk}"' in answer.content.decode()


@pytest.mark.django_db
def test_query_count_is_pinned(pworld: PairingWorld, django_assert_max_num_queries: Any) -> None:
    """Ten pairs cost what one does: the pairs with their latest activity in one query,
    their reports of the period in another."""
    w = pworld.world
    admin, liaison = w.users[Role.COUNTY_ADMIN], w.users[Role.LIAISON]
    services.liaison_appoint(
        campaign=pworld.campaign,
        user=admin,
        liaison=liaison,
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2027, 12, 31),
    )
    Activity(pair=pworld.pair_b, head=ActivityHead.PARTY, date=date(2026, 4, 1), title="四月走访").save()
    Report(pair=pworld.pair_b, period=date(2026, 2, 1), due_date=date(2026, 3, 10)).save()
    client = _client(liaison)
    client.get(reverse("pairing:my_pairs"))  # warm the session and the content types
    with django_assert_max_num_queries(7):
        page = client.get(reverse("pairing:my_pairs"))
    body = page.content.decode()
    assert page.status_code == 200 and "四月走访" in body and body.count('class="card my-pair"') == 2
