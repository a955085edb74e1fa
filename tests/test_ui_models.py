"""The table models: checked by qtmodeltester, and the grid's batched updates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.models.status_grid import Filter, StatusGridModel
from kupon_desktop.vocabulary import MessageType


def _update(model, changes):
    """Rows changed as the poll hands them over: ``(key, state, status, platform_id,
    error)`` tuples as columns."""
    keys, states, statuses, ids, errors = zip(*changes, strict=True)
    return model.apply_columns(
        {
            "key": list(keys),
            "state": list(states),
            "status": list(statuses),
            "platform_id": list(ids),
            "error": list(errors),
        }
    )


def _grid(n=10, language="en"):
    model = StatusGridModel(language)
    model.load(
        [f"7916000{i:04d}" for i in range(n)], [f"Name {i}" for i in range(n)], MessageType.VIBER
    )
    return model


def test_frame_model_passes_the_model_tester(qtmodeltester):
    frame = pd.DataFrame(
        {"phone": ["79161234567", None, "79161234568"], "name": ["Анна", "Борис", None]},
        dtype="string[pyarrow]",
    )
    model = FrameTableModel(frame)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "Анна"
    assert model.data(model.index(1, 0)) == ""


def test_frame_model_sorts_and_filters_inside_the_model():
    frame = pd.DataFrame({"name": ["b", "C", "a", None]}, dtype="string[pyarrow]")
    model = FrameTableModel(frame)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 0)) for r in range(4)] == ["", "a", "b", "C"]
    model.set_filter_text("c")
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "C"
    model.set_filter_text("")
    assert model.rowCount() == 4


def test_grid_passes_the_model_tester(qtmodeltester):
    model = _grid()
    _update(model, [(2, "accepted", 1, 555, None)])
    qtmodeltester.check(model)


def test_grid_sends_one_signal_per_run_of_adjacent_rows(qtbot):
    model = _grid(100)
    seen = []
    model.dataChanged.connect(lambda a, b, *_: seen.append((a.row(), b.row())))
    updates = [(r, "accepted", 0, None, None) for r in (3, 4, 5, 6, 40, 41, 90)]
    assert _update(model, updates) == 3
    assert seen == [(3, 6), (40, 41), (90, 90)]
    assert model.data(model.index(4, 4)) == "Sent, queued to the operator"


def test_grid_statuses_group_into_filters_with_counts():
    model = _grid(6, language="ru")
    _update(
        model,
        [
            (0, "accepted", 1, 1, None),
            (1, "accepted", 2, 2, None),
            (2, "accepted", 20, 3, None),
            (3, "rejected", None, None, "Неверный номер"),
            (4, "unconfirmed", None, None, None),
        ],
    )
    counts = model.counts()
    assert counts[Filter.DELIVERED] == 1 and counts[Filter.ENGAGED] == 1
    assert counts[Filter.FAILED] == 2 and counts[Filter.UNCONFIRMED] == 1
    assert counts[Filter.PENDING] == 1 and counts[Filter.ALL] == 6
    model.set_filter(Filter.FAILED)
    assert model.rowCount() == 2
    assert model.data(model.index(0, 4)) == "Не доставлено"
    assert model.data(model.index(1, 6)) == "Неверный номер"
    # a row that becomes failed joins the filtered view at once
    _update(model, [(5, "accepted", 25, 9, None)])
    assert model.rowCount() == 3
    # never sent on purpose is its own group, never "failed"
    model.set_filter(Filter.ALL)
    _update(model, [(5, "skipped", None, None, "campaign cancelled")])
    assert model.counts()[Filter.NOT_SENT] == 1 and model.counts()[Filter.FAILED] == 2


def test_grid_handles_a_large_array_batch():
    n = 200_000
    model = _grid(n)
    rows = np.arange(0, n, 2, dtype=np.int64)
    sent = model.apply_columns(
        {
            "key": rows,
            "state": np.full(len(rows), "accepted", dtype=object),
            "status": np.full(len(rows), 1.0),
            "status_at": np.full(len(rows), 1.7e12),
        }
    )
    assert sent == 1  # scattered rows collapse into one range
    assert model.counts()[Filter.DELIVERED] == n // 2
    model.sort(4, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 4)) == "Delivered"


def test_grid_takes_the_polls_partial_numpy_columns():
    """``Log.poll_changes`` hands the grid numpy arrays of only the columns its apply
    changed (NaN: no status): the others keep what the grid shows."""
    n = 4
    model = StatusGridModel("en")
    model.load_columns(
        {
            "key": list(range(n)),
            "address": [f"7916000000{i}" for i in range(n)],
            "name": [None] * n,
            "state": ["accepted", "accepted", "rejected", "queued"],
            "status": [0, None, None, None],
            "platform_id": [11, 12, 13, None],
            "error": [None, None, "Отклонено", None],
            "status_at": [None] * n,
            "sent_at": [1.7e12, 1.7e12, 1.7e12, None],
        },
        MessageType.SMS,
    )
    changed = model.data(model.index(0, 5))
    model.apply_columns(
        {
            "key": np.array([0, 1]),
            "state": np.array(["accepted", "accepted"], dtype=object),
            "status": np.array([1.0, np.nan]),
            "status_at": np.array([1.8e12, np.nan]),
        }
    )
    model.apply_columns(
        {
            "key": np.array([2]),
            "state": np.array(["accepted"], dtype=object),
            "status": np.array([2.0]),
            "status_at": np.array([1.8e12]),
            "error": [None],
        }
    )
    assert [model.data(model.index(r, 4)) for r in range(3)] == ["Delivered", "Accepted", "Read"]
    assert [model.data(model.index(r, 3)) for r in range(3)] == ["11", "12", "13"]
    assert model.data(model.index(2, 6)) in ("", None)  # the error went with the status
    assert model.data(model.index(0, 5)) != changed  # the status time is later
    assert model.data(model.index(1, 5)) == changed  # no status: the sending time stays
    assert model.data(model.index(3, 4)) == "Queued"
