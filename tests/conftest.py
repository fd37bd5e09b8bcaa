"""Test set-up shared by every test: offscreen Qt, private folders, a cheap KDF."""

from __future__ import annotations

import logging
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import pytest

from journal_app.storage.fileformat import KdfParams

# A floor under the per-test folders below: whatever runs outside a test (module-scoped
# fixtures, a window saving after its test ended), the app never writes into the real
# user folders of the machine running the tests.
_SESSION_ROOT = tempfile.mkdtemp(prefix="journal-app-tests-")
for _var in ("JOURNAL_APP_DATA_DIR", "JOURNAL_APP_CONFIG_DIR", "JOURNAL_APP_LOG_DIR",
             "JOURNAL_APP_STATE_DIR"):
    os.environ[_var] = os.path.join(_SESSION_ROOT, _var.rsplit("_", 2)[-2].lower())
    os.makedirs(os.environ[_var], exist_ok=True)

# Argon2id at the minimum memory: tests exercise the real code path, quickly.
FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
FAST_KDF_ARGS = ["--kdf-memory", "8", "--kdf-iterations", "1"]


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory, monkeypatch):
    """Every data, config, log and temp path of the app points into the test's own folder."""
    root = tmp_path_factory.mktemp("appdirs")
    for var, sub in (
        ("JOURNAL_APP_DATA_DIR", "data"),
        ("JOURNAL_APP_CONFIG_DIR", "config"),
        ("JOURNAL_APP_LOG_DIR", "log"),
        ("JOURNAL_APP_STATE_DIR", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_DATA_HOME", "xdg-data"),
    ):
        folder = root / sub
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    for var in ("JOURNAL_APP_PASSPHRASE", "JOURNAL_APP_NEW_PASSPHRASE",
                "JOURNAL_APP_RECOVERY_KEY"):
        monkeypatch.delenv(var, raising=False)
    yield root
    # A test that started the app's log must not leave its file open for the next one.
    for handler in list(logging.getLogger("journal_app").handlers):
        logging.getLogger("journal_app").removeHandler(handler)
        handler.close()


@pytest.fixture
def fast_kdf() -> KdfParams:
    return FAST_KDF
