"""The public vote: a voter proves a mainland mobile number with a one-time code, then
votes for up to the number of places, once per candidate.

- The number is never stored: only ``HMAC-SHA256(key, number)`` (``phone_hash``), with
  ``SELECTION_PHONE_HASH_KEY`` (default: derived from ``SECRET_KEY``). Codes and client
  addresses are kept as keyed hashes too.
- Once per candidate is a database constraint (``selection_vote_once_per_candidate``);
  at most ``places`` votes is a conditional update of the voter's count
  (``ballots < places``), in the same transaction as the vote: neither depends on a read
  that a parallel request could overtake.
- Rate limits are counted in the database (exact across processes): per number, one code
  a minute and ``CODES_PER_NUMBER_HOUR`` an hour; per address, ``CODES_PER_ADDRESS_HOUR``
  codes and ``VOTES_PER_ADDRESS_HOUR`` votes an hour.
- A proof of work (:mod:`tongxin.selection.pow`, altcha) comes before a code is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import identifiers
from tongxin.core.exceptions import WorkflowError
from tongxin.selection.choices import NominationStatus, Stage
from tongxin.selection.models import Nomination, PhoneCode, Selection, Vote, Voter
from tongxin.selection.sms import Message, SendError, sender

DEFAULTS: dict[str, int] = {
    "CODE_MINUTES": 5,
    "CODE_TRIES": 5,
    "CODE_INTERVAL_SECONDS": 60,
    "CODES_PER_NUMBER_HOUR": 5,
    "CODES_PER_ADDRESS_HOUR": 20,
    "VOTES_PER_ADDRESS_HOUR": 200,
}


def limit(name: str) -> int:
    """A limit of the public vote: ``SELECTION_LIMITS[name]`` or its default."""
    return int(getattr(settings, "SELECTION_LIMITS", {}).get(name, DEFAULTS[name]))


def _key() -> bytes:
    configured = getattr(settings, "SELECTION_PHONE_HASH_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(str(settings.SECRET_KEY).encode(), b"tongxin.selection.phone", hashlib.sha256).digest()


def keyed_hash(value: str, purpose: str = "phone") -> str:
    """HMAC-SHA256 of ``value`` under the selection key (hex); ``purpose`` separates uses."""
    return hmac.new(_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_phone(phone: str) -> str:
    """A mainland mobile number (11 digits, 1[3-9]…), else WorkflowError."""
    try:
        return identifiers.validate_mobile(phone or "")
    except identifiers.IdentifierError as exc:
        raise WorkflowError(_("Enter a mainland mobile number of 11 digits."), "phone") from exc


def _open_for_votes(selection: Selection) -> None:
    if selection.stage != Stage.VOTING:
        raise WorkflowError(_("The public vote of this selection is not open."), "closed")


def code_request(*, selection: Selection, phone: str, address: str, now: datetime | None = None) -> PhoneCode:
    """Send a one-time code to ``phone`` (after the proof of work, which the view checks).

    Refused: vote closed, a number that is not a mainland mobile, a code asked for the
    same number less than a minute ago, too many codes for the number or the address in
    the past hour."""
    now = now or timezone.now()
    _open_for_votes(selection)
    number = normalise_phone(phone)
    phone_hash = phone_key(number)
    address_hash = keyed_hash(address, "address")
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        recent = PhoneCode.objects.filter(phone_hash=phone_hash, created__gte=hour_ago)
        last = recent.order_by("-created").values_list("created", flat=True).first()
        if last is not None and now - last < timedelta(seconds=limit("CODE_INTERVAL_SECONDS")):
            raise WorkflowError(_("A code was just sent to this number: wait a minute before asking again."), "wait")
        if recent.count() >= limit("CODES_PER_NUMBER_HOUR"):
            raise WorkflowError(_("Too many codes for this number: try again in an hour."), "number_limit")
        by_address = PhoneCode.objects.filter(address_hash=address_hash, created__gte=hour_ago).count()
        if by_address >= limit("CODES_PER_ADDRESS_HOUR"):
            raise WorkflowError(_("Too many codes from this network: try again later."), "address_limit")
        code = f"{secrets.randbelow(1_000_000):06d}"
        minutes = limit("CODE_MINUTES")
        record = PhoneCode.objects.create(
            selection=selection,
            phone_hash=phone_hash,
            code_hash=keyed_hash(code, f"code:{phone_hash}"),
            address_hash=address_hash,
            expires=now + timedelta(minutes=minutes),
        )
    try:
        sender().send(Message(phone=number, code=code, minutes=minutes))
    except SendError as exc:
        raise WorkflowError(_("The code could not be sent: try again later."), "send") from exc
    return record


def phone_key(phone: str) -> str:
    """The keyed hash of a mobile number (what is stored, and kept in the session while
    the code is on its way)."""
    return keyed_hash(normalise_phone(phone))


def code_verify(*, selection: Selection, phone_hash: str, code: str, now: datetime | None = None) -> Voter:
    """The voter of this number (by its keyed hash, :func:`phone_key`), once the code sent
    to it is given (within its minutes, at most ``CODE_TRIES`` wrong tries, used once)."""
    now = now or timezone.now()
    _open_for_votes(selection)
    refusal: WorkflowError | None = None
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(selection=selection, phone_hash=phone_hash, used=False)
            .order_by("-created")
            .first()
        )
        if record is None or record.expires <= now:
            refusal = WorkflowError(_("The code has expired: ask for a new one."), "expired")
        elif record.attempts >= limit("CODE_TRIES"):
            refusal = WorkflowError(_("Too many wrong codes: ask for a new one."), "tries")
        elif not hmac.compare_digest(keyed_hash((code or "").strip(), f"code:{phone_hash}"), record.code_hash):
            # Counted (and kept: the refusal is raised after the transaction commits).
            PhoneCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
            refusal = WorkflowError(_("The code is wrong."), "wrong")
        else:
            PhoneCode.objects.filter(pk=record.pk).update(used=True)
    if refusal is not None:
        raise refusal
    return _voter(selection, phone_hash)


def _voter(selection: Selection, phone_hash: str) -> Voter:
    try:
        with transaction.atomic():
            voter, _created = Voter.objects.get_or_create(selection=selection, phone_hash=phone_hash)
    except IntegrityError:  # verified in parallel: the other request made the row
        voter = Voter.objects.get(selection=selection, phone_hash=phone_hash)
    return voter


def vote_cast(*, voter_id: int | None, nomination: Nomination, address: str, now: datetime | None = None) -> Vote:
    """One vote of a verified voter for one short-listed candidate of an open vote.

    Refused: no verified voter (``unverified``), the vote closed, a candidate not on the
    short list, a second vote for the same candidate (``duplicate``: the database's unique
    constraint decides), more votes than places (``no_votes_left``: a conditional update
    decides), too many votes from the address in the past hour."""
    now = now or timezone.now()
    if voter_id is None:
        raise WorkflowError(_("Prove your mobile number before voting."), "unverified")
    nomination = Nomination.objects.select_related("selection").get(pk=nomination.pk)  # as it is now
    selection = nomination.selection
    _open_for_votes(selection)
    if nomination.status != NominationStatus.SHORTLISTED:
        raise WorkflowError(_("This candidate is not on the short list."), "candidate")
    voter = Voter.objects.filter(pk=voter_id, selection_id=selection.pk).first()
    if voter is None:
        raise WorkflowError(_("Prove your mobile number before voting."), "unverified")
    address_hash = keyed_hash(address, "address")
    by_address = Vote.objects.filter(address_hash=address_hash, created__gte=now - timedelta(hours=1)).count()
    if by_address >= limit("VOTES_PER_ADDRESS_HOUR"):
        raise WorkflowError(_("Too many votes from this network: try again later."), "address_limit")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                selection=selection, voter=voter, nomination=nomination, address_hash=address_hash
            )
            taken = Voter.objects.filter(pk=voter.pk, ballots__lt=selection.places).update(ballots=F("ballots") + 1)
            if not taken:
                raise WorkflowError(
                    _("You have used all your %(places)s votes.") % {"places": selection.places}, "no_votes_left"
                )
    except IntegrityError as exc:
        raise WorkflowError(_("You already voted for this candidate."), "duplicate") from exc
    return vote


def voted_for(voter_id: int | None) -> set[int]:
    """The candidates this voter voted for (to show on the ballot)."""
    if voter_id is None:
        return set()
    return set(Vote.objects.filter(voter_id=voter_id).values_list("nomination_id", flat=True))


def votes_per_candidate(selection: Selection) -> dict[int, int]:
    """Aggregate counts only: {candidate id: votes}."""
    from django.db.models import Count

    rows: Any = Vote.objects.filter(selection=selection).values("nomination_id").annotate(n=Count("pk")).order_by()
    return {row["nomination_id"]: row["n"] for row in rows}
