"""Pair pages: the pair's record, its plan, letters, reports and activities."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from tongxin.core.disposition import content_disposition
from tongxin.core.exceptions import OutOfScopeError, StaleObjectError
from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.services import save_in_scope
from tongxin.core.units import PERSONS, with_unit
from tongxin.core.views.generic import ObjectDetailView
from tongxin.pairing import services
from tongxin.pairing.choices import EventKind, PairStatus
from tongxin.pairing.explain import RankingsKnown
from tongxin.pairing.forms import AppointForm, PairPlanForm, PhotoForm, ReasonForm, ReportForm
from tongxin.pairing.models import Activity, Campaign, Letter, LiaisonAppointment, Pair, PairPlan, Report, Support
from tongxin.pairing.models.running import PLAN_STAGES, RUNNING_STAGES
from tongxin.pairing.services.activities import can_confirm
from tongxin.pairing.services.letters import can_issue_appointment, can_issue_responsibility
from tongxin.pairing.services.reports import Figure, can_review_report, report_figures, report_overdue
from tongxin.pairing.services.review import REOPENING, STEPS, can_take, next_step
from tongxin.pairing.views.common import run_service
from tongxin.regions.models import Village


def _records_reason(pair: Any) -> str:
    """Why activities, support and reports cannot be recorded on ``pair`` yet (the rule of
    the services: an approved pair of a running campaign)."""
    if pair.status != PairStatus.APPROVED:
        return str(
            _("Activities, support and reports are recorded once the pair is approved; it is now “%(status)s”.")
            % {"status": pair.get_status_display()}
        )
    return str(
        _(
            "Activities, support and reports are recorded while the campaign is running; "
            "it is now at the “%(stage)s” stage."
        )
        % {"stage": pair.campaign.get_stage_display()}
    )


class PairDetailView(ObjectDetailView):
    """Everything about one pair: why it was made, its timeline, plan, letters, reports."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        campaign = obj.campaign
        reports = {r.period: r for r in obj.reports.all()}
        today = date.today()
        rows = []
        if obj.status in (PairStatus.APPROVED, PairStatus.CLOSED):
            for period in services.periods(campaign, until=today):
                _start, end, due = services.period_bounds(campaign, period)
                if obj.start_date and end < obj.start_date:
                    continue
                rows.append({"period": period, "due": due, "report": reports.get(period)})
        plan = getattr(obj, "plan", None)
        approved = obj.status == PairStatus.APPROVED
        running = approved and campaign.stage in RUNNING_STAGES
        # Buttons ask the same checks as the services and models behind them.
        if plan is not None:
            can_plan = allowed(user, plan, CHANGE)
        else:
            can_plan = can(user, PairPlan, ADD) and allowed(user, obj, VIEW)
        events = list(obj.events.select_related("actor"))
        return {
            "events": events,
            # The reason of every return and rejection, above the timeline that also has them.
            "review_reasons": [e for e in events if e.kind in (EventKind.RETURNED, EventKind.REJECTED)],
            **_review_actions(obj, user),
            "letters": obj.letters.all(),
            "plan": plan,
            "plan_form": PairPlanForm(instance=plan, user=user),
            "can_plan": can_plan and approved and campaign.stage in PLAN_STAGES,
            "may_record": running and can(user, Activity, ADD),
            "may_support": running and can(user, Support, ADD),
            "may_report": running and can(user, Report, ADD),
            # Who records the running of pairs learns why they cannot yet, and when they can.
            "records_reason": _records_reason(obj)
            if not running and any(can(user, model, ADD) for model in (Activity, Support, Report))
            else "",
            "may_reopen": approved and can_take(REOPENING, obj, user).ok,
            **_verdict("issue_letter", can_issue_responsibility(user, obj)),
            "explanation": RankingsKnown(user, campaign.pk).text(obj.explanation, obj.enterprise_id, obj.village_id),
            "activities": obj.activities.all()[:20],
            "supports": obj.supports.all()[:20],
            "report_rows": list(reversed(rows)),
            "appointments": obj.appointments.select_related("liaison"),
            "reason_form": ReasonForm(),
            "parts": obj.fit_parts,
            "why_villages": Village.objects.filter(
                pk__in=campaign.participants.filter(village__isnull=False).values("village_id")
            ).only("pk", "name"),
        }


