"""The Message page's Check: the problems listed; the draft's own checks for a page with no
session behind it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from kupon_desktop.compose import Draft, Problem, check


def check_draft(draft: Draft, contacts: Any, fields: Any) -> list[Problem]:
    """In a worker thread: the draft's own checks over the list (a page with no window
    behind it; with one, the campaign session's plan checks the draft and the audience
    rules together)."""
    return check(draft, contacts, fields, now=datetime.now().astimezone())


def fill_problem_list(view: QListWidget, problems: list[Problem], language: str) -> None:
    view.clear()
    style = view.style() if isinstance(view, QWidget) else None
    assert style is not None
    error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
    warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    lang = "ru" if language == "ru" else "en"
    for problem in problems:
        text = problem.message(lang)
        item = QListWidgetItem(error_icon if problem.blocking else warning_icon, text)
        item.setToolTip(text)
        view.addItem(item)
