"""Profile one benchmarked operation with pyinstrument (not a project dependency).

    uv run --with pyinstrument python -m bench.profile unlock 10000
    uv run --with pyinstrument python -m bench.profile TARGET SIZE      # see TARGETS

Writes the call tree to bench/.cache/profiles/TARGET-SIZE.txt and prints its top.
Import costs of whole processes are best seen with ``python -X importtime``.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.generate import CACHE, PASSPHRASE
from bench.journals import journal


def _copy(size: int, folder: Path) -> Path:
    target = folder / "journal.ijournal"
    shutil.copyfile(journal(size).path, target)
    return target


def _unlock(path: Path, size: int, profiler) -> None:
    from PySide6.QtWidgets import QApplication

    from bench.app_probe import Ticker, data_key, gui_unlock
    from journal_app.app import build_window
    from journal_app.ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    window = build_window(path, Settings())
    window.show()
    app.processEvents()
    key = data_key(path, PASSPHRASE)  # from the head only, as the lock screen does
    profiler.start()
    gui_unlock(app, window, Ticker(), key)
    profiler.stop()


def _save(path: Path, size: int, profiler) -> None:
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.vault import Secret, Vault

    vault = Vault.open(path, Secret(passphrase=PASSPHRASE))
    repo = JournalRepository(vault.db)
    entry = repo.list_entries(limit=1)[0]
    vault.save()  # the day's backup copy is made here, outside the profile
    repo.update_entry(entry.edited(body=entry.body + "\n\nOne more line."))
    profiler.start()
    vault.prepare_save().run()
    profiler.stop()
    vault.close()


def _search(path: Path, size: int, profiler) -> None:
    from journal_app.storage.repository import JournalRepository
    from journal_app.storage.vault import Secret, Vault

    vault = Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False)
    repo = JournalRepository(vault.db)
    queries = journal(size).search_queries
    profiler.start()
    for query in queries * 3:
        repo.search(query)
    profiler.stop()
    vault.close()


def _cli(verb: str):
    def run(path: Path, size: int, profiler) -> None:
        from journal_app import cli

        os.environ["JOURNAL_APP_PASSPHRASE"] = PASSPHRASE
        args = (["add", str(path), "--title", "Walk"] if verb == "add"
                else ["search", str(path), "lighthouse"])
        sys.stdin = io.TextIOWrapper(io.BytesIO(b"A short note after a walk."))
        stdout, sys.stdout = sys.stdout, io.StringIO()
        profiler.start()
        try:
            cli.main(args)
        finally:
            profiler.stop()
            sys.stdout = stdout
    return run


def _export_pdf(path: Path, size: int, profiler) -> None:
    from bench.export_probe import request_for_newest
    from journal_app.domain.report import select_report
    from journal_app.export.service import export_report
    from journal_app.storage.report_source import gather_from
    from journal_app.storage.vault import Secret, Vault
    from journal_app.ui.print import pdf_report
    pdf_report.ensure_application()
    vault = Vault.open(path, Secret(passphrase=PASSPHRASE), lock=False)
    inputs = gather_from(vault.db)
    vault.close()
    profiler.start()
    data = select_report(inputs, request_for_newest(inputs, 500))
    export_report(data, "pdf", path.with_suffix(".pdf"), charts=pdf_report.chart_pngs(data),
                  pdf_renderer=pdf_report.render_pdf)
    profiler.stop()


TARGETS = {"unlock": _unlock, "save": _save, "search": _search, "cli-add": _cli("add"),
           "cli-search": _cli("search"), "export-pdf": _export_pdf}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in TARGETS:
        print(__doc__, "targets:", ", ".join(TARGETS), file=sys.stderr)
        return 2
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is needed: uv run --with pyinstrument python -m bench.profile ...",
              file=sys.stderr)
        return 2
    target, size = argv[0], int(argv[1])
    out = CACHE / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        for var, sub in (("JOURNAL_APP_DATA_DIR", "d"), ("JOURNAL_APP_CONFIG_DIR", "c"),
                         ("JOURNAL_APP_LOG_DIR", "l")):
            os.environ[var] = str(Path(folder) / sub)
        profiler = Profiler(interval=0.001)
        TARGETS[target](_copy(size, Path(folder)), size, profiler)
    text = profiler.output_text(unicode=False, color=False)
    report = out / f"{target}-{size}.txt"
    report.write_text(text)
    print("\n".join(text.splitlines()[:60]))
    print(f"... full tree in {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
