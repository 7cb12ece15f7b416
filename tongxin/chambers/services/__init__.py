"""Workflow services of the chambers: each step keyword-only, atomic, judged by the policy."""
