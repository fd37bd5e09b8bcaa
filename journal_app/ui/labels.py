"""Translated names for domain values, shared by every ui room."""

from __future__ import annotations
