"""The cost estimate: messages × segments × price, per type, and the total."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, Prices, apply_rules, estimate
from kupon_desktop.audience.cost import combine, to_price
from kupon_desktop.audience.settings import AUDIENCE_SETTINGS, rules_from_settings
from kupon_desktop.compose import Draft
from kupon_desktop.config import Settings
from kupon_desktop.vocabulary import MessageType


def test_sms_is_billed_per_segment() -> None:
    prices = Prices.from_mapping({"sms": "2.35"})
    est = estimate(MessageType.SMS, [1, 2, 3, 1], prices)
    assert (est.messages, est.segments) == (4, 7)
    assert est.cost == Decimal("16.45")  # 7 × 2.35, exactly
    assert est.as_json() == {"messages": 4, "segments": 7, "cost": 16.45, "currency": "RUB"}
    assert not est.examples
    [line] = est.lines
    assert (line.type, line.unit_price, line.cost) == (
        MessageType.SMS,
        Decimal("2.35"),
        Decimal("16.45"),
    )


def test_other_types_are_billed_per_message() -> None:
    prices = Prices.from_mapping({"viber": 1.1, "email": "0,05"})
    est = estimate("viber", np.array([3, 3, 1]), prices)
    assert (est.messages, est.segments, est.cost) == (3, 3, Decimal("3.30"))
    assert estimate(MessageType.EMAIL, [0] * 1001, prices).cost == Decimal("50.05")
    assert estimate(MessageType.HLR, [0, 0], prices).segments == 2


def test_a_million_prices_add_up_without_rounding_drift() -> None:
    prices = Prices.from_mapping({"sms": "0.01"})
    est = estimate(MessageType.SMS, np.ones(1_000_000, dtype=np.int64), prices)
    assert est.cost == Decimal("10000.00")
    assert est.as_json()["cost"] == 10000.0


def test_empty_campaign_costs_nothing() -> None:
    est = estimate(MessageType.SMS, [], Prices())
    assert (est.messages, est.segments, est.cost) == (0, 0, Decimal("0.00"))


def test_defaults_are_labelled_examples() -> None:
    assert Prices().examples
    assert estimate(MessageType.SMS, [1], Prices()).examples
    assert not Prices.from_mapping({"sms": 3}).examples
    assert Prices.from_mapping({}).examples
    assert "EXAMPLES" in (Prices.__doc__ or "")


def test_combined_estimate_per_type_and_total() -> None:
    prices = Prices.from_mapping({"sms": 2, "viber": 1})
    total = combine(
        [
            estimate(MessageType.SMS, [2, 2], prices),
            estimate(MessageType.VIBER, [1, 1, 1], prices),
            estimate(MessageType.SMS, [1], prices),
        ]
    )
    assert [(line.type, line.messages, line.segments, line.cost) for line in total.lines] == [
        (MessageType.SMS, 3, 5, Decimal("10")),
        (MessageType.VIBER, 3, 3, Decimal("3")),
    ]
    assert total.cost == Decimal("13.00")


@pytest.mark.parametrize("bad", ["-1", "abc", "", "nan", "inf", True])
def test_bad_prices_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        to_price(bad)
    with pytest.raises(ValueError, match="sms"):
        Prices.from_mapping({"sms": bad})


def test_unknown_type_is_named() -> None:
    with pytest.raises(ValueError, match="fax"):
        Prices.from_mapping({"fax": 1})


def test_estimate_in_a_plan_counts_only_what_is_sent() -> None:
    contacts = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "phone": pd.array(["79161234500", "79161234501", "79161234502"], dtype="string"),
            "email": pd.array([None] * 3, dtype="string"),
            "push_token": pd.array([None] * 3, dtype="string"),
        }
    )
    fields = pd.DataFrame(
        {
            "Consent": pd.array(["yes", "no", "yes"], dtype="string"),
            "Name": pd.array(["A", "B", "C" * 200], dtype="string"),
        }
    )
    rules = AudienceRules(prices=Prices.from_mapping({"sms": "3.10"}))
    plan = apply_rules(
        Draft(text="Hi {Name}"),
        contacts,
        fields,
        rules=rules,
        now=datetime(2030, 1, 1, 9, tzinfo=UTC),
    )
    # row 3 is excluded; row 4's text is 203 GSM-7 characters: 2 segments
    assert plan.estimate.as_json() == {
        "messages": 2,
        "segments": 3,
        "cost": 9.3,
        "currency": "RUB",
    }


def test_settings_declare_window_zone_and_prices() -> None:
    names = {s.name for s in AUDIENCE_SETTINGS}
    assert {"audience/window", "audience/default_zone", "prices/sms", "prices/viber"} <= names
    by_name = {s.name: s for s in AUDIENCE_SETTINGS}
    assert by_name["audience/window"].default == "09:00-22:00"
    assert by_name["audience/window"].validate("21-8") == "21:00-08:00"
    assert by_name["audience/default_zone"].validate("asia/omsk") == "Asia/Omsk"
    with pytest.raises(ValueError):
        by_name["prices/sms"].validate("free")

    import kupon_desktop.config as config

    table = dict(config.SETTINGS)
    table.update(by_name)
    settings = Settings({"prices/sms": "2.5", "audience/window": "08:00-21:00"})

    def get(name: str) -> object:
        spec = table[name]
        raw = settings._values.get(name)
        return spec.default if raw is None else spec.validate(raw)

    rules = rules_from_settings(get, advertising=False)
    assert str(rules.window) == "08:00-21:00"
    assert rules.prices.sms == Decimal("2.5") and not rules.prices.examples
    assert not rules.advertising
    untouched = rules_from_settings(lambda name: table[name].default)
    assert untouched.prices.examples and untouched.default_zone == "Europe/Moscow"


def test_rules_round_trip_through_json() -> None:
    import json

    from kupon_desktop.audience import SendWindow

    rules = AudienceRules(
        window=SendWindow.parse("21:00-08:00"),
        default_zone="Asia/Omsk",
        timezone_column="Город",
        consent_column="",
        advertising=False,
        prices=Prices.from_mapping({"sms": "1.23"}),
    )
    back = AudienceRules.from_dict(json.loads(json.dumps(rules.to_dict())))
    assert back == rules
    assert AudienceRules.from_dict({}) == AudienceRules()
