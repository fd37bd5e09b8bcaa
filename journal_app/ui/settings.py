"""Settings, declared once with defaults and versioned upgrades. Never journal content."""

from __future__ import annotations

import locale
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QLocale, QSettings

from journal_app import paths
from journal_app.domain.safety import country_from_locale_name, normalize_country

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    doc: str


OPTIONS: dict[str, Option] = {o.key: o for o in (
    Option("auto_lock_minutes", int, 5, "Lock after this many idle minutes (0 = never)."),
    Option("theme", str, "system", "system | light | dark"),
    Option("font_size", int, 12, "Base font size in points."),
    Option("reminders", bool, True, "Desktop notifications when a step becomes due."),
    Option("default_export_name", str, "therapy-report",
           "File name suggested for exported reports (no extension)."),
    Option("last_journal", str, "", "Path of the journal opened last."),
    Option("crisis_country", str, "",
           "Country whose crisis services the help panel shows (ISO 3166 code, e.g. GB); "
           "empty: the system's country. A country code only, never journal content."),
)}

# version -> upgrade function run when settings older than that version are loaded
UPGRADES: dict[int, Callable[[QSettings], None]] = {}


THEMES = ("system", "light", "dark")
#: Stored for "another country": an ISO 3166 user-assigned code that no crisis file uses,
#: so the panel shows the helpline directory without guessing an emergency number.
OTHER_COUNTRY = "ZZ"
FONT_SIZES = range(10, 21)


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            folder = paths.config_dir()
            folder.mkdir(parents=True, exist_ok=True)
            store = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        self.store = store
        self._upgrade()

    def _upgrade(self) -> None:
        version = int(self.store.value("settings_version", 0) or 0)
        for target in sorted(v for v in UPGRADES if v > version):
            UPGRADES[target](self.store)
        if version != SETTINGS_VERSION:
            self.store.setValue("settings_version", SETTINGS_VERSION)

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self.store.value(key, option.default)
        if option.type is bool and isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        try:
            return option.type(value)
        except (TypeError, ValueError):
            return option.default

    @staticmethod
    def default(key: str) -> Any:
        return OPTIONS[key].default

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        self.store.setValue(key, option.type(value))
        self.store.sync()


def system_country() -> str:
    """The country of the system locale ("GB"), or "" when it names none (C, POSIX)."""
    territory = QLocale().territory()
    if territory not in (QLocale.Country.AnyTerritory, QLocale.Country.World):
        code = normalize_country(QLocale.territoryToCode(territory))
        if code:
            return code
    return country_from_locale_name(locale.getlocale()[0])


def crisis_country(settings: Settings | None = None) -> str:
    """The country whose crisis services the safety panel shows: the user's choice, else
    the system's country, else "" (the helpline directory)."""
    try:
        chosen = (settings or Settings()).get("crisis_country")
    except Exception:  # broad on purpose: the help panel must open whatever happens
        chosen = ""
    return normalize_country(chosen) or system_country()
