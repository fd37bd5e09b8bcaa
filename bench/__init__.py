"""Benchmarks: ``uv run python -m bench`` writes docs/benchmarks.md (see docs there)."""
