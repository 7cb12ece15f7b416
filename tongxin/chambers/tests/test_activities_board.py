"""Member activities (sign-up, attendance, feedback) and the needs-and-offers board with
its matches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.chambers.choices import MemberStatus
from tongxin.chambers.models import ActivitySignup, BoardPost, MemberActivity
from tongxin.chambers.services.activities import activity_attendance, activity_feedback, activity_sign_up
from tongxin.chambers.services.board import board_matches, post_close
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, restrict
from tongxin.testing import chambers as make
from tongxin.testing import factories
from tongxin.testing.factories import World

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_sign_up_attend_and_feedback(world: World) -> None:
    staff = world.users[Role.CHAMBER_STAFF]
    member = world.users[Role.ENTERPRISE_CONTACT]
    own = world.chambers.own
    coming = make.activity(own, held_on=TODAY + timedelta(days=7), capacity=2)
    mine = world.chambers.members["own"]
    with pytest.raises(WorkflowError):  # not their member: the sibling chamber's
        activity_sign_up(user=member, activity=coming, membership=world.chambers.members["sibling"])
    signup = activity_sign_up(user=member, activity=coming, membership=mine)
    with pytest.raises(WorkflowError):  # once
        activity_sign_up(user=member, activity=coming, membership=mine)
    second = make.member(own, name="赵六")
    activity_sign_up(user=staff, activity=coming, membership=second)
    third = make.member(own, name="钱七")
    with pytest.raises(WorkflowError):  # full
        activity_sign_up(user=staff, activity=coming, membership=third)
    lapsed = make.member(own, name="孙八", status=MemberStatus.LAPSED)
    with pytest.raises(WorkflowError):
        activity_sign_up(user=staff, activity=make.activity(own, held_on=TODAY + timedelta(3)), membership=lapsed)
    with pytest.raises(WorkflowError):  # attendance before the day
        activity_attendance(user=staff, activity=coming, present={signup.pk})
    with pytest.raises(PermissionDenied):  # the member does not take attendance
        activity_attendance(user=member, activity=world.chambers.activities["own"], present=set())
    past = world.chambers.activities["own"]
    with pytest.raises(WorkflowError):  # sign-up closed
        activity_sign_up(user=member, activity=past, membership=mine)
    held = ActivitySignup.objects.get(activity=past, membership=mine)
    with pytest.raises(WorkflowError):  # feedback only after attending
        activity_feedback(user=member, signup=held, rating=5)
    assert activity_attendance(user=staff, activity=past, present={held.pk}) == 1
    with pytest.raises(WorkflowError):
        activity_feedback(user=member, signup=held, rating=0)
    with pytest.raises(WorkflowError):  # the staff do not give the member's feedback
        activity_feedback(user=world.users[Role.COUNTY_STAFF], signup=held, rating=4)
    activity_feedback(user=member, signup=held, rating=4, text="很有收获")
    held.refresh_from_db()
    assert (held.attended, held.rating, held.feedback) == (True, 4, "很有收获")


@pytest.mark.django_db
def test_members_see_the_activities_and_posts_of_their_chambers(world: World) -> None:
    member = world.users[Role.ENTERPRISE_CONTACT]
    assert set(restrict(MemberActivity.objects.all(), member, VIEW)) == {world.chambers.activities["own"]}
    assert set(restrict(BoardPost.objects.all(), member, VIEW)) == {world.chambers.posts["own"]}
    for role in (Role.TOWNSHIP_STAFF, Role.LIAISON, Role.VILLAGE_CONTACT):
        assert not restrict(BoardPost.objects.all(), world.users[role], VIEW).exists()


@pytest.mark.django_db
def test_board_matches_by_fit(world: World) -> None:
    """A need for marketing and e-commerce is matched first with the offer that has both,
    then with the one that has marketing only; needs and other topics are never offered; closed posts neither."""
    own = world.chambers.own
    need = make.post(world.chambers.members["own"], "need", "supply", tags=["marketing", "ecommerce"])
    a = make.member(own, factories.enterprise(world.township, "甲包装公司"))
    b = make.member(own, factories.enterprise(world.township, "乙贸易公司"))
    c = make.member(own, factories.enterprise(world.township, "丙公司"))
    best = make.post(a, "offer", "supply", tags=["marketing", "ecommerce"], title="包装物流一体")
    half = make.post(b, "offer", "supply", tags=["marketing"], title="纸箱包装")
    make.post(c, "offer", "financing", tags=["marketing"], title="别的话题")
    make.post(c, "need", "supply", tags=["marketing"], title="同一边")
    closed = make.post(c, "offer", "supply", tags=["marketing", "ecommerce"], title="已关闭", closed=True)
    staff = world.users[Role.CHAMBER_STAFF]
    found = board_matches(user=staff, post=need)
    assert [m.post for m in found] == [best, half]
    assert found[0].score > found[1].score and found[0].needs_met > found[1].needs_met
    assert closed not in [m.post for m in found]
    # From the offer's side, the needs are found too (the one it meets wholly first).
    assert [m.post.title for m in board_matches(user=staff, post=best)] == ["同一边", need.title]
    # The member closes their own post; a supervisor may not.
    with pytest.raises(PermissionDenied):
        post_close(user=world.users[Role.PROVINCE_STAFF], post=need)
    post_close(user=world.users[Role.ENTERPRISE_CONTACT], post=need)
    with pytest.raises(WorkflowError):
        post_close(user=staff, post=need)
    assert [m.post.title for m in board_matches(user=staff, post=best)] == ["同一边"]


@pytest.mark.django_db
def test_activity_and_board_pages(world: World) -> None:
    member = Client()
    member.force_login(world.users[Role.ENTERPRISE_CONTACT])
    staff = Client()
    staff.force_login(world.users[Role.CHAMBER_STAFF])
    past = world.chambers.activities["own"]
    page = staff.get(past.get_absolute_url()).content.decode()
    assert 'data-testid="attendance-form"' in page and "signup-form" not in page
    held = ActivitySignup.objects.get(activity=past)
    url = reverse("chambers:memberactivity_step", args=[past.pk, "attendance"])
    assert staff.post(url, {"present": [str(held.pk), "x", "-3"]}).status_code == 302
    held.refresh_from_db()
    assert held.attended is True
    page = member.get(past.get_absolute_url()).content.decode()
    assert 'data-testid="feedback-form"' in page
    feedback = reverse("chambers:memberactivity_step", args=[past.pk, "feedback"])
    assert member.post(feedback, {"signup": held.pk, "rating": "9"}).status_code == 302
    assert member.post(feedback, {"signup": held.pk, "rating": "5", "feedback": "好"}).status_code == 302
    held.refresh_from_db()
    assert held.rating == 5
    assert member.post(reverse("chambers:memberactivity_step", args=[past.pk, "nonsense"])).status_code == 404
    assert member.post(url, {"present": [str(held.pk)]}).status_code == 403
    sibling = world.chambers.activities["sibling"]
    assert member.get(sibling.get_absolute_url()).status_code == 404
    post = world.chambers.posts["own"]
    assert 'data-testid="matches"' in member.get(post.get_absolute_url()).content.decode()
    assert member.get(reverse("chambers:boardpost_list")).status_code == 200
    response = member.post(
        reverse("chambers:boardpost_add"),
        {"membership": world.chambers.members["own"].pk, "side": "offer", "topic": "jobs", "title": "招聘技工"},
    )
    assert response.status_code == 302
    made = BoardPost.objects.get(title="招聘技工")
    assert made.chamber == world.chambers.own
