"""Command-line verbs (see cli.md). Placeholder until the CLI lands."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from journal_app.app import run_gui

    return run_gui(None)
