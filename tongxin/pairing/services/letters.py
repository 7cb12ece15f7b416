"""Letters of responsibility (责任书) and appointment (聘书): numbered without gaps, stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.scope import allowed, require
from tongxin.documents import letters as documents
from tongxin.pairing.choices import EventKind, LetterKind, PairStatus
from tongxin.pairing.models import Campaign, Letter, LiaisonAppointment, Pair
from tongxin.pairing.services.campaigns import Verdict, event
from tongxin.pairing.services.errors import PairingError


def _lock_campaign(campaign_id: int) -> Campaign:
    """Lock the campaign row: letters of a campaign are numbered one at a time, so two
    requests never take the same number nor issue the same letter twice."""
    campaign: Campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    return campaign


def _next_number(campaign: Campaign, kind: str, year: int) -> int:
    """The next free number (the caller holds the campaign row lock)."""
    last = Letter.objects.filter(campaign=campaign, kind=kind, year=year).aggregate(m=Max("number"))["m"]
    return int(last or 0) + 1


def person_name(user: Any) -> str:
    """How a letter names a person: the full name, or the login name when no full name was
    entered, so that a letter never reads "兹聘请同志"."""
    return " ".join(str(user.full_name or "").split()) or str(user.username)


def _targets(pair: Pair) -> dict[str, Any]:
    plan = getattr(pair, "plan", None)
    if plan is None:
        return {}
    return {
        "investment": plan.investment,
        "projects": plan.projects,
        "jobs": plan.jobs,
        "farmer_income": plan.farmer_income,
        "collective_income": plan.collective_income,
    }


def responsibility_content(pair: Pair, *, year: int, number: int, today: date) -> documents.Letter:
    """The text of a pair's letter of responsibility (for issuing and for the preview)."""
    campaign = pair.campaign
    plan = getattr(pair, "plan", None)
    return documents.responsibility_letter(
        issuer=campaign.issuer,
        prefix=campaign.letter_prefix,
        year=year,
        number=number,
        campaign=campaign.name,
        enterprise=pair.enterprise.name,
        village=pair.village.name,
        township=pair.township.name,
        period_start=pair.start_date or campaign.start,
        period_end=pair.end_date or campaign.end,
        targets=_targets(pair),
        mode=plan.get_mode_display() if plan is not None else "",
        liaisons=[person_name(a.liaison) for a in pair.appointments.select_related("liaison")],
        report_frequency=campaign.report_frequency,
        date=today,
    )


def appointment_content(appointment: LiaisonAppointment, *, year: int, number: int, today: date) -> documents.Letter:
    """The text of a liaison officer's letter of appointment (for issuing and the preview)."""
    campaign = appointment.campaign
    pairs = [(p.enterprise.name, p.village.name) for p in appointment.pairs.select_related("enterprise", "village")]
    return documents.appointment_letter(
        issuer=campaign.issuer,
        prefix=campaign.appointment_prefix,
        year=year,
        number=number,
        person=person_name(appointment.liaison),
        pairs=pairs,
        term_start=appointment.term_start,
        term_end=appointment.term_end,
        date=today,
    )


def _preview_number(campaign: Campaign, kind: str, year: int) -> int:
    last = Letter.objects.filter(campaign=campaign, kind=kind, year=year).aggregate(m=Max("number"))["m"]
    return int(last or 0) + 1


def appointment_preview_html(appointment: LiaisonAppointment) -> str:
    """Printable HTML of the letter of appointment: the issued one, or a draft with the next number."""
    issued = appointment.letters.first()
    today = timezone.localdate()
    year = issued.year if issued else today.year
    number = issued.number if issued else _preview_number(appointment.campaign, LetterKind.APPOINTMENT, year)
    return documents.letter_html(appointment_content(appointment, year=year, number=number, today=today))


