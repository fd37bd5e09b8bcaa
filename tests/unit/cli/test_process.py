"""The real program, run as a separate process the way scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.unit.cli.support import (
    ENV_NEW_PASSPHRASE,
    ENV_PASSPHRASE,
    FAST_KDF_ARGS,
    PASS,
    ROOT,
    make_journal,
)


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE, "JOURNAL_APP_RECOVERY_KEY")}
    env.update(values)
    return env


def _run(*argv: object, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "journal_app", *map(str, argv)],
                          input=stdin, capture_output=True, text=True, encoding="utf-8",
                          env=_env(**env), cwd=ROOT, timeout=120, check=False)


def test_a_script_can_create_add_and_list(tmp_path):
    path = tmp_path / "scripted.ijournal"
    created = _run("init", path, *FAST_KDF_ARGS, JOURNAL_APP_NEW_PASSPHRASE=PASS)
    assert created.returncode == 0, created.stderr
    assert len(created.stdout.strip().split("-")) == 8
    added = _run("add", path, "--title", "From a script", stdin="Body from stdin.\n",
                 JOURNAL_APP_PASSPHRASE=PASS)
    assert added.returncode == 0, added.stderr
    listed = _run("list", path, "--json", JOURNAL_APP_PASSPHRASE=PASS)
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)["entries"]
    assert entry["id"] == int(added.stdout)
    assert (entry["title"], entry["body"]) == ("From a script", "Body from stdin.")
    assert PASS not in created.stderr + added.stderr + listed.stderr


def test_exit_codes_reach_the_shell(tmp_path):
    path, _ = make_journal(tmp_path / "j.ijournal")
    assert _run("list", path, JOURNAL_APP_PASSPHRASE="wrong").returncode == 3
    no_secret = subprocess.run([sys.executable, "-m", "journal_app", "list", str(path)],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               env=_env(), cwd=ROOT, timeout=120, check=False)
    assert no_secret.returncode == 2
    assert "No passphrase available" in no_secret.stderr


def test_cli_verbs_never_load_qt(tmp_path):
    path = tmp_path / "j.ijournal"
    script = (
        "import sys\n"
        "import journal_app.cli as cli\n"
        f"codes = [cli.main(['init', {str(path)!r}, *{FAST_KDF_ARGS!r}]),\n"
        f"         cli.main(['list', {str(path)!r}]),\n"
        f"         cli.main(['verify', {str(path)!r}])]\n"
        "print(codes, 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=_env(JOURNAL_APP_PASSPHRASE=PASS), cwd=ROOT, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0] False"



def test_care_and_check_in_verbs_never_load_qt(tmp_path):
    path = str(tmp_path / "j.ijournal")
    script = (
        "import io, sys\n"
        "import journal_app.cli as cli\n"
        f"path = {path!r}\n"
        f"codes = [cli.main(['init', path, *{FAST_KDF_ARGS!r}]),\n"
        "         cli.main(['session', 'add', path, '--date', '2026-03-02T10:00+01:00'])]\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'a quick note'), encoding='utf-8')\n"
        "codes.append(cli.main(['capture', path]))\n"
        "for argv in (['due', path, '--at', '2026-03-03T10:00+01:00', '--json'],\n"
        "             ['sessions', path, '--json'],\n"
        "             ['checkin', path, 'phq9', '--answers', '1,1,1,1,1,1,1,1,1'],\n"
        "             ['scores', path, '--json']):\n"
        "    codes.append(cli.main(argv))\n"
        "print(codes, 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=_env(JOURNAL_APP_PASSPHRASE=PASS), cwd=ROOT, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 0, 0, 0] False"


CLI_MD_VERBS = ("init", "add", "list", "show", "search", "export", "import", "verify",
                "passwd", "recover", "capture", "session", "sessions", "due", "checkin",
                "scores")


def test_the_program_knows_every_verb_of_cli_md():
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    for verb in CLI_MD_VERBS:
        assert f"    {verb} " in result.stdout or f"    {verb}\n" in result.stdout, verb


def test_json_export_and_import_run_in_the_real_program_without_qt(tmp_path):
    source, target = str(tmp_path / "a.ijournal"), str(tmp_path / "b.ijournal")
    out = str(tmp_path / "report.json")
    script = (
        "import io, json, sys\n"
        "import journal_app.cli as cli\n"
        f"source, target, out = {source!r}, {target!r}, {out!r}\n"
        f"codes = [cli.main(['init', p, *{FAST_KDF_ARGS!r}]) for p in (source, target)]\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'Carried across.'), encoding='utf-8')\n"
        "codes.append(cli.main(['add', source, '--title', 'Moved']))\n"
        "codes.append(cli.main(['export', source, '--format', 'json', '--out', out]))\n"
        "codes.append(cli.main(['import', target, out]))\n"
        "print(codes, 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=_env(JOURNAL_APP_PASSPHRASE=PASS), cwd=ROOT, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 0] False"
    listed = _run("list", target, "--json", JOURNAL_APP_PASSPHRASE=PASS)
    [entry] = json.loads(listed.stdout)["entries"]
    assert (entry["title"], entry["body"]) == ("Moved", "Carried across.")
