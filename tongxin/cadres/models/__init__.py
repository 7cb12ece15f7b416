from tongxin.cadres.models.access import AccessLog
from tongxin.cadres.models.bodies import Body, Post, StaffingRule
from tongxin.cadres.models.people import Person, PostHistory
from tongxin.cadres.models.reserve import StageRecord
from tongxin.cadres.models.reviews import ReserveReview

__all__ = ["AccessLog", "Body", "Person", "Post", "PostHistory", "ReserveReview", "StaffingRule", "StageRecord"]
