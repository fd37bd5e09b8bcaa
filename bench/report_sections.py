"""Parts of docs/benchmarks.md drawn from the new probes: every figure per size, peak RSS
per phase, the CLI's phases, and what each figure measured."""

from __future__ import annotations

from bench import figures

MIB = figures.MIB


def _label(size: int | str) -> str:
    return f"{int(size) // 1000}k"


def per_size_tables(results: dict, sizes: list) -> list[str]:
    per = figures.figures(results)
    keys = [int(s) for s in sizes]
    names: list[str] = []
    for s in keys:
        names += [n for n in per[s] if n not in names and not n.startswith("CLI `")]
    lines = ["", "## In the app, per journal size", "",
             "GUI figures from the app probe (one fresh process per run, offscreen), storage "
             "figures from the open probe (no Qt). `median (min–max, n)`." + _save_kind(results),
             "",
             "| figure | " + " | ".join(_label(s) for s in keys) + " |",
             "|---|" + "---|" * len(keys)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            figures.fmt_fig(per[s][name]) if name in per[s] else "—" for s in keys) + " |")
    failed = [f"{_label(s)}: {e}" for s in keys for e in _entry(results, s).get("errors", [])]
    failed += [f"{_label(s)}: GUI probe phase {e}" for s in keys
               for p in _entry(results, s).get("probe") or [] for e in p.get("errors", [])]
    if failed:
        lines += ["", "**Not measured, because the probe failed there** (the figures it "
                  "would give are missing above):", "", *[f"- `{e}`" for e in failed]]
    logged = {f"{_label(s)}: {line}" for s in keys for p in _entry(results, s).get("probe") or []
              for line in p.get("app_log", [])}
    if logged:
        lines += ["", "**The app logged these during the GUI probe** (a section that failed to "
                  "load shows a notice, so its time is the notice's):", "",
                  *[f"- `{line}`" for line in sorted(logged)]]
    lines += _gui_phases(results, keys)
    lines += _open_steps(results, keys)
    return lines


def _save_kind(results: dict) -> str:
    kinds = {p.get("save_kind", "snapshot") for e in results["per_size"].values()
             for p in e.get("probe") or []}
    if not kinds:
        return ""
    return (" The GUI's saves wrote: " + " and ".join(sorted(kinds)) + " (a *change log* "
            "save appends one record; a *snapshot* writes the whole image).")


