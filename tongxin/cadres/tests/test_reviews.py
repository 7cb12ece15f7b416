"""Yearly review of the reserve pool: who is due, the inbox of the county's cadre
officers, recording a review on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.cadres.models import Person, ReserveReview
from tongxin.cadres.services.reviews import reserve_review, reviews_due, reviews_due_count
from tongxin.core.exceptions import WorkflowError
from tongxin.inbox.services.items import inbox
from tongxin.testing import cadres
from tongxin.testing.factories import World


@pytest.mark.django_db
def test_who_is_due_and_the_inbox(world: World) -> None:
    """Due: in the reserve with no review nor pipeline step within a year. Not due: a
    step or a review this year, anyone not in the reserve, another county's reserve. The
    county's cadre officers see the count in their inbox, linking to the list; nobody
    else gets the item."""
    today = timezone.localdate()
    never = cadres.person(world.county, status="reserve")
    stale = cadres.person(world.county, status="reserve")
    cadres.stage(stale, "found", today - timedelta(days=800))
    ReserveReview.objects.create(person=stale, date=today - timedelta(days=400))
    stepped = cadres.person(world.county, status="reserve")
    cadres.stage(stepped, "found", today - timedelta(days=30))
    reviewed = cadres.person(world.county, status="reserve")
    cadres.stage(reviewed, "found", today - timedelta(days=900))
    ReserveReview.objects.create(person=reviewed, date=today - timedelta(days=10))
    cadres.person(world.county, status="serving")
    cadres.person(world.county2, status="reserve")
    due = set(reviews_due(Person.objects.filter(county=world.county), today).values_list("pk", flat=True))
    assert due == {never.pk, stale.pk}
    officer = world.users[Role.CADRE_OFFICER]
    n, since = reviews_due_count(user=officer, today=today)
    assert (n, since) == (2, today - timedelta(days=400) + timedelta(days=365))
    (section,) = [s for s in inbox(officer, today) if s.role == Role.CADRE_OFFICER]
    (item,) = section.items
    assert (item.key, item.count) == ("reserve_review", 2)
    client = Client()
    client.force_login(officer)
    listed = client.get(item.url)
    assert listed.status_code == 200
    assert set(listed.context["filter"].qs.values_list("pk", flat=True)) == {never.pk, stale.pk}
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.PROVINCE_STAFF):
        assert all(i.key != "reserve_review" for s in inbox(world.users[role], today) for i in s.items)


@pytest.mark.django_db
def test_recording_a_review(world: World) -> None:
    """The page records a review (then nobody is due); a future date or someone not in the
    reserve is refused; other roles get 404."""
    p = cadres.person(world.county, status="reserve")
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    page = client.get(reverse("cadres:person_detail", args=[p.pk]))
    assert b'data-testid="review-due"' in page.content and b'data-testid="review-form"' in page.content
    url = reverse("cadres:person_review", args=[p.pk])
    assert client.post(url, {"date": timezone.localdate().isoformat(), "note": "称职"}).status_code == 302
    assert list(p.reviews.values_list("note", flat=True)) == ["称职"]
    assert not reviews_due(Person.objects.all(), timezone.localdate()).exists()
    client.post(url, {"date": "never"})
    assert p.reviews.count() == 1
    officer = world.users[Role.CADRE_OFFICER]
    with pytest.raises(WorkflowError):
        reserve_review(user=officer, person=p, on=timezone.localdate() + timedelta(days=1))
    serving = cadres.person(world.county)
    with pytest.raises(WorkflowError):
        reserve_review(user=officer, person=serving, on=date(2026, 1, 1))
    other = Client()
    other.force_login(world.users[Role.COUNTY_ADMIN])
    assert other.post(url, {"date": "2026-01-01"}).status_code == 404
    assert p.reviews.count() == 1
