"""Whole-process comparison with jrnl: search for a word, list every entry (one line
each, against ``jrnl --short``), add one entry; then each verb once more under the phase
timers (``bench.cli_phases``) to show where our process's time goes.

Our KDF is set (key slot rewritten, header only) to cost about what one jrnl key
derivation costs here, so both tools pay the same price for the passphrase. Runs are
interleaved: each repetition runs both tools, alternating which goes first.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import cli_phases
from bench.generate import PASSPHRASE, Generated
from bench.jrnl_side import JrnlJournal, clean_env, working_copy
from journal_app.storage.fileformat import KdfParams, derive_passphrase_key
from journal_app.storage.vault import Secret, change_passphrase_file

ADD_BODY = ("A short note after a walk. The air was cold and I felt steady; "
            "nothing to fix today, just writing it down.")


def time_kdf(params: KdfParams, reps: int = 5) -> list[float]:
    times = []
    for i in range(reps):
        t = time.perf_counter()
        derive_passphrase_key("bench timing", bytes([i]) * 16, params)
        times.append(time.perf_counter() - t)
    return times


def matching_kdf(target: float) -> tuple[KdfParams, list[float]]:
    """The Argon2id setting (as ``init --kdf-memory/--kdf-iterations`` would make it)
    whose derivation time is closest to ``target`` seconds."""
    best: tuple[float, KdfParams, list[float]] | None = None
    for mib in (8, 16, 32, 64):
        for iterations in (1, 2, 3):
            params = KdfParams(mib * 1024, iterations, max(1, min(4, mib // 8)))
            times = time_kdf(params, 3)
            miss = abs(statistics.median(times) - target)
            if best is None or miss < best[0]:
                best = (miss, params, times)
    assert best is not None
    return best[1], time_kdf(best[1], 7)


def our_copy(gen: Generated, kdf: KdfParams, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "journal.ijournal"
    shutil.copyfile(gen.path, target)
    change_passphrase_file(target, Secret(passphrase=PASSPHRASE), PASSPHRASE, kdf)
    return target


def _app_env(app_dirs: Path) -> dict[str, str]:
    env = clean_env()
    env["JOURNAL_APP_PASSPHRASE"] = PASSPHRASE  # the documented env route, never argv
    for var, sub in (("JOURNAL_APP_DATA_DIR", "data"), ("JOURNAL_APP_CONFIG_DIR", "config"),
                     ("JOURNAL_APP_LOG_DIR", "log")):
        env[var] = str(app_dirs / sub)
    return env


def _journal_app() -> str:
    script = Path(sys.executable).parent / "journal-app"
    return str(script if script.exists() else shutil.which("journal-app"))


def _run(cmd: list[str], env: dict[str, str], stdin: str | None) -> tuple[float, str, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, input=stdin if stdin is not None else "",
                         capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} {cmd[1]} exited with {out.returncode}: "
                           f"{out.stderr[-400:]}")
    return elapsed, out.stdout, out.stderr


def _interleave(ours, theirs, reps: int) -> dict:
    """Run both ``reps`` times, alternating which goes first; one untimed warm-up each."""
    ours(), theirs()
    a, b = [], []
    for i in range(reps):
        if i % 2 == 0:
            a.append(ours()[0])
            b.append(theirs()[0])
        else:
            b.append(theirs()[0])
            a.append(ours()[0])
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    return {"ours": a, "jrnl": b, "ratios": ratios}


def _our_hits(stdout: str) -> int:
    return sum(1 for line in stdout.splitlines() if line and not line.startswith(" " * 8))


def _jrnl_hits(stderr: str) -> int:
    match = re.search(r"(\d+) entr(?:y|ies) found", stderr)
    return int(match.group(1)) if match else 0


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def compare(gen: Generated, jrnl: JrnlJournal, kdf: KdfParams, work: Path, *, reps: int,
            words: list[str], phase_reps: int = 5) -> dict:
    app_dirs = work / "app-dirs"
    ours_path = our_copy(gen, kdf, work / "ours")
    theirs = working_copy(jrnl, work / "jrnl")
    env, jenv = _app_env(app_dirs), theirs.env()
    app = _journal_app()
    result: dict = {"search": {}, "add": {}, "list": {}, "phases": {}}
    for word in words:
        def ours_search(word=word):
            return _run([app, "search", str(ours_path), word], env, None)

        def jrnl_search(word=word):
            return _run(theirs.command("-contains", word), jenv, None)

        timing = _interleave(ours_search, jrnl_search, reps)
        timing["hits_ours"] = _our_hits(ours_search()[1])
        timing["hits_jrnl"] = _jrnl_hits(jrnl_search()[2])
        result["search"][word] = timing

    def ours_list():
        return _run([app, "list", str(ours_path)], env, None)

    def jrnl_list():
        return _run(theirs.command("--short"), jenv, None)

    result["list"] = _interleave(ours_list, jrnl_list, reps)
    result["list"]["lines_ours"] = _lines(ours_list()[1])
    result["list"]["lines_jrnl"] = _lines(jrnl_list()[1])

    def ours_add():
        return _run([app, "add", str(ours_path), "--title", "Evening walk", "--tag", "walk"],
                    env, ADD_BODY)

    def jrnl_add():
        return _run(theirs.command(), jenv, f"Evening walk. {ADD_BODY} @walk")

    result["add"] = _interleave(ours_add, jrnl_add, reps)
    if phase_reps:
        verbs = {f"search {w}": (["search", str(ours_path), w], None) for w in words}
        verbs["list"] = (["list", str(ours_path)], None)
        verbs["add"] = (["add", str(ours_path), "--title", "Evening walk", "--tag", "walk"],
                        ADD_BODY)
        for name, (cmd, stdin) in verbs.items():
            result["phases"][name] = cli_phases.measure(cmd, env, stdin, phase_reps, work)
    shutil.rmtree(work, ignore_errors=True)
    return result
