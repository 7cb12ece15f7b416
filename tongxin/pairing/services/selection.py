"""Two-way selection: rankings, fit-score suggestions and the matching run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import hats
from tongxin.core.choices import ChangeAction, ChangeSource
from tongxin.core.context import ChangeContext, current
from tongxin.core.exceptions import WorkflowError
from tongxin.core.models import ObjectChange
from tongxin.core.scope import allowed, require
from tongxin.enterprises.models import Enterprise
from tongxin.matching import Market, Proposing
from tongxin.matching.errors import MatchingInputError
from tongxin.matching.fit import Enterprise as FitEnterprise
from tongxin.matching.fit import FitModel
from tongxin.matching.fit import Village as FitVillage
from tongxin.pairing.choices import EventKind, Origin, PairStatus, Side, Stage
from tongxin.pairing.models import Campaign, CampaignEvent, MatchRun, Pair, Participant, Preference
from tongxin.pairing.models.campaign import UnmatchedParty
from tongxin.pairing.services.campaigns import RANKING_STAGE, event, require_stage, require_version
from tongxin.pairing.services.errors import PairingError
from tongxin.regions.models import Village

T = TypeVar("T")


def is_contact_of(user: Any, participant: Participant) -> bool:
    """Whether the user is a contact of the participating enterprise or village."""
    return any(
        (hat.role == Role.ENTERPRISE_CONTACT and participant.enterprise_id == hat.enterprise_id)
        or (hat.role == Role.VILLAGE_CONTACT and participant.village_id == hat.village_id)
        for hat in hats(user)
        if participant.enterprise_id is not None or participant.village_id is not None
    )


@transaction.atomic
def preferences_set(
    *,
    participant: Participant,
    user: Any,
    partners: Sequence[int],
    capacity: int | None = None,
    version: int | None = None,
) -> Participant:
    """Replace ``participant``'s ranking with ``partners`` (ids of the other side, best first).

    The contact of the enterprise or village ranks for it (and may say how many partners
    it can take, ``capacity``); county or township staff may enter it on their behalf,
    which is recorded as such. Pages and the API pass the ``version`` the ranking was
    read at: a ranking changed meanwhile by someone else is not overwritten (409).
    """
    participant = Participant.objects.select_for_update().select_related("campaign").get(pk=participant.pk)
    require(user, participant, "rank")
    require_version(participant, version)
    require_stage(participant.campaign, RANKING_STAGE)
    if len(set(partners)) != len(partners):
        raise PairingError(_("A partner can be ranked only once."), "duplicate")
    other = Side.VILLAGE if participant.side == Side.ENTERPRISE else Side.ENTERPRISE
    key = "village_id" if other == Side.VILLAGE else "enterprise_id"
    allowed = set(
        Participant.objects.filter(
            campaign=participant.campaign, side=other, **{f"{key}__in": list(partners)}
        ).values_list(key, flat=True)
    )
    unknown = [p for p in partners if p not in allowed]
    if unknown:
        raise PairingError(_("Not a participant of this campaign: %(ids)s") % {"ids": unknown[:5]}, "unknown")
    participant.preferences.all().delete()
    Preference.objects.bulk_create(
        [Preference(participant=participant, rank=rank, **{key: partner}) for rank, partner in enumerate(partners, 1)]
    )
    if capacity is not None:
        if not 0 <= capacity <= 20:
            raise PairingError(_("A capacity is between 0 and 20."), "capacity")
        participant.capacity = capacity
    participant.ranking = list(partners)
    participant.ranked_at = timezone.now()
    participant.ranked_by = user
    participant.on_behalf = not is_contact_of(user, participant)
    participant.save()
    return participant


def build_fit_model(campaign: Campaign) -> FitModel:
    """The fit model over the campaign's participants (villages and enterprises by id).

    Six queries whatever the campaign's size: the participating villages and enterprises
    with their capacities, and their needs, advantages and offers.
    """
    return _fit_model(_parties(campaign))


@dataclass(slots=True)
class _Party:
    """What a run needs of one participating village or enterprise (loaded in bulk)."""

    name: str
    township_id: int
    county_id: int
    lat: float
    lon: float
    capacity: int
    industry: str = ""
    tags: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))  # needs or offers; advantages
    located: bool = True  # False: no stored coordinates (the fit model places it at 0, 0)


@dataclass
class _Parties:
    villages: dict[int, _Party]
    enterprises: dict[int, _Party]


def _party(row: tuple[Any, ...], capacity: int, industry: str = "") -> _Party:
    """A party from (pk, name, township, county, latitude, longitude); without stored
    coordinates it is placed at 0, 0 for the fit model and marked as not located."""
    _pk, name, township, county, lat, lon = row
    located = lat is not None and lon is not None
    return _Party(name, township, county, float(lat or 0), float(lon or 0), capacity, industry, located=located)


def _parties(campaign: Campaign) -> _Parties:
    """The participating villages and enterprises with their profile for the fit score."""
    joined = campaign.participants.order_by()
    capacity = {
        (side, e or v): cap for side, e, v, cap in joined.values_list("side", "enterprise_id", "village_id", "capacity")
    }
    village_ids = joined.filter(village__isnull=False).values("village_id")
    enterprise_ids = joined.filter(enterprise__isnull=False).values("enterprise_id")
    columns = ("pk", "name", "township_id", "township__county_id", "latitude", "longitude")
    villages = {
        row[0]: _party(row, capacity[(Side.VILLAGE, row[0])])
        for row in Village.objects.filter(pk__in=village_ids).order_by("pk").values_list(*columns)
    }
    enterprises = {
        row[0]: _party(row[:-1], capacity[(Side.ENTERPRISE, row[0])], industry=row[-1])
        for row in Enterprise.objects.filter(pk__in=enterprise_ids).order_by("pk").values_list(*columns, "industry")
    }
    tagged: list[tuple[Any, str, Any, dict[int, _Party], int]] = [
        (Village.needs.through, "village_id", village_ids, villages, 0),
        (Village.advantages.through, "village_id", village_ids, villages, 1),
        (Enterprise.offers.through, "enterprise_id", enterprise_ids, enterprises, 0),
    ]
    for through, owner, ids, parties, slot in tagged:
        for pk, tag in through.objects.filter(**{f"{owner}__in": ids}).values_list(owner, "capability_id"):
            parties[pk].tags[slot].add(tag)
    return _Parties(villages, enterprises)


def fit_parties(campaign: Campaign) -> tuple[FitModel, _Parties]:
    """The fit model and the parties it was built from (whether each has coordinates)."""
    parties = _parties(campaign)
    return _fit_model(parties), parties


def _fit_model(parties: _Parties) -> FitModel:
    return FitModel(
        [
            FitVillage(
                id=pk,
                lat=p.lat,
                lon=p.lon,
                needs=frozenset(p.tags[0]),
                advantages=frozenset(p.tags[1]),
                capacity=p.capacity,
            )
            for pk, p in parties.villages.items()
        ],
        [
            FitEnterprise(
                id=pk, lat=p.lat, lon=p.lon, offers=frozenset(p.tags[0]), industry=p.industry, capacity=p.capacity
            )
            for pk, p in parties.enterprises.items()
        ],
    )


def suggested_partners(*, participant: Participant, k: int = 10, model: FitModel | None = None) -> list[dict[str, Any]]:
    """The ``k`` best-fitting partners for ``participant``, with the score broken down."""
    model = model or build_fit_model(participant.campaign)
    if participant.side == Side.VILLAGE:
        top = model.top_enterprises(k, 50.0, 800.0)
        row = participant.village_id
    else:
        top = model.top_villages(k, 50.0, 800.0)
        row = participant.enterprise_id
    try:
        candidates = top.candidates(row)
    except KeyError:
        return []
    return [{"id": c.id, "score": c.score} for c in candidates]


def market_from_inputs(inputs: dict[str, Any]) -> Market[int, int]:
    """Rebuild the engine's market from a run's stored inputs (reproducible runs)."""
    e_cap = {int(k): v for k, v in inputs["capacity"]["enterprise"].items()}
    v_cap = {int(k): v for k, v in inputs["capacity"]["village"].items()}
    e_prefs = {int(k): v for k, v in inputs["preferences"]["enterprise"].items()}
    v_prefs = {int(k): v for k, v in inputs["preferences"]["village"].items()}
    return Market(e_prefs, v_prefs, e_cap, v_cap)


def explanation_data(explanation: Any) -> dict[str, Any]:
    """A stored, translatable form of an engine explanation."""
    return {
        "reason": str(explanation.reason),
        "text": explanation.text(),
        "enterprise_rank": explanation.enterprise_side.rank_of_other,
        "village_rank": explanation.village_side.rank_of_other,
        "village_prefers": list(explanation.village_side.preferred_partners),
        "enterprise_prefers": list(explanation.enterprise_side.preferred_partners),
    }


def latest_run(campaign: Campaign) -> MatchRun | None:
    """The campaign's latest finished run (the rankings later checks and explanations use)."""
    return campaign.match_runs.filter(status=MatchRun.Status.DONE).order_by("-created").first()


