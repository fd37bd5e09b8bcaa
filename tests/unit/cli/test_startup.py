"""The command line starts fast: parsing imports nothing heavy, and the read verbs and
``add`` never load SQLAlchemy or Alembic (together most of a second, more than a whole
search)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from journal_app.cli.dispatch import resolve_handler
from journal_app.cli.parser import GROUPS, VERB_NAMES, build_parser
from journal_app.cli.report_args import REPORT_FORMATS
from journal_app.domain.entities import Entry, EntryKind
from journal_app.export.service import ReportFormat
from journal_app.storage import inbox
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault
from tests.unit.cli.support import ENV_PASSPHRASE, FAST_KDF_ARGS, PASS, ROOT, make_journal

HEAVY = ("sqlalchemy", "alembic", "cryptography", "PySide6")


def _modules_after(script: str, **env: str) -> dict:
    """Run ``script`` in a fresh interpreter; it prints a JSON dict on its last line."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, **env}, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


_LOADED = f"json.dumps({{m: m in sys.modules for m in {HEAVY!r}}})"


def test_importing_the_command_line_loads_nothing_heavy():
    loaded = _modules_after(f"import json, sys\nimport journal_app.cli\nprint({_LOADED})")
    assert loaded == dict.fromkeys(HEAVY, False)


def test_help_loads_nothing_heavy():
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    code = cli.main(['--help'])\n"
              f"print(json.dumps({{'code': code, **{_LOADED[len('json.dumps('):-1]}}}))")
    loaded = _modules_after(script)
    assert loaded == {"code": 0, **dict.fromkeys(HEAVY, False)}


#: The modules that run verbs (the parser names them; dispatch.resolve_handler imports them).
VERB_MODULES = tuple(f"journal_app.cli.{name}" for name in
                     ("common", "journal_verbs", "attachments", "care", "scores", "export",
                      "imports"))
_VERBS_LOADED = f"json.dumps({{m: m in sys.modules for m in {VERB_MODULES!r}}})"


def test_parsing_imports_no_verb_module():
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    codes = [cli.main(['--help']), cli.main(['export', '--help'])]\n"
              f"assert codes == [0, 0], codes\nprint({_VERBS_LOADED})")
    assert _modules_after(script) == dict.fromkeys(VERB_MODULES, False)


def test_a_verb_imports_only_its_own_module(tmp_path):
    path = make_journal(tmp_path / "j.ijournal")[0]
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    code = cli.main(['list', {str(path)!r}])\n"
              f"assert code == 0, code\nprint({_VERBS_LOADED})")
    loaded = _modules_after(script, **{ENV_PASSPHRASE: PASS})
    assert loaded == {m: m.endswith(("common", "journal_verbs")) for m in VERB_MODULES}


def test_reading_verbs_and_add_never_load_sqlalchemy(tmp_path):
    path = tmp_path / "j.ijournal"
    made = subprocess.run([sys.executable, "-m", "journal_app", "init", str(path),
                           *FAST_KDF_ARGS], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "JOURNAL_APP_NEW_PASSPHRASE": PASS},
                          timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    script = (
        "import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
        f"path = {str(path)!r}\nout = {{}}\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'A calm walk.'), encoding='utf-8')\n"
        "with contextlib.redirect_stdout(io.StringIO()) as text:\n"
        "    out['codes'] = [cli.main(['verify', path]), cli.main(['list', path]),\n"
        "                    cli.main(['search', path, 'walk']), cli.main(['show', path, '1'])]\n"
        "out['read'] = {m: m in sys.modules for m in ('sqlalchemy', 'alembic')}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    out['codes'].append(cli.main(['add', path, '--title', 'Walk']))\n"
        "    out['codes'].append(cli.main(['search', path, 'walk', '--json']))\n"
        "out['written'] = {m: m in sys.modules for m in ('sqlalchemy', 'alembic')}\n"
        "print(json.dumps(out))\n"
    )
    out = _modules_after(script, **{ENV_PASSPHRASE: PASS})
    # The new journal is empty: show 1 exits 1 ("no entry"), the rest succeed.
    assert out["codes"] == [0, 0, 0, 1, 0, 0]
    assert out["read"] == {"sqlalchemy": False, "alembic": False}
    # add writes with plain sqlite3 (storage/quick_add.py): no notes wait, so no ORM.
    assert out["written"] == {"sqlalchemy": False, "alembic": False}


#: Never imported by a reading verb: the ORM and migrations, the lock library (readers
#: take no lock), the sealed-note format and its cryptography serialization (waiting notes
#: are only counted), Markdown and Qt.
NOT_FOR_READERS = ("sqlalchemy", "alembic", "filelock", "journal_app.storage.sealed_note",
                   "cryptography.hazmat.primitives.serialization", "markdown", "PySide6",
                   "journal_app.storage.repository")
#: ...and not by list or show: what search needs (its query language, practices, the
#: prompt library and its TOML reader).
SEARCH_ONLY = ("journal_app.domain.search", "journal_app.domain.practices",
               "journal_app.domain.prompts", "tomllib", "journal_app.storage.search")


@pytest.mark.parametrize("argv", [["list"], ["list", "--json"], ["show", "1"],
                                  ["show", "1", "--json"], ["search", "walk"],
                                  ["search", "walk", "--json"]], ids=" ".join)
