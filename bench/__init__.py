"""Benchmarks, run as ``python -m bench.<name>`` (see the Makefile targets)."""
