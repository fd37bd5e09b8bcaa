"""Translated names for domain values, shared by every ui room.

One wording per value (a session's modality, an entry's kind, a measure's text...), so a
list, a dialog and a chart never name the same thing two ways.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from journal_app.domain.entities import EntryKind, Modality, Setting, TreatmentSession
from journal_app.domain.measures import Measure

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def date_text(when: dt.datetime) -> str:
    return when.strftime("%a %d %b %Y").replace(" 0", " ")


def session_text(session: TreatmentSession) -> str:
    when = date_text(session.starts_at)
    if session.number is not None:
        return (
            translate("charts", "Session %1 · %2")
            .replace("%1", str(session.number))
            .replace("%2", when)
        )
    return translate("charts", "Session · %1").replace("%1", when)


def flag_text(measure: Measure) -> str:
    items = ", ".join(str(n) for n in measure.safety.items) if measure.safety else ""
    return translate("charts", "Item %1 answered above 0").replace("%1", items)


def tr_measure(text: str) -> str:
    """Measure wording from the data files; a translation must use the validated wording."""
    return QCoreApplication.translate("measures", text)


def modality_label(modality: Modality) -> str:
    """The one wording of a session's modality, in lists, dialogs, cards and stories."""
    return {
        Modality.IV_INFUSION: translate("course", "IV infusion"),
        Modality.IM_INJECTION: translate("course", "IM injection"),
        Modality.ORAL: translate("course", "Oral"),
        Modality.SUBLINGUAL: translate("course", "Sublingual"),
        Modality.NASAL_ESKETAMINE: translate("course", "Esketamine nasal spray"),
        Modality.OTHER: translate("course", "Other"),
    }.get(modality, translate("course", "Other"))


def setting_label(setting: Setting) -> str:
    return {
        Setting.CLINIC: translate("course", "at the clinic"),
        Setting.HOME: translate("course", "at home"),
    }.get(setting, "")


def kind_label(kind: EntryKind) -> str:
    labels = {
        EntryKind.PREPARATION: QCoreApplication.translate("kind", "Preparation"),
        EntryKind.INTEGRATION: QCoreApplication.translate("kind", "Integration"),
        EntryKind.FREE: QCoreApplication.translate("kind", "Journal"),
        EntryKind.CHECK_IN: QCoreApplication.translate("kind", "Check-in"),
        EntryKind.QUICK_CAPTURE: QCoreApplication.translate("kind", "Quick note"),
    }
    return labels.get(kind, kind.value)


def session_label(session: TreatmentSession) -> str:
    if session.number is not None:
        return translate("SearchResultModel", "Session %1").replace("%1", str(session.number))
    day = QDate(session.starts_at.year, session.starts_at.month, session.starts_at.day)
    return translate("SearchResultModel", "Session of %1").replace(
        "%1", QLocale().toString(day, QLocale.FormatType.ShortFormat)
    )
