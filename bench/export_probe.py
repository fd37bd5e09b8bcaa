"""Bench probe, run as its own process: export the newest 500 entries to PDF and to HTML
through the export package's public API, as the export dialog and ``journal-app export``
do (gather the journal, select the report, chart PNGs, render, write atomically).

    python -m bench.export_probe JOURNAL PASSPHRASE-FILE REPS      (QT_QPA_PLATFORM=offscreen)

Prints one JSON object of seconds per step and format.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import peak_rss_mib
from journal_app.domain.report import ReportRequest, candidate_entries, select_report
from journal_app.export.service import export_report
from journal_app.storage.report_source import gather_from
from journal_app.storage.vault import Secret, Vault
from journal_app.ui.print import pdf_report

ENTRIES = 500


def request_for_newest(inputs, count: int) -> ReportRequest:
    """A report over the period holding the newest ``count`` shareable entries."""
    shareable = [e for e in candidate_entries(inputs, ReportRequest()) if not e.private]
    chosen = shareable[-count:]
    start = chosen[0].created_at.date()
    same_day_extra = frozenset(e.id for e in shareable[:-count]
                               if e.created_at.date() == start and e.id is not None)
    return ReportRequest(start=start, excluded_entry_ids=same_day_extra,
                         patient_name="Bench")


def main() -> int:
    path, secret_file, reps = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    pdf_report.ensure_application()
    out: dict = {"open": [], "gather": [], "select": [], "charts": [], "html": [], "pdf": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(reps):
            t = time.perf_counter()
            vault = Vault.open(path, Secret(passphrase=secret_file.read_text().strip()),
                               lock=False)
            out["open"].append(time.perf_counter() - t)
            t = time.perf_counter()
            try:
                inputs = gather_from(vault.db)
            finally:
                vault.close()
            out["gather"].append(time.perf_counter() - t)
            t = time.perf_counter()
            data = select_report(inputs, request_for_newest(inputs, ENTRIES))
            out["select"].append(time.perf_counter() - t)
            out["entries"] = len(data.entries)
            t = time.perf_counter()
            pdf_report.chart_pngs(data)
            out["charts"].append(time.perf_counter() - t)
            for fmt in ("html", "pdf"):
                t = time.perf_counter()
                target = export_report(data, fmt, Path(folder) / f"report.{fmt}",
                                       charts=pdf_report.chart_pngs(data),
                                       pdf_renderer=pdf_report.render_pdf)
                out[fmt].append(time.perf_counter() - t)
                out[f"{fmt}_bytes"] = target.stat().st_size
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
