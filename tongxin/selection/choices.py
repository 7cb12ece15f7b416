from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The timeline of a selection, in order (``STAGES``)."""

    PREPARATION = "preparation", _("Preparation")
    NOMINATION = "nomination", _("Nomination")
    RECOMMENDATION = "recommendation", _("Recommendation")
    QUALIFICATION = "qualification", _("Qualification review")
    PUBLICITY = "publicity", _("Short-list publicity")
    VOTING = "voting", _("Jury scoring and public vote")
    RESULT_PUBLICITY = "result_publicity", _("Result publicity")
    PUBLISHED = "published", _("Published")


STAGES = tuple(Stage)
#: Stages in which the short list is public (publicity, vote, results).
PUBLIC_STAGES = frozenset({Stage.PUBLICITY, Stage.VOTING, Stage.RESULT_PUBLICITY, Stage.PUBLISHED})


class CriterionKind(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Eligibility")
    SCORING = "scoring", _("Scoring")


class Channel(models.TextChoices):
    TOWNSHIP = "township", _("Township")
    CHAMBER = "chamber", _("Chamber of commerce")
    DEPARTMENT = "department", _("Department")
    SELF = "self", _("Self-nomination")


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    QUALIFIED = "qualified", _("Qualified")
    REJECTED = "rejected", _("Rejected")
    SHORTLISTED = "shortlisted", _("Short-listed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Council(models.TextChoices):
    NPC = "npc", _("People's congress deputy")
    CPPCC = "cppcc", _("CPPCC member")


class CouncilLevel(models.TextChoices):
    COUNTY = "county", _("County")
    PREFECTURE = "prefecture", _("Prefecture")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class Outcome(models.TextChoices):
    """A candidate's result (mirrors :class:`tongxin.selection.scoring.Outcome`)."""

    WON = "won", _("Selected")
    INDUSTRY_QUOTA = "industry_quota", _("Not selected: industry quota")
    TOWNSHIP_QUOTA = "township_quota", _("Not selected: township quota")
    BELOW = "below", _("Not selected: below the places")


class TieBreak(models.TextChoices):
    JURY = "jury", _("Equal final score: higher jury score")
    VOTES = "votes", _("Equal final and jury score: more votes")
    BALLOT = "ballot", _("Equal on everything: lower ballot number")
