"""The table models: checked by qtmodeltester, and the grid's batched updates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.models.status_grid import Filter, RowState, RowUpdate, StatusGridModel
from kupon_desktop.vocabulary import MessageType


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
    model.apply([RowUpdate(2, RowState.ACCEPTED, status=1, platform_id="555")])
    qtmodeltester.check(model)


def test_grid_sends_one_signal_per_run_of_adjacent_rows(qtbot):
    model = _grid(100)
    seen = []
    model.dataChanged.connect(lambda a, b, *_: seen.append((a.row(), b.row())))
    updates = [RowUpdate(r, RowState.ACCEPTED, status=0) for r in (3, 4, 5, 6, 40, 41, 90)]
    assert model.apply(updates) == 3
    assert seen == [(3, 6), (40, 41), (90, 90)]
    assert model.data(model.index(4, 4)) == "Sent, queued to the operator"


def test_grid_statuses_group_into_filters_with_counts():
    model = _grid(6, language="ru")
    model.apply(
        [
            RowUpdate(0, RowState.ACCEPTED, status=1, platform_id="1"),
            RowUpdate(1, RowState.ACCEPTED, status=2, platform_id="2"),
            RowUpdate(2, RowState.ACCEPTED, status=20, platform_id="3"),
            RowUpdate(3, RowState.REJECTED, error="Неверный номер"),
            RowUpdate(4, RowState.UNCONFIRMED),
        ]
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
    model.apply([RowUpdate(5, RowState.ACCEPTED, status=25, platform_id="9")])
    assert model.rowCount() == 3


def test_grid_handles_a_large_array_batch():
    n = 200_000
    model = _grid(n)
    rows = np.arange(0, n, 2, dtype=np.int64)
    sent = model.apply_arrays(
        rows,
        np.full(len(rows), RowState.ACCEPTED, dtype=np.int8),
        np.full(len(rows), 1, dtype=np.int16),
        np.full(len(rows), 1.7e9),
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
