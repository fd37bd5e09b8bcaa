"""First run: explain, choose the country for crisis services, choose a passphrase, then
show the recovery key once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from journal_app.errors import JournalError
from journal_app.storage.fileformat import KdfParams
from journal_app.storage.vault import Vault
from journal_app.ui import messages
from journal_app.ui.background import run_in_background
from journal_app.ui.dialogs.settings_dialog import CountryBox
from journal_app.ui.settings import Settings, crisis_country
from journal_app.ui.widgets.passphrase_widgets import NewPassphrase


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class WelcomePage(QWizardPage):
    """Also asks where the user lives, so "I need help now" lists services that work
    there; the default is the system's country."""

    def __init__(self, parent: QWidget | None = None, country: str = "") -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to Integration Journal"))
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        for text in (
            self.tr("A private place to prepare for your sessions, note what happens "
                    "afterwards, and keep track of how you are doing."),
            self.tr("Everything you write stays on this computer, encrypted. Nobody — not "
                    "us, not your clinic — can read it without your passphrase or your "
                    "recovery key."),
            self.tr("Nobody watches this journal. Nothing you write reaches a clinician "
                    "unless you export it and give it to them."),
        ):
            layout.addWidget(_wrapped(text, self))
        layout.addSpacing(8)
        layout.addWidget(_wrapped(self.tr(
            "Where do you live? The “I need help now” button shows crisis services "
            "and the emergency number for this country. You can change it later in Settings."),
            self))
        self.country = CountryBox(self)
        self.country.set_country(country)
        form = QFormLayout()
        form.addRow(self.tr("Crisis services for"), self.country)
        layout.addLayout(form)
        layout.addStretch(1)


class PassphrasePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose a passphrase"))
        self.setSubTitle(self.tr(
            "You will type it each time you open the journal. A short sentence or a few "
            "unrelated words work well."))
        self.fields = NewPassphrase(self)
        self.fields.validity_changed.connect(lambda _valid: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch(1)

    def isComplete(self) -> bool:
        return self.fields.is_valid()


class RecoveryPage(QWizardPage):
    """Creates the journal on entry, then shows the recovery key exactly once."""

    def __init__(self, wizard: CreateJournalWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(self.tr("Your recovery key"))
        self.status = _wrapped(self.tr("Creating your encrypted journal…"), self)
        self.explain = _wrapped(self.tr(
            "If you ever forget your passphrase, this key is the only way back into your "
            "journal. It is shown only now. Print it or save it, and keep it somewhere "
            "safe and private — not next to your computer."), self)
        self.key_label = QLabel(self)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.3)
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setObjectName("recoveryKey")
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.clicked.connect(self.print_key)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.kept = QCheckBox(self.tr("I have printed or saved my recovery key somewhere safe"),
                              self)
        self.kept.toggled.connect(lambda _on: self.completeChanged.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(self.status)
        layout.addWidget(self.explain)
        layout.addWidget(self.key_label)
        layout.addLayout(buttons)
        layout.addWidget(self.kept)
        layout.addStretch(1)
        self._show_key(None)

    def _show_key(self, key: str | None) -> None:
        ready = key is not None
        self.key_label.setText(self._two_lines(key) if key else "")
        for widget in (self.explain, self.key_label, self.print_button, self.pdf_button,
                       self.kept):
            widget.setVisible(ready)
        self.status.setVisible(not ready)
        self.completeChanged.emit()

    @staticmethod
    def _two_lines(key: str) -> str:
        groups = key.split("-")
        return "-".join(groups[:4]) + "-\n" + "-".join(groups[4:])

    def initializePage(self) -> None:
        self.owner.start_creation()

    def isComplete(self) -> bool:
        return self.owner.recovery_key is not None and self.kept.isChecked()

    # ------------------------------------------------------------------ print/PDF
    def _document(self) -> QTextDocument:
        doc = QTextDocument()
        key = self.owner.recovery_key or ""
        doc.setHtml(
            "<h2>" + self.tr("Integration Journal — recovery key") + "</h2>"
            "<p>" + self.tr("This key opens your journal if you forget your passphrase. "
                            "Keep it private and safe.") + "</p>"
            f"<p style='font-family: monospace; font-size: 16pt'>{key}</p>"
            "<p>" + self.tr("Journal file: %1").replace("%1", self.owner.path.name) + "</p>"
        )
        return doc

    def print_key(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self._document().print_(printer)

    def save_pdf(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save recovery key as PDF"),
            str(Path.home() / "integration-journal-recovery-key.pdf"), "PDF (*.pdf)")
        if target:
            self.write_pdf(Path(target))

    def write_pdf(self, target: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                          QPageLayout.Orientation.Portrait,
                                          printer.pageLayout().margins()))
        self._document().print_(printer)


class CreateJournalWizard(QWizard):
    """After ``accept()``, ``vault`` is the newly created, unlocked journal."""

    def __init__(self, path: Path, kdf: KdfParams | None = None,
                 parent: QWidget | None = None, *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.path = path
        self.kdf = kdf
        self.vault: Vault | None = None
        self.recovery_key: str | None = None
        self.setWindowTitle(self.tr("Create your journal"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(640, 520)
        self.welcome = WelcomePage(self, crisis_country(self.settings))
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryPage(self)
        for page in (self.welcome, self.passphrase_page, self.recovery_page):
            self.addPage(page)

    def start_creation(self) -> None:
        if self.vault is not None:
            return
        passphrase = self.passphrase_page.fields.passphrase()
        path, kdf = self.path, self.kdf
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        run_in_background(lambda: Vault.create(path, passphrase, kdf), self._created,
                          self._failed, parent=self)

    def _created(self, result: tuple[Vault, str]) -> None:
        self.vault, self.recovery_key = result
        self.passphrase_page.fields.wipe()
        self.recovery_page._show_key(self.recovery_key)

    def _failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, JournalError) else self.tr(
            "The journal could not be created because of an unexpected error.")
        messages.error(self, self.tr("Journal not created"), message)
        self.back()
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def accept(self) -> None:
        # A country code only: it says which crisis services to show, nothing written.
        self.settings.set("crisis_country", self.welcome.country.country())
        self.recovery_key = None  # shown once: forget it
        self.recovery_page.key_label.clear()
        super().accept()
