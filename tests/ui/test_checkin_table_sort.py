"""The All results table sorts and filters as the view asks, equal values keeping their
order oldest first either way round (as a stable sort does), and keeps the selection on
the same check-in."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt

from journal_app.domain.measures import load_measures
from journal_app.domain.trends import summarize
from journal_app.ui.models.checkin_table import (
    COLUMNS,
    CheckInTableModel,
    CheckInTableProxy,
    SortRole,
)

MEASURES = load_measures()
START = dt.datetime(2026, 2, 2, 9).astimezone()


def filled(qapp):
    mood, gad = MEASURES["mood"], MEASURES["gad7"]
    check_ins = [mood.new_check_in([r], taken_at=START + dt.timedelta(days=d))
                 for d, r in enumerate([5, 7, 5, 2, 7])]
    check_ins += [gad.new_check_in([1] * 7, taken_at=START + dt.timedelta(days=d, hours=1))
                  for d in (0, 3)]
    check_ins = [type(c)(**{**c.__dict__, "id": i + 1}) for i, c in enumerate(check_ins)]
    model = CheckInTableModel(MEASURES)
    model.set_data(check_ins, summarize(check_ins, MEASURES), [])
    proxy = CheckInTableProxy()
    proxy.setSourceModel(model)
    return model, proxy


def ids(proxy) -> list[int]:
    model = proxy.sourceModel()
    return [model.check_in_id(proxy.mapToSource(proxy.index(r, 0)).row())
            for r in range(proxy.rowCount())]


def test_sorting_by_score_either_way_keeps_ties_oldest_first(qapp, qtmodeltester):
    _model, proxy = filled(qapp)  # the proxy does not own the model: kept alive here
    score = COLUMNS.index("score")
    proxy.sort(score, Qt.SortOrder.AscendingOrder)
    # mood 2 (id 4), mood 5 (1, 3), then the sevens as taken: GAD-7 (6), mood (2), ...
    assert ids(proxy) == [4, 1, 3, 6, 2, 7, 5]
    proxy.sort(score, Qt.SortOrder.DescendingOrder)
    assert ids(proxy) == [6, 2, 7, 5, 1, 3, 4]
    proxy.sort(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
    assert ids(proxy) == [5, 7, 4, 3, 2, 6, 1]
    qtmodeltester.check(proxy)


def test_every_column_sorts_as_the_qt_sorting_proxy_did(qapp):
    model, proxy = filled(qapp)
    reference = QSortFilterProxyModel()
    reference.setSourceModel(model)
    reference.setSortRole(SortRole)
    for column in range(len(COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
            reference.sort(column, order)
            assert ids(proxy) == ids(reference), (COLUMNS[column], order)


def test_filtering_by_measure_and_the_selection_follows_the_check_in(qapp):
    _model, proxy = filled(qapp)  # the proxy does not own the model: kept alive here
    selection = QItemSelectionModel(proxy)
    proxy.sort(COLUMNS.index("date"), Qt.SortOrder.AscendingOrder)
    selection.select(proxy.index(3, 0), QItemSelectionModel.SelectionFlag.Select)
    chosen = ids(proxy)[3]
    proxy.sort(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
    rows = [i.row() for i in selection.selectedIndexes()]
    assert [ids(proxy)[r] for r in rows] == [chosen]
    proxy.show_measure("GAD-7")
    assert ids(proxy) == [7, 6]
    assert proxy.index(0, COLUMNS.index("measure")).data() == "GAD-7"
    proxy.show_measure("")
    assert len(ids(proxy)) == 7
