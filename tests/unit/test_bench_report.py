"""The bench's own machinery: its step timers, the targets it judges, its cost curves, and
how it carries a cached journal forward to a new schema. Structural only: no timing is
asserted (the bench measures; tests never do)."""

from __future__ import annotations

import hashlib
import json
import time

from bench import figures, generate, journals, report
from bench.steps import Steps


class _Box:
    @classmethod
    def make(cls) -> str:
        return cls.__name__

    def outer(self) -> int:
        time.sleep(0.002)
        return self.inner() + 1

    def inner(self) -> int:
        time.sleep(0.004)
        return 1


def test_steps_times_what_runs_and_restores_it():
    steps = Steps(peaks=False)
    assert steps.wrap(_Box, "outer", "outer")
    assert steps.wrap(_Box, "inner", "inner")
    assert steps.wrap(_Box, "make", "make")
    assert not steps.wrap(_Box, "no_such_step", "missing")  # a step the code lost: skipped
    assert _Box().outer() == 2  # the wrapped code still does what it did
    assert _Box.make() == "_Box"  # a classmethod stays one
    out = steps.to_json()
    assert {k: v["calls"] for k, v in out.items()} == {"outer": 1, "inner": 1, "make": 1}
    assert "missing" not in out
    # Exclusive times: the inner call is not counted in the outer one as well.
    assert out["inner"]["seconds"] >= 0.004
    assert out["outer"]["seconds"] < out["inner"]["seconds"] + 0.002 + 0.05
    steps.restore()
    assert vars(_Box)["outer"].__name__ == "outer"
    assert not hasattr(vars(_Box)["outer"], "__wrapped__")
    assert isinstance(vars(_Box)["make"], classmethod)


def _probe(peak_mib: float, page_s: float, ui_block: float) -> dict:
    page = {"page": "Check-ins", "row": 3, "seconds": page_s, "peak_mib": 1, "rss_mib": 1,
            "tabs": [{"tab": "GAD-7", "again": False, "seconds": page_s / 2},
                     {"tab": "PHQ-9", "again": True, "seconds": 0.001}]}
    return {"unlock_first": 0.35, "unlock_again": [0.2], "lock": [0.1], "pages": [page],
            "search": {"grateful": {"times": [0.01], "hits": 5}},
            "save": [{"total": 0.1, "save_now_call": 0.002, "ui_blocked": ui_block,
                      "worker": 0.09, "store_edit": 0.001}],
            "rss_after_unlock_mib": 100, "phases": {"page Check-ins": {"rss_mib": 120,
                                                                        "peak_mib": 130}},
            "peak_rss_mib": peak_mib}


def _results() -> dict:
    def cmp(ratio: float) -> dict:
        t = {"ours": [ratio], "jrnl": [1.0], "ratios": [ratio]}
        return {"search": {"ocean": {**t, "hits_ours": 1, "hits_jrnl": 1}},
                "list": {**t, "lines_ours": 3, "lines_jrnl": 3}, "add": t, "phases": {}}

    return {
        "machine": {"date": "d", "cpu": "c", "cores": 2, "ram_gib": 1, "os": "o",
                    "filesystem": "f", "python": "3", "sqlite": "3", "pyside6": "6",
                    "sqlalchemy": "2", "cryptography": "1"},
        "commit": "abc", "quick": True, "seconds": 60, "load": [("x", 1.0)],
        "journals": {}, "kdf": {"default": {"params": {"memory_kib": 8192, "iterations": 1,
                                                       "lanes": 1}, "times": [0.01]}},
        "per_size": {1000: {"probe": [_probe(200, 0.03, 0.004)]},
                     10_000: {"probe": [_probe(300, 0.08, 0.010)]},
                     50_000: {"probe": [_probe(520, 0.4, 0.030)]}},
        "compare": {1000: cmp(0.4), 10_000: cmp(0.3)},
    }


def _verdicts(lines: list[str]) -> dict[tuple[str, str], str]:
    out = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 6:
            out[(cells[0], cells[1])] = cells[4]
    return out


