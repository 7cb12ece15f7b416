"""Tests of the matching engine (pure Python; no database or Django needed)."""
