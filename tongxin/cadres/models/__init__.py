from tongxin.cadres.models.access import AccessLog
from tongxin.cadres.models.people import Person, PostHistory

__all__ = ["AccessLog", "Person", "PostHistory"]
