"""Run every benchmark and write docs/benchmarks.md.

    uv run python -m bench                 # everything: 1k, 10k, 50k, jrnl comparison
    uv run python -m bench --quick         # fewer repetitions, 1k and 10k only
    uv run python -m bench --sizes 1000 --no-jrnl
    uv run python -m bench.attachments     # only the 0 vs 1 GiB attached text save (10k)

Per size: the lock screen (``gui_start``), ``Vault.open``/``Vault.save`` alone with each
step's time and peak RSS (``open_probe``), the GUI as a person uses it (``app_probe``:
unlock, every section and tab, searches, saves, lock/unlock, peak RSS per phase), the
500-entry export, and the CLI against jrnl (``cli_compare``, with ``cli_phases``). The
report (``report``, ``figures``, ``report_sections``) puts the issue's targets beside the
figures and gives each figure's cost curve across the sizes.

Journals are generated once and cached in bench/.cache (git-ignored; carried forward to a
new schema by ``journals`` rather than generated again); jrnl is installed into
bench/.jrnl-venv. Child processes run with bytecode caching on (as after a normal install)
and one untimed warm-up run each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import attachments, cli_compare, jrnl_side, report
from bench.generate import CACHE, PASSPHRASE, Generated
from bench.journals import journal
from bench.stats import load_average, machine, summarize
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.keys import calibrate

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


LOAD: list[tuple[str, float]] = []


def log(text: str) -> None:
    print(text, flush=True)


def phase(text: str) -> None:
    """Log a phase and the machine's load as it starts (other work skews timings)."""
    LOAD.append((text, load_average()))
    log(f"{text} (load {LOAD[-1][1]:.2f})")