# --------------------------------------------------------------------------- the run
#
# A run is started by a request (``match_run_start``: checks, one waiting MatchRun row, a
# task enqueued when the transaction commits) and carried out by the task
# (``match_run_execute``): load the rankings, solve, write the proposals, explain the
# unmatched, all in one transaction, reporting its progress to the cache as it goes.
# ``match_run_create`` does both at once, in the caller's process (commands, the demo).

# A run that has been waiting or running this long is taken as lost (its worker died):
# it no longer blocks a new run and is marked failed when one starts.
STALE_AFTER = timedelta(minutes=30)
BATCH = 2000  # rows per INSERT/UPDATE statement, and per progress report while writing

Progress = Callable[[str, int, int], None]


class MatchRunningError(PairingError):
    """A run of the campaign is already waiting or running: a second one is refused."""

    def __init__(self, run: MatchRun) -> None:
        super().__init__(_("A matching run of this campaign is already under way."), "running")
        self.run = run


def run_under_way(campaign: Campaign) -> MatchRun | None:
    """The campaign's run that is waiting or running, unless lost (see ``STALE_AFTER``)."""
    active = campaign.match_runs.filter(status__in=(MatchRun.Status.PENDING, MatchRun.Status.RUNNING))
    return active.filter(created__gte=timezone.now() - STALE_AFTER).order_by("-created").first()


