from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What landed in someone's inbox. Each kind has a sentence (``TEXTS``) filled in with
    the notification's arguments when it is shown, in the reader's language."""

    REVIEW_OPENED = "review_opened", _("Proposals to review")
    PROPOSAL_AWAITING_APPROVAL = "proposal_awaiting_approval", _("Proposal awaiting approval")
    PROPOSAL_RETURNED = "proposal_returned", _("Proposal returned by the township")
    REPORT_SUBMITTED = "report_submitted", _("Progress report to accept")
    REPORT_RETURNED = "report_returned", _("Progress report returned")
    RANKING_OPENED = "ranking_opened", _("Ranking opened")
    ACTIVITY_AWAITING_CONFIRMATION = "activity_awaiting_confirmation", _("Activity to confirm")
    LIAISON_APPOINTED = "liaison_appointed", _("Appointed liaison officer")
    REPORTS_CALLED_FOR = "reports_called_for", _("Missing reports called for")
    CASE_OVERDUE = "case_overdue", _("Overdue rights-protection case")


TEXTS = {
    NotificationKind.REVIEW_OPENED: _("Review is open in %(campaign)s: %(count)s proposals await your review."),
    NotificationKind.PROPOSAL_AWAITING_APPROVAL: _(
        "%(actor)s approved the proposal %(pair)s for the township; it awaits the county's approval."
    ),
    NotificationKind.PROPOSAL_RETURNED: _("%(actor)s returned the proposal %(pair)s: %(reason)s"),
    NotificationKind.REPORT_SUBMITTED: _(
        "%(actor)s submitted the progress report of %(pair)s for %(period)s; it awaits acceptance."
    ),
    NotificationKind.REPORT_RETURNED: _(
        "%(actor)s returned the progress report of %(pair)s for %(period)s: %(reason)s"
    ),
    NotificationKind.RANKING_OPENED: _("Selection is open in %(campaign)s: rank the partners you want for %(party)s."),
    NotificationKind.ACTIVITY_AWAITING_CONFIRMATION: _(
        "%(actor)s recorded the activity “%(activity)s” of %(pair)s: confirm that it took place."
    ),
    NotificationKind.LIAISON_APPOINTED: _(
        "You are appointed liaison officer of %(count)s pairs in %(campaign)s, from %(start)s to %(end)s."
    ),
    NotificationKind.REPORTS_CALLED_FOR: _(
        "%(actor)s calls for %(count)s missing progress reports in %(campaign)s: %(pairs)s."
    ),
    NotificationKind.CASE_OVERDUE: _(
        "The rights-protection case “%(case)s” of %(chamber)s is overdue (due %(due)s): escalated to the county."
    ),
}


class Digest(models.TextChoices):
    """Which notifications a person also receives by e-mail."""

    NONE = "none", _("None: in the app only")
    DAILY = "daily", _("A daily digest of my unread notifications")


class ReadState(models.TextChoices):
    """The filter of the notification list."""

    UNREAD = "unread", _("Unread")
    READ = "read", _("Read")
    ALL = "all", _("All")
