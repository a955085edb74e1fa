"""PySide6 6.12.0 drops a reference to True on every Signal.emit(True) and to None on every
QObject.killTimer; the interpreter then aborts mid-campaign (bool_dealloc/none_dealloc).
On Python 3.11 these objects are not immortal, so a leak shows as a falling count. This
test makes a Qt upgrade that brings the bug back fail CI instead of users' campaigns."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="True/None are immortal from Python 3.12 on"
)


class Emitter(QObject):
    sig = Signal(object)


def _count_during(obj: object, action) -> tuple[int, int]:
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(obj)
        action()
        after = sys.getrefcount(obj)
    finally:
        gc.enable()
    return before, after


@pytest.mark.parametrize("value", [True, False, None])
def test_emit_keeps_references(qapp, value):
    emitter = Emitter()
    received = []
    emitter.sig.connect(lambda v: received.append(v is value))

    def emit_100():
        for _ in range(100):
            emitter.sig.emit(value)

    emit_100()  # warm-up: first emits may cache conversions
    received.clear()
    before, after = _count_during(value, emit_100)
    assert all(received) and len(received) == 100
    # the references held by `received` are True booleans, not `value`, except for True
    held = 100 if value is True else 0
    assert after - held == before, f"{value!r} lost {before - (after - held)} references"


def test_kill_timer_keeps_references_to_none(qapp):
    obj = QObject()

    def timers_100():
        for _ in range(100):
            obj.killTimer(obj.startTimer(1000))

    timers_100()
    before, after = _count_during(None, timers_100)
    assert after == before, f"None lost {before - after} references"