def _started(campaign: Campaign, user: Any, proposing: str | None) -> MatchRun:
    """Check and create a waiting run (the caller holds a transaction)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(user, campaign, "match")
    require_stage(campaign, Stage.MATCHING)
    side = proposing or campaign.proposing
    if side not in Side.values:
        raise PairingError(_("The proposing side is an enterprise or a village."), "proposing")
    running = run_under_way(campaign)
    if running is not None:
        raise MatchRunningError(running)
    active = campaign.match_runs.filter(status__in=(MatchRun.Status.PENDING, MatchRun.Status.RUNNING))
    for lost in active.filter(created__lt=timezone.now() - STALE_AFTER):
        _finish(lost, MatchRun.Status.FAILED, error=str(_("The run was lost (its worker stopped).")))
    run = MatchRun(campaign=campaign, proposing=side, run_by=user, status=MatchRun.Status.PENDING)
    run.save()
    return run


@transaction.atomic
def match_run_start(*, campaign: Campaign, user: Any, proposing: str | None = None) -> MatchRun:
    """Start a matching run in the background; returns the waiting run.

    The campaign row is locked while checking, so two requests at once (a double submit)
    start one run: the second is refused with :class:`MatchRunningError`, which names the
    run under way, as long as one is waiting or running.
    """
    from tongxin.pairing.tasks import run_matching

    run = _started(campaign, user, proposing)
    ctx = current()
    source = ctx.source if ctx is not None else ChangeSource.SYSTEM
    transaction.on_commit(partial(run_matching.enqueue, run.pk, source))
    return run


@transaction.atomic
def match_run_create(*, campaign: Campaign, user: Any, proposing: str | None = None) -> MatchRun:
    """Run the stable matching now, in this process and transaction (commands, the demo, tests)."""
    run = _started(campaign, user, proposing)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING, started=timezone.now(), version=F("version") + 1
    )
    try:
        return _execute(run.pk, _report(run))
    finally:
        cache.delete(run.progress_key)


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Carry out a started run (the background task calls this); ``None`` if it was not waiting.

    Claiming the run (waiting → running) is one conditional update, so a task delivered
    twice runs once. Everything else happens in one transaction: a run that fails writes
    nothing but its status and error.
    """
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.PENDING).update(
        status=MatchRun.Status.RUNNING, started=timezone.now(), version=F("version") + 1
    )
    if not claimed:
        return None
    run = MatchRun.objects.defer("inputs", "result").get(pk=run_id)
    report = _report(run)
    try:
        with transaction.atomic():
            return _execute(run_id, report)
    except WorkflowError as exc:
        _finish(run, MatchRun.Status.FAILED, error=str(exc.message))
        failed: MatchRun = MatchRun.objects.defer("inputs", "result").get(pk=run_id)
        return failed
    except Exception:
        _finish(
            run, MatchRun.Status.FAILED, error=str(_("The run failed unexpectedly; the error is in the server log."))
        )
        raise
    finally:
        cache.delete(run.progress_key)


