"""The vocabularies of the chambers of commerce (商会)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChamberKind(models.TextChoices):
    """The county Federation of Industry and Commerce is the general chamber; the others
    stand under it (or under another chamber)."""

    GENERAL = "general", _("County federation of industry and commerce (general chamber)")
    TOWNSHIP = "township", _("Township chamber")
    INDUSTRY = "industry", _("Industry chamber")
    ELSEWHERE = "elsewhere", _("Chamber of people from elsewhere")


class OfficerPosition(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice president")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    COUNCIL_MEMBER = "council_member", _("Council member")


class MemberKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise member")
    INDIVIDUAL = "individual", _("Individual member")


class MemberStatus(models.TextChoices):
    """The lifecycle of a membership: applied → current → grace → lapsed → resigned /
    expelled (see ``TRANSITIONS``)."""

    APPLIED = "applied", _("Applied")
    CURRENT = "current", _("Current")
    GRACE = "grace", _("In grace period")
    LAPSED = "lapsed", _("Lapsed")
    RESIGNED = "resigned", _("Resigned")
    EXPELLED = "expelled", _("Expelled")


#: The steps a membership may take from each status (resigned and expelled are final).
TRANSITIONS: dict[str, frozenset[str]] = {
    MemberStatus.APPLIED: frozenset({MemberStatus.CURRENT}),
    MemberStatus.CURRENT: frozenset({MemberStatus.GRACE, MemberStatus.RESIGNED, MemberStatus.EXPELLED}),
    MemberStatus.GRACE: frozenset(
        {MemberStatus.CURRENT, MemberStatus.LAPSED, MemberStatus.RESIGNED, MemberStatus.EXPELLED}
    ),
    MemberStatus.LAPSED: frozenset({MemberStatus.CURRENT, MemberStatus.RESIGNED, MemberStatus.EXPELLED}),
    MemberStatus.RESIGNED: frozenset(),
    MemberStatus.EXPELLED: frozenset(),
}
#: Steps that need a reason.
NEEDS_REASON = frozenset({MemberStatus.EXPELLED, MemberStatus.LAPSED})
#: Members in good standing or still owing (their dues are raised each year).
ACTIVE_STATUSES = frozenset({MemberStatus.CURRENT, MemberStatus.GRACE})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the chamber")
    APPROVED = "approved", _("Approved by the council")
    RETURNED = "returned", _("Returned")


class CaseKind(models.TextChoices):
    CONTRACT = "contract", _("Contract dispute")
    ARREARS = "arrears", _("Arrears owed by public bodies")
    ENFORCEMENT = "enforcement", _("Administrative enforcement")
    IP = "ip", _("Intellectual property")
    FINANCING = "financing", _("Financing")
    LABOUR = "labour", _("Labour")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    """received → triaged (acknowledged) → assigned → referred → resolved / closed;
    a resolved or closed case may be reopened (back to its handler)."""

    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Acknowledged")
    ASSIGNED = "assigned", _("With a handler")
    REFERRED = "referred", _("Referred to a department")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.TRIAGED, CaseStatus.ASSIGNED, CaseStatus.REFERRED})
FINISHED_CASE_STATUSES = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


class CaseStep(models.TextChoices):
    """What one entry of a case's timeline records."""

    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    REFERRED = "referred", _("Referred")
    NOTE = "note", _("Handling note")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated to the county federation")


class ActivityKind(models.TextChoices):
    BRIEFING = "briefing", _("Policy briefing")
    TRAINING = "training", _("Training")
    MATCHMAKING = "matchmaking", _("Business matching")
    VISIT = "visit", _("Visit")
    GUIDANCE = "guidance", _("Ideological guidance")


class PostSide(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class PostTopic(models.TextChoices):
    SUPPLY = "supply", _("Supply")
    PURCHASE = "purchase", _("Purchase")
    FINANCING = "financing", _("Financing")
    JOBS = "jobs", _("Jobs")