def letter_preview_html(pair: Pair) -> str:
    """Printable HTML of the pair's letter: the issued one, or the next number as a draft."""
    issued = pair.letters.filter(kind=LetterKind.RESPONSIBILITY).first()
    today = timezone.localdate()
    if issued is not None:
        return documents.letter_html(responsibility_content(pair, year=issued.year, number=issued.number, today=today))
    number = _preview_number(pair.campaign, LetterKind.RESPONSIBILITY, today.year)
    return documents.letter_html(responsibility_content(pair, year=today.year, number=number, today=today))


def _issue(
    *, campaign: Campaign, kind: str, user: Any, build: Callable[[int, date], documents.Letter], **links: Any
) -> Letter:
    """Return the letter of this kind already issued for ``links`` (the pair or the
    appointment), or number, render and store it and record the event.

    Runs in the caller's transaction after it locked the campaign row; the unique
    constraints on (pair, kind) and (appointment, kind) back this up where a database
    cannot lock rows (SQLite): the loser of a race gets the winner's letter, never a
    duplicate nor an error.
    """
    existing = Letter.objects.filter(kind=kind, **links).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    number = _next_number(campaign, kind, today.year)
    content = build(number, today)
    letter = Letter(
        campaign=campaign,
        kind=kind,
        year=today.year,
        number=number,
        doc_number=content.doc_number,
        pdf=documents.render_pdf(content),
        issued_by=user,
        **links,
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        existing = Letter.objects.filter(kind=kind, **links).first()
        if existing is None:
            raise PairingError(_("The letter could not be numbered; try again."), "letter_number") from None
        return existing
    event(campaign=campaign, kind=EventKind.LETTER_ISSUED, actor=user, pair=links.get("pair"), letter=letter.doc_number)
    return letter


def _check_responsibility(pair: Pair) -> None:
    if pair.status != PairStatus.APPROVED:
        raise PairingError(_("Letters are issued for approved pairs only."), "status")


def can_issue_responsibility(user: Any, pair: Pair) -> Verdict:
    """Whether ``user`` may issue the pair's letter of responsibility now — the checks of
    :func:`letter_issue_responsibility` — and if not, why not or who does."""
    try:
        _check_responsibility(pair)
    except PairingError as exc:
        return Verdict(False, str(exc.message))
    if not allowed(user, pair, "issue_letter"):
        return Verdict(False, _("The county issues the letter of responsibility."))
    return Verdict(True)


def can_issue_appointment(user: Any, appointment: LiaisonAppointment) -> Verdict:
    """Whether ``user`` may issue the liaison officer's letter of appointment."""
    if not allowed(user, appointment, "issue_letter"):
        return Verdict(False, _("The county issues the letter of appointment."))
    return Verdict(True)


@transaction.atomic
def letter_issue_responsibility(*, pair: Pair, user: Any) -> Letter:
    """Issue (once) the letter of responsibility of an approved pair; issuing again
    returns the letter already issued."""
    require(user, pair, "issue_letter")
    campaign = _lock_campaign(pair.campaign_id)
    pair = Pair.objects.select_related("campaign", "enterprise", "village", "township").get(pk=pair.pk)
    _check_responsibility(pair)
    return _issue(
        campaign=campaign,
        kind=LetterKind.RESPONSIBILITY,
        user=user,
        build=lambda number, today: responsibility_content(pair, year=today.year, number=number, today=today),
        pair=pair,
    )


@transaction.atomic
def letter_issue_appointment(*, appointment: LiaisonAppointment, user: Any) -> Letter:
    """Issue (once) the letter of appointment of a liaison officer; issuing again returns
    the letter already issued."""
    require(user, appointment, "issue_letter")
    campaign = _lock_campaign(appointment.campaign_id)
    appointment = LiaisonAppointment.objects.select_related("campaign", "liaison").get(pk=appointment.pk)

    def build(number: int, today: date) -> documents.Letter:
        return appointment_content(appointment, year=today.year, number=number, today=today)

    return _issue(campaign=campaign, kind=LetterKind.APPOINTMENT, user=user, build=build, appointment=appointment)