def _report(run: MatchRun) -> Progress:
    key = run.progress_key

    def report(step: str, done: int, total: int) -> None:
        cache.set(key, {"step": step, "done": done, "total": total}, timeout=int(STALE_AFTER.total_seconds()))

    return report


# Where each step starts and ends on the progress bar (percent), roughly its share of the
# time in bench/web_matching.py; the last 10 % are the run's record and the commit.
STEP_SPANS: dict[str, tuple[int, int]] = {
    MatchRun.Step.LOADING: (0, 8),
    MatchRun.Step.SOLVING: (8, 12),
    MatchRun.Step.WRITING: (12, 84),
    MatchRun.Step.EXPLAINING: (84, 90),
}


def match_run_progress(run: MatchRun) -> dict[str, Any]:
    """Where a run is: its status, the step it is at (code and label) and a percentage."""
    if not run.active:
        return {"status": run.status, "step": "", "step_label": "", "percent": 100 if run.status == "done" else 0}
    state = cache.get(run.progress_key) or {"step": "", "done": 0, "total": 0}
    start, end = STEP_SPANS.get(state["step"], (0, 0))
    share = state["done"] / state["total"] if state["total"] else 0
    labels = dict(MatchRun.Step.choices)
    return {
        "status": run.status,
        "step": state["step"],
        "step_label": str(labels.get(state["step"], MatchRun.Status(run.status).label)),
        "percent": int(start + (end - start) * share),
    }


@transaction.atomic
def _finish(run: MatchRun, status: str, **values: Any) -> None:
    """Set a run's status and outcome in one UPDATE, with one change record of the fields set.

    The results (inputs, pairs) are the run's own record and are not copied into the change
    log; the record holds the small fields: status, times, timings, error.
    """
    values = {"status": status, "finished": timezone.now(), **values}
    before = MatchRun.objects.filter(pk=run.pk).values(*(k for k in values if k not in ("inputs", "result"))).first()
    MatchRun.objects.filter(pk=run.pk).update(**values, version=F("version") + 1, last_updated=timezone.now())
    logged = {k: v for k, v in values.items() if k not in ("inputs", "result")}
    _log_changes(MatchRun, [(run.pk, str(run), before, logged)], ChangeAction.UPDATE)