def test_reading_verbs_import_only_what_they_use(tmp_path, argv):
    path = make_journal(tmp_path / "j.ijournal")[0]
    with Vault.open(path, Secret(passphrase=PASS)) as vault:
        JournalRepository(vault.db).add_entry(Entry(kind=EntryKind.FREE, title="Walk",
                                                    body="A walk.", tags=("out",)))
        vault.save()
    inbox.seal_note(path, "A note written while locked.")  # counted, never opened
    budget = NOT_FOR_READERS if argv[0] == "search" else NOT_FOR_READERS + SEARCH_ONLY
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "with contextlib.redirect_stdout(io.StringIO()) as out, "
              "contextlib.redirect_stderr(io.StringIO()) as err:\n"
              f"    code = cli.main([{argv[0]!r}, {str(path)!r}, *{argv[1:]!r}])\n"
              "print(json.dumps({'code': code, 'out': out.getvalue(), 'err': err.getvalue(),"
              f" 'loaded': [m for m in {budget!r} if m in sys.modules]}}))")
    result = _modules_after(script, **{ENV_PASSPHRASE: PASS})
    assert result["code"] == 0, result["err"]
    assert "Walk" in result["out"] and "1 quick note is waiting" in result["err"]
    assert result["loaded"] == []


@pytest.mark.parametrize("tail", ["records", "torn"])
@pytest.mark.parametrize("argv", [["list", "--json"], ["show", "1"], ["search", "walk"]],
                         ids=" ".join)
def test_reading_a_journal_with_change_records_imports_no_more(tmp_path, argv, tail):
    """Format 3: records left after the base (a command-line add, a crash), or a torn last
    one (the notice it gives), are replayed and said with what the readers load anyway."""
    path = make_journal(tmp_path / "j.ijournal")[0]
    vault = Vault.open(path, Secret(passphrase=PASS))
    repo = JournalRepository(vault.db)
    for title in ("Walk", "Later walk"):
        repo.add_entry(Entry(kind=EntryKind.FREE, title=title, body="A walk."))
        vault.save()
    assert vault.records == 2
    vault.close(compact=False)
    if tail == "torn":
        path.write_bytes(path.read_bytes()[:-100])
    budget = NOT_FOR_READERS if argv[0] == "search" else NOT_FOR_READERS + SEARCH_ONLY
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "with contextlib.redirect_stdout(io.StringIO()) as out, "
              "contextlib.redirect_stderr(io.StringIO()) as err:\n"
              f"    code = cli.main([{argv[0]!r}, {str(path)!r}, *{argv[1:]!r}])\n"
              "print(json.dumps({'code': code, 'out': out.getvalue(), 'err': err.getvalue(),"
              f" 'loaded': [m for m in {budget!r} if m in sys.modules]}}))")
    # This computer saw both saves (this process made them): the torn copy is also an
    # older one, said and shown; a generation it never saw would be recorded (filelock).
    result = _modules_after(script, **{ENV_PASSPHRASE: PASS})
    assert result["code"] == 0, result["err"]
    assert "Walk" in result["out"]
    assert ("did not finish" in result["err"]) is (tail == "torn")
    assert result["loaded"] == []


def test_add_imports_only_what_it_uses(tmp_path):
    """No ORM (storage/quick_add.py), nor the note format, nor search's domain (a body
    without a prompt flow's marks is indexed as it is): only what a writer needs."""
    path = make_journal(tmp_path / "j.ijournal")[0]
    budget = tuple(m for m in NOT_FOR_READERS + SEARCH_ONLY if m != "filelock")
    script = ("import contextlib, io, json, sys\nimport journal_app.cli as cli\n"
              "sys.stdin = io.TextIOWrapper(io.BytesIO(b'A calm walk, then tea.'))\n"
              "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
              f"    code = cli.main(['add', {str(path)!r}, '--title', 'Walk', '--tag', 'x'])\n"
              "print(json.dumps({'code': code, 'out': out.getvalue(),"
              f" 'loaded': [m for m in {budget!r} if m in sys.modules]}}))")
    result = _modules_after(script, **{ENV_PASSPHRASE: PASS})
    assert (result["code"], result["out"], result["loaded"]) == (0, "1\n", [])


def _handlers(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, str]:
    """Every verb ("session add" for nested ones) and the handler it names."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if sub.get_default("handler") is not None:
                    found[prefix + name] = sub.get_default("handler")
                found.update(_handlers(sub, f"{prefix}{name} "))
    return found


def test_every_verb_names_a_handler_that_exists():
    handlers = _handlers(build_parser())
    # cli.md's verbs, with "session add" for "session", and attach, attachments, extract
    assert len(handlers) == 19
    for verb, name in handlers.items():
        assert callable(resolve_handler(name)), verb


def test_report_formats_are_the_export_formats():
    assert set(REPORT_FORMATS) == {f.value for f in ReportFormat}


def _verbs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a.choices for a in parser._actions
                if isinstance(a, argparse._SubParsersAction))


def test_the_groups_name_the_verbs_each_adds():
    for add_parsers, names in GROUPS:
        verbs = argparse.ArgumentParser().add_subparsers()
        add_parsers(verbs)
        assert tuple(verbs.choices) == names, add_parsers.__name__
    assert tuple(_verbs(build_parser())) == VERB_NAMES


@pytest.mark.parametrize("verb", VERB_NAMES)
def test_a_verb_parses_alike_with_only_its_group_built(verb):
    whole, own = _verbs(build_parser())[verb], _verbs(build_parser(verb))[verb]
    assert own.format_help() == whole.format_help()
    assert set(_verbs(build_parser(verb))) < set(VERB_NAMES)  # the others were not built
    assert build_parser(verb).get_default("verb_names") == VERB_NAMES
