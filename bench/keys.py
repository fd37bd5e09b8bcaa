"""The data key of a bench journal, derived once from the file's head (no read of the
body), and a Secret that hands it to ``Vault.open`` so the probes open without the KDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journal_app.storage import bodystream
from journal_app.storage import fileformat as ff
from journal_app.storage.vault import Secret


@dataclass(frozen=True, repr=False)
class KeySecret(Secret):
    """Hands ``Vault.open`` a data key derived once beforehand: opens without the KDF."""

    key: bytes = b""

    def unlock(self, parsed: ff.ParsedFile) -> bytes:
        return self.key


def data_key(path: Path, passphrase: str) -> bytes:
    """The data key from the file's head only, as the lock screen's unlock derives it."""
    with open(path, "rb") as f:
        return Secret(passphrase=passphrase).unlock(bodystream.read_head(f))
