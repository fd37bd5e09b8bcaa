"""A keyring backend for the bench's jrnl runs: the password comes from a file named by
BENCH_JRNL_PASSWORD_FILE, never from a terminal or argv. Loaded by jrnl's ``keyring``
through PYTHON_KEYRING_BACKEND=jrnl_keyring.BenchKeyring (this folder on PYTHONPATH).
Imported only inside jrnl's own environment."""

from __future__ import annotations

import os
from pathlib import Path

from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        name = os.environ.get("BENCH_JRNL_PASSWORD_FILE")
        return Path(name).read_text().strip() if name else None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError("the bench keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError("the bench keyring is read-only")
