"""Shared test set-up. Qt runs offscreen; every file the program writes goes to a
temporary home, never the developer's real data, settings or credential store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("kupon-home")
    monkeypatch.setenv("KUPON_DESKTOP_HOME", str(home))
    yield home
