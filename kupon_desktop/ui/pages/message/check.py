"""The Message page's Check: the problems listed; the draft's own checks for a page with no
session behind it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt, Slot
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QWidget

from kupon_desktop.compose import Draft, Problem, check
from kupon_desktop.compose.problems import Bilingual

# rows of one problem listed one by one; more become one line with the count
GROUP_OVER = 5
# rows named in a summary line (all of them in its tooltip, up to TOOLTIP_ROWS)
SUMMARY_ROWS = 3
TOOLTIP_ROWS = 300
# rows the "show rows" link lists in place (a label of a million numbers would take
# seconds to lay out on the GUI thread)
SHOWN_ROWS = 2000


def check_draft(draft: Draft, contacts: Any, fields: Any) -> list[Problem]:
    """In a worker thread: the draft's own checks over the list (a page with no window
    behind it; with one, the campaign session's plan checks the draft and the audience
    rules together)."""
    return check(draft, contacts, fields, now=datetime.now().astimezone())


def fill_problem_list(view: QListWidget, problems: list[Problem], language: str) -> None:
    """One line per problem; a problem of more than ``GROUP_OVER`` rows (47 contacts with
    no e-mail address) is one line with the count and the first rows, in the place of
    its first row, with a "show rows" link under it that lists them all in place. The
    item's data holds the rows (``Qt.UserRole``)."""
    view.clear()
    style = view.style() if isinstance(view, QWidget) else None
    assert style is not None
    error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
    warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    lang = "ru" if language == "ru" else "en"
    groups: dict[tuple[str, bool], list[Problem]] = {}
    for problem in problems:
        if problem.row is not None:
            groups.setdefault((problem.code, problem.blocking), []).append(problem)
    done: set[tuple[str, bool]] = set()
    for problem in problems:
        key = (problem.code, problem.blocking)
        group = groups.get(key, []) if problem.row is not None else []
        if len(group) > GROUP_OVER:
            if key in done:
                continue
            done.add(key)
            rows = [p.row for p in group if p.row is not None]
            text = summary_text(group[0], len(group), rows, lang)
            tooltip = _rows_text(rows, TOOLTIP_ROWS)
        else:
            rows = [] if problem.row is None else [problem.row]
            text = tooltip = problem.message(lang)
        item = QListWidgetItem(error_icon if problem.blocking else warning_icon, text)
        item.setToolTip(tooltip)
        item.setData(Qt.ItemDataRole.UserRole, rows)
        view.addItem(item)
        if len(rows) > GROUP_OVER:
            RowsLink.add(view, rows)


class RowsLink(QLabel):
    """The line under a summary: a "show rows" link that lists every row of the problem
    in place (up to ``SHOWN_ROWS``), and a "hide rows" link that folds them again."""

    def __init__(self, view: QListWidget, item: QListWidgetItem, rows: list[int]) -> None:
        super().__init__()
        self.setObjectName("rowsLink")
        self.view = view
        self.item = item
        self.rows = rows
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        # under the summary's text, past its icon
        self.setContentsMargins(view.iconSize().width() + 10, 0, 6, 4)
        self.linkActivated.connect(self._toggle)
        self.expanded = False

    @classmethod
    def add(cls, view: QListWidget, rows: list[int]) -> RowsLink:
        # the rows wrap at the list's width: a line as wide as the list, never wider
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        item = QListWidgetItem()
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # the link, not a line to select
        view.addItem(item)
        link = cls(view, item, rows)
        view.setItemWidget(item, link)
        link.show_rows(False)
        return link

    @Slot(str)
    def _toggle(self, href: str) -> None:
        self.show_rows(href == "show")

    def show_rows(self, expanded: bool) -> None:
        self.expanded = expanded
        if expanded:
            listed = ", ".join(str(row) for row in self.rows[:SHOWN_ROWS])
            text = QCoreApplication.translate("MessageCheck", "rows %1").replace("%1", listed)
            if len(self.rows) > SHOWN_ROWS:
                text += QCoreApplication.translate("MessageCheck", " … and %1 more").replace(
                    "%1", QLocale().toString(len(self.rows) - SHOWN_ROWS)
                )
            link = QCoreApplication.translate("MessageCheck", "hide rows")
            self.setText(f'{text} &nbsp;<a href="hide">{link}</a>')
        else:
            link = QCoreApplication.translate("MessageCheck", "show rows")
            self.setText(f'<a href="show">{link}</a>')
        width = max(self.view.viewport().width() - 4, 200)
        self.item.setSizeHint(QSize(width, self.heightForWidth(width)))


def summary_text(first: Problem, count: int, rows: list[int], lang: str) -> str:
    """ "47 contacts have no e-mail address: rows 2, 5, 9 …" for a missing address; for
    any other problem its first row's message and how many more rows have it."""
    listed = _rows_text(rows, SUMMARY_ROWS)
    what = dict(first.params).get("what")
    if first.code == "address_missing" and isinstance(what, Bilingual):
        return (
            QCoreApplication.translate("MessageCheck", "%1 contacts have no %2: rows %3")
            .replace("%1", QLocale().toString(count))
            .replace("%2", what.en if lang == "en" else what.ru)
            .replace("%3", listed)
        )
    return (
        QCoreApplication.translate(
            "MessageCheck", "%1 rows have this problem (rows %3); the first: %2"
        )
        .replace("%1", QLocale().toString(count))
        .replace("%2", first.message(lang))
        .replace("%3", listed)
    )


def _rows_text(rows: list[int], limit: int) -> str:
    shown = ", ".join(str(row) for row in rows[:limit])
    return shown + " …" if len(rows) > limit else shown
