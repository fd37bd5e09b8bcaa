"""jrnl, set up by the bench in its own environment, holding the same entries.

jrnl (PyPI) is installed with uv into ``bench/.jrnl-venv`` (never a project dependency).
Its journal is encrypted the way jrnl 4 writes one (PBKDF2-SHA256, 100,000 iterations,
Fernet) and its password comes from a tiny keyring backend reading a file
(``jrnl_keyring.py``): no terminal, nothing in argv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.generate import CACHE, PASSPHRASE, Generated
from journal_app.storage.repository import JournalRepository
from journal_app.storage.vault import Secret, Vault

BENCH_DIR = Path(__file__).resolve().parent
VENV = BENCH_DIR / ".jrnl-venv"
JRNL_VERSION = "4.6"
TIMEFORMAT = "%Y-%m-%d %H:%M"


def _bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise RuntimeError("uv is needed to install jrnl for the comparison")
    return found


def ensure_installed(log=print) -> str:
    """Install jrnl into its own venv if needed; returns its version line."""
    if not _bin("jrnl").exists():
        log(f"installing jrnl {JRNL_VERSION} into {VENV.relative_to(BENCH_DIR.parent)}...")
        subprocess.run([_uv(), "venv", "-q", "--python", sys.executable, str(VENV)],
                       check=True)
        subprocess.run([_uv(), "pip", "install", "-q", "--python", str(_bin("python")),
                        f"jrnl=={JRNL_VERSION}"], check=True)
    out = subprocess.run([str(_bin("jrnl")), "--version"], capture_output=True, text=True,
                         check=True, env=clean_env())
    return out.stdout.splitlines()[0].strip()


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env["NO_COLOR"] = "1"
    return env


@dataclass(frozen=True)
class JrnlJournal:
    folder: Path
    config: Path
    password_file: Path
    pbkdf2_seconds: float

    def env(self) -> dict[str, str]:
        env = clean_env()
        env.update({
            "PYTHONPATH": str(BENCH_DIR),
            "PYTHON_KEYRING_BACKEND": "jrnl_keyring.BenchKeyring",
            "BENCH_JRNL_PASSWORD_FILE": str(self.password_file),
            "XDG_CONFIG_HOME": str(self.folder / "xdg-config"),
            "XDG_DATA_HOME": str(self.folder / "xdg-data"),
        })
        return env

    def command(self, *args: str) -> list[str]:
        return [str(_bin("jrnl")), "--config-file", str(self.config), *args]


def _entry_text(entry) -> str:
    title = " ".join(entry.title.split()) or entry.display_title
    if title and title[-1] not in ".!?":
        title += "."
    tags = " ".join("@" + t.replace(" ", "-") for t in entry.tags)
    body = entry.body + ("\n" + tags if tags else "")
    return f"[{entry.created_at.strftime(TIMEFORMAT)}] {title}\n{body}\n"


def _config_text(journal_file: Path) -> str:
    """jrnl's YAML config (jrnl takes a JSON config for a 1.x one and would upgrade it)."""
    path = json.dumps(str(journal_file))  # a JSON string is a valid YAML scalar
    return "\n".join([
        f"version: v{JRNL_VERSION}",
        "journals:",
        "  default:",
        f"    journal: {path}",
        "    encrypt: true",
        "editor: ''",
        "encrypt: true",
        "template: false",
        "default_hour: 9",
        "default_minute: 0",
        f"timeformat: '{TIMEFORMAT}'",
        "tagsymbols: '@'",
        "highlight: false",
        "linewrap: 79",
        "indent_character: '|'",
        "colors: {body: none, date: none, tags: none, title: none}",
        "",
    ])


def journal_for(gen: Generated, log=print) -> JrnlJournal:
    """A jrnl journal with the same entries as ``gen`` (cached beside it)."""
    folder = CACHE / "jrnl" / gen.path.stem
    config = folder / "jrnl.yaml"
    password_file = folder / "password.txt"
    meta = folder / "meta.json"
    if not meta.exists():
        log(f"writing the same {gen.size} entries as a jrnl journal...")
        folder.mkdir(parents=True, exist_ok=True)
        password_file.write_text(PASSPHRASE + "\n")
        vault = Vault.open(gen.path, Secret(passphrase=PASSPHRASE), lock=False)
        try:
            entries = JournalRepository(vault.db).list_entries()
        finally:
            vault.close()
        entries.sort(key=lambda e: (e.created_at, e.id))
        plain = folder / "plain.tmp"
        plain.write_text("\n".join(_entry_text(e) for e in entries), encoding="utf-8")
        journal_file = folder / "journal.txt"
        config.write_text(_config_text(journal_file))
        env = JrnlJournal(folder, config, password_file, 0).env()
        out = subprocess.run([str(_bin("python")), str(BENCH_DIR / "jrnl_encrypt.py"),
                              str(plain), str(journal_file)], capture_output=True, text=True,
                             check=True, env=env)
        plain.unlink()
        meta.write_text(out.stdout)
    pbkdf2 = json.loads(meta.read_text())["median"]
    return JrnlJournal(folder, config, password_file, pbkdf2)


def working_copy(journal: JrnlJournal, target: Path) -> JrnlJournal:
    """A copy the add benchmark may grow."""
    target.mkdir(parents=True, exist_ok=True)
    journal_file = target / "journal.txt"
    shutil.copyfile(journal.folder / "journal.txt", journal_file)
    config = target / "jrnl.yaml"
    config.write_text(_config_text(journal_file))
    return JrnlJournal(target, config, journal.password_file, journal.pbkdf2_seconds)
