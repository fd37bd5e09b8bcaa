"""The "Attachments" section of docs/benchmarks.md, from bench/.cache/attachments-results.json
(every figure comes from that run)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.stats import fmt, ms, summarize

RESULTS = Path(__file__).resolve().parent / ".cache" / "attachments-results.json"
HEADING = "## Attachments: a text save with 0 and 1 GiB attached"
BEFORE = "## What each figure is"  # the section goes just before this one

SAVE_ROWS = [
    ("Store one edit (UI thread, before the save)", "store_edit"),
    ("Save after an edit: total", "total"),
    ("… prepare_save (UI thread)", "prepare"),
    ("… job.run (worker: encrypt, write, fsync, read back, collect)", "worker"),
    ("… … of which looking for blobs to collect", "collect"),
    ("… longest UI-thread freeze during the save", "ui_blocked"),
]


def saved() -> dict | None:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else None


def _iqr(values: list[float]) -> float:
    if len(values) < 4:
        return max(values) - min(values)
    q = statistics.quantiles(values, n=4)
    return q[2] - q[0]


def _signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "−") + ms(abs(seconds))


def compare(plain: list[float], attached: list[float]) -> dict:
    """Medians, the paired differences (attached − plain of the same round) and whether
    the difference of the medians lies within the runs' interquartile range."""
    diffs = [b - a for a, b in zip(plain, attached, strict=True)]
    noise = max(_iqr(plain), _iqr(attached))
    delta = statistics.median(attached) - statistics.median(plain)
    return {"plain": summarize(plain), "attached": summarize(attached),
            "diff": summarize(diffs), "delta": delta, "noise": noise,
            "within": abs(delta) <= noise}


def _verdict(c: dict) -> str:
    if c["within"]:
        return f"same within noise ({_signed(c['delta'])}; IQR {ms(c['noise'])})"
    word = "slower" if c["delta"] > 0 else "faster"
    return f"**{word}** by {ms(abs(c['delta']))} (IQR {ms(c['noise'])})"


def _save_values(runs: list[dict], key: str) -> list[float]:
    return [run[key] for run in runs]


def save_comparisons(probe: dict) -> dict[str, dict]:
    saves = probe["saves"]
    out = {key: compare(_save_values(saves["plain"], key), _save_values(saves["attached"], key))
           for _label, key in SAVE_ROWS}
    day = probe["day_first_saves"]
    out["day_first"] = compare(_save_values(day["plain"], "total"),
                               _save_values(day["attached"], "total"))
    sitting = probe.get("pending", {}).get("saves")
    for key in ("total", "worker", "collect", "ui_blocked") if sitting else ():
        out[f"sitting_{key}"] = compare(_save_values(sitting["plain"], key),
                                        _save_values(sitting["attached"], key))
    return out


PENDING_ROWS = [
    ("First save of a sitting, a removed voice note awaiting collection (see below): total",
     "sitting_total"),
    ("… job.run (worker)", "sitting_worker"),
    ("… … of which looking for blobs to collect", "sitting_collect"),
    ("… longest UI-thread freeze", "sitting_ui_blocked"),
]


def _bytes(n: int) -> str:
    return f"{n:,} B ({n / 1e6:.1f} MB)" if n >= 10**6 else f"{n:,} B"


def _size_rows(probe: dict) -> list[str]:
    rows = []
    for label, key in (("SQLite image (what a save encrypts and writes)", "image_bytes"),
                       ("Journal file", "file_bytes")):
        plain, attached = probe[key]["plain"], probe[key]["attached"]
        rows.append(f"| {label} | {_bytes(plain)} | {_bytes(attached)} | "
                    f"{attached - plain:+,} B ({(attached - plain) / 1024:+.1f} KiB) |")
    disk = probe["disk"]
    for name in sorted(set(disk["plain"]) | set(disk["attached"])):
        cells = []
        for side in ("plain", "attached"):
            d = disk[side].get(name)
            cells.append("—" if d is None else
                         f"{d['files']} file{'s' * (d['files'] != 1)}, {_bytes(d['bytes'])}, "
                         f"{d['allocated'] / 2**20:,.1f} MiB on disk")
        rows.append(f"| On disk: `{name}` | {cells[0]} | {cells[1]} | |")
    return rows


def _side(probe: dict) -> str:
    total = probe["count"] * probe["size"]
    return f"{total / 2**30:.2f} GiB attached" if total else "control: none either"


def _load(att: dict) -> str:
    return (f"1-minute load average {att['load_start']:.2f} as the phase started, "
            f"{att['load_end']:.2f} as it ended, on {att['cores']} cores")


