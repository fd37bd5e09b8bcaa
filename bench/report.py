"""docs/benchmarks.md from one run's results (every figure comes from ``results``)."""

from __future__ import annotations

import importlib.util
import statistics
from pathlib import Path

from bench import attachments_report
from bench.stats import fmt, ms, summarize

ROOT = Path(__file__).resolve().parent.parent
NOTES = Path(__file__).resolve().parent / "findings.md"


def export_status() -> dict:
    """Whether the report export exists (it was built alongside the bench)."""
    found = {name: importlib.util.find_spec(name) is not None
             for name in ("journal_app.export.service", "journal_app.ui.print.pdf_report",
                          "journal_app.storage.report_source")}
    return {"modules": found, "usable": all(found.values())}


def _mb(mib: float) -> str:
    return f"{mib * 2**20 / 1e6:.0f} MB"


def _values(size_entry: dict, key: str) -> list[float]:
    return [p[key] for p in size_entry["probe"]]


def _flat(size_entry: dict, key: str) -> list[float]:
    return [v for p in size_entry["probe"] for v in p[key]]


def _search_medians(size_entry: dict) -> dict[str, float]:
    per_query: dict[str, list[float]] = {}
    for probe in size_entry["probe"]:
        for query, data in probe["search"].items():
            per_query.setdefault(query, []).extend(data["times"])
    return {q: statistics.median(t) for q, t in per_query.items()}


def _saves(size_entry: dict, key: str) -> list[float]:
    return [s[key] for p in size_entry["probe"] for s in p["save"] if key in s]


def _steps(size_entry: dict, key: str) -> list[float]:
    return [s[key] for p in size_entry["probe"] for s in p["unlock_steps"][1:]]


def measures(entry: dict) -> dict[str, dict]:
    """Every per-size measure as a summary (seconds or MiB)."""
    searches = _search_medians(entry)
    out = {
        "lock": entry["lock_screen"]["shown"],
        "lock_imports": entry["lock_screen"]["imports_done"],
        "unlock_first": summarize(_values(entry, "unlock_first")),
        "unlock_again": summarize(_flat(entry, "unlock_again")),
        "search": summarize(list(searches.values())),
        "save_total": summarize(_saves(entry, "total")),
        "save_prepare": summarize(_saves(entry, "prepare")),
        "save_worker": summarize(_saves(entry, "worker")),
        "save_blocked": summarize(_saves(entry, "ui_blocked")),
        "store_edit": summarize(_saves(entry, "store_edit")),
        "rss_peak": summarize(_values(entry, "peak_rss_mib")),
        "rss_unlocked": summarize(_values(entry, "rss_after_unlock_mib")),
    }
    for step in ("read_parse", "decrypt", "deserialize", "migrate_check"):
        out[step] = summarize(_steps(entry, step))
    return out


ROWS = [
    ("Start to lock screen shown (process)", "lock", fmt),
    ("… of which Python imports done", "lock_imports", fmt),
    ("Unlock without KDF, first in the session, to the window populated", "unlock_first", fmt),
    ("Unlock without KDF, again (lock → unlock)", "unlock_again", fmt),
    ("… read file + parse", "read_parse", fmt),
    ("… decrypt (AES-GCM)", "decrypt", fmt),
    ("… deserialize into SQLite", "deserialize", fmt),
    ("… migrate check (Alembic)", "migrate_check", fmt),
    ("Search, per query (median of the queries' medians; range = fastest–slowest query)",
     "search", fmt),
    ("Store one edit (UI thread, before the save)", "store_edit", fmt),
    ("Save after an edit: total", "save_total", fmt),
    ("… prepare_save (UI thread)", "save_prepare", fmt),
    ("… job.run (worker: encrypt, write, fsync, read back)", "save_worker", fmt),
    ("… longest UI-thread freeze during the save", "save_blocked", fmt),
    ("RSS after unlock", "rss_unlocked", lambda s: f"{_mb(s['median'])}"),
    ("Peak RSS (process: unlocks, searches, saves)", "rss_peak",
     lambda s: f"{_mb(s['median'])} ({_mb(s['low'])}–{_mb(s['high'])}, n={s['n']})"),
]


