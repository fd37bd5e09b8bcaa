"""A text save with 0 and with 1 GiB of attachments in the journal (issue 15).

    uv run python -m bench.attachments              # the 10k journal, 52 × ~20 MB, 31 rounds
    uv run python -m bench.attachments --rounds 41 --count 26 --total-mib 512
    uv run python -m bench.attachments --count 0    # control: both sides without attachments

Copies the cached benchmark journal twice into ``bench/.cache`` (git-ignored), runs
:mod:`bench.attachments_probe` in a child process (offscreen Qt) that adds the voice notes
to one copy through ``Journal.add_attachment`` and times text saves of both copies in
alternation, then deletes both copies and their blobs (nothing of the 1 GiB is kept).
Results go to ``bench/.cache/attachments-results.json`` and into the "Attachments"
section of docs/benchmarks.md (``python -m bench --render-only`` rewrites it from there).
``python -m bench`` runs this phase too (``--no-attachments`` skips it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import attachments_report
from bench.generate import CACHE, PASSPHRASE, Generated
from bench.journals import journal
from bench.stats import load_average, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = attachments_report.RESULTS
GIB = 2**30


def note_size(total: int, count: int) -> int:
    """Bytes per voice note so that ``count`` of them hold at least ``total`` bytes (even,
    for whole 16-bit samples after the 44-byte WAV header)."""
    size = -(-total // max(count, 1))
    return size + (size - 44) % 2


def measure(gen: Generated, work: Path, env: dict[str, str], *, commit: str,
            rounds: int = 31, count: int = 52, total: int = GIB,
            log: Callable[[str], None] = print) -> dict:
    """Run the probe on two copies of ``gen``; the copies and every blob are removed after."""
    size = note_size(total, count)
    folders = {name: work / f"attach-{name}" for name in ("plain", "attached")}
    config: dict = {"passphrase": PASSPHRASE, "count": count, "size": size,
                    "rounds": rounds, "day_first_rounds": 3, "read_reps": 5, "open_rounds": 5,
                    "sitting_rounds": 7}
    for name, folder in folders.items():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        config[name] = str(folder / "journal.ijournal")
        shutil.copyfile(gen.path, config[name])
    config_path = work / "attachments-probe.json"
    config_path.write_text(json.dumps(config))
    started, load_start = time.monotonic(), load_average()
    log(f"  {count} voice notes of {size:,} bytes ({count * size / GIB:.2f} GiB), "
        f"{rounds} alternating rounds (load {load_start:.2f})")
    try:
        out = subprocess.run([sys.executable, "-m", "bench.attachments_probe",
                              str(config_path)], env=env, cwd=ROOT, capture_output=True,
                             text=True, check=False)
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
        config_path.unlink(missing_ok=True)
    if out.returncode != 0:
        raise RuntimeError(f"attachments probe failed: {out.stderr[-2000:]}")
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    m = machine()
    return {"date": m["date"], "commit": commit, "cores": m["cores"], "cpu": m["cpu"],
            "filesystem": m["filesystem"], "journal": gen.meta, "load_start": load_start,
            "load_end": load_average(), "seconds": time.monotonic() - started,
            "probe": probe}


def save_results(results: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, default=str))


def write_page(output: Path) -> None:
    """Rewrite the page: the whole of it from the last full run's results if there are
    any, else only the Attachments section of the page as it stands."""
    from bench import report

    last = CACHE / "last-results.json"
    if last.exists():
        output.write_text(report.render(json.loads(last.read_text())))
    else:
        page = output.read_text() if output.exists() else "# Benchmarks\n"
        output.write_text(attachments_report.splice(page, attachments_report.saved()))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.attachments", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=10_000, help="journal size (entries)")
    p.add_argument("--rounds", type=int, default=31, help="timed saves of each journal")
    p.add_argument("--count", type=int, default=52, help="voice notes to attach")
    p.add_argument("--total-mib", type=int, default=1024, help="their total size")
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    p.add_argument("--no-page", action="store_true", help="only save the results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from bench.run import _child_env, _git_commit

    args = parse_args(argv)
    gen = journal(args.size)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-attach-", dir=CACHE))
    try:
        print(f"[{args.size}] attachments: a text save with 0 and "
              f"{args.total_mib} MiB attached, {dt.datetime.now():%H:%M:%S}", flush=True)
        results = measure(gen, work, _child_env(work / "app-dirs"), commit=_git_commit(),
                          rounds=args.rounds, count=args.count,
                          total=args.total_mib * 2**20)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save_results(results)
    print("\n".join(attachments_report.summary_lines(results)))
    if not args.no_page:
        write_page(args.output)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
