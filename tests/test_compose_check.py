"""Per-type rules and check(): every problem the issue lists, with row and field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from kupon_desktop.compose import (
    Draft,
    DraftField,
    Problem,
    Severity,
    check,
    has_blocking,
    is_bot_command,
    is_cascade_code,
    is_web_url,
    rules_for,
)
from kupon_desktop.compose.problems import MESSAGES
from kupon_desktop.vocabulary import Address, MessageType

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
F = DraftField


def frames(rows: list[dict[str, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    contacts = pd.DataFrame(
        {
            "row": pd.Series([r["row"] for r in rows], dtype="int64"),
            **{
                k: pd.Series([r.get(k) for r in rows], dtype="str")
                for k in ("phone", "email", "push_token")
            },
        }
    )
    names = list(
        dict.fromkeys(
            k for r in rows for k in r if k not in ("row", "phone", "email", "push_token")
        )
    )
    fields = pd.DataFrame(
        {n: pd.Series([r.get(n) for r in rows], dtype="str") for n in names},
        index=contacts.index,
    )
    return contacts, fields


EVERYONE = frames(
    [
        {
            "row": 2,
            "phone": "79161234567",
            "email": "a@example.ru",
            "push_token": "t1",
            "Имя": "Иван",
        },
    ]
)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def errors(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems if p.severity is Severity.ERROR]


# -- the rules table -------------------------------------------------------------------

PHONE_TYPES = ["sms", "viber", "whatsapp", "telegram", "vk", "ok", "voice", "mms", "hlr"]


@pytest.mark.parametrize("t", PHONE_TYPES)
def test_phone_types(t: str) -> None:
    rules = rules_for(t)
    assert rules.address is Address.PHONE
    assert rules.address_for(find_token=True) is Address.PHONE
    assert not rules.enabled(F.HTML_TEXT)
    assert not rules.enabled(F.FIND_TOKEN)


def test_fields_per_type() -> None:
    messengers = {"viber", "whatsapp", "telegram", "vk", "ok", "mms", "bot", "push", "bulk"}
    for t in MessageType:
        rules = rules_for(t)
        assert rules.enabled(F.BUTTON) == rules.enabled(F.ACTION) == rules.enabled(F.IMAGE)
        assert rules.enabled(F.BUTTON) == (t.value in messengers), t
        assert rules.enabled(F.HTML_TEXT) == (t.value in ("email", "push")), t
        assert rules.enabled(F.FIND_TOKEN) == (t.value in ("push", "bot")), t
        assert rules.enabled(F.TTL) and rules.enabled(F.SEND_AT) and rules.enabled(F.KANNEL_STATUS)
        assert rules.enabled(F.TEXT) == (t is not MessageType.HLR)
        assert rules.sender_is_cascade_code == (t is MessageType.BULK)
        assert rules.action_may_be_command == (t is MessageType.BOT)
    assert rules_for("email").address is Address.EMAIL
    assert rules_for("email").content_any_of == (F.TEXT, F.HTML_TEXT)
    assert rules_for("viber").content_any_of == (F.TEXT, F.IMAGE)
    assert rules_for("sms").content_any_of == (F.TEXT,)
    assert rules_for("hlr").content_any_of == ()
    for t in ("push", "bot"):
        assert rules_for(t).address is Address.PUSH_TOKEN
        assert rules_for(t).address_for(find_token=True) is Address.PHONE_OR_EMAIL
    assert rules_for("bulk").address is Address.PHONE_OR_EMAIL
    assert rules_for("bulk").scenario_may_override == {F.BUTTON, F.ACTION, F.IMAGE}


# -- a valid draft of every type is clean --------------------------------------------

VALID = {
    "sms": Draft(type="sms", sender="Shop", text="Привет, {Имя}!"),
    "viber": Draft(
        type="viber",
        sender="Shop",
        text="Hi",
        button="Open",
        action="https://shop.example.ru/a?b=1",
        image="https://shop.example.ru/i.png",
    ),
    "whatsapp": Draft(type="whatsapp", sender="Shop", image="https://купон.рф/картинка.png"),
    "telegram": Draft(type="telegram", sender="Shop", text="Hi"),
    "vk": Draft(type="vk", sender="Shop", text="Hi"),
    "ok": Draft(type="ok", sender="Shop", text="Hi"),
    "voice": Draft(type="voice", sender="Shop", text="Hi"),
    "mms": Draft(type="mms", sender="Shop", text="Hi", image="http://127.0.0.1:8080/x.jpg"),
    "hlr": Draft(type="hlr"),
    "email": Draft(type="email", sender="Shop", html_text="<p>{Имя}</p>"),
    "push": Draft(type="push", sender="Shop", text="Hi", html_text="<b>Hi</b>"),
    "bot": Draft(type="bot", sender="Shop", text="Hi", button="Start", action="/start promo"),
    "bulk": Draft(
        type="bulk",
        sender="1042",
        text="Hi {Имя|друг}",
        ttl=60,
        send_at=NOW + timedelta(hours=1),
        charset="CP1251",
        kannel_status=True,
    ),
}


@pytest.mark.parametrize("t", [t.value for t in MessageType])
def test_valid_draft_of_each_type_has_no_problem(t: str) -> None:
    contacts, fields = EVERYONE
    found = check(VALID[t], contacts, fields, NOW)
    if t == "bulk":  # the only remark: the scenario may override button/action/image
        assert found == []
    else:
        assert found == [], [p.message_en for p in found]


@pytest.mark.parametrize("t", ["sms", "voice", "push", "bot", "bulk"])
def test_text_is_required(t: str) -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type=t, sender="1", text="  "), contacts, fields, NOW)
    assert errors(found) == ["text_missing"]
    assert found[0].field == "text"


@pytest.mark.parametrize(
    ("t", "alternatives"),
    [("email", "text or HTML text"), ("viber", "text or image"), ("mms", "text or image")],
)
def test_content_alternatives(t: str, alternatives: str) -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type=t, sender="S"), contacts, fields, NOW)
    assert errors(found) == ["content_missing"]
    assert alternatives in found[0].message_en
    assert " или " in found[0].message_ru


def test_fields_a_type_does_not_send_are_warned_about() -> None:
    contacts, fields = EVERYONE
    draft = Draft(
        type="sms",
        sender="S",
        text="x",
        html_text="<p>x</p>",
        button="b",
        action="https://e.ru",
        image="https://e.ru/i.png",
        find_token=True,
    )
    found = check(draft, contacts, fields, NOW)
    assert errors(found) == []
    unused = [p.field for p in found if p.code == "field_not_used"]
    assert unused == ["html_text", "button", "action", "image", "find_token"]
    assert found[0].message_en == "The HTML text is not used for SMS messages and will not be sent."
    assert found[0].message_ru == (
        "Поле «HTML-текст» не используется для типа «SMS» и не будет отправлено."
    )
    hlr = check(Draft(type="hlr", sender="S", text="x", charset="CP1251"), contacts, fields, NOW)
    assert [p.field for p in hlr] == ["sender", "text", "charset"]


def test_sender_missing_is_a_warning() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type="sms", text="x"), contacts, fields, NOW)
    assert codes(found) == ["sender_missing"]
    assert not has_blocking(found)


# -- cascade code --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["1042", "0007", "9" * 12])
def test_cascade_code_digits(code: str) -> None:
    assert is_cascade_code(code)
    contacts, fields = EVERYONE
    assert check(Draft(type="bulk", sender=code, text="x"), contacts, fields, NOW) == []


@pytest.mark.parametrize(
    "code", ["10a2", "-1042", "10 42", " 1042", "1042.0", "١٠٤٢", "²", "１０４２", "Shop"]
)
def test_cascade_code_not_digits(code: str) -> None:
    assert not is_cascade_code(code)
    contacts, fields = EVERYONE
    found = check(Draft(type="bulk", sender=code, text="x"), contacts, fields, NOW)
    assert errors(found) == ["cascade_code_invalid"]
    assert found[0].field == "sender"
    assert f'"{code}"' in found[0].message_en


def test_cascade_code_missing() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type="bulk", text="x"), contacts, fields, NOW)
    assert errors(found) == ["cascade_code_missing"]
    assert "сценарию" in found[0].message_ru


def test_bulk_notes_that_the_scenario_may_override_rich_fields() -> None:
    contacts, fields = EVERYONE
    draft = Draft(type="bulk", sender="1042", text="x", image="https://e.ru/i.png")
    found = check(draft, contacts, fields, NOW)
    assert codes(found) == ["scenario_overrides"]
    assert found[0].severity is Severity.WARNING


# -- button, action, image -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://shop.example.ru/promo?utm=sms&x=%20", True),
        ("http://localhost:8080/x", True),
        ("https://купон.рф/акция", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("https://10.0.0.1/a", True),
        ("shop.example.ru/promo", False),
        ("ftp://example.ru/file", False),
        ("https://", False),
        ("https://exa mple.ru", False),
        ("https://example.ru/a b", False),
        ("https://example", False),
        ("https://cafe", False),
        ("https://[::1]:8080/x", True),
        ("https://example.ru:99999/", False),
        ("https://-bad-.ru", False),
        ("https://example.ru/{Имя}", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_web_urls(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_bot_commands() -> None:
    assert is_bot_command("/start")
    assert is_bot_command("/start promo_2025")
    assert is_bot_command("/help@ShopBot")
    assert not is_bot_command("start")
    assert not is_bot_command("/")
    assert not is_bot_command("/start\n/stop")


def test_action_and_image_validation() -> None:
    contacts, fields = EVERYONE
    bad = Draft(
        type="viber",
        sender="S",
        text="x",
        button="Open",
        action="/start",
        image="www.example.ru/i.png",
    )
    found = check(bad, contacts, fields, NOW)
    assert errors(found) == ["action_invalid", "image_invalid"]
    assert found[0].field == "action" and '"/start"' in found[0].message_en
    assert found[1].field == "image"
    bot = check(
        Draft(type="bot", sender="S", text="x", button="Go", action="start"), contacts, fields, NOW
    )
    assert errors(bot) == ["action_invalid_bot"]
    assert "/start" in bot[0].message_en


def test_button_and_action_go_together() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type="viber", sender="S", text="x", button="Open"), contacts, fields, NOW)
    assert errors(found) == ["button_without_action"]
    found = check(
        Draft(type="viber", sender="S", text="x", action="https://e.ru"), contacts, fields, NOW
    )
    assert errors(found) == ["action_without_button"]


# -- ttl, send time, charset ---------------------------------------------------------


@pytest.mark.parametrize("ttl", [0, -5])
def test_ttl_must_be_positive(ttl: int) -> None:
    contacts, fields = EVERYONE
    found = check(Draft(sender="S", text="x", ttl=ttl), contacts, fields, NOW)
    assert errors(found) == ["ttl_invalid"]
    assert str(ttl) in found[0].message_en


def test_ttl_must_be_whole() -> None:
    with pytest.raises(TypeError):
        Draft(ttl=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Draft(ttl=True)


def test_send_time_in_the_past_is_refused() -> None:
    contacts, fields = EVERYONE
    moscow = ZoneInfo("Europe/Moscow")
    past = datetime(2025, 3, 1, 11, 59, tzinfo=moscow)  # 08:59 UTC, a minute before NOW
    found = check(Draft(sender="S", text="x", send_at=past), contacts, fields, NOW)
    assert errors(found) == ["send_at_past"]
    assert found[0].field == "send_at"
    assert found[0].message_en == (
        "The send time 2025-03-01 11:59+03:00 is in the past (it is now 2025-03-01 12:00+03:00)."
    )
    assert check(Draft(sender="S", text="x", send_at=NOW), contacts, fields, NOW)[0].code == (
        "send_at_past"
    )
    future = Draft(sender="S", text="x", send_at=datetime(2025, 3, 1, 12, 1, tzinfo=moscow))
    assert check(future, contacts, fields, NOW) == []
    with pytest.raises(ValueError, match="aware"):
        Draft(send_at=datetime(2030, 1, 1))


def test_unknown_charset() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(sender="S", text="x", charset="KOI8-R"), contacts, fields, NOW)
    assert errors(found) == ["charset_unknown"]
    assert "UTF-8, CP1251" in found[0].message_en


def test_cp1251_cannot_carry_an_emoji_in_the_text() -> None:
    contacts, fields = EVERYONE
    found = check(
        Draft(sender="S", text="Скидка 10€ 🎉 {Имя|😀}", charset="CP1251"), contacts, fields, NOW
    )
    assert errors(found) == ["charset_cannot_carry"]
    p = found[0]
    assert (p.row, p.field) == (None, "text")
    assert p.message_en == (
        'The text contains "🎉" (U+1F389), "😀" (U+1F600), which CP1251 cannot carry.'
    )
    assert p.message_ru.startswith('Текст содержит "🎉" (U+1F389)')
    # UTF-8 carries everything; UCS-2 everything but characters outside the BMP
    assert check(Draft(sender="S", text="🎉", charset="UTF-8"), contacts, fields, NOW) == []
    assert errors(
        check(Draft(sender="S", text="Я 🎉", charset="UCS2BE"), contacts, fields, NOW)
    ) == ["charset_cannot_carry"]
    assert check(Draft(sender="S", text="Я €", charset="UCS2BE"), contacts, fields, NOW) == []


def test_characters_from_the_file_name_their_row() -> None:
    contacts, fields = frames(
        [
            {"row": 2, "phone": "79160000002", "Имя": "Иван"},
            {"row": 3, "phone": "79160000003", "Имя": "Маша 🌸"},
            {"row": 4, "phone": None, "Имя": "🚫 no phone, not checked"},
            {"row": 5, "phone": "79160000005", "Имя": "Zoë ✓", "Город": "Köln 🏰"},
        ]
    )
    found = check(
        Draft(sender="S", text="{Имя} {Город|-}", html_text="", charset="CP1251"),
        contacts,
        fields,
        NOW,
    )
    charset = [p for p in found if p.code == "charset_cannot_carry_row"]
    assert [(p.row, p.severity) for p in charset] == [(3, "error"), (5, "error"), (5, "error")]
    assert charset[0].message_en == (
        'Row 3: {Имя} contains "🌸" (U+1F338), which CP1251 cannot carry.'
    )
    assert charset[1].message_en == (
        'Row 5: {Имя} contains "ë" (U+00EB), "✓" (U+2713), which CP1251 cannot carry.'
    )
    html = check(
        Draft(type="email", sender="S", html_text="<p>{Имя}</p>", charset="CP1251"),
        *frames([{"row": 2, "email": "a@example.ru", "Имя": "Маша 🌸"}]),
        NOW,
    )
    assert [(p.code, p.row, p.field) for p in html] == [
        ("charset_cannot_carry_row", 2, "html_text")
    ]
    assert html[0].message_en.startswith("Row 2: {Имя} (HTML) contains")
    assert charset[2].message_ru.startswith('Строка 5: {Город} содержит "ö" (U+00F6), "🏰"')


# -- placeholders --------------------------------------------------------------------


def test_unknown_placeholder_is_named_with_a_suggestion() -> None:
    contacts, fields = frames([{"row": 2, "phone": "7", "Имя": "a", "Город": "b"}])
    found = check(Draft(sender="S", text="{Имч}, {Фамилия}, {Имя}"), contacts, fields, NOW)
    assert errors(found) == ["placeholder_unknown", "placeholder_unknown"]
    assert found[0].message_en == (
        'Unknown placeholder {Имч} in the text: the contact list has no column "Имч". '
        "Did you mean {Имя}?"
    )
    assert found[1].message_en.endswith("Its columns: Имя, Город, phone, email, push_token.")
    assert "Неизвестная подстановка {Фамилия}" in found[1].message_ru


def test_unknown_placeholder_in_html() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(type="email", sender="S", html_text="<p>{Name}</p>"), contacts, fields, NOW)
    assert errors(found) == ["placeholder_unknown"]
    assert found[0].field == "html_text"


def test_template_syntax_errors() -> None:
    contacts, fields = EVERYONE
    found = check(Draft(sender="S", text="Привет, {Имя"), contacts, fields, NOW)
    assert errors(found) == ["template_unclosed"]
    assert found[0].message_en == (
        "The text has a { that is never closed, at character 9: Привет, {Имя"
    )
    found = check(Draft(sender="S", text="50% } off"), contacts, fields, NOW)
    assert errors(found) == ["template_unmatched_close"]
    assert "write }} for a brace itself" in found[0].message_en
    assert errors(check(Draft(sender="S", text="{}"), contacts, fields, NOW)) == [
        "template_empty_name"
    ]


def test_empty_placeholder_without_default_is_a_warning() -> None:
    contacts, fields = frames(
        [{"row": r, "phone": f"7{r}", "Имя": None if r % 2 else "x"} for r in range(2, 30)]
    )
    found = check(Draft(sender="S", text="{Имя}"), contacts, fields, NOW)
    assert codes(found) == ["placeholder_empty"]
    assert found[0].message_en == (
        "{Имя} is empty in 14 row(s): 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, …. It has no default: "
        "write {Имя|…} to give one."
    )
    assert check(Draft(sender="S", text="{Имя|друг}"), contacts, fields, NOW) == []


def test_without_contacts_only_the_draft_is_checked() -> None:
    found = check(Draft(sender="S", text="{Anything} {", send_at=NOW), now=NOW)
    assert codes(found) == ["send_at_past", "template_unclosed"]
    assert check(Draft(sender="S", text="{Anything}"), now=NOW) == []


# -- recipients ----------------------------------------------------------------------


def test_recipients_without_the_address_are_listed_by_row() -> None:
    contacts, fields = frames(
        [
            {"row": 2, "phone": "79160000002"},
            {"row": 3, "email": "x@example.ru"},
            {"row": 7, "phone": "  "},
            {"row": 9, "phone": "79160000009"},
        ]
    )
    found = check(Draft(sender="S", text="x"), contacts, fields, NOW)
    assert [(p.code, p.row, p.field, p.severity) for p in found] == [
        ("address_missing", 3, "phone", "warning"),
        ("address_missing", 7, "phone", "warning"),
    ]
    assert found[0].message_en == "Row 3 has no phone number; this contact will be skipped."
    assert found[0].message_ru == "В строке 3 нет номера телефона; этот контакт будет пропущен."
    mail = check(Draft(type="email", sender="S", text="x"), contacts, fields, NOW)
    assert [p.row for p in mail] == [2, 7, 9]


def test_nobody_reachable_is_an_error() -> None:
    contacts, fields = frames([{"row": 2, "phone": "79160000002"}])
    found = check(Draft(type="email", sender="S", text="x"), contacts, fields, NOW)
    assert errors(found) == ["no_recipients"]
    assert found[0].message_en == (
        "No contact has the e-mail address a E-mail message needs: nobody can receive it."
    )
    assert found[0].message_ru == (
        "Ни у одного контакта нет адреса e-mail: сообщение типа «E-mail» некому отправить."
    )


def test_empty_list_is_an_error() -> None:
    contacts, fields = frames([])
    assert errors(check(Draft(sender="S", text="x"), contacts, fields, NOW)) == ["contacts_empty"]


def test_push_hints_at_find_token() -> None:
    contacts, fields = frames(
        [
            {"row": 2, "push_token": "tok"},
            {"row": 3, "phone": "79160000003"},
            {"row": 4, "email": "a@example.ru"},
            {"row": 5},
        ]
    )
    found = check(Draft(type="push", sender="S", text="x"), contacts, fields, NOW)
    assert codes(found) == [
        "find_token_hint",
        "address_missing",
        "address_missing",
        "address_missing",
    ]
    assert "2 contact(s)" in found[0].message_en
    with_lookup = check(
        Draft(type="push", sender="S", text="x", find_token=True), contacts, fields, NOW
    )
    assert [(p.code, p.row) for p in with_lookup] == [
        ("address_missing", 2),
        ("address_missing", 5),
    ]
    assert "phone number or e-mail" in with_lookup[0].message_en


def test_problem_values() -> None:
    p = Problem.make(Severity.ERROR, "ttl_invalid", field="ttl", value=0)
    assert p.blocking
    assert p.to_dict("ru") == {
        "severity": "error",
        "row": None,
        "field": "ttl",
        "code": "ttl_invalid",
        "message": "Время жизни (ttl) должно быть целым числом минут больше 0, а не 0.",
    }
    assert hash(p) == hash(Problem.make(Severity.ERROR, "ttl_invalid", field="ttl", value=0))
    with pytest.raises(ValueError):
        p.message("de")
    with pytest.raises(KeyError):
        Problem.make(Severity.ERROR, "no_such_code")


def test_every_message_has_both_languages_and_formats() -> None:
    for code, (en, ru) in MESSAGES.items():
        assert en and ru, code
        assert any("\u0400" <= ch <= "\u04ff" for ch in ru), code


def test_a_brace_that_is_no_placeholder_is_explained_in_russian_too() -> None:
    from kupon_desktop.compose import TemplateSyntaxError, compile_template

    with pytest.raises(TemplateSyntaxError) as caught:
        compile_template("Привет, {Имя")
    assert caught.value.message("ru") == "скобка { не закрыта (символ 9): «Привет, {Имя»"
    assert caught.value.message("en").startswith("a { is never closed at character 9")
