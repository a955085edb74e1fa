"""The Message page's Check: the draft checked against the whole list, then (when nothing
blocks) the audience rules applied to it, in a worker thread; the problems listed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from kupon_desktop.compose import Draft, Problem, check, has_blocking


def check_draft(
    draft: Draft,
    contacts: Any,
    fields: Any,
    *,
    rules: Any = None,
    stop_list: Any = None,
) -> tuple[list[Problem], Any]:
    """In a worker thread: the draft's problems and, when none blocks and a list and
    rules are given, the audience plan (whose own problems are added)."""
    now = datetime.now().astimezone()
    problems = check(draft, contacts, fields, now=now)
    plan = None
    if not has_blocking(problems) and contacts is not None and rules is not None:
        from kupon_desktop.audience import apply_rules

        plan = apply_rules(draft, contacts, fields, rules=rules, stop_list=stop_list, now=now)
        problems += plan.problems
    return problems, plan


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
