"""What the app says when the journal opened is older than the one this computer opened
last (``vault.rollback``, see storage.rollback). Explained, not blocked: a synced folder
or a restored backup can bring an older copy back for good reasons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from journal_app.ui import messages

translate = QCoreApplication.translate  # literal calls: lupdate extracts them


def title() -> str:
    return translate("rollback", "An older copy of your journal")


def text(opened_generation: int, seen_generation: int) -> str:
    return translate(
        "rollback",
        "This journal is older than the one this computer opened last (this copy is "
        "save number %1; this computer last saw save number %2). Entries written since "
        "may be missing.\n\nThis can happen when a synced folder brings back an older copy, or "
        "when an older file was copied over the journal. If you meant to go back to this "
        "copy, continue. Otherwise lock the journal, and look for the newer copy (in your "
        "sync service's version history, or on the device you wrote on last) before "
        "writing here.",
    ).replace("%1", str(int(opened_generation))).replace("%2", str(int(seen_generation)))


def continue_label() -> str:
    return translate("rollback", "Continue with this copy")


def lock_label() -> str:
    return translate("rollback", "Lock and look for the newer copy")


def locked_message() -> str:
    return translate(
        "rollback",
        "The journal was locked without saving: this older copy was not changed. Put the "
        "newer copy in place, or unlock again and continue with this one.")


def ask(parent: QWidget | None, opened_generation: int, seen_generation: int) -> bool:
    """True to continue with this older copy, False to lock and look for the newer one."""
    return messages.warning_choice(parent, title(), text(opened_generation, seen_generation),
                                   continue_label(), lock_label())