@dataclass
class _Loaded:
    """A campaign's rankings and capacities as the engine takes them, and as the run stores them."""

    enterprise_capacity: dict[int, int]
    village_capacity: dict[int, int]
    enterprise_prefs: dict[int, list[int]]
    village_prefs: dict[int, list[int]]

    def inputs(self) -> dict[str, Any]:
        return {
            "capacity": {
                "enterprise": {str(k): v for k, v in self.enterprise_capacity.items()},
                "village": {str(k): v for k, v in self.village_capacity.items()},
            },
            "preferences": {
                "enterprise": {str(k): v for k, v in self.enterprise_prefs.items()},
                "village": {str(k): v for k, v in self.village_prefs.items()},
            },
        }


def _load(campaign: Campaign) -> _Loaded:
    """Capacities and rankings of both sides in one query.

    Each participant's ranking is read from its list (``Participant.ranking``), which
    :func:`preferences_set` writes in the same transaction as the ranking entries
    (``Preference`` rows): one row per participant instead of one per entry.
    """
    loaded = _Loaded({}, {}, {}, {})
    rows = campaign.participants.order_by("pk").values_list(
        "side", "enterprise_id", "village_id", "capacity", "ranking"
    )
    for side, enterprise, village, capacity, ranking in rows.iterator(chunk_size=10_000):
        if side == Side.ENTERPRISE:
            loaded.enterprise_capacity[enterprise] = capacity
            if ranking:
                loaded.enterprise_prefs[enterprise] = ranking
        else:
            loaded.village_capacity[village] = capacity
            if ranking:
                loaded.village_prefs[village] = ranking
    return loaded


def _execute(run_id: int, report: Progress) -> MatchRun:
    """Load, solve, write and explain one run (the caller holds the transaction)."""
    clock = _Clock()
    run: MatchRun = MatchRun.objects.select_related("run_by").defer("inputs", "result").get(pk=run_id)
    campaign = Campaign.objects.select_for_update().get(pk=run.campaign_id)
    user = run.run_by
    if user is None or not allowed(user, campaign, "match"):
        raise PairingError(_("The person who started the run may no longer run the matching."), "forbidden")
    require_stage(campaign, Stage.MATCHING)

    report(MatchRun.Step.LOADING, 0, 1)
    loaded = _load(campaign)
    clock.lap(MatchRun.Step.LOADING)

    report(MatchRun.Step.SOLVING, 0, 1)
    started = time.perf_counter()
    try:
        market = Market(
            loaded.enterprise_prefs, loaded.village_prefs, loaded.enterprise_capacity, loaded.village_capacity
        )
        result = market.solve(Proposing.ENTERPRISES if run.proposing == Side.ENTERPRISE else Proposing.VILLAGES)
    except MatchingInputError as exc:
        raise PairingError(_("The rankings cannot be matched: %(detail)s") % {"detail": exc.detail}, "input") from exc
    duration = int((time.perf_counter() - started) * 1000)
    clock.lap(MatchRun.Step.SOLVING)

    parties = _parties(campaign)
    written = _write_proposals(campaign, run, user, result, parties, report)
    clock.lap(MatchRun.Step.WRITING)

    unmatched = _explain_unmatched(run, result, loaded, parties, report)
    clock.lap(MatchRun.Step.EXPLAINING)

    pairs = result.pairs
    event(campaign=campaign, kind=EventKind.MATCH_RUN, actor=user, run=run.pk, pairs=len(pairs))
    _finish(
        run,
        MatchRun.Status.DONE,
        inputs=loaded.inputs(),
        result={
            "pairs": [list(p) for p in pairs],
            "unmatched_enterprises": result.unmatched_enterprises(),
            "unmatched_villages": result.unmatched_villages(),
            "dropped_enterprise_entries": result.dropped_enterprise_entries,
            "dropped_village_entries": result.dropped_village_entries,
            "written": written,
            "unmatched_explained": unmatched,
        },
        duration_ms=duration,
        timings=clock.laps | {"total": clock.total()},
    )
    run.refresh_from_db()
    return run