def _gui_phases(results: dict, keys: list[int]) -> list[str]:
    probes = {s: (_entry(results, s).get("probe") or [{}])[0] for s in keys}
    names: list[str] = []
    for s in keys:
        names += [n for n in probes[s].get("phases", {}) if n not in names]
    if not names:
        return []
    lines = ["", "### Peak RSS per phase of the GUI probe (first process)", "",
             "VmHWM reset (`/proc/self/clear_refs` = 5) as each phase starts: the phase's own "
             "peak, then the RSS when it ended. The run's peak is the highest of them.", "",
             "| phase | " + " | ".join(f"{_label(s)} peak / after" for s in keys) + " |",
             "|---|" + "---|" * len(keys)]
    for name in names:
        cells = []
        for s in keys:
            p = probes[s].get("phases", {}).get(name)
            cells.append(f"{p['peak_mib'] * MIB:.0f} / {p['rss_mib'] * MIB:.0f} MB" if p
                         else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    peaks = [f"{probes[s]['peak_rss_mib'] * MIB:.0f} MB" if "peak_rss_mib" in probes[s]
             else "—" for s in keys]
    lines.append("| **whole run's peak** | " + " | ".join(peaks) + " |")
    return lines


def _open_steps(results: dict, keys: list[int]) -> list[str]:
    probes = {s: _entry(results, s).get("open_probe") for s in keys}
    if not any(probes.values()):
        return []
    lines = ["", "### Vault.open alone, peak RSS per step (open probe)", "",
             "The second open of the process (the first pays cold caches); each step's peak "
             "with VmHWM reset as it starts.", "",
             "| step | " + " | ".join(_label(s) for s in keys) + " |",
             "|---|" + "---|" * len(keys)]
    steps: list[str] = []
    for p in probes.values():
        if p:
            steps += [k for k in p["open"][-1]["steps"] if k not in steps]
    for step in steps:
        cells = []
        for s in keys:
            o = probes[s]["open"][-1]["steps"].get(step) if probes[s] else None
            cells.append(f"{o['peak_mib'] * MIB:.0f} MB" if o else "—")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines.append("| RSS after the open | " + " | ".join(
        f"{probes[s]['open'][-1]['rss_after_mib'] * MIB:.0f} MB" if probes[s] else "—"
        for s in keys) + " |")
    return lines


def _entry(results: dict, size: int) -> dict:
    return results["per_size"].get(size) or results["per_size"].get(str(size)) or {}


PHASE_ORDER = ["whole process (parent's clock)", "interpreter start + exit", "imports",
               "key derivation + unwrap", "read + decrypt the body", "deserialize into SQLite",
               "migrate check", "rollback record", "open: the rest", "SQLAlchemy engine",
               "save", "close", "the verb's own work (the rest)"]


def _phase_key(name: str) -> int:
    return PHASE_ORDER.index(name) if name in PHASE_ORDER else len(PHASE_ORDER)


def cli_phase_table(results: dict) -> list[str]:
    compare = {int(s): c for s, c in results.get("compare", {}).items() if c.get("phases")}
    if not compare:
        return []
    lines = ["", "### Where one CLI process's time goes (phase timers)", "",
             "Each verb run again under `bench.cli_phases` (median of the runs): every import "
             "timed from the start, and the storage calls the verb makes timed by name "
             "(exclusive: an import inside an open counts as an import). Interpreter start "
             "+ exit is the parent's wall time minus the time in the process.", ""]
    for size, cmp in sorted(compare.items()):
        verbs = list(cmp["phases"])
        phases: list[str] = []
        for v in verbs:
            phases += [p for p in cmp["phases"][v]["median"] if p not in phases]
        phases.sort(key=_phase_key)
        lines += [f"**{_label(size)}** (n = {cmp['phases'][verbs[0]]['n']} each)", "",
                  "| phase | " + " | ".join(f"`{v}`" for v in verbs) + " |",
                  "|---|" + "---|" * len(verbs)]
        for phase in phases:
            lines.append(f"| {phase} | " + " | ".join(
                figures.fmt_value(cmp["phases"][v]["median"][phase], "s")
                if phase in cmp["phases"][v]["median"] else "—" for v in verbs) + " |")
        lines.append("")
    return lines


def method(results: dict) -> list[str]:
    quick = "quick mode" if results["quick"] else "full mode"
    return ["", "## What each figure is", "",
            "- **Lock screen shown**: a child process (`bench/gui_start.py`) starts Python, "
            "imports the app and builds the window exactly as `run_gui` does; from just "
            "before the process is spawned to the lock screen's first paint event.",
            "- **GUI probe** (`bench/app_probe.py`, a fresh offscreen process per run): the "
            "lock screen, a two-second pause, the data key derived from the file's head only "
            "(as the lock screen does; nothing else reads the file), then `MainWindow.unlock` "
            "with a secret handing over that key (no KDF): *first unlock* runs from the call "
            "until the Today page has been painted (events processed until a pass paints "
            "nothing more). *First show* of each section: its row chosen in the navigation "
            "list, to painted; then each tab of a section with tabs. Look back then counts "
            "themes (in steps between events, or on a worker): how long from choosing it "
            "until they show, and the UI thread's longest block meanwhile (gaps between "
            "ticks of a 1 ms UI-thread timer).",
            "- **Saves** (GUI): one entry edited through the journal's repository, then "
            "`OpenJournal.save_now` as autosave calls it; *total* to its callback; "
            "*save_now on the UI thread* is the call itself (it captures the image before "
            "the worker starts); *worker* the job's run; the UI thread's longest block is "
            "the longer of the call and the longest tick gap until the save is done. The "
            "first save of each process also copies the file to the day's backup (on the "
            "worker). *While Look back counts*: after a lock and an unlock, Look back is "
            "shown and at once an edit saved while it counts.",
            "- **Peak RSS**: VmHWM, reset before each phase; the run's peak is the highest "
            "phase peak. The GUI probe runs only what the app runs, so its peak is the app's.",
            "- **Vault.open / Vault.save alone** (`bench/open_probe.py`, no Qt): the open as "
            "the app runs it, its steps timed by wrapping the functions it calls by name "
            "(read the head, authenticate and decrypt the body, deserialize, migration check, "
            "rollback record; the rest is *other*), each with its own peak RSS. Saves: an "
            "edit, then `Vault.save()`; where the vault has `compact()` beside an appending "
            "`save()`, both, labelled *change log* (`save`) and *snapshot* (`compact`).",
            "- **Search**: `search(query)` on the journal's repository with the window "
            "unlocked, queries from common to rare, a phrase, prefixes, two words, a name "
            "and a miss.",
            "- **CLI vs jrnl**: whole processes, interleaved (which tool goes first "
            "alternates), our KDF set to jrnl's PBKDF2 cost; `list` against `jrnl --short` "
            "(one line per entry each; the line counts are shown).",
            f"- Repetitions: {quick}. GUI processes: 3 at 1k, 2 at 10k, 1 at 50k (quick: 2, "
            "1, 1); the 50k journal also gets fewer lock-screen runs (3), jrnl runs (2) and "
            "phase runs (2), to keep a full run under about 20 minutes."]
