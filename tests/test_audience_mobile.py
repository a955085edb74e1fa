"""Channels that need a mobile number, sent to landline and toll-free numbers: a warning
per recipient and in total in Check, and those messages counted apart in the cost."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from kupon_desktop.audience import AudienceRules, Prices, apply_rules
from kupon_desktop.compose import Draft
from kupon_desktop.contacts import import_file

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # noon in Moscow: inside the send window


def _list(tmp_path: Path) -> Path:
    """A list as an office keeps it: mobiles, the office's landline, the 8-800 line."""
    path = tmp_path / "clients.csv"
    path.write_bytes(
        (
            "Имя;Телефон\r\n"
            "Анна;8 (916) 123-45-67\r\n"
            "Офис;8 (495) 123-45-67\r\n"
            "Горячая линия;8-800-555-35-35\r\n"
            "Борис;+7 903 111-22-33\r\n"
        ).encode("cp1251")
    )
    return path


def test_sms_to_landline_and_toll_free_warns_and_counts_apart(tmp_path: Path) -> None:
    result = import_file(_list(tmp_path))
    assert result.imported == 4  # both numbers are valid numbers: nothing is rejected
    prices = Prices.from_mapping({"sms": "2.00"})
    plan = apply_rules(
        Draft(text="Скидка 10%"),
        result.contacts,
        result.fields,
        rules=AudienceRules(prices=prices, consent_column=""),
        now=NOW,
    )
    per_row = [p for p in plan.problems if p.code == "not_mobile_row"]
    assert [(p.row, p.severity.value) for p in per_row] == [(3, "warning"), (4, "warning")]
    assert per_row[0].message("ru") == (
        "Строка 3: 74951234567 — городской номер, а не мобильный номер: сообщение «SMS» до "
        "него не дойдёт, а оплачено может быть."
    )
    assert per_row[1].message("en").startswith("Row 4: 78005553535 is a toll-free number")
    total = next(p for p in plan.problems if p.code == "not_mobile")
    assert total.message("en").startswith(
        "2 recipient(s) have a number that is not a mobile (landline 1, toll-free 1, other 0; "
        "rows 3, 4)"
    )
    assert not any(p.blocking for p in [*per_row, total])  # a warning: sending goes ahead
    est = plan.estimate
    assert (est.messages, est.cost) == (4, Decimal("8.00"))
    assert (est.not_mobile, est.not_mobile_cost) == (2, Decimal("4.00"))
    assert est.as_json()["not_mobile"] == 2 and est.as_json()["not_mobile_cost"] == 4.0


def test_channels_that_reach_any_phone_or_no_phone_do_not_warn(tmp_path: Path) -> None:
    result = import_file(_list(tmp_path))
    for draft in (
        Draft(type="voice", text="Здравствуйте"),  # a call reaches a landline
        Draft(type="sms", text="x"),
    ):
        contacts = result.contacts if draft.type == "voice" else result.contacts.iloc[[0, 3]]
        plan = apply_rules(draft, contacts, rules=AudienceRules(consent_column=""), now=NOW)
        assert not [p for p in plan.problems if p.code.startswith("not_mobile")]
        assert plan.estimate.not_mobile == 0 and "not_mobile" not in plan.estimate.as_json()
