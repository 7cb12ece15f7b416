"""The vocabularies of the platforms (DOMAIN.md, "Five platforms").

Platform 1, research and proposals (参政议政); platform 2, religious and ethnic
organisations serving society — organisation-level only: nothing here names a person's
religion or ethnicity.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STUDYING = "studying", _("Being studied")
    CONCLUDED = "concluded", _("Concluded")


class ParticipationRole(models.TextChoices):
    """A non-party person's part in a research topic or a proposal."""

    GROUP_LEADER = "group_leader", _("Research group leader")
    GROUP_MEMBER = "group_member", _("Research group member")
    PROPOSER = "proposer", _("Proposer")
    CO_PROPOSER = "co_proposer", _("Co-proposer")


#: The roles taken in a research group (the others are taken in a proposal).
GROUP_ROLES = (ParticipationRole.GROUP_LEADER, ParticipationRole.GROUP_MEMBER)


class AnswerState(models.TextChoices):
    """The official answer of the department a proposal was submitted to."""

    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    EXPLAINED = "explained", _("Explained")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


#: Answers that lead to implementation (milestones and a percentage).
IMPLEMENTED_STATES = (AnswerState.ADOPTED, AnswerState.PARTLY_ADOPTED)


class OrganisationKind(models.TextChoices):
    """Registered organisations and venues (organisation-level records only)."""

    RELIGIOUS_VENUE = "religious_venue", _("Registered religious venue")
    RELIGIOUS_GROUP = "religious_group", _("Religious group")
    ETHNIC_ASSOCIATION = "ethnic_association", _("Ethnic association")
    OTHER = "other", _("Other registered organisation")


class CharityKind(models.TextChoices):
    RELIEF = "relief", _("Disaster and poverty relief")
    EDUCATION = "education", _("Education aid")
    ELDERLY = "elderly", _("Elderly care")
    MEDICAL = "medical", _("Medical aid")
    COMMUNITY = "community", _("Community service")
    OTHER = "other", _("Other public welfare")


class EventKind(models.TextChoices):
    TEMPLE_FAIR = "temple_fair", _("Harmonious temple fair")
    POLICY_PUBLICITY = "policy_publicity", _("Policy publicity session")


class AssociationKind(models.TextChoices):
    TAIWAN = "taiwan", _("Taiwan compatriots' association")
    OVERSEAS_CHINESE = "overseas_chinese", _("Returned overseas Chinese federation")
    OVERSEAS_FRIENDSHIP = "overseas_friendship", _("Overseas friendship association")
    OTHER = "other", _("Other association")


class Origin(models.TextChoices):
    """Where a contact, a project or a talent comes from."""

    HONG_KONG = "hong_kong", _("Hong Kong")
    MACAO = "macao", _("Macao")
    TAIWAN = "taiwan", _("Taiwan")
    ABROAD = "abroad", _("Abroad")
    DOMESTIC = "domestic", _("Mainland (through overseas ties)")


class Currency(models.TextChoices):
    CNY = "CNY", _("Renminbi")
    USD = "USD", _("US dollar")
    HKD = "HKD", _("Hong Kong dollar")
    TWD = "TWD", _("New Taiwan dollar")
    EUR = "EUR", _("Euro")


class LeadStage(models.TextChoices):
    """The project pipeline (see :mod:`tongxin.platforms.pipeline`)."""

    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    SITE_VISIT = "site_visit", _("Site visit")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    LANDED = "landed", _("Landed")
    PRODUCING = "producing", _("Producing")
    LOST = "lost", _("Lost")


class PromotionKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion event")
    VISIT_OUT = "visit_out", _("Visit abroad or outside the mainland")
    VISIT_IN = "visit_in", _("Visit received")


class ServiceField(models.TextChoices):
    """The "five to the countryside" (送政策、送法律、送文化、送科技、送健康下乡): what an
    activity brings and what a volunteer offers."""

    POLICY = "policy", _("Policy")
    LAW = "law", _("Law")
    CULTURE = "culture", _("Culture")
    SCIENCE = "science", _("Science and technology")
    HEALTH = "health", _("Health")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Volunteer proposed")
    ACCEPTED = "accepted", _("Accepted")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")
