"""Search results as a real Qt model that loads rows as the list scrolls, and the
delegate that draws each row: title, when and what, and the snippet with matches in bold.

The model holds every match of a search (ids and order only, cheap) and loads text in
batches through ``SearchService.load``: a search that matches thousands of entries costs
no more to show than one that matches fifty.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from journal_app.domain.entities import TreatmentSession
from journal_app.domain.highlight import mark_terms, marked_to_html, tidy_snippet
from journal_app.domain.practices import PracticeDomain, PracticeOutcome
from journal_app.domain.search import PRACTICE_KIND, Match, Query, SearchResult, strip_marks
from journal_app.ui.labels import kind_label, session_label

translate = QCoreApplication.translate  # literal calls: lupdate extracts them

ResultRole = Qt.ItemDataRole.UserRole + 1
EntryIdRole = Qt.ItemDataRole.UserRole + 2
HtmlRole = Qt.ItemDataRole.UserRole + 3

BATCH = 40
SHORT_TEXT = 120  # characters: a note this short is shown whole as its row's title
_Index = QModelIndex | QPersistentModelIndex
Loader = Callable[[Query, list[Match]], list[SearchResult]]


def practice_label(domain: PracticeDomain) -> str:
    labels = {
        PracticeDomain.MIND: translate("SearchResultModel", "Mind"),
        PracticeDomain.BODY: translate("SearchResultModel", "Body"),
        PracticeDomain.SPIRIT: translate("SearchResultModel", "Spirit"),
        PracticeDomain.RELATIONSHIPS: translate("SearchResultModel", "Relationships"),
        PracticeDomain.LIFESTYLE: translate("SearchResultModel", "Lifestyle"),
        PracticeDomain.NATURE: translate("SearchResultModel", "Nature"),
    }
    return labels.get(domain, domain.value)


def outcome_label(outcome: PracticeOutcome | None) -> str:
    labels = {
        PracticeOutcome.DONE: translate("SearchResultModel", "done"),
        PracticeOutcome.PARTLY: translate("SearchResultModel", "partly done"),
        PracticeOutcome.NOT_YET: translate("SearchResultModel", "not yet"),
    }
    return (
        labels.get(outcome, translate("SearchResultModel", "not looked back on yet"))
        if outcome
        else translate("SearchResultModel", "not looked back on yet")
    )


class SearchResultModel(QAbstractListModel):
    """Rows of one search. ``show`` starts a new one; Qt asks for more with fetchMore."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._matches: list[Match] = []
        self._rows: list[SearchResult] = []
        self._query = Query("", ())
        self._loader: Loader | None = None
        self._sessions: Mapping[int, TreatmentSession] = {}

    # ------------------------------------------------------------------ contents
    def show(
        self,
        query: Query,
        matches: list[Match],
        loader: Loader,
        sessions: Mapping[int, TreatmentSession] | None = None,
    ) -> None:
        self.beginResetModel()
        self._query, self._matches, self._loader = query, list(matches), loader
        self._sessions = dict(sessions or {})
        self._rows = []
        self._rows = self._next_batch()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._matches, self._rows, self._loader = [], [], None
        self._query, self._sessions = Query("", ()), {}
        self.endResetModel()

    @property
    def total(self) -> int:
        """Every match of the search, loaded or not."""
        return len(self._matches)

    def result_at(self, row: int) -> SearchResult | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _next_batch(self) -> list[SearchResult]:
        """Load the next rows. Matches whose entry or practice went since the search are
        dropped, so the count stays true."""
        while self._loader is not None and len(self._rows) < len(self._matches):
            start = len(self._rows)
            batch = self._matches[start : start + BATCH]
            loaded = self._loader(self._query, batch)
            if len(loaded) < len(batch):
                kept = {_key(r) for r in loaded}
                self._matches[start : start + BATCH] = [m for m in batch if (m.kind, m.id) in kept]
            if loaded:
                return loaded
        return []

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < len(self._matches)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        loaded = self._next_batch()
        if loaded:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(loaded) - 1)
            self._rows.extend(loaded)
            self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self.result_at(index.row()) if index.isValid() else None
        if result is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.title(result)}\n{strip_marks(self.snippet(result))}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.title(result)}. {self.meta(result)}. {strip_marks(self.snippet(result))}"
        if role == Qt.ItemDataRole.ToolTipRole and result.entry and result.entry.private:
            return translate("SearchResultModel", "Private entry")
        if role == HtmlRole:
            return self.html(result)
        if role == ResultRole:
            return result
        if role == EntryIdRole:
            return result.entry_id
        return None

    # ------------------------------------------------------------------ text
    def title(self, result: SearchResult) -> str:
        if result.practice is not None:
            return result.practice.description.splitlines()[0][:SHORT_TEXT]
        assert result.entry is not None
        if _short_untitled(result):
            return " ".join(result.entry.body.split())
        return result.entry.display_title or translate("SearchResultModel", "Untitled")

    def snippet(self, result: SearchResult) -> str:
        """The marked snippet, tidied; none for a short untitled note, whose whole text
        is already its title."""
        return "" if _short_untitled(result) else tidy_snippet(result.snippet)

    def meta(self, result: SearchResult) -> str:
        when = result.when
        day = QLocale().toString(QDate(when.year, when.month, when.day), "ddd d MMM yyyy")
        parts = [day]
        if result.practice is not None:
            practice = result.practice
            parts += [
                translate("SearchResultModel", "Practice · %1").replace(
                    "%1", practice_label(practice.domain)
                ),
                outcome_label(practice.outcome),
            ]
            session_id = practice.session_id
        else:
            assert result.entry is not None
            parts.append(kind_label(result.entry.kind))
            session_id = result.entry.session_id
        session = self._sessions.get(session_id) if session_id is not None else None
        if session is not None:
            parts.append(session_label(session))
        if result.entry is not None and result.entry.private:
            parts.append(translate("SearchResultModel", "Private"))
        return " · ".join(parts)

    def html(self, result: SearchResult) -> str:
        title = marked_to_html(mark_terms(self.title(result), self._query))
        meta = html.escape(self.meta(result), quote=False)
        tags = ""
        if result.entry is not None and result.entry.tags:
            tags = " &nbsp;" + " ".join(
                marked_to_html(mark_terms("#" + t, self._query)) for t in result.entry.tags
            )
        snippet = marked_to_html(self.snippet(result))
        return f"<div class='title'>{title}</div><div class='meta'>{meta}{tags}</div>" + (
            f"<div class='snippet'>{snippet}</div>" if snippet else ""
        )


