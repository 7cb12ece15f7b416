"""The needs-and-offers board: matches of a post among the open posts of the other side
on the same topic that the reader sees, scored by the matching engine's fit
(:class:`tongxin.matching.fit.FitModel`): a need post stands where the engine has a
village (its tags are needs), an offer post where it has an enterprise (its tags are what
it offers, its industry the member enterprise's). The parts used are the share of needs
met (weight 0.7) and the distance between the two enterprises (0.3); a member without
coordinates counts as at the place of the post being matched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.chambers.choices import PostSide
from tongxin.chambers.models import BoardPost
from tongxin.chambers.services.members import speaks_for
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import CHANGE, VIEW, allowed, require, restrict
from tongxin.matching.fit import Enterprise, FitModel, FitWeights, Village

BOARD_WEIGHTS = FitWeights(need=0.7, advantage=0.0, distance=0.3, capacity=0.0)
DEFAULT_INDUSTRY = "O"  # an individual member: resident and other services


@dataclass(frozen=True)
class Match:
    post: BoardPost
    score: float
    needs_met: float
    distance_km: float


def _place(post: BoardPost, fallback: tuple[float, float]) -> tuple[float, float]:
    enterprise = post.membership.enterprise
    if enterprise is not None and enterprise.latitude is not None and enterprise.longitude is not None:
        return float(enterprise.latitude), float(enterprise.longitude)
    return fallback


def open_posts_q() -> Q:
    today = timezone.localdate()
    return Q(closed=False) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def board_matches(*, user: Any, post: BoardPost, k: int = 5) -> list[Match]:
    """The ``k`` best posts of the other side for ``post`` (three queries)."""
    require(user, post, VIEW)
    other = PostSide.OFFER if post.side == PostSide.NEED else PostSide.NEED
    candidates = list(
        restrict(BoardPost.objects.all(), user, VIEW)
        .filter(open_posts_q(), side=other, topic=post.topic)
        .exclude(membership=post.membership)
        .select_related("membership__enterprise")
        .prefetch_related("tags")
    )
    if not candidates:
        return []
    home = _place(post, (30.0, 120.0))
    tags = {str(tag.code) for tag in post.tags.all()}

    def village(row: BoardPost, own: set[str]) -> Village:
        lat, lon = _place(row, home)
        return Village(id=row.pk, lat=lat, lon=lon, needs=frozenset(own))

    def enterprise(row: BoardPost, own: set[str]) -> Enterprise:
        lat, lon = _place(row, home)
        member = row.membership.enterprise
        industry = member.industry if member is not None else DEFAULT_INDUSTRY
        return Enterprise(id=row.pk, lat=lat, lon=lon, offers=frozenset(own), industry=industry)

    others = {row.pk: {str(tag.code) for tag in row.tags.all()} for row in candidates}
    if post.side == PostSide.NEED:
        model = FitModel([village(post, tags)], [enterprise(row, others[row.pk]) for row in candidates], BOARD_WEIGHTS)
        top = model.top_enterprises(k)
    else:
        model = FitModel([village(row, others[row.pk]) for row in candidates], [enterprise(post, tags)], BOARD_WEIGHTS)
        top = model.top_villages(k)
    by_pk = {row.pk: row for row in candidates}
    return [
        Match(by_pk[c.id], round(c.score.total, 3), round(c.score.need, 3), round(c.score.distance_km, 1))
        for c in top.candidates(post.pk)
    ]


@transaction.atomic
def post_close(*, user: Any, post: BoardPost) -> BoardPost:
    """Close a post: its member (an enterprise contact of the posting enterprise) or the
    chamber's staff."""
    require(user, post, VIEW)
    post = BoardPost.objects.select_for_update().get(pk=post.pk)
    if not speaks_for(user, post.membership) and not allowed(user, post, CHANGE):
        raise PermissionDenied
    if post.closed:
        raise WorkflowError(_("This post is closed already."), "closed")
    post.closed = True
    post.save()
    return post
