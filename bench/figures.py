"""Every figure of one bench run by journal size, with the issue's targets beside them
and the cost curve (1k → 10k → 50k) of each. Used by :mod:`bench.report`.

A figure is ``{"values": [...], "unit": "s" | "MB" | "x"}``; its value is the median of
``values`` (for a peak RSS: the highest), so a figure read from several probe processes
or repetitions says how far they spread.
"""

from __future__ import annotations

import itertools
import statistics

MIB = 2**20 / 1e6  # MiB → MB


def _add(out: dict, name: str, values, unit: str, *, worst: bool = False) -> None:
    values = [v for v in (values if isinstance(values, list) else [values]) if v is not None]
    if values:
        out[name] = {"values": values, "unit": unit, "worst": worst}


def value(fig: dict) -> float:
    return max(fig["values"]) if fig["worst"] else statistics.median(fig["values"])


def _gui(entry: dict, out: dict) -> None:
    probes = entry.get("probe") or []
    if entry.get("lock_screen"):
        _add(out, "Lock screen shown (process start → first paint)",
             entry["lock_screen"]["shown"]["median"], "s")
    if not probes or "pages" not in probes[0]:
        return
    _add(out, "First unlock → Today painted (no KDF)", [p["unlock_first"] for p in probes], "s")
    _add(out, "Unlock again (after a lock)", [v for p in probes for v in p["unlock_again"]], "s")
    _add(out, "Lock (its save, close)", [v for p in probes for v in p["lock"]], "s")
    for i, page in enumerate(probes[0]["pages"]):
        same = [p["pages"][i] for p in probes if len(p["pages"]) > i]
        _add(out, f"First show: {page['page']}", [s["seconds"] for s in same], "s")
        for j, tab in enumerate(page.get("tabs", [])):
            if tab["again"]:
                continue
            _add(out, f"First show: {page['page']} · tab {tab['tab']}",
                 [s["tabs"][j]["seconds"] for s in same if len(s.get("tabs", [])) > j], "s")
        if "background" in page:
            bg = [s["background"] for s in same if "background" in s]
            _add(out, f"{page['page']}: shown → its background work shown",
                 [b["seconds"] for b in bg], "s")
            _add(out, f"{page['page']}: UI thread's longest block while it works",
                 [b["ui_blocked"] for b in bg], "s", worst=True)
    searches = [statistics.median(t["times"]) for p in probes for t in p["search"].values()]
    _add(out, "Search, per query (median over queries and runs)", searches, "s")
    saves = [s for p in probes for s in p["save"]]
    _add(out, "Save after an edit (GUI): total", [s["total"] for s in saves], "s")
    _add(out, "… save_now on the UI thread", [s["save_now_call"] for s in saves], "s")
    _add(out, "… worker (encrypt, write, fsync, read back)",
         [s["worker"] for s in saves if "worker" in s], "s")
    _add(out, "… UI thread's longest block (median)", [s["ui_blocked"] for s in saves], "s")
    _add(out, "… UI thread's longest block (worst save)", [s["ui_blocked"] for s in saves],
         "s", worst=True)
    during = [p["save_during_background"] for p in probes if p.get("save_during_background")]
    if during:
        _add(out, "Save while Look back counts: total", [d["save"]["total"] for d in during],
             "s")
        _add(out, "Save while Look back counts: UI thread's longest block",
             [d["save"]["ui_blocked"] for d in during], "s", worst=True)
    _add(out, "RSS after the first unlock", [p["rss_after_unlock_mib"] * MIB for p in probes],
         "MB")
    last_page = [p["phases"][f"page {p['pages'][-1]['page']}"]["rss_mib"] * MIB
                 for p in probes if p["pages"]]
    _add(out, "RSS after every page was shown", last_page, "MB")
    _add(out, "Peak RSS, whole GUI run (highest of the processes)",
         [p["peak_rss_mib"] * MIB for p in probes], "MB", worst=True)


def _storage(entry: dict, out: dict) -> None:
    probe = entry.get("open_probe")
    if not probe:
        return
    opens = probe["open"][1:] or probe["open"]  # the first pays cold caches
    _add(out, "Vault.open alone (no KDF, no Qt)", [o["total"] for o in opens], "s")
    for step in opens[0]["steps"]:
        _add(out, f"… {step}", [o["steps"][step]["seconds"] for o in opens if step in o["steps"]],
             "s")
    _add(out, "… other", [o["other"] for o in opens], "s")
    _add(out, "Vault.open alone: peak RSS", [o["peak_mib"] * MIB for o in probe["open"]], "MB",
         worst=True)
    after = probe.get("open_after_log_saves")
    if after:
        _add(out, f"Vault.open alone after {after['records']} change-log saves (replayed)",
             after["total"], "s")
    save = probe["save"]
    for kind in save["kinds"]:
        _add(out, f"Vault.save alone after an edit ({kind})", [r["seconds"] for r in save[kind]],
             "s")
        _add(out, f"Vault.save alone ({kind}): peak RSS",
             [r["peak_mib"] * MIB for r in save[kind]], "MB", worst=True)
    _add(out, f"Day's first save, with the backup copy ({save['first']['kind']})",
         save["first"]["seconds"], "s")


