"""The velocity watch of the public vote: bursts of votes for one candidate are flagged
for the committee (``Anomaly``), with how many distinct addresses they came from.

Votes are counted per candidate in windows of ``WINDOW_MINUTES`` (aligned to the clock).
A window is a burst when it holds at least ``BURST_MIN`` votes and more than
``BURST_FACTOR`` times the candidate's average per window over the hour before it (at
least 1). The committee reads the anomalies on the dashboard; nothing is removed
automatically — a vote is only ever cancelled by a decision recorded by people.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.selection.models import Anomaly, Selection, Vote

DEFAULTS = {"WINDOW_MINUTES": 10, "BURST_MIN": 30, "BURST_FACTOR": 5}


def setting(name: str) -> int:
    return int(getattr(settings, "SELECTION_WATCH", {}).get(name, DEFAULTS[name]))


def window_of(moment: datetime, minutes: int) -> datetime:
    epoch = int(moment.timestamp())
    size = minutes * 60
    return datetime.fromtimestamp(epoch - epoch % size, tz=moment.tzinfo or timezone.get_current_timezone())


def votes_watch(*, selection: Selection, now: datetime | None = None) -> list[Anomaly]:
    """Flag the bursts of the last two hours (each window once); the new anomalies."""
    now = now or timezone.now()
    minutes = setting("WINDOW_MINUTES")
    size = timedelta(minutes=minutes)
    per_hour = max(1, 60 // minutes)
    since = window_of(now, minutes) - timedelta(hours=2)
    counts: dict[tuple[int, datetime], int] = defaultdict(int)
    addresses: dict[tuple[int, datetime], set[str]] = defaultdict(set)
    rows = Vote.objects.filter(selection=selection, created__gte=since - timedelta(hours=1)).values_list(
        "nomination_id", "created", "address_hash"
    )
    for candidate, created, address in rows.iterator(chunk_size=5000):
        key = (candidate, window_of(created, minutes))
        counts[key] += 1
        addresses[key].add(address)
    flagged: list[Anomaly] = []
    for (candidate, start), n in sorted(counts.items(), key=lambda item: item[0][1]):
        if start < since or n < setting("BURST_MIN"):
            continue
        before = sum(counts.get((candidate, start - size * k), 0) for k in range(1, per_hour + 1))
        threshold = setting("BURST_FACTOR") * max(1.0, before / per_hour)
        if n <= threshold:
            continue
        try:
            with transaction.atomic():
                anomaly, is_new = Anomaly.objects.get_or_create(
                    selection=selection,
                    nomination_id=candidate,
                    window_start=start,
                    defaults={"votes": n, "expected": int(threshold), "addresses": len(addresses[(candidate, start)])},
                )
        except IntegrityError:
            continue
        if is_new:
            flagged.append(anomaly)
        elif anomaly.votes != n:
            Anomaly.objects.filter(pk=anomaly.pk).update(votes=n, addresses=len(addresses[(candidate, start)]))
    return flagged