def _ratio_summary(timing: dict) -> dict:
    ours, theirs = statistics.median(timing["ours"]), statistics.median(timing["jrnl"])
    return {"ours": summarize(timing["ours"]), "jrnl": summarize(timing["jrnl"]),
            "ratio": statistics.median(timing["ratios"]),
            "ratio_low": min(timing["ratios"]), "ratio_high": max(timing["ratios"]),
            "ratio_of_medians": ours / theirs}


Budget = tuple[str, str, str, float | None, float, str]  # name, target, shown, value, limit, see


def _budget_rows(results: dict) -> list[Budget]:
    ten = results["per_size"].get(10_000) or results["per_size"].get("10000")
    rows: list[Budget] = []
    if ten:
        m = measures(ten)
        blocked = m["save_blocked"]
        rows += [
            ("Lock screen shown", "≤ 1.0 s", ms(m["lock"]["median"]), m["lock"]["median"], 1.0,
             "7"),
            ("Unlock without KDF (first)", "≤ 0.5 s", ms(m["unlock_first"]["median"]),
             m["unlock_first"]["median"], 0.5, "1"),
            ("Search per query (median)", "≤ 30 ms", ms(m["search"]["median"]),
             m["search"]["median"], 0.030, "4"),
            ("Save after an edit, total", "≤ 0.5 s", ms(m["save_total"]["median"]),
             m["save_total"]["median"], 0.5, "2"),
            ("UI thread blocked during save", "≤ 50 ms",
             f"{ms(blocked['median'])} (worst {ms(blocked['high'])})", blocked["median"], 0.050,
             "2"),
            ("Peak RSS", "≤ 400 MB", _mb(m["rss_peak"]["median"]),
             m["rss_peak"]["median"] * 2**20 / 1e6, 400.0, "6"),
        ]
    export = (ten or {}).get("export")
    if export and "pdf" in export:
        pdf = _export_click(export, "pdf")
        rows.append(("500-entry PDF (select, charts, render, write)", "≤ 3 s",
                     ms(pdf["median"]), pdf["median"], 3.0, "5"))
    else:
        why = (export or {}).get("error", "export not built")
        rows.append(("500-entry PDF export", "≤ 3 s", f"not measured: {why}", None, 3.0, "5"))
    cmp10 = results["compare"].get(10_000) or results["compare"].get("10000")
    if cmp10:
        ratios = {w: _ratio_summary(t)["ratio"] for w, t in cmp10["search"].items()}
        add = _ratio_summary(cmp10["add"])["ratio"]
        rows += [
            ("`search` vs `jrnl -contains` (whole process)", "≤ 0.5×",
             " / ".join(f"{r:.2f}× (`{w}`)" for w, r in ratios.items()),
             max(ratios.values()), 0.5, "3"),
            ("`add` vs jrnl add (whole process)", "≤ 0.3×", f"{add:.2f}×", add, 0.3, "3"),
        ]
    return rows


