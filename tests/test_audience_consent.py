"""Consent to advertising: the column found by its header, its values read, and what an
advertising and a service campaign do with recipients who have none."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, Consent, apply_rules, read_consent
from kupon_desktop.audience.consent import detect_consent_column, read_consents
from kupon_desktop.compose import Draft, Problem

NOW = datetime(2030, 3, 1, 9, 30, tzinfo=UTC)  # 12:30 in Moscow: the window is open


@pytest.mark.parametrize(
    "value",
    [
        "да",
        "Да",
        "ДА.",
        "yes",
        "Y",
        "1",
        "1.0",
        "TRUE",
        "True",
        "истина",
        "+",
        "✓",
        "x",
        "согласен",
        "Согласна",
        "подписан",
        "opt-in",
        "Opt In",
        "subscribed",
        "2024-01-15",
        "2024-01-15 10:30:00",
        "15.01.2024",
        "15.01.24",
        "15/01/2024",
        "2024-01-15T10:30:00+03:00",
        "15.01.2024 10:30",
    ],
)
def test_consent_given(value: str) -> None:
    assert read_consent(value) is Consent.YES


@pytest.mark.parametrize(
    "value",
    [
        "нет",
        "НЕТ",
        "no",
        "N",
        "0",
        "0.0",
        "false",
        "FALSE",
        "ложь",
        "-",
        "—",
        "отказ",
        "не согласен",
        "отписался",
        "opt-out",
        "unsubscribed",
    ],
)
def test_consent_refused(value: str) -> None:
    assert read_consent(value) is Consent.NO


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), pd.NA])
def test_empty_is_no_proof(value: object) -> None:
    assert read_consent(value) is Consent.EMPTY


@pytest.mark.parametrize("value", ["может быть", "maybe", "32.13.2024", "2", "позвонить"])
def test_unreadable(value: str) -> None:
    assert read_consent(value) is Consent.UNREADABLE


def test_each_distinct_value_read_once_and_blanks_kept_apart() -> None:
    assert read_consents(["да", None, "да", "нет", ""]) == [
        Consent.YES,
        Consent.EMPTY,
        Consent.YES,
        Consent.NO,
        Consent.EMPTY,
    ]


@pytest.mark.parametrize(
    ("columns", "found"),
    [
        (["Имя", "Согласие"], "Согласие"),
        (["Имя", "Согласие на рассылку"], "Согласие на рассылку"),
        (["Имя", "Дата согласия"], "Дата согласия"),
        (["Name", "Consent"], "Consent"),
        (["Name", "Opt-in"], "Opt-in"),
        (["Name", "opt in date"], "opt in date"),
        (["Имя", "Подписка"], "Подписка"),
        (["Name", "Subscribed"], "Subscribed"),
        (["Имя", "Город", "Сумма"], None),
    ],
)
def test_detecting_the_column(columns: list[str], found: str | None) -> None:
    assert detect_consent_column(columns) == found


def _frames(consent: list[str | None] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = 5 if consent is None else len(consent)
    contacts = pd.DataFrame(
        {
            "row": list(range(2, 2 + n)),
            "phone": pd.array([f"7916123450{i}" for i in range(n)], dtype="string"),
            "email": pd.array([None] * n, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    columns = {"Имя": pd.array(["A"] * n, dtype="string")}
    if consent is not None:
        columns["Согласие"] = pd.array(consent, dtype="string")
    return contacts, pd.DataFrame(columns)


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


CONSENT = ["да", "2024-05-01", None, "нет", "может быть"]


def test_advertising_excludes_everyone_without_consent() -> None:
    contacts, fields = _frames(CONSENT)
    plan = apply_rules(Draft(text="Sale!"), contacts, fields, now=NOW)
    assert plan.consent_column == "Согласие"
    assert [(e.row, e.address, e.reason) for e in plan.exclusions] == [
        (4, "79161234502", "no consent"),
        (5, "79161234503", "no consent"),
        (6, "79161234504", "no consent"),
    ]
    assert plan.kept.tolist() == [True, True, False, False, False]
    assert plan.excluded("79161234503") == "no consent"
    assert plan.excluded("79161234500") is None
    assert plan.estimate.messages == 2
    assert _codes(plan.problems) == ["excluded_no_consent", "consent_unreadable"]
    text = plan.problems[0].message("en")
    assert text.startswith("Excluded for lack of consent: 3 recipient(s), rows 4, 5, 6")
    assert plan.problems[0].message("ru").startswith("Исключено без согласия: 3, строки 4, 5, 6")
    assert 'e.g. "может быть"' in plan.problems[1].message("en")
    assert not any(p.blocking for p in plan.problems)


def test_a_service_campaign_keeps_them_with_a_warning() -> None:
    contacts, fields = _frames(CONSENT)
    plan = apply_rules(
        Draft(text="Your order is ready"),
        contacts,
        fields,
        rules=AudienceRules(advertising=False),
        now=NOW,
    )
    assert plan.exclusions == [] and plan.kept.all()
    assert _codes(plan.problems) == ["no_consent_service", "consent_unreadable"]
    assert "marked as service" in plan.problems[0].message("en")
    assert "сервисная" in plan.problems[0].message("ru")


def test_without_a_consent_column_a_single_reminder() -> None:
    contacts, fields = _frames(None)
    plan = apply_rules(Draft(text="Sale!"), contacts, fields, now=NOW)
    assert plan.exclusions == []
    assert _codes(plan.problems) == ["consent_reminder"]
    assert "38-FZ" in plan.problems[0].message("en")
    assert "38-ФЗ" in plan.problems[0].message("ru")
    # a service campaign needs no consent to advertising: no reminder
    service = apply_rules(
        Draft(text="x"), contacts, fields, rules=AudienceRules(advertising=False), now=NOW
    )
    assert service.problems == []


def test_consent_column_can_be_named_or_switched_off() -> None:
    contacts, fields = _frames(CONSENT)
    off = apply_rules(
        Draft(text="x"), contacts, fields, rules=AudienceRules(consent_column=""), now=NOW
    )
    assert off.exclusions == [] and _codes(off.problems) == ["consent_reminder"]
    named = apply_rules(
        Draft(text="x"), contacts, fields, rules=AudienceRules(consent_column="согласие"), now=NOW
    )
    assert len(named.exclusions) == 3


def test_everyone_excluded_is_an_error() -> None:
    contacts, fields = _frames(["нет", None])
    plan = apply_rules(Draft(text="x"), contacts, fields, now=NOW)
    assert _codes(plan.problems) == ["excluded_no_consent", "all_excluded"]
    assert plan.problems[-1].blocking
    assert plan.estimate.messages == 0 and plan.estimate.cost == 0