def section(att: dict | None) -> list[str]:
    if att is None:
        return ["", HEADING, "", "Not measured yet: `uv run python -m bench.attachments`."]
    probe = att["probe"]
    count, size, rounds = probe["count"], probe["size"], probe["rounds"]
    c = save_comparisons(probe)
    lines = [
        "", HEADING, "",
        f"Issue 15: a voice note must never make a text save slower. The "
        f"{att['journal']['entries']:,}-entry journal, copied twice; {count} voice notes of "
        f"{size:,} bytes ({count * size / 2**30:.2f} GiB, seeded pseudo-random 16-bit PCM "
        "in WAV, so nothing compresses) are added to one copy through "
        "`Journal.add_attachment` and saved. Both copies are then open in one process as the "
        "GUI holds them (`OpenJournal`), and text saves take turns between them, who goes "
        f"first swapping every round: {rounds} rounds. Each save is timed exactly as the "
        "save rows above (`update_entry` on the newest entry — one that has a voice note — "
        "then `OpenJournal.save_now`; `prepare_save` on the UI thread, `job.run` on the "
        "worker, a 1 ms timer for the longest freeze). *Paired difference* is 1 GiB − none "
        "within the same round; *same within noise* means the medians differ by no more "
        "than the larger interquartile range of the two sides.",
        "",
        f"Run {att['date']}, app commit {att['commit']}, {att['cpu']}, {att['filesystem']} "
        f"file system; {_load(att)}; the phase took {att['seconds']:.0f} s. Command: "
        "`uv run python -m bench.attachments` (also part of `python -m bench`).",
        "",
        f"| measure | no attachments | {_side(probe)} | paired difference | verdict |",
        "|---|---|---|---|---|",
    ]
    rows = [*SAVE_ROWS, ("Day's first save (copies the journal to the day's backup "
                         "first), total", "day_first"), *PENDING_ROWS]
    for label, key in rows:
        if key not in c:
            continue
        r = c[key]
        lines.append(f"| {label} | {fmt(r['plain'])} | {fmt(r['attached'])} | "
                     f"{fmt(r['diff'], _signed)} | {_verdict(r)} |")
    lines += ["", _headline(c)]
    lines += ["", f"| size | no attachments | {_side(probe)} | difference |", "|---|---|---|---|",
              *_size_rows(probe), ""]
    lines += _other_lines(probe)
    return lines


def _headline(c: dict[str, dict]) -> str:
    keys = ["total", "prepare", "worker", "ui_blocked"]
    differ = [label for label, key in SAVE_ROWS if key in keys and not c[key]["within"]]
    if not differ:
        head = ("**A text save is the same within noise with and without the attachments**: "
                "total, prepare_save, worker and the longest UI-thread freeze.")
    else:
        head = "**Not the same within noise**: " + "; ".join(differ) + "."
    if "sitting_total" in c and not c["sitting_total"]["within"]:
        head += (" But a sitting's first save, while a removed attachment awaits collection, "
                 f"takes {ms(c['sitting_total']['delta'])} longer to finish (on the worker; "
                 f"the UI-thread freeze: {_verdict(c['sitting_ui_blocked'])}).")
    return head


def _per_backup(pending: dict) -> float:
    saves = pending["saves"]
    extra: float = compare(_save_values(saves["plain"], "worker"),
                           _save_values(saves["attached"], "worker"))["delta"]
    return extra / max(int(pending["backups"]["attached"]), 1)


def _other_lines(probe: dict) -> list[str]:
    lines = []
    if probe.get("add_seconds"):
        lines.append(f"- Add one {probe['size'] / 1e6:.0f} MB voice note (`add_attachment`: "
                     "check, encrypt, write the blob atomically, fsync, insert the row): "
                     f"{fmt(summarize(probe['add_seconds']))}; all {probe['count']} "
                     f"{ms(probe['add_all_seconds'])}, making their bytes included.")
        first = probe["first_save"]
        lines.append("- First save after adding them (references them; also the day's "
                     f"first save): {ms(first['attached']['total'])} total, UI thread "
                     f"blocked {ms(first['attached']['ui_blocked'])}; the copy without: "
                     f"{ms(first['plain']['total'])}, {ms(first['plain']['ui_blocked'])}.")
    pending = probe.get("pending")
    if pending:
        lines.append(
            "- *A removed voice note awaiting collection*: one attachment removed and saved, "
            f"the journal closed, its {pending['blobs_aged']} blob files dated an hour back "
            f"(an earlier sitting), {pending['backups']['attached']} daily backups beside "
            "each copy (as after a week of use; they still refer to the removed one). Then "
            "open, one text save, close, taking turns: each is a sitting's first save, "
            "whose worker looks for blobs to collect; with one unreferenced and older than "
            "the grace period, it decrypts every backup to see whether one still needs it. "
            f"Blob files left afterwards: {pending['blobs_after']} (the backups keep it). "
            f"The extra worker time is about {ms(_per_backup(pending))} per backup.")
    if probe.get("read_seconds"):
        lines.append(f"- Read one back (`attachment_data`: read, decrypt, authenticate): "
                     f"{fmt(summarize(probe['read_seconds']))}; "
                     f"`all_attachments()` lists {probe['attachments_listed']}.")
    opens = probe["open_seconds"]
    lines.append("- Open (`Vault.open` + `Journal`: read, decrypt, deserialize, migrate "
                 f"check; no KDF), alternating: none {fmt(summarize(opens['plain']))}, "
                 f"1 GiB {fmt(summarize(opens['attached']))}.")
    stages = "; ".join(f"{name} {mib * 2**20 / 1e6:.0f} MB"
                       for name, mib in probe["peak_rss_by_stage"].items())
    lines.append(f"- Peak RSS of the probe process (both journals open at once), after each "
                 f"stage: {stages}.")
    return lines


def splice(page: str, att: dict | None) -> str:
    """``page`` with its Attachments section replaced (or put before "What each figure is",
    or at the end)."""
    body = "\n".join(section(att)).strip("\n") + "\n"
    if HEADING in page:
        start = page.index(HEADING)
        end = page.find("\n## ", start + len(HEADING))
        rest = page[end + 1:] if end != -1 else ""
        return page[:start] + body + ("\n" + rest if rest else "")
    if BEFORE in page:
        at = page.index(BEFORE)
        return page[:at] + body + "\n" + page[at:]
    return page.rstrip("\n") + "\n\n" + body


def summary_lines(att: dict) -> list[str]:
    c = save_comparisons(att["probe"])
    return [f"{label}: none {fmt(c[key]['plain'])}; 1 GiB {fmt(c[key]['attached'])}; "
            f"{_verdict(c[key])}" for label, key in SAVE_ROWS]
