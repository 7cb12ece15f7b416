"""Activities of pairs: recorded by those who run the pair, confirmed by the village."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.scope import allowed, require, restrict
from tongxin.pairing.choices import EventKind
from tongxin.pairing.models import Activity, ActivityPhoto
from tongxin.pairing.models.running import running_pair_q
from tongxin.pairing.services import notices
from tongxin.pairing.services.campaigns import Verdict, event, require_version
from tongxin.pairing.services.errors import PairingError


def activity_recorded(*, activity: Activity, user: Any) -> None:
    """A new activity was saved (page, API): it now waits for the village's confirmation,
    in the inbox of the contacts of the pair's village. Called in the saving transaction."""
    notices.activity_recorded(activity=activity, user=user)


def activity_photos_add(*, activity: Activity, images: list[Any]) -> list[ActivityPhoto]:
    """Attach ``images`` (already checked, e.g. by the form's ``PhotosField``) to
    ``activity``. Call inside the transaction that saves the activity: a failure leaves
    neither the activity nor any photo row."""
    photos = []
    for image in images:
        photo = ActivityPhoto(activity=activity, image=image)
        photo.save()
        photos.append(photo)
    return photos


def confirmations_waiting(queryset: Any, user: Any, *, roles: frozenset[str] | None = None) -> Any:
    """The activities of ``queryset`` that ``user`` may confirm now: the rules of
    :func:`activity_confirm` (and of the activity's ``clean``) for many at once."""
    return (
        restrict(queryset, user, "confirm", roles=roles)
        .filter(running_pair_q("pair__"), confirmed_by_village=False)
        .exclude(created_by=user.pk)
    )


def _check_confirm(activity: Activity, user: Any) -> None:
    if activity.confirmed_by_village:
        raise PairingError(_("This activity is already confirmed."), "confirmed")
    if activity.created_by_id is not None and activity.created_by_id == user.pk:
        raise PairingError(_("Nobody confirms an activity they recorded themselves."), "own_entry")


def can_confirm(user: Any, activity: Activity) -> Verdict:
    """Whether ``user`` may confirm the activity now — the checks of
    :func:`activity_confirm` — and if not, why not or who does."""
    if not activity.confirmed_by_village and not allowed(user, activity, "confirm"):
        return Verdict(False, _("A contact of the pair's village confirms that the activity took place."))
    try:
        _check_confirm(activity, user)
    except PairingError as exc:
        return Verdict(False, str(exc.message))
    return Verdict(True)


@transaction.atomic
def activity_confirm(*, activity: Activity, user: Any, version: int | None = None) -> Activity:
    """The village of the activity's pair confirms that it took place.

    Only a contact of that very village may ("confirm" is granted to village contacts
    and scoped by the pair's village), never the person who recorded the activity, and
    only once; a confirmed activity is locked.
    """
    activity = Activity.objects.select_for_update().select_related("pair__campaign").get(pk=activity.pk)
    require(user, activity, "confirm")
    require_version(activity, version)
    _check_confirm(activity, user)
    activity.confirmed_by_village = True
    activity.confirmed_by = user
    activity.confirmed_at = timezone.now()
    activity.full_clean()
    activity.save()
    pair = activity.pair
    event(campaign=pair.campaign, kind=EventKind.ACTIVITY_CONFIRMED, actor=user, pair=pair, activity=activity.pk)
    return activity