def _budget_table(results: dict) -> list[str]:
    lines = ["| budget | target | measured | | measured ÷ target | cause and fix |",
             "|---|---|---|---|---|---|"]
    for name, target, shown, value, limit, see in _budget_rows(results):
        ok = None if value is None else value <= limit
        factor = "—" if value is None else f"{value / limit:.2f}"
        lines.append(f"| {name} | {target} | {shown} | {_mark(ok)} | {factor} | "
                     f"section {see} below |")
    return lines


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def _size_label(size: int | str) -> str:
    n = int(size)
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def render(results: dict) -> str:
    m = results["machine"]
    sizes = list(results["per_size"])
    per = {s: measures(results["per_size"][s]) for s in sizes}
    lines = [
        "# Benchmarks",
        "",
        "How fast Integration Journal is at one, ten and fifty thousand entries, and how it "
        "compares with jrnl on the same entries. Generated by the bench; every figure below "
        "comes from the run described here. Budgets are targets for the 10k journal on this "
        "2-core machine, not tests.",
        "",
        "## Run it",
        "",
        "```",
        "uv run python -m bench            # everything; journals are cached after the first run",
        "uv run python -m bench --quick    # fewer repetitions, 1k and 10k",
        "uv run python -m bench --sizes 1000 --no-jrnl",
        "uv run python -m bench --render-only   # rewrite this page from the last results",
        "uv run --with pyinstrument python -m bench.profile unlock 10000   # a call tree",
        "```",
        "",
        "A full run from a clean clone takes about 15 minutes on this machine, generating the "
        "journals included (the 50k one takes 1-4 minutes, then it is cached). Profile targets: "
        "`unlock`, `save`, `search`, `cli-add`, `cli-search`, `export-pdf`.",
        "",
        "The bench generates its journals (deterministic, fixed seed) through the app's own "
        "storage layer and caches them in `bench/.cache/`; it installs jrnl into "
        "`bench/.jrnl-venv/` with uv. Both folders are git-ignored. Raw results of the last "
        "run: `bench/.cache/last-results.json`.",
        "",
        "## This run",
        "",
        f"- Date: {m['date']}; app commit {results['commit']}; "
        f"{'quick mode' if results['quick'] else 'full mode'}; "
        f"whole run {results['seconds'] / 60:.1f} min",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, "
        f"{m['filesystem']} file system",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PySide6 {m['pyside6']}, SQLAlchemy "
        f"{m['sqlalchemy']}, cryptography {m['cryptography']}, {m.get('jrnl', 'jrnl not run')}",
        _load_line(results),
        "- GUI measured with `QT_QPA_PLATFORM=offscreen`. Child processes run with bytecode "
        "caching on (as after an install) and one untimed warm-up each.",
        "- Figures are `median (min–max, n=runs)`.",
        "",
        "### Journals",
        "",
        "| size | entries | sessions | check-ins | span | SQLite image | file |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, j in results["journals"].items():
        lines.append(f"| {_size_label(size)} | {j['entries']} | {j['sessions']} | "
                     f"{j['check_ins']} | {j['first_day']} – {j['last_day']} | "
                     f"{j['image_bytes'] / 1e6:.0f} MB | {j['file_bytes'] / 1e6:.0f} MB |")
    lines += ["", "## Budgets (10k journal)", "", *_budget_table(results)]
    lines += ["", "## In the app, per journal size", "",
              "| measure | " + " | ".join(_size_label(s) for s in sizes) + " |",
              "|---|" + "---|" * len(sizes)]
    for label, key, show in ROWS:
        lines.append(f"| {label} | " + " | ".join(show(per[s][key]) for s in sizes) + " |")
    lines += _rss_phase_table(results, sizes)
    lines += _search_table(results, sizes)
    lines += _kdf_section(results)
    lines += _compare_section(results)
    lines += _export_section(results)
    lines += attachments_report.section(attachments_report.saved())
    lines += _method_section(results)
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    return "\n".join(lines) + "\n"


def _rss_phase_table(results: dict, sizes: list) -> list[str]:
    probes = {s: results["per_size"][s]["probe"][0] for s in sizes}
    phases = list(probes[sizes[0]].get("peak_rss_by_phase", {}))
    if not phases:
        return []
    lines = ["", "### Peak RSS after each phase of the probe (first process)", "",
             "| after | " + " | ".join(_size_label(s) for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name in phases:
        lines.append(f"| {name} | " + " | ".join(
            _mb(probes[s]["peak_rss_by_phase"][name]) for s in sizes) + " |")
    return lines


def _load_line(results: dict) -> str:
    loads = [value for _phase, value in results.get("load", [])]
    if not loads:
        return "- Load average: not recorded."
    return (f"- 1-minute load average as each phase started: {min(loads):.1f}–{max(loads):.1f} "
            f"(median {statistics.median(loads):.1f}) on {results['machine']['cores']} cores. "
            "Other work shared this machine during the run; it inflates times and spreads.")


def _search_table(results: dict, sizes: list) -> list[str]:
    lines = ["", "### Search, per query (median)", "",
             "| query | " + " | ".join(_size_label(s) for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    medians = {s: list(_search_medians(results["per_size"][s]).items()) for s in sizes}
    hits = {s: results["per_size"][s]["probe"][0]["search"] for s in sizes}
    for i, (query, _t) in enumerate(medians[sizes[0]]):
        names = {medians[s][i][0] for s in sizes}
        label = f"`{query}`" if len(names) == 1 else "a rare name (" + ", ".join(
            f"`{n}`" for n in sorted(names)) + ")"
        cells = [f"{ms(medians[s][i][1])} ({hits[s][medians[s][i][0]]['hits']} hits)"
                 for s in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Hits are capped at 100 (the search's default limit), best-ranked first.")
    return lines


def _kdf_section(results: dict) -> list[str]:
    kdf = results["kdf"]
    d = kdf["default"]
    lines = ["", "## Key derivation (excluded from the unlock figures above)", "",
             f"- The app's own choice on this machine (`calibrate()`): Argon2id "
             f"{d['params']['memory_kib'] // 1024} MiB, t={d['params']['iterations']}, "
             f"{d['params']['lanes']} lanes: {fmt(summarize(d['times']))} per unlock."]
    if "matched" in kdf:
        mt = kdf["matched"]
        lines.append(
            f"- jrnl's PBKDF2-SHA256 (100,000 iterations) here: {ms(kdf['jrnl_pbkdf2'])} per "
            f"derivation. For the comparison below our journals use Argon2id "
            f"{mt['params']['memory_kib'] // 1024} MiB, t={mt['params']['iterations']}, "
            f"{mt['params']['lanes']} lanes: {fmt(summarize(mt['times']))} — about the same "
            "cost. (jrnl derives once to read and once more to write, so its `add` pays it "
            "twice; ours derives once per command.)")
    return lines


def _compare_section(results: dict) -> list[str]:
    if not results["compare"]:
        return ["", "## Against jrnl", "", "Not run (`--no-jrnl`)."]
    lines = ["", "## Against jrnl (whole processes, interleaved)", "",
             "Each repetition runs both tools, alternating which goes first; ratio = ours ÷ "
             "jrnl per repetition, median (min–max). Same entries, both encrypted, "
             "passwords from the environment (ours: `JOURNAL_APP_PASSPHRASE`; jrnl: a keyring "
             "backend reading a file), output captured.", "",
             "| size | command | journal-app | jrnl | ratio |", "|---|---|---|---|---|"]
    for size, cmp in results["compare"].items():
        for word, timing in cmp["search"].items():
            r = _ratio_summary(timing)
            lines.append(
                f"| {_size_label(size)} | `search {word}` vs `jrnl -contains {word}` "
                f"({timing['hits_ours']} / {timing['hits_jrnl']} hits) | {fmt(r['ours'])} | "
                f"{fmt(r['jrnl'])} | {r['ratio']:.2f}× ({r['ratio_low']:.2f}–"
                f"{r['ratio_high']:.2f}) |")
        r = _ratio_summary(cmp["add"])
        lines.append(f"| {_size_label(size)} | `add` (one entry from stdin) | {fmt(r['ours'])} | "
                     f"{fmt(r['jrnl'])} | {r['ratio']:.2f}× ({r['ratio_low']:.2f}–"
                     f"{r['ratio_high']:.2f}) |")
    return lines


def _export_click(export: dict, fmt: str) -> dict:
    """What a person waits for after choosing Export: select the report, then charts +
    render + atomic write (``export_report``)."""
    return summarize([a + b for a, b in zip(export["select"], export[fmt], strict=True)])


EXPORT_ROWS = [
    ("Open the journal (read, decrypt, deserialize; no KDF)", "open"),
    ("Gather the journal for reports (`gather_from`)", "gather"),
    ("Select the report (`select_report`)", "select"),
    ("Chart PNGs (`chart_pngs`)", "charts"),
    ("HTML: charts + render + write (`export_report`)", "html"),
    ("PDF: charts + render + write (`export_report`)", "pdf"),
]


def _export_section(results: dict) -> list[str]:
    sizes = [s for s in results["per_size"] if "pdf" in results["per_size"][s].get("export", {})]
    lines = ["", "## Export (the newest 500 entries to PDF and to HTML)", ""]
    if not sizes:
        status = results.get("export_status", {})
        errors = {s: e["export"].get("error") for s, e in results["per_size"].items()
                  if "export" in e}
        lines.append("Not measured: " + (f"the export probe failed ({errors})" if errors
                                         else f"export not built ({status})") + ".")
        return lines
    exports = {s: results["per_size"][s]["export"] for s in sizes}
    lines += ["Through the public API, as the export dialog and `journal-app export` do: "
              "`gather_from(db)` → `select_report` (the period holding the newest 500 "
              "shareable entries) → `export_report(…, charts=chart_pngs(data), "
              "pdf_renderer=render_pdf)`, offscreen.", "",
              "| step | " + " | ".join(_size_label(s) for s in sizes) + " |",
              "|---|" + "---|" * len(sizes)]
    for label, key in EXPORT_ROWS:
        lines.append(f"| {label} | " + " | ".join(fmt(summarize(exports[s][key]))
                                                   for s in sizes) + " |")
    for f in ("html", "pdf"):
        lines.append(f"| **{f.upper()} after clicking Export** (select + {f.upper()} row) | "
                     + " | ".join(fmt(_export_click(exports[s], f)) for s in sizes) + " |")
    lines.append("| entries in the report / PDF size | " + " | ".join(
        f"{exports[s]['entries']} / {exports[s]['pdf_bytes'] / 1e6:.1f} MB" for s in sizes)
        + " |")
    lines.append("| peak RSS of the export process | " + " | ".join(
        _mb(exports[s]["peak_rss_mib"]) for s in sizes) + " |")
    return lines


def _method_section(results: dict) -> list[str]:
    return ["", "## What each figure is", "",
            "- **Lock screen**: a child process (`bench/gui_start.py`) starts Python, imports "
            "the app and builds the window exactly as `run_gui` does; the time is from "
            "just before the process is spawned to the lock screen's first paint event.",
            "- **Unlock without KDF**: `MainWindow.unlock` with a secret that hands over the "
            "already derived data key, so the real worker (`open_and_merge`: read, parse, "
            "decrypt, deserialize, migrate check, inbox merge) and the real UI part (pages "
            "attach, list filled, first paint) run; timed from the call to the populated "
            "window painted. *First* is the first unlock in the process (the journal area "
            "is built then); *again* is lock → unlock in the same process. The steps below "
            "it are timed separately, one by one.",
            "- **Search**: `JournalRepository.search(query)` with the window unlocked, "
            "queries from common to rare, a phrase, prefixes, two words, a name and a miss.",
            "- **Save after an edit**: `update_entry` on the newest entry, then "
            "`OpenJournal.save_now` as autosave calls it; total is to the save callback; the "
            "freeze is the longest block of the UI thread: prepare_save, which runs on it "
            "synchronously, or the longest gap between ticks of a 1 ms timer while the "
            "worker encrypts and writes (it competes for the GIL), whichever is longer. The "
            "first save of a day also copies the file to a backup (the max of the range).",
            "- **RSS**: VmHWM (peak) of the probe process, which reads the file once to derive "
            "the key, times the unlock steps one by one, unlocks 3-4 times, searches and "
            "saves (the first two steps are the bench's own, and slightly raise the early "
            "peaks); *after unlock* is VmRSS right after the first GUI unlock.",
            f"- Repetitions: {'quick mode' if results['quick'] else 'full mode'}; the 50k "
            "journal gets fewer (3 lock-screen runs, 2 probe processes, 2 jrnl runs, one "
            "search word) to keep the run under about 20 minutes."]
