from tongxin.platforms.models.charity import CharityActivity, CharityEvent, Organisation
from tongxin.platforms.models.research import (
    Instruction,
    Milestone,
    Participation,
    Proposal,
    ResearchReport,
    ResearchTopic,
)

__all__ = [
    "CharityActivity",
    "CharityEvent",
    "Instruction",
    "Milestone",
    "Organisation",
    "Participation",
    "Proposal",
    "ResearchReport",
    "ResearchTopic",
]