def _verdict(name: str, verdict: Any) -> dict[str, Any]:
    """``may_<name>`` for the button and ``<name>_reason`` for the page when there is none."""
    return {f"may_{name}": verdict.ok, f"{name}_reason": verdict.reason}


# The review steps a pair page offers: (policy action, pair_action's name, label, needs a reason).
PAIR_STEPS = (
    ("review", "township_approve", gettext_lazy("Approve (township)"), False),
    ("approve", "approve", gettext_lazy("Approve (county)"), False),
    ("return", "return", gettext_lazy("Return"), True),
    ("reject", "reject", gettext_lazy("Reject"), True),
    ("override", "drop", gettext_lazy("Drop"), True),
)


def _review_actions(pair: Pair, user: Any) -> dict[str, Any]:
    """The review steps this person may take on the pair now (the services' own checks),
    else what the pair waits for."""
    if pair.status not in (PairStatus.PROPOSED, PairStatus.TOWNSHIP_APPROVED, PairStatus.RETURNED):
        return {"review_steps": [], "review_next": ""}
    steps = [
        {"action": name, "label": label, "needs_reason": needs_reason}
        for action, name, label, needs_reason in PAIR_STEPS
        if can_take(STEPS[action], pair, user).ok
    ]
    return {"review_steps": steps, "review_next": "" if steps else next_step(pair, user)}


@login_required
@require_POST
def pair_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Create or change the pair's plan (targets and cooperation mode)."""
    pair = get_scoped_or_404(Pair, request.user, VIEW, pk=pk)
    plan = getattr(pair, "plan", None) or PairPlan(pair=pair)
    if not can(request.user, PairPlan, CHANGE if plan.pk else ADD):
        raise PermissionDenied
    form = PairPlanForm(request.POST, instance=plan, user=request.user)
    if form.is_valid():
        try:
            save_in_scope(user=request.user, instance=plan, save=form.save, adding=plan.pk is None)
        except (StaleObjectError, OutOfScopeError) as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Plan saved."))
    else:
        messages.error(request, " ".join(str(m) for v in form.errors.values() for m in v))
    return HttpResponseRedirect(pair.get_absolute_url())


@login_required
@require_POST
def pair_letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_scoped_or_404(Pair, request.user, VIEW, pk=pk)
    return run_service(
        request,
        lambda: services.letter_issue_responsibility(pair=pair, user=request.user),
        _("Letter of responsibility issued."),
        pair.get_absolute_url(),
    )


def _letter_or_404(request: HttpRequest, pk: int) -> Letter:
    letter = Letter.objects.select_related("pair", "appointment").filter(pk=pk).first()
    if letter is None:
        raise Http404
    # Access follows the pair or the appointment the letter belongs to.
    if letter.pair_id is not None:
        get_scoped_or_404(Pair, request.user, VIEW, pk=letter.pair_id)
    else:
        get_scoped_or_404(LiaisonAppointment, request.user, VIEW, pk=letter.appointment_id)
    return letter


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    # Named by its document number (RFC 6266), with an ASCII name for older clients.
    disposition = content_disposition(letter.file_name, inline=True, fallback=letter.ascii_file_name)
    response["Content-Disposition"] = disposition
    return response


@login_required
def letter_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable HTML preview of a pair's letter of responsibility (before or after issue)."""
    pair = get_scoped_or_404(Pair, request.user, VIEW, pk=pk)
    return HttpResponse(services.letters.letter_preview_html(pair))


@login_required
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint a liaison officer to approved pairs of the campaign."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if not allowed(request.user, campaign, "appoint"):
        raise PermissionDenied
    form = AppointForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.liaison_appoint(
                campaign=campaign,
                user=request.user,
                liaison=form.cleaned_data["liaison"],
                pairs=list(form.cleaned_data["pairs"]),
                term_start=form.cleaned_data["term_start"],
                term_end=form.cleaned_data["term_end"],
            )
        except services.PairingError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Liaison officer appointed."))
            return HttpResponseRedirect(appointment.get_absolute_url())
    return render(request, "pairing/appoint.html", {"campaign": campaign, "form": form})


class AppointmentDetailView(ObjectDetailView):
    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "pairs": restrict(obj.pairs.all(), user, VIEW).select_related("enterprise", "village"),
            "letters": obj.letters.all(),
            **_verdict("issue_letter", can_issue_appointment(user, obj)),
        }


