from tongxin.platforms.models.charity import CharityActivity, CharityEvent, Organisation
from tongxin.platforms.models.intellectuals import (
    CountrysideActivity,
    InnovationProject,
    Intellectual,
    ServiceRequest,
)
from tongxin.platforms.models.investment import (
    Association,
    Contact,
    InvestmentLead,
    LeadStep,
    PromotionEvent,
    Talent,
)
from tongxin.platforms.models.research import (
    Instruction,
    Milestone,
    Participation,
    Proposal,
    ResearchReport,
    ResearchTopic,
)

__all__ = [
    "Association",
    "CharityActivity",
    "CharityEvent",
    "Contact",
    "CountrysideActivity",
    "InnovationProject",
    "Instruction",
    "Intellectual",
    "InvestmentLead",
    "LeadStep",
    "Milestone",
    "Organisation",
    "Participation",
    "PromotionEvent",
    "Proposal",
    "ResearchReport",
    "ResearchTopic",
    "ServiceRequest",
    "Talent",
]