def _child_env(app_dirs: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("JOURNAL_APP_PASSPHRASE", None)
    for var, sub in (("JOURNAL_APP_DATA_DIR", "data"), ("JOURNAL_APP_CONFIG_DIR", "config"),
                     ("JOURNAL_APP_LOG_DIR", "log"), ("XDG_CACHE_HOME", "cache")):
        env[var] = str(app_dirs / sub)
    return env


def _work_copy(gen: Generated, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target = folder / "journal.ijournal"
    shutil.copyfile(gen.path, target)
    return target


# ---------------------------------------------------------------------------- measures


def lock_screen(gen: Generated, work: Path, reps: int) -> dict:
    path = _work_copy(gen, work / "lock")
    env = _child_env(work / "app-dirs")
    times, imports = [], []
    for i in range(reps + 1):
        start = time.monotonic()
        out = subprocess.run([sys.executable, str(BENCH / "gui_start.py"), str(path)],
                             env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"lock-screen probe failed: {out.stderr[-600:]}")
        marks = json.loads(out.stdout.strip().splitlines()[-1])
        if i:  # the first run is a warm-up (bytecode, font caches)
            times.append(marks["painted"] - start)
            imports.append(marks["imported"] - start)
    return {"shown": summarize(times), "imports_done": summarize(imports)}


def open_probe(gen: Generated, work: Path, quick: bool) -> dict:
    """Vault.open and Vault.save alone (no Qt), in a fresh process."""
    path = _work_copy(gen, work / "open")
    config = work / "open-probe.json"
    config.write_text(json.dumps({"journal": str(path), "passphrase": PASSPHRASE,
                                  "open_reps": 3 if quick else 5,
                                  "save_reps": 3 if quick else 5}))
    out = subprocess.run([sys.executable, "-m", "bench.open_probe", str(config)],
                         env=_child_env(work / "app-dirs-open"), cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"open probe failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def app_probe(gen: Generated, work: Path, procs: int, quick: bool,
              failed: list[str]) -> list[dict]:
    """The GUI (unlock, every page, searches, saves, lock/unlock), a fresh process each;
    a process that failed is noted in ``failed`` (all failing raises)."""
    results: list[dict] = []
    for i in range(procs):
        path = _work_copy(gen, work / f"app-{i}")
        config = work / "probe.json"
        config.write_text(json.dumps({
            "journal": str(path), "passphrase": PASSPHRASE, "queries": gen.search_queries,
            "unlock_reps": 1 if quick else 2,
            "search_reps": 5 if quick else 11, "save_reps": 4 if quick else 5,
        }))
        # Its own app folders: the copies share a data key, so the rollback record of a
        # process that saved would make the next one's fresh copy an "older copy" (a dialog).
        out = subprocess.run([sys.executable, "-m", "bench.app_probe", str(config)],
                             env=_child_env(work / f"app-dirs-{i}"), cwd=ROOT,
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            failed.append(f"GUI probe process {i + 1} of {procs} failed: {out.stderr[-1500:]}")
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if not results:
        raise RuntimeError(failed[-1])
    return results


def export_probe(gen: Generated, work: Path, reps: int) -> dict:
    secret = work / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    out = subprocess.run([sys.executable, "-m", "bench.export_probe", str(gen.path),
                          str(secret), str(reps)], env=_child_env(work / "app-dirs"),
                         cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][-300:] if out.stderr else "?"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def kdf_costs(jrnl_pbkdf2: float | None) -> dict:
    default = calibrate()
    out = {"default": {"params": default.to_json(),
                       "times": cli_compare.time_kdf(default, 3)}}
    if jrnl_pbkdf2 is not None:
        matched, times = cli_compare.matching_kdf(jrnl_pbkdf2)
        out["matched"] = {"params": matched.to_json(), "times": times}
    return out


# ---------------------------------------------------------------------------- main


def _tolerant(entry: dict, what: str, measure, *args, **kwargs):
    """Run one phase; a failure (the app's code moved under a probe) is kept in the results
    and the report says what could not be measured, and the run goes on."""
    try:
        return measure(*args, **kwargs)
    except Exception as exc:
        entry["errors"].append(f"{what}: {type(exc).__name__}: {str(exc)[-600:]}")
        log(f"  {what} FAILED: {type(exc).__name__} (the report says so)")
        return None


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no",
                                "journal_app"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (" + uncommitted changes in journal_app/" if dirty else "")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", help="journal sizes (entries)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions; 1k and 10k")
    p.add_argument("--no-jrnl", action="store_true", help="skip the jrnl comparison")
    p.add_argument("--no-attachments", action="store_true",
                   help="skip the 0 vs 1 GiB attached text save (10k; ~2 min, 1 GiB disk a while)")
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    p.add_argument("--render-only", action="store_true",
                   help="rewrite the report from the last run's saved results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        # The whole page from the last full run, else only its Attachments section.
        attachments.write_page(args.output)
        log(f"wrote {args.output} from the results saved in {CACHE}")
        return 0
    sizes = args.sizes or ([1000, 10_000] if args.quick else [1000, 10_000, 50_000])
    started = time.monotonic()
    results: dict = {"machine": machine(), "commit": _git_commit(), "sizes": sizes,
                     "quick": args.quick, "per_size": {}, "compare": {}}
    gens = {size: journal(size, log=log) for size in sizes}
    results["journals"] = {size: g.meta for size, g in gens.items()}

    jrnl_journals = {}
    if not args.no_jrnl:
        results["machine"]["jrnl"] = jrnl_side.ensure_installed(log)
        jrnl_journals = {size: jrnl_side.journal_for(gens[size], log) for size in sizes}
    pbkdf2 = next(iter(jrnl_journals.values())).pbkdf2_seconds if jrnl_journals else None
    log("timing key derivation...")
    results["kdf"] = kdf_costs(pbkdf2)
    if pbkdf2 is not None:
        results["kdf"]["jrnl_pbkdf2"] = pbkdf2

    results["export_status"] = report.export_status()
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=CACHE))
    try:
        for size in sizes:
            big = size >= 50_000
            phase(f"[{size}] lock screen")
            entry: dict = {"errors": []}
            entry["lock_screen"] = _tolerant(entry, "lock screen", lock_screen, gens[size], work,
                                             3 if big or args.quick else 7)
            phase(f"[{size}] Vault.open and Vault.save alone, peak RSS per step")
            entry["open_probe"] = _tolerant(entry, "open probe", open_probe, gens[size], work,
                                            args.quick or big)
            phase(f"[{size}] GUI: unlock, each page, search, saves, peak RSS per phase")
            # Fewer GUI processes as the journal grows: at 50k one takes minutes (Look back's
            # theme count alone ~100 s before issue 19's fixes).
            procs = (1 if size >= 10_000 else 2) if args.quick else (
                1 if big else 2 if size >= 10_000 else 3)
            entry["probe"] = _tolerant(entry, "GUI probe", app_probe, gens[size], work, procs,
                                       args.quick or big, entry["errors"]) or []
            if results["export_status"]["usable"]:
                phase(f"[{size}] export of 500 entries")
                entry["export"] = export_probe(gens[size], work, 2 if big or args.quick else 3)
            results["per_size"][size] = entry
            if size in jrnl_journals:
                reps = 2 if big else (5 if args.quick else 9)
                # A rare word and a common one; at 50k only the rare one (jrnl prints
                # ~11,000 hits of the common one: minutes per run, and no target there).
                words = ["lighthouse"] if big else ["lighthouse", "ocean"]
                kdf = KdfParams(**{k: v for k, v in results["kdf"]["matched"]["params"].items()
                                   if k != "name"})
                phase(f"[{size}] journal-app vs jrnl, {reps} interleaved runs")
                compared = _tolerant(
                    entry, "CLI vs jrnl", cli_compare.compare, gens[size], jrnl_journals[size],
                    kdf, work / "compare", reps=reps, words=words,
                    phase_reps=2 if big else (3 if args.quick else 5))
                if compared:
                    results["compare"][size] = compared
            log(f"  ({time.monotonic() - started:.0f} s so far)")
        if 10_000 in gens and not args.no_attachments:
            phase("[10000] a text save with 0 and 1 GiB attached")
            ten = results["per_size"][10_000]
            measured = _tolerant(ten, "attachments (0 vs 1 GiB attached)", attachments.measure,
                                 gens[10_000], work, _child_env(work / "app-dirs-attachments"),
                                 commit=results["commit"], rounds=15 if args.quick else 31,
                                 log=log)
            if measured is not None:  # else the page keeps the last attachments results
                attachments.save_results(measured)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["seconds"] = time.monotonic() - started
    results["load"] = LOAD
    (CACHE / "last-results.json").write_text(json.dumps(results, indent=1, default=str))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report.render(results))
    log(f"wrote {args.output} in {results['seconds'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

