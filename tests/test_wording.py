"""Numbers written outside the window read as the window writes them: a spend cap's
pause and an A/B verdict in Russian use comma decimals and roubles, never "22500.00"."""

from __future__ import annotations

from decimal import Decimal

from kupon_desktop.campaign.ab import explain
from kupon_desktop.campaign.budget import Budget
from kupon_desktop.campaign.errors import SpendCapReached, describe_reason
from kupon_desktop.wording import amount, percent


def test_amounts_and_shares_in_each_language() -> None:
    assert amount(Decimal("22500"), "ru") == "22\xa0500,00\xa0руб."
    assert amount(Decimal("22500"), "en") == "22500.00 RUB"
    assert percent(93.64, "ru") == "93,6\xa0%"
    assert percent(93.64, "en") == "93.6\xa0%"
    # a certainty the arithmetic rounds to 100 is not claimed
    assert percent(99.9999, "ru") == "> 99,9\xa0%"


def test_the_spend_cap_pause_names_cap_and_spend_as_amounts_even_after_a_restart() -> None:
    reached = Budget(Decimal("22500"), Decimal("4.5"), Decimal("22500")).reached()
    ru = reached.message("ru")
    assert "лимит 22\xa0500,00\xa0руб., потрачено по оценке 22\xa0500,00\xa0руб." in ru
    assert "22500.00" not in ru
    # the log keeps plain numbers; read back, the text is the same
    assert describe_reason(reached.stored(), "ru") == ru
    assert "cap 22500.00 RUB" in describe_reason(reached.stored(), "en")
    # an older log's detail that is not two numbers is shown as it was kept
    assert "(kept text)" in SpendCapReached("kept text").message("ru")


def test_the_verdict_writes_rates_the_russian_way() -> None:
    winner = {
        "variant": "B",
        "runner_up": "A",
        "significant": True,
        "p_value": 1e-9,
        "rates": {"A": {"rate": 0.741}, "B": {"rate": 0.936}},
    }
    ru = explain(winner, None, "delivered", "ru")
    assert "93,6\xa0% против 74,1\xa0%" in ru and "> 99,9\xa0%" in ru
    assert "93.6\xa0%" in explain(winner, None, "delivered", "en")