class _Clock:
    """Milliseconds per step."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, int] = {}

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = int((now - self.last) * 1000)
        self.last = now

    def total(self) -> int:
        return int((time.perf_counter() - self.start) * 1000)


Row = dict[str, Any]
# What a run sets on each pair it proposes that differs from pair to pair.
PER_PAIR_FIELDS = ("township_id", "fit_score", "fit_parts", "explanation")


def _write_proposals(
    campaign: Campaign, run: MatchRun, user: Any, result: Any, parties: _Parties, report: Progress
) -> dict[str, int]:
    """Write the run's proposals in bulk, with their events and change records.

    Nothing is deleted: an unreviewed proposal of an earlier run that this run proposes
    again is carried over to this run, one it no longer proposes is marked superseded
    (and a superseded one proposed again comes back); reviewed ones and county overrides
    are kept as they are.

    Rows are written in bulk (``_insert``, ``_update_rows``), which bypasses ``save()``
    and the change-log signals, so this does what they would: the pair's township from
    its village, the same-county rule (checked for all pairs at once), version and time
    stamps, and one change record per pair created (its state after) or changed (before
    and after), attributed to the run's context (the person and the page or API).
    """
    pairs: list[tuple[int, int]] = result.pairs
    for enterprise_id, village_id in pairs:
        e, v = parties.enterprises.get(enterprise_id), parties.villages.get(village_id)
        if e is None or v is None or e.county_id != campaign.county_id or v.county_id != campaign.county_id:
            raise PairingError(_("A proposed pair is not in the campaign's county."), "county")
    now = timezone.now()
    wanted = set(pairs)
    fields = [f.attname for f in Pair._meta.concrete_fields]
    open_ = (PairStatus.PROPOSED, PairStatus.SUPERSEDED)
    earlier: dict[tuple[int, int], Row] = {
        (row["enterprise_id"], row["village_id"]): row
        for row in campaign.pairs.filter(status__in=open_, origin=Origin.MATCHED)
        .order_by()
        .select_for_update()
        .values(*fields)
    }
    kept = set(campaign.pairs.order_by().values_list("enterprise_id", "village_id")) - set(earlier)

    def label(row: Row) -> str:
        return f"{parties.enterprises[row['enterprise_id']].name} — {parties.villages[row['village_id']].name}"

    # Earlier proposals this run no longer makes: superseded.
    stale = [row for key, row in earlier.items() if key not in wanted and row["status"] == PairStatus.PROPOSED]
    for batch in _chunks(stale, BATCH):
        Pair.objects.filter(pk__in=[row["id"] for row in batch]).update(
            status=PairStatus.SUPERSEDED, version=F("version") + 1, last_updated=now
        )
    superseded = [
        {**row, "status": PairStatus.SUPERSEDED, "version": row["version"] + 1, "last_updated": now} for row in stale
    ]
    _log_changes(
        Pair,
        [(row["id"], label(row), before, row) for before, row in zip(stale, superseded, strict=True)],
        ChangeAction.UPDATE,
    )
    _events(campaign, user, run, EventKind.SUPERSEDED, [row["id"] for row in stale], now)

    model = _fit_model(parties)
    blank = {f.attname: f.get_default() for f in Pair._meta.concrete_fields if not f.primary_key}
    todo = [key for key in pairs if key not in kept]
    created = carried = 0
    report(MatchRun.Step.WRITING, 0, len(todo))
    for done, chunk in enumerate(_chunks(todo, BATCH)):
        new: list[Row] = []
        again: list[tuple[Row, Row]] = []
        for enterprise_id, village_id in chunk:
            fit = model.score(village_id, enterprise_id)
            proposal = {
                "township_id": parties.villages[village_id].township_id,
                "status": PairStatus.PROPOSED,
                "match_run_id": run.pk,
                "proposed_by_id": user.pk,
                "fit_score": round(fit.score.total, 4),
                "fit_parts": _fit_parts(fit),
                "explanation": explanation_data(result.explain(enterprise_id, village_id)),
                "last_updated": now,
            }
            before = earlier.get((enterprise_id, village_id))
            if before is None:
                new.append(
                    {
                        **blank,
                        "created": now,
                        "campaign_id": campaign.pk,
                        "enterprise_id": enterprise_id,
                        "village_id": village_id,
                        "origin": Origin.MATCHED,
                        **proposal,
                    }
                )
            else:
                again.append((before, {**before, **proposal, "version": before["version"] + 1}))
        _insert(Pair, new)
        # Carried over: what every proposal of this run shares in one UPDATE, the per-pair
        # values (fit, explanation, township) only where they changed.
        Pair.objects.filter(pk__in=[after["id"] for _b, after in again]).update(
            status=PairStatus.PROPOSED, match_run=run, proposed_by=user, version=F("version") + 1, last_updated=now
        )
        _update_rows(
            Pair,
            [after for before, after in again if any(after[f] != before[f] for f in PER_PAIR_FIELDS)],
            PER_PAIR_FIELDS,
        )
        _log_changes(Pair, [(row["id"], label(row), None, row) for row in new], ChangeAction.CREATE)
        _log_changes(Pair, [(row["id"], label(row), before, row) for before, row in again], ChangeAction.UPDATE)
        _events(campaign, user, run, EventKind.PROPOSED, [row["id"] for row in new] + [a["id"] for _b, a in again], now)
        created += len(new)
        carried += len(again)
        report(MatchRun.Step.WRITING, min((done + 1) * BATCH, len(todo)), len(todo))
    return {"created": created, "carried_over": carried, "superseded": len(stale), "kept": len(wanted & kept)}


def _explain_unmatched(run: MatchRun, result: Any, loaded: _Loaded, parties: _Parties, report: Progress) -> int:
    """Store why each unmatched party did not get its first choice (the run page reads these)."""
    todo: list[tuple[str, int, list[int]]] = [
        (Side.ENTERPRISE, e, loaded.enterprise_prefs.get(e, [])) for e in result.unmatched_enterprises()
    ] + [(Side.VILLAGE, v, loaded.village_prefs.get(v, [])) for v in result.unmatched_villages()]
    report(MatchRun.Step.EXPLAINING, 0, len(todo))
    for done, chunk in enumerate(_chunks(todo, BATCH)):
        rows: list[Row] = []
        for side, party, ranking in chunk:
            first = ranking[0] if ranking else None
            e: int | None
            v: int | None
            if side == Side.ENTERPRISE:
                e, v, township = party, first, parties.enterprises[party].township_id
            else:
                e, v, township = first, party, parties.villages[party].township_id
            data = explanation_data(result.explain(e, v)) if first is not None else {}
            rows.append(
                {
                    "run_id": run.pk,
                    "side": side,
                    "enterprise_id": e,
                    "village_id": v,
                    "township_id": township,
                    "explanation": data,
                }
            )
        _insert(UnmatchedParty, rows)
        report(MatchRun.Step.EXPLAINING, min((done + 1) * BATCH, len(todo)), len(todo))
    return len(todo)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _events(campaign: Campaign, user: Any, run: MatchRun, kind: str, pair_ids: list[int], now: datetime) -> None:
    rows = [
        {
            "campaign_id": campaign.pk,
            "pair_id": pk,
            "kind": kind,
            "actor_id": user.pk,
            "time": now,
            "reason": "",
            "data": {"run": run.pk},
        }
        for pk in pair_ids
    ]
    _insert(CampaignEvent, rows)


def _log_changes(model: type[Any], changes: list[tuple[int, str, Row | None, Row | None]], action: str) -> None:
    """Change records for rows written in bulk (which the change-log signals do not see).

    ``changes`` holds (pk, label, state before, state after) with states as ``{attname:
    value}``, as the signals record them: a created row's whole state after; for an updated
    row, the fields that changed, before and after (``ObjectChange.diff`` reads the same).
    The records carry the acting user, the request id and the source of the current change
    context, as the signals' would.
    """
    if not changes:
        return
    ctx = current() or ChangeContext(source=ChangeSource.SYSTEM)
    user = ctx.get_user()
    common = {
        "time": timezone.now(),
        "user_id": user.pk if user is not None else None,
        "user_name": user.get_username() if user is not None else "",
        "request_id": ctx.request_id,
        "source": ctx.source,
        "action": action,
        "changed_object_type_id": ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
    }
    rows = []
    for pk, label, before, after in changes:
        if before is not None and after is not None:  # an update: the fields it changed
            changed = [key for key, value in after.items() if before.get(key) != value]
            before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
        rows.append(
            {
                **common,
                "changed_object_id": pk,
                "object_repr": label[:200],
                "prechange_data": before,
                "postchange_data": after,
            }
        )
    _insert(ObjectChange, rows)


def _insert(model: type[Any], rows: list[Row]) -> None:
    """Insert rows given as ``{attname: value}`` for every concrete field but the primary
    key, and set each row's ``id``. JSON values may hold dates and times (Django's encoder).

    PostgreSQL: ids from the table's sequence, then one ``COPY`` (several times faster than
    ``bulk_create``, which sends each column as an array). Elsewhere: ``bulk_create``.
    """
    if not rows:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    json_fields = [f.attname for f in fields if isinstance(f, models.JSONField)]
    if connection.vendor != "postgresql":
        for row in rows:
            for name in json_fields:
                row[name] = json.loads(json.dumps(row[name], cls=DjangoJSONEncoder))
        made = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        for row, obj in zip(rows, made, strict=True):
            row["id"] = obj.pk
        return
    quote = connection.ops.quote_name
    columns = [meta.pk, *fields]
    is_json = [isinstance(f, models.JSONField) for f in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = pk
        names = ", ".join(quote(f.column) for f in columns)
        dumps = DjangoJSONEncoder().encode
        with cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        (dumps(row[f.attname]) if row[f.attname] is not None else None) if j else row[f.attname]
                        for f, j in zip(columns, is_json, strict=True)
                    ]
                )


def _update_rows(model: type[Any], rows: list[Row], fields: Sequence[str]) -> None:
    """Write ``fields`` (attnames) of many rows, one ``UPDATE … FROM (VALUES …)`` per batch.

    Django's ``bulk_update`` builds a CASE expression per field and row, which costs
    seconds per thousand rows; this costs milliseconds. PostgreSQL and SQLite (3.33+).
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name.removesuffix("_id")) for name in fields)]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    names = [quote(column.column) for column in columns]
    sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    if connection.vendor == "postgresql":
        row_sql = "(" + ", ".join(f"%s::{column.db_type(connection)}" for column in columns) + ")"
    else:
        row_sql = "(" + ", ".join("%s" for _c in columns) + ")"
    with connection.cursor() as cursor:
        for batch in _chunks(rows, BATCH):
            params = [
                column.get_db_prep_save(
                    _jsonable(row[column.attname]) if isinstance(column, models.JSONField) else row[column.attname],
                    connection,
                )
                for row in batch
                for column in columns
            ]
            values = ", ".join([row_sql] * len(batch))
            if connection.vendor == "postgresql":
                source = f"(VALUES {values}) AS v ({', '.join(names)})"
            else:  # SQLite names VALUES columns column1, column2, …
                aliases = ", ".join(f"column{i} AS {name}" for i, name in enumerate(names, 1))
                source = f"(SELECT {aliases} FROM (VALUES {values})) AS v"  # noqa: S608
            # Only quoted names from the model's meta and placeholders go into the statement.
            cursor.execute(f"UPDATE {table} SET {sets} FROM {source} WHERE {table}.{pk} = v.{pk}", params)  # noqa: S608


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _fit_parts(fit: Any) -> dict[str, Any]:
    score = fit.score
    return {
        "need": round(score.need, 4),
        "advantage": round(score.advantage, 4),
        "distance": round(score.distance, 4),
        "capacity": round(score.capacity, 4),
        "distance_km": round(score.distance_km, 1),
        "needs_met": sorted(fit.needs_met),
        "advantages_complemented": sorted(fit.advantages_complemented),
    }
