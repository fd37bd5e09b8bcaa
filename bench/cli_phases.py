"""Where one CLI process's time goes: the verb run in a process of its own, as
``journal-app VERB ...`` runs it, with timers on the steps it calls.

    BENCH_PHASES_OUT=phases.json python -m bench.cli_phases VERB ARGS...   (cwd: the repo)

Every import from the start of the verb on is timed (``bench.steps.ImportTimer``), and
the storage calls the verb makes are timed by name once their module is imported (so the
runner imports nothing the verb doesn't): key derivation, reading and decrypting the
body, deserializing, the migration check, saving, closing. Times are exclusive: an import
made inside ``Vault.open`` counts as an import. Written as JSON (monotonic clock, so the
parent can add interpreter start and exit from its own clock) when the verb ends, also
through ``os._exit``.
"""

from __future__ import annotations

import time

T_START = time.monotonic()

import os  # noqa: E402
import sys  # noqa: E402

from bench.steps import ImportTimer, Steps  # noqa: E402

STEPS = Steps(peaks=False)
WRAPS: dict[str, list[tuple[str, str, str]]] = {
    "journal_app.storage.journalfile": [("Secret", "unlock", "key derivation + unwrap")],
    "journal_app.storage.bodystream": [
        ("", "read_head", "read + decrypt the body"),
        ("", "check_file", "read + decrypt the body"),
        ("", "decrypt_file", "read + decrypt the body")],
    "journal_app.storage.database": [
        ("Database", "__init__", "deserialize into SQLite"),
        ("Database", "migrate", "migrate check"),
        ("", "_make_engine", "SQLAlchemy engine")],
    "journal_app.storage.vault": [
        ("Vault", "open", "open: the rest"),
        ("Vault", "save", "save"),
        ("Vault", "compact", "save"),
        ("Vault", "close", "close")],
    "journal_app.storage.rollback": [("", "observe", "rollback record"),
                                     ("", "saved", "rollback record")],
}


def _after_import(name: str, module: object) -> None:
    for owner_name, attr, label in WRAPS.get(name, []):
        owner = getattr(module, owner_name) if owner_name else module
        STEPS.wrap(owner, attr, label)


def _write(rc: object, main_start: float) -> None:
    import json

    target = os.environ.get("BENCH_PHASES_OUT")
    if not target:
        return
    with open(target, "w") as f:
        json.dump({"start": T_START, "main_start": main_start, "end": time.monotonic(),
                   "rc": rc if isinstance(rc, int) else 0 if rc is None else 1,
                   "steps": STEPS.to_json()}, f)


def run(argv: list[str]) -> int:
    ImportTimer(STEPS, _after_import).install()
    main_start = time.monotonic()
    real_exit = os._exit

    def exiting(code: int) -> None:
        try:
            sys.stdout.flush()
        finally:
            _write(code, main_start)
        real_exit(code)

    os._exit = exiting  # type: ignore[assignment]  # a verb may end the process at once
    rc: object = 1
    try:
        STEPS.enter("imports")  # the entry point's own import of the CLI
        try:
            from journal_app.cli import main
        finally:
            STEPS.leave()
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
    finally:
        _write(rc, main_start)
    return rc if isinstance(rc, int) else 0 if rc is None else 1


# ---------------------------------------------------------------------------- parent side

def summarize_runs(runs: list[dict]) -> dict[str, float]:
    """Median seconds per phase over runs of one verb (each run: its JSON + the parent's
    wall time as ``wall`` and spawn time as ``spawned``)."""
    import statistics

    per: dict[str, list[float]] = {}
    for run_ in runs:
        steps = {k: v["seconds"] for k, v in run_["steps"].items()}
        in_process = run_["end"] - run_["start"]
        row = {"whole process (parent's clock)": run_["wall"],
               "interpreter start + exit": run_["wall"] - in_process,
               **steps,
               "the verb's own work (the rest)": in_process - sum(steps.values())}
        for k, v in row.items():
            per.setdefault(k, []).append(v)
    return {k: statistics.median(v) for k, v in per.items()}


def measure(cmd: list[str], env: dict[str, str], stdin: str | None, reps: int,
            folder) -> dict:
    """Run ``journal-app`` ``cmd`` (its arguments after the program) ``reps`` times under
    the phase timers; one untimed warm-up."""
    import json
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out_file = Path(folder) / "phases.json"
    runs = []
    for i in range(reps + 1):
        env_i = {**env, "BENCH_PHASES_OUT": str(out_file)}
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "bench.cli_phases", *cmd], env=env_i,
                              cwd=root, input=stdin or "", capture_output=True, text=True,
                              check=False)
        wall = time.monotonic() - start
        if done.returncode != 0:
            raise RuntimeError(f"cli phases {cmd[0]} exited with {done.returncode}: "
                               f"{done.stderr[-400:]}")
        if i:
            runs.append({**json.loads(out_file.read_text()), "wall": wall})
    return {"median": summarize_runs(runs), "n": len(runs)}


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
