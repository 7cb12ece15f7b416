from tongxin.pairing.models.campaign import Campaign, CampaignEvent, MatchRun, Participant, Preference
from tongxin.pairing.models.organization import Decision, GroupMember, JointMeeting, LeadingGroup
from tongxin.pairing.models.pairs import Letter, LiaisonAppointment, Pair
from tongxin.pairing.models.running import (
    Activity,
    ActivityPhoto,
    PairPlan,
    ReminderSent,
    Report,
    ReportingTally,
    Support,
)

__all__ = [
    "Activity",
    "ActivityPhoto",
    "Campaign",
    "CampaignEvent",
    "Decision",
    "GroupMember",
    "JointMeeting",
    "LeadingGroup",
    "Letter",
    "LiaisonAppointment",
    "MatchRun",
    "Pair",
    "PairPlan",
    "Participant",
    "Preference",
    "ReminderSent",
    "Report",
    "ReportingTally",
    "Support",
]
