"""Where things live: the data, config and log folders, and bundled resources."""

from __future__ import annotations

import os
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "IntegrationJournal"
APP_AUTHOR = "IntegrationJournal"
JOURNAL_SUFFIX = ".ijournal"
DEFAULT_JOURNAL_NAME = "journal" + JOURNAL_SUFFIX


def _override(var: str) -> Path | None:
    value = os.environ.get(var)
    return Path(value) if value else None


def data_dir() -> Path:
    return _override("JOURNAL_APP_DATA_DIR") or Path(
        platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)
    )


def config_dir() -> Path:
    return _override("JOURNAL_APP_CONFIG_DIR") or Path(
        platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=True)
    )


def log_dir() -> Path:
    return _override("JOURNAL_APP_LOG_DIR") or Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def state_dir() -> Path:
    """Small records this computer keeps about journals it opened (never any content).
    With the data folder overridden (a portable set-up, the tests), a folder inside it."""
    override = _override("JOURNAL_APP_STATE_DIR")
    if override:
        return override
    data = _override("JOURNAL_APP_DATA_DIR")
    if data:
        return data / "state"
    return Path(platformdirs.user_state_dir(APP_NAME, APP_AUTHOR))


def seen_generations_path() -> Path:
    """The record of the newest generation of each journal opened here (opaque entries)."""
    return state_dir() / "seen-generations.json"


def default_journal_path() -> Path:
    return data_dir() / DEFAULT_JOURNAL_NAME


def resource_root() -> Traversable:
    """The ``resources/`` folder: next to the package in a checkout, bundled when frozen."""
    if getattr(sys, "frozen", False):
        base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
        return base / "resources"
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    return resources.files("journal_app") / "_resources"


def resource(*parts: str) -> Traversable:
    node = resource_root()
    for part in parts:
        node = node / part
    return node
