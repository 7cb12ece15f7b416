"""Workflows of the pairing lifecycle: typed, keyword-only, transactional, audited.

Pages, the API and commands call these; nothing else changes a campaign's stage, a
pair's status, a ranking or a report's status.
"""

from tongxin.pairing.services.activities import activity_confirm, activity_recorded
from tongxin.pairing.services.campaigns import campaign_advance, event
from tongxin.pairing.services.errors import PairingError
from tongxin.pairing.services.letters import letter_issue_appointment, letter_issue_responsibility
from tongxin.pairing.services.reports import (
    late_and_missing,
    period_bounds,
    periods,
    report_accept,
    report_return,
    report_save,
    report_submit,
    reporting_summary,
)
from tongxin.pairing.services.review import (
    liaison_appoint,
    override_warnings,
    pair_approve,
    pair_override_add,
    pair_override_drop,
    pair_reject,
    pair_reopen,
    pair_return,
    pair_township_approve,
)
from tongxin.pairing.services.selection import (
    build_fit_model,
    match_run_create,
    match_run_execute,
    match_run_progress,
    match_run_start,
    preferences_set,
    suggested_partners,
)

__all__ = [
    "PairingError",
    "activity_confirm",
    "activity_recorded",
    "build_fit_model",
    "campaign_advance",
    "event",
    "late_and_missing",
    "letter_issue_appointment",
    "letter_issue_responsibility",
    "liaison_appoint",
    "match_run_create",
    "match_run_execute",
    "match_run_progress",
    "match_run_start",
    "override_warnings",
    "pair_approve",
    "pair_override_add",
    "pair_override_drop",
    "pair_reject",
    "pair_reopen",
    "pair_return",
    "pair_township_approve",
    "period_bounds",
    "periods",
    "preferences_set",
    "report_accept",
    "report_return",
    "report_save",
    "report_submit",
    "reporting_summary",
    "suggested_partners",
]
