"""Registers the export/import verbs on the CLI parser for tests, until cli.py does."""

from __future__ import annotations

import argparse

import pytest

from journal_app import cli, cli_export


def with_export_verbs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``cli.main`` know ``export`` and ``import``; a no-op once cli.py registers them
    itself (see cli_export.add_export_parsers)."""
    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        if "export" in parser.get_default("verb_names"):
            return parser
        verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        cli_export.add_export_parsers(verbs)
        parser.set_defaults(verb_names=tuple(verbs.choices))
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
