from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")
    OFFICE = "office", _("Office director")


class Stage(models.TextChoices):
    """The stages of a pairing campaign, in order."""

    PREPARING = "preparing", _("Preparing")
    SELECTION = "selection", _("Selection open")
    MATCHING = "matching", _("Matching")
    REVIEW = "review", _("Review")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = list(Stage.values)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Side(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    VILLAGE = "village", _("Village")


class PairStatus(models.TextChoices):
    """A proposal becomes a pair when the county approves it."""

    PROPOSED = "proposed", _("Proposed")
    TOWNSHIP_APPROVED = "township_approved", _("Approved by the township")
    RETURNED = "returned", _("Returned by the township")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DROPPED = "dropped", _("Dropped by override")
    SUPERSEDED = "superseded", _("Superseded by a later matching run")
    CLOSED = "closed", _("Closed")


PROPOSAL_STATUSES = (
    PairStatus.PROPOSED,
    PairStatus.TOWNSHIP_APPROVED,
    PairStatus.RETURNED,
    PairStatus.REJECTED,
    PairStatus.DROPPED,
    PairStatus.SUPERSEDED,
)
PAIR_STATUSES = (PairStatus.APPROVED, PairStatus.CLOSED)


class Origin(models.TextChoices):
    MATCHED = "matched", _("Two-way selection")
    MANUAL = "manual", _("County override")


class EventKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by matching")
    OVERRIDE_ADDED = "override_added", _("Added by county override")
    TOWNSHIP_APPROVED = "township_approved", _("Approved by the township")
    RETURNED = "returned", _("Returned by the township")
    APPROVED = "approved", _("Approved by the county")
    REJECTED = "rejected", _("Rejected by the county")
    OVERRIDE_DROPPED = "override_dropped", _("Dropped by county override")
    REOPENED = "reopened", _("Reopened by the county")
    LETTER_ISSUED = "letter_issued", _("Letter issued")
    LIAISON_APPOINTED = "liaison_appointed", _("Liaison officer appointed")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    MATCH_RUN = "match_run", _("Matching run")
    SUPERSEDED = "superseded", _("Superseded by a later matching run")
    CLOSED = "closed", _("Closed")
    ACTIVITY_CONFIRMED = "activity_confirmed", _("Activity confirmed by the village")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_RETURNED = "report_returned", _("Report returned")


class Mode(models.TextChoices):
    """Cooperation modes named in the article and common in practice."""

    COMPANY_BASE_ASSOCIATION_FARMER = "cbaf", _("Company + base + association + farmer")
    COMPANY_COOPERATIVE_FARMER = "ccf", _("Company + co-operative + farmer")
    ORDER_FARMING = "order", _("Order farming")
    LAND_SHARE = "land", _("Land shareholding")
    EMPLOYMENT = "jobs", _("Employment of villagers")
    PROJECT = "project", _("Joint project")
    DONATION = "donation", _("Public-welfare support")


class ActivityHead(models.TextChoices):
    """The four-in-one heads (四位一体) plus meetings, donations and projects."""

    PARTY = "party", _("Joint construction of party organisations")
    LEADERSHIP = "leadership", _("Team leadership")
    SERVICE = "service", _("Joint service")
    FRIENDSHIP = "friendship", _("Friendship activities")
    MEETING = "meeting", _("Meeting")
    DONATION = "donation", _("Donation")
    PROJECT = "project", _("Project")


FOUR_IN_ONE = (ActivityHead.PARTY, ActivityHead.LEADERSHIP, ActivityHead.SERVICE, ActivityHead.FRIENDSHIP)


class SupportKind(models.TextChoices):
    HUMAN = "human", _("Human")
    FINANCIAL = "financial", _("Financial")
    MATERIAL = "material", _("Material")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class LetterKind(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("Letter of responsibility")
    APPOINTMENT = "appointment", _("Letter of appointment")


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("Progress report due")


#: Fit scores are computed and stored on 0–1 (the engine's scale); people read them on 0–100.
FIT_POINTS = 100