@login_required
def appointment_letter_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable HTML preview of a liaison officer's letter of appointment."""
    appointment = get_scoped_or_404(LiaisonAppointment, request.user, VIEW, pk=pk)
    return HttpResponse(services.letters.appointment_preview_html(appointment))


@login_required
@require_POST
def appointment_letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped_or_404(LiaisonAppointment, request.user, VIEW, pk=pk)
    return run_service(
        request,
        lambda: services.letter_issue_appointment(appointment=appointment, user=request.user),
        _("Letter of appointment issued."),
        appointment.get_absolute_url(),
    )


@login_required
def report_edit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """Fill in, save and submit the report of a pair for one period."""
    pair = get_scoped_or_404(Pair, request.user, VIEW, pk=pk)
    try:
        period_date = date.fromisoformat(period)
    except ValueError as exc:
        raise Http404 from exc
    report = restrict(Report.objects.filter(pair=pair, period=period_date), request.user, VIEW).first()
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        service = services.report_submit if submit else services.report_save
        try:
            saved = service(
                pair=pair,
                user=request.user,
                period=period_date,
                data=form.values,
                version=form.cleaned_data["version"],
            )
        except (services.PairingError, StaleObjectError) as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Report submitted.") if submit else _("Draft saved."))
            return HttpResponseRedirect(saved.get_absolute_url())
    _start, end, due = services.period_bounds(pair.campaign, period_date)
    today = timezone.localdate()
    figures = report_figures(pair=pair, period=period_date, user=request.user, current=report)
    context = {
        "pair": pair,
        "form": form,
        "report": report,
        "period": period_date,
        "due": due,
        "end": end,
        "figures": [(figure_label(f), f) for f in figures],
        "overdue": report_overdue(campaign=pair.campaign, period=period_date, report=report, today=today),
    }
    return render(request, "pairing/report_edit.html", context)


def figure_label(figure: Figure) -> str:
    """The indicator's name with its unit: 投资额（万元）, 项目数（项）, 村民就业人数（人）."""
    label = capfirst(str(getattr(Report._meta.get_field(figure.name), "verbose_name", figure.name)))
    if figure.unit == "items":
        return with_unit(label, pgettext("unit", "items"))
    if figure.unit == "persons":
        return with_unit(label, PERSONS)
    return label  # money: the field's name says 万元


class ReportDetailView(ObjectDetailView):
    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        accept = can_review_report(user, obj, "accept")
        give_back = can_review_report(user, obj, "return")
        return {
            "reason_form": ReasonForm(),
            "may_accept": accept.ok,
            "may_return": give_back.ok,
            # Why there is no button, or what comes next.
            "review_reason": "" if accept.ok or give_back.ok else accept.reason,
            "period_key": obj.period.isoformat(),
        }


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_scoped_or_404(Report, request.user, VIEW, pk=pk)
    if action == "accept":
        return run_service(
            request,
            lambda: services.report_accept(report=report, user=request.user),
            _("Accepted."),
            report.get_absolute_url(),
        )
    if action == "return":
        reason = request.POST.get("reason", "")
        return run_service(
            request,
            lambda: services.report_return(report=report, user=request.user, reason=reason),
            _("Returned."),
            report.get_absolute_url(),
        )
    raise Http404


class ActivityDetailView(ObjectDetailView):
    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "photos": obj.photos.all(),
            "photo_form": PhotoForm(),
            "may_add_photo": allowed(user, obj, CHANGE),
            **_verdict("confirm", can_confirm(user, obj)),
        }


@login_required
@require_POST
def activity_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The village confirms the activity (the button carries the version it was shown)."""
    activity = get_scoped_or_404(Activity, request.user, VIEW, pk=pk)
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(request, _("Reload the page and confirm again."))
        return HttpResponseRedirect(activity.get_absolute_url())
    return run_service(
        request,
        lambda: services.activity_confirm(activity=activity, user=request.user, version=int(version)),
        _("Activity confirmed."),
        activity.get_absolute_url(),
    )


@login_required
@require_POST
def activity_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a photo (images only, size-limited) to an activity."""
    activity = get_scoped_or_404(Activity, request.user, CHANGE, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        photo = form.save(commit=False)
        photo.activity = activity
        photo.save()
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(str(m) for v in form.errors.values() for m in v))
    return HttpResponseRedirect(activity.get_absolute_url())
