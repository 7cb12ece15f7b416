from tongxin.cadres.models.access import AccessLog
from tongxin.cadres.models.bodies import Body, Post, StaffingRule
from tongxin.cadres.models.friends import FriendContact, FriendPair, LeadingCadre
from tongxin.cadres.models.people import Person, PostHistory
from tongxin.cadres.models.reserve import StageRecord
from tongxin.cadres.models.reviews import ReserveReview
from tongxin.cadres.models.training import Course, Enrolment, Recommendation

__all__ = [
    "AccessLog",
    "Body",
    "Course",
    "Enrolment",
    "FriendContact",
    "FriendPair",
    "LeadingCadre",
    "Person",
    "Post",
    "PostHistory",
    "Recommendation",
    "ReserveReview",
    "StaffingRule",
    "StageRecord",
]