def test_targets_are_judged_at_their_size():
    verdicts = _verdicts(figures.target_table(_results()))
    assert verdicts[("1k", "CLI `list`: journal-app ÷ jrnl")] == "**met**"  # 0.4 <= 0.5
    assert verdicts[("10k", "CLI `list`: journal-app ÷ jrnl")] == "**missed**"  # 0.3 > 0.2
    assert verdicts[("10k", "First show: Check-ins")] == "**met**"
    assert verdicts[("10k", "First show: Check-ins · tab GAD-7")] == "**met**"
    assert verdicts[("50k", "First show: Check-ins")] == "**missed**"
    assert verdicts[("50k", "Peak RSS, whole GUI run (highest of the processes)")] == \
        "**missed**"
    assert verdicts[("50k", "… UI thread's longest block (worst save)")] == "**missed**"
    assert verdicts[("50k", "First unlock → Today painted (no KDF)")] == "**met**"
    assert ("1k", "First show: Check-ins") not in verdicts  # no page target at 1k
    assert not any("again" in name for _size, name in verdicts)  # a tab's second show


def test_cost_curve_gives_each_figure_at_each_size_and_its_growth():
    rows = {line.split(" | ")[0].strip("| "): line for line in figures.cost_curves(_results())}
    assert rows["Peak RSS, whole GUI run (highest of the processes)"].endswith(
        "| 210 MB | 315 MB | 545 MB | ×1.5 | ×1.7 |")  # MiB measured, MB shown
    assert "| — |" in rows["CLI `add`: journal-app ÷ jrnl"]  # not run at 50k


def test_the_page_renders_from_results_alone():
    page = report.render(_results())
    for heading in ("## This run", "## Issue 19 targets", "## In the app, per journal size",
                    "### Peak RSS per phase of the GUI probe", "## Cost curves",
                    "## What each figure is"):
        assert heading in page
    assert page.index("## Issue 19 targets") < page.index("## Cost curves")


def test_a_cached_journal_is_carried_forward_not_regenerated(tmp_path, monkeypatch):
    from journal_app.storage.database import head_revision, script_directory
    from journal_app.storage.vault import Vault

    monkeypatch.setattr(generate, "CACHE", tmp_path)
    monkeypatch.setattr(journals, "CACHE", tmp_path)
    folder = tmp_path / "journals"
    folder.mkdir()
    older_rev = next(r.revision for r in script_directory().walk_revisions()
                     if r.revision != head_revision())
    older = folder / f"journal-7-{journals._digest(older_rev)}.ijournal"
    vault, _ = Vault.create(older, generate.PASSPHRASE, kdf=generate.GENERATION_KDF)
    vault.close()
    older.with_suffix(".json").write_text(json.dumps({"size": 7, "entries": 7}))
    before = hashlib.sha256(older.read_bytes()).hexdigest()
    monkeypatch.setattr(generate, "generate", lambda *_a: (_ for _ in ()).throw(
        AssertionError("regenerated")))

    got = journals.journal(7, log=lambda _text: None)

    assert got.path.name == f"{generate._cache_key(7)}.ijournal"
    assert got.meta["migrated_from"] == older.stem and got.meta["entries"] == 7
    assert hashlib.sha256(older.read_bytes()).hexdigest() == before  # never written to
    assert not [p.name for p in folder.iterdir() if "partial" in p.name]  # no leftovers


def test_cli_phase_runner_reports_the_imports_of_the_verb(tmp_path):
    """``python -m bench.cli_phases VERB`` runs the CLI as its entry point does and writes
    its phases, the imports among them, even when the verb ends by SystemExit."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "phases.json"
    done = subprocess.run([sys.executable, "-m", "bench.cli_phases", "--help"],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, check=False,
                          env={**os.environ, "BENCH_PHASES_OUT": str(out)})
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout.lower()  # the CLI itself answered
    phases = json.loads(out.read_text())
    assert phases["rc"] == 0
    assert phases["steps"]["imports"]["calls"] > 1  # the CLI's modules, each timed
    assert phases["start"] <= phases["main_start"] <= phases["end"]