def _short_untitled(result: SearchResult) -> bool:
    entry = result.entry
    return (
        entry is not None
        and not entry.title.strip()
        and len(" ".join(entry.body.split())) <= SHORT_TEXT
    )


def _key(result: SearchResult) -> tuple[str, int | None]:
    if result.practice is not None:
        return PRACTICE_KIND, result.practice.id
    assert result.entry is not None
    return Match.ENTRY, result.entry.id


def _mark_colour(palette: QPalette) -> str:
    """A tint for found words that shows on a plain row and on the selected one."""
    highlight = palette.color(QPalette.ColorRole.Highlight)
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return (highlight.lighter(135) if dark else highlight.darker(112)).name()


class ResultDelegate(QStyledItemDelegate):
    """Draws a row's HTML (from HtmlRole) with the theme's colours.

    Rows have different heights, so the list asks for every row's size whenever it lays
    out; laying out rich text for each would make scrolling a long result list slow. The
    heights are remembered by row and width (numbers only, no text) until ``forget``."""

    MARGIN = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple[int, int], int] = {}

    def forget(self) -> None:
        """The rows changed (a new search, or the journal locked)."""
        self._heights.clear()

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        palette: QPalette = option.palette
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        size = option.font.pointSizeF()
        doc.setDefaultStyleSheet(
            f".title {{ font-weight: 600; font-size: {size * 1.1:.1f}pt; }}"
            f".meta {{ color: {muted}; font-size: {size * 0.9:.1f}pt; }}"
            f".snippet {{ margin-top: 4px; }}"
            f"b {{ font-weight: 700; background-color: {_mark_colour(palette)}; }}"
        )
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(max(100, option.rect.width() - 2 * self.MARGIN))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + self.MARGIN, option.rect.top() + self.MARGIN / 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(
            QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text)
        )
        context.clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        view = option.widget
        width = view.viewport().width() - 4 if view is not None else 600
        key = (index.row(), width)
        if key not in self._heights:
            self.initStyleOption(option, index)
            option.rect.setWidth(width)
            self._heights[key] = int(self._document(option, index).size().height()) + self.MARGIN
        return QSize(width, self._heights[key])
