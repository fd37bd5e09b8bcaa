"""The cached bench journals, carried forward when only the app's schema moved on.

:func:`bench.generate.journal` keys its cache by the generator's source and the schema
head, so a new migration would make every run generate all journals again (the 50k one
takes about two minutes, and its jrnl copy as long again). Here, when no journal is cached
for the current head but one made by the same generator for an older head is, a copy of it
is opened (which migrates it, as the app migrates a person's journal), saved whole and
cached under the new key, with its jrnl copy (the same entries). The cached journals
themselves are never written to. Its meta says ``migrated_from``; the report says so.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from bench import generate, jrnl_side, textgen
from bench.generate import CACHE, PASSPHRASE, Generated


def _digest(revision: str) -> str:
    """As ``generate._cache_key`` makes it, for any revision."""
    source = b"".join(p.read_bytes() for p in (Path(generate.__file__), Path(textgen.__file__)))
    return hashlib.sha256(source + revision.encode()).hexdigest()[:10]


def _older(size: int, folder: Path) -> Path | None:
    from journal_app.storage.database import head_revision, script_directory

    head = head_revision()
    for rev in script_directory().walk_revisions():
        if rev.revision == head:
            continue
        path = folder / f"journal-{size}-{_digest(rev.revision)}.ijournal"
        if path.exists() and path.with_suffix(".json").exists():
            return path
    return None


def _carry_forward(older: Path, target: Path, log) -> None:
    from journal_app.storage.vault import Secret, Vault

    log(f"migrating the cached {older.name} to the current schema (no regeneration)...")
    work = target.with_name(target.stem + "-partial.ijournal")
    shutil.copyfile(older, work)
    vault = Vault.open(work, Secret(passphrase=PASSPHRASE))
    try:
        (vault.compact if hasattr(vault, "compact") else vault.save)()
        image_bytes = len(vault.db.serialize())
    finally:
        vault.close()
    meta = json.loads(older.with_suffix(".json").read_text())
    meta.update(image_bytes=image_bytes, file_bytes=work.stat().st_size,
                migrated_from=older.stem)
    for leftover in (work.with_name(work.name + ".backups"), work.with_name(work.name + ".lock")):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.unlink()
    work.replace(target)
    target.with_suffix(".json").write_text(json.dumps(meta, indent=1))
    old_jrnl, new_jrnl = CACHE / "jrnl" / older.stem, CACHE / "jrnl" / target.stem
    if (old_jrnl / "meta.json").exists() and not new_jrnl.exists():
        shutil.copytree(old_jrnl, new_jrnl)
        (new_jrnl / "jrnl.yaml").write_text(jrnl_side._config_text(new_jrnl / "journal.txt"))


def journal(size: int, *, log=print) -> Generated:
    """The cached journal of ``size`` entries for the current schema: carried forward from
    an older schema's if only the schema changed, else :func:`bench.generate.journal`."""
    folder = CACHE / "journals"
    target = folder / f"{generate._cache_key(size)}.ijournal"
    if not target.exists() and folder.exists():
        older = _older(size, folder)
        if older is not None:
            _carry_forward(older, target, log)
    return generate.journal(size, log=log)