def _cli(cmp: dict, out: dict) -> None:
    cases = {f"search {w}": t for w, t in cmp.get("search", {}).items()}
    if cmp.get("list"):
        cases["list"] = cmp["list"]
    if cmp.get("add"):
        cases["add"] = cmp["add"]
    for name, t in cases.items():
        _add(out, f"CLI `{name}`: journal-app", t["ours"], "s")
        _add(out, f"CLI `{name}`: jrnl", t["jrnl"], "s")
        _add(out, f"CLI `{name}`: journal-app ÷ jrnl", t["ratios"], "x")
    for verb, phases in cmp.get("phases", {}).items():
        for phase, seconds in phases["median"].items():
            _add(out, f"CLI `{verb}` phase: {phase}", seconds, "s")


def figures(results: dict) -> dict[int, dict[str, dict]]:
    per: dict[int, dict[str, dict]] = {}
    for size, entry in results["per_size"].items():
        out: dict[str, dict] = {}
        _gui(entry, out)
        _storage(entry, out)
        cmp = results.get("compare", {}).get(size) or results.get("compare", {}).get(str(size))
        if cmp:
            _cli(cmp, out)
        per[int(size)] = out
    return per


# ---------------------------------------------------------------------------- targets

def _targets(size: int, names: list[str]) -> list[tuple[str, float, str]]:
    """(figure, limit, why) for the issue's targets at ``size``."""
    rows: list[tuple[str, float, str]] = []
    ratio = {1000: 0.5, 10_000: 0.2}.get(size)
    if ratio:
        rows += [(n, ratio, "CLI vs jrnl") for n in names
                 if n.startswith("CLI `") and n.endswith("÷ jrnl")]
    page = {10_000: 0.100, 50_000: 0.300}.get(size)
    if page:
        rows += [(n, page, "every page's first show") for n in names
                 if n.startswith("First show: ")]
    if size == 50_000:
        rows += [("Peak RSS, whole GUI run (highest of the processes)", 400.0, "memory"),
                 ("Save after an edit (GUI): total", 0.150, "save"),
                 ("… UI thread's longest block (worst save)", 0.016, "save"),
                 ("Save while Look back counts: UI thread's longest block", 0.016, "save"),
                 ("First unlock → Today painted (no KDF)", 0.400, "unlock")]
        # Both designs where the vault has both (snapshot and change log), storage alone.
        rows += [(n, 0.150, "save") for n in names
                 if n.startswith("Vault.save alone after an edit")]
    return [r for r in rows if r[0] in names]


def fmt_value(v: float, unit: str) -> str:
    from bench.stats import ms

    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "x":
        return f"{v:.2f}×"
    return ms(v)


def fmt_fig(fig: dict) -> str:
    v = value(fig)
    shown = fmt_value(v, fig["unit"])
    vals = fig["values"]
    if len(vals) > 1 and not fig["worst"]:
        shown += (f" ({fmt_value(min(vals), fig['unit'])}–{fmt_value(max(vals), fig['unit'])},"
                  f" n={len(vals)})")
    elif len(vals) > 1:
        shown += f" (highest of {len(vals)})"
    return shown


def target_table(results: dict) -> list[str]:
    per = figures(results)
    lines = ["| size | figure | target | measured | | measured ÷ target |",
             "|---|---|---|---|---|---|"]
    any_row = False
    for size, figs in per.items():
        for name, limit, _why in _targets(size, list(figs)):
            fig = figs[name]
            v = value(fig)
            ok = "**met**" if v <= limit else "**missed**"
            lines.append(f"| {size // 1000}k | {name} | ≤ {fmt_value(limit, fig['unit'])} | "
                         f"{fmt_fig(fig)} | {ok} | {v / limit:.2f} |")
            any_row = True
    missing = [s for s in (1000, 10_000, 50_000) if s not in per]
    if missing:
        lines.append("")
        lines.append("Not run at " + ", ".join(f"{s // 1000}k" for s in missing)
                     + ": no figure, so no verdict, there.")
    return lines if any_row else ["No figure with a target was measured in this run."]


def cost_curves(results: dict) -> list[str]:
    per = figures(results)
    sizes = sorted(per)
    names: list[str] = []
    for s in sizes:
        names += [n for n in per[s] if n not in names]
    head = "| figure | " + " | ".join(f"{s // 1000}k" for s in sizes)
    growth = list(itertools.pairwise(sizes))
    head += "".join(f" | {a // 1000}k → {b // 1000}k" for a, b in growth) + " |"
    lines = [head, "|---|" + "---|" * (len(sizes) + len(growth))]
    for name in names:
        cells = [fmt_value(value(per[s][name]), per[s][name]["unit"]) if name in per[s]
                 else "—" for s in sizes]
        grows = []
        for a, b in growth:
            if name in per[a] and name in per[b] and value(per[a][name]) > 0:
                grows.append(f"×{value(per[b][name]) / value(per[a][name]):.1f}")
            else:
                grows.append("—")
        lines.append(f"| {name} | " + " | ".join(cells + grows) + " |")
    return lines
