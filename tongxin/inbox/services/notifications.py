"""Writing notifications, finding who to notify, and marking them read.

Who is notified is asked of the access policy, the other way round from ``restrict``:
:func:`people_who_may` answers "which people may take this action on these rows", from
the same declarations (the model's scope paths and role permissions) and the people's
active hats. A notification therefore only ever goes to someone who may see — and do —
what it points at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tongxin.accounts.roles import ROLES
from tongxin.core.changelog import serialize
from tongxin.core.choices import ChangeAction, ChangeSource
from tongxin.core.context import ChangeContext, current
from tongxin.core.models import ObjectChange
from tongxin.core.scope import CHANGE, policy_of, restrict
from tongxin.inbox.models import Notification

# A hat that sees rows as the person it belongs to (rather than through a node).
_PERSONAL = ("liaison", "reviewer")


def people_who_may(queryset: QuerySet[Any], action: str, *, roles: Iterable[str] | None = None) -> dict[Any, set[int]]:
    """For each row of ``queryset``: the ids of the active people whose active hats (of
    ``roles``, or any) may take ``action`` on it. Two queries however many rows."""
    from tongxin.accounts.models import RoleAssignment
    from tongxin.accounts.roles import active_assignments_q

    model = queryset.model
    scope, permissions = policy_of(model)
    wanted = set(roles) if roles is not None else None
    grants: dict[tuple[str, str], list[str]] = defaultdict(list)  # (sees, path) → roles
    for role, spec in ROLES.items():
        if wanted is not None and role not in wanted:
            continue
        if not permissions.allows(role, action):
            continue
        path = scope.owner or scope.path(spec.sees)
        if path is not None:
            grants[("owner" if scope.owner else spec.sees, path)].append(role)
    if not grants:
        return {}
    paths = sorted({path for _sees, path in grants})
    reached: dict[tuple[str, str], dict[Any, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for row in queryset.order_by().values_list("pk", *paths):
        for (sees, path), _roles in grants.items():
            value = row[1 + paths.index(path)]
            if value is not None:
                reached[(sees, path)][value].add(row[0])
    condition = Q(pk__in=[])
    for key, role_list in grants.items():
        values = list(reached[key])
        if values:
            condition |= Q(role__in=role_list, **{f"{_column(key[0])}__in": values})
    result: dict[Any, set[int]] = defaultdict(set)
    columns = sorted({_column(sees) for sees, _path in grants})
    hats = RoleAssignment.objects.filter(active_assignments_q(), condition, user__is_active=True).values_list(
        "user_id", "role", *columns
    )
    for user_id, role, *nodes in hats:
        node_of = dict(zip(columns, nodes, strict=True))
        for key, role_list in grants.items():
            if role in role_list:
                for pk in reached[key].get(node_of[_column(key[0])], ()):
                    result[pk].add(user_id)
    return result


def _column(sees: str) -> str:
    """The column of an assignment that holds what a hat sees rows through."""
    return "user_id" if sees in _PERSONAL or sees == "owner" else f"{sees}_id"


@dataclass(frozen=True)
class Note:
    """One notification to write: to whom, what, with which arguments, linking where."""

    recipient_id: int
    kind: str
    args: Mapping[str, Any]
    link: str = ""


def notify(notes: Iterable[Note]) -> list[Notification]:
    """Write ``notes`` (one row each, in bulk), with their change records.

    Called by the workflow services inside their transaction: a step that is rolled back
    notifies nobody. Arguments are kept as text, so the sentence is translated when shown.
    """
    rows = [
        Notification(
            recipient_id=note.recipient_id,
            kind=note.kind,
            args={str(k): _text(v) for k, v in note.args.items()},
            link=note.link[:500],
        )
        for note in notes
    ]
    if not rows:
        return []
    now = timezone.now()
    for row in rows:
        row.created = row.last_updated = now
    made = Notification.objects.bulk_create(rows, batch_size=1000)
    _log(made, ChangeAction.CREATE)
    return made


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _log(rows: list[Notification], action: str, before: Mapping[int, Mapping[str, Any]] | None = None) -> None:
    """Change records for notifications written in bulk (the change-log signals do not
    see bulk writes): as the signals would write them, in the current change context."""
    if not rows:
        return
    ctx = current() or ChangeContext(source=ChangeSource.SYSTEM)
    user = ctx.get_user()
    content_type = ContentType.objects.get_for_model(Notification)
    records = []
    for row in rows:
        after = serialize(row, with_m2m=False)
        prior = before.get(row.pk) if before is not None else None
        if prior is not None:
            changed = [key for key, value in after.items() if prior.get(key) != value]
            prior, after = {k: prior.get(k) for k in changed}, {k: after[k] for k in changed}
        records.append(
            ObjectChange(
                user=user,
                user_name=user.get_username() if user is not None else "",
                request_id=ctx.request_id,
                source=ctx.source,
                action=action,
                changed_object_type=content_type,
                changed_object_id=row.pk,
                object_repr=str(row)[:200],
                prechange_data=prior,
                postchange_data=after,
            )
        )
    ObjectChange.objects.bulk_create(records, batch_size=1000)


def unread_count(user: Any) -> int:
    """How many of the person's own notifications are unread (one query)."""
    return own_notifications(user).filter(read_at__isnull=True).count()


def own_notifications(user: Any) -> QuerySet[Notification]:
    """The person's own notifications, through the policy (a superuser, too, reads only
    their own here)."""
    return restrict(Notification.objects.all(), user, CHANGE).filter(recipient=user.pk)


@transaction.atomic
def notification_read(*, notification: Notification, user: Any) -> Notification:
    """Mark one of the person's own notifications read (opening it); reading it again
    changes nothing."""
    row = own_notifications(user).select_for_update().get(pk=notification.pk)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row


@transaction.atomic
def notifications_read_all(*, user: Any) -> int:
    """Mark every unread notification of the person read; how many were unread."""
    rows = list(own_notifications(user).filter(read_at__isnull=True).select_for_update())
    if not rows:
        return 0
    before = {row.pk: serialize(row, with_m2m=False) for row in rows}
    now = timezone.now()
    for row in rows:
        row.read_at = now
        row.last_updated = now
        row.version += 1
    Notification.objects.bulk_update(rows, ["read_at", "last_updated", "version"], batch_size=1000)
    _log(rows, ChangeAction.UPDATE, before)
    return len(rows)


def recipients_of(rows: Mapping[Any, set[int]], *rows_pk: Any, exclude: Iterable[int | None] = ()) -> set[int]:
    """The people of ``rows_pk`` in ``rows`` (from :func:`people_who_may`) but ``exclude``."""
    people: set[int] = set()
    for pk in rows_pk:
        people |= rows.get(pk, set())
    return people - {pk for pk in exclude if pk is not None}
