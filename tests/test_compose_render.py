"""Rendering one message per recipient from contact frames of the importer's shape."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kupon_desktop.compose import (
    GSM7,
    UCS2,
    Draft,
    Rendered,
    TemplateSyntaxError,
    UnknownPlaceholder,
    render,
    render_one,
    sms_length,
    summarize,
)
from kupon_desktop.vocabulary import MessageType


def frames(
    rows: list[dict[str, object]], index: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(contacts, fields) as kupon_desktop.contacts.importer makes them."""
    contact_keys = ("row", "phone", "email", "push_token")
    contacts = pd.DataFrame(
        {
            "row": pd.Series([r["row"] for r in rows], dtype="int64"),
            **{k: pd.Series([r.get(k) for r in rows], dtype="str") for k in contact_keys[1:]},
        }
    )
    names = list(dict.fromkeys(k for r in rows for k in r if k not in contact_keys))
    fields = pd.DataFrame(
        {n: pd.Series([r.get(n) for r in rows], dtype="str") for n in names},
        index=contacts.index,
    )
    if index is not None:
        contacts.index = index
        fields.index = index
    return contacts, fields


PEOPLE = [
    {"row": 2, "phone": "79161234567", "Имя": "Иван", "Город": "Москва"},
    {"row": 3, "phone": "79161234568", "Имя": None, "Город": "Казань"},
    {"row": 4, "phone": None, "email": "olga@example.ru", "Имя": "Ольга", "Город": None},
    {"row": 5, "phone": "79161234569", "Имя": "  ", "Город": "Тверь"},
]


def test_one_message_per_addressed_recipient_with_defaults() -> None:
    contacts, fields = frames(PEOPLE)
    draft = Draft(type=MessageType.SMS, sender="Shop", text="{Имя|Клиент}, ждём вас в г. {Город}!")
    out = render(draft, contacts, fields)
    assert [(m.row, m.address, m.text) for m in out] == [
        (2, "79161234567", "Иван, ждём вас в г. Москва!"),
        (3, "79161234568", "Клиент, ждём вас в г. Казань!"),
        (5, "79161234569", "Клиент, ждём вас в г. Тверь!"),
    ]
    assert all(m.encoding == UCS2 and m.segments == 1 and m.html_text is None for m in out)
    assert out[0].characters == len("Иван, ждём вас в г. Москва!")


def test_unaddressed_rows_on_request_and_preview_of_one() -> None:
    contacts, fields = frames(PEOPLE)
    draft = Draft(text="Hi {Имя|there}")
    everyone = render(draft, contacts, fields, include_unaddressed=True)
    assert [m.row for m in everyone] == [2, 3, 4, 5]
    assert everyone[2].address is None and everyone[2].text == "Hi Ольга"
    assert render_one(draft, contacts, fields, 2) == everyone[2]
    with pytest.raises(IndexError):
        render_one(draft, contacts, fields, 4)


def test_email_goes_to_email_with_escaped_html() -> None:
    rows = [
        {"row": 2, "email": "a@example.ru", "Имя": "Tom & <Jerry>"},
        {"row": 3, "phone": "79161234567", "Имя": "Без почты"},
    ]
    contacts, fields = frames(rows)
    draft = Draft(
        type="email",
        text="Hi {Имя}",
        html_text="<style>p { margin: 0 }</style><p>Hi {Имя|friend}</p>",
    )
    (m,) = render(draft, contacts, fields)
    assert (m.row, m.address, m.text) == (2, "a@example.ru", "Hi Tom & <Jerry>")
    assert m.html_text == "<style>p { margin: 0 }</style><p>Hi Tom &amp; &lt;Jerry&gt;</p>"


@pytest.mark.parametrize(
    ("message_type", "find_token", "expected"),
    [
        ("sms", False, ["79160000002", "79160000004"]),
        ("viber", False, ["79160000002", "79160000004"]),
        ("email", False, ["c@example.ru", "d@example.ru"]),
        ("push", False, ["tok3", "tok4"]),
        ("bot", False, ["tok3", "tok4"]),
        ("push", True, ["79160000002", "c@example.ru", "79160000004"]),
        ("bulk", False, ["79160000002", "c@example.ru", "79160000004"]),
    ],
)
def test_address_by_type(message_type: str, find_token: bool, expected: list[str]) -> None:
    contacts, fields = frames(
        [
            {"row": 2, "phone": "79160000002", "email": None, "push_token": None},
            {"row": 3, "phone": None, "email": "c@example.ru", "push_token": "tok3"},
            {"row": 4, "phone": "79160000004", "email": "d@example.ru", "push_token": "tok4"},
            {"row": 5},
        ]
    )
    draft = Draft(type=message_type, sender="1042", text="x", find_token=find_token)
    assert [m.address for m in render(draft, contacts, fields)] == expected


def test_hlr_has_no_text() -> None:
    contacts, fields = frames(PEOPLE[:1])
    (m,) = render(Draft(type="hlr", text="ignored {Имя}"), contacts, fields)
    assert (m.text, m.characters, m.segments) == ("", 0, 0)


def test_contact_columns_can_be_named_and_file_columns_win() -> None:
    contacts, fields = frames([{"row": 2, "phone": "79161234567", "email": "x@example.ru"}])
    draft = Draft(text="Your number {phone}, mail {email}")
    assert render(draft, contacts, fields)[0].text == "Your number 79161234567, mail x@example.ru"
    fields["phone"] = pd.Series(["8 (916) 123-45-67"], dtype="str")
    assert render(draft, contacts, fields)[0].text.startswith("Your number 8 (916) 123-45-67")


def test_position_not_index_decides_alignment() -> None:
    contacts, fields = frames(PEOPLE[:2], index=[10, 7])
    fields = fields.set_axis([0, 1])  # a different index must not re-pair names
    out = render(Draft(text="{Имя|?}"), contacts, fields)
    assert [(m.row, m.text) for m in out] == [(2, "Иван"), (3, "?")]


def test_numeric_fields_built_by_hand() -> None:
    contacts, _ = frames([{"row": 2, "phone": "79161234567"}, {"row": 3, "phone": "79161234568"}])
    fields = pd.DataFrame({"Баллы": [120, None]})
    out = render(Draft(text="Баллы: {Баллы|0}"), contacts, fields)
    assert [m.text for m in out] == ["Баллы: 120.0", "Баллы: 0"]


def test_template_errors_raise() -> None:
    contacts, fields = frames(PEOPLE)
    with pytest.raises(UnknownPlaceholder) as info:
        render(Draft(text="{Имя} {Фамилия} {Отчество}"), contacts, fields)
    assert info.value.names == ["Фамилия", "Отчество"]
    with pytest.raises(TemplateSyntaxError):
        render(Draft(text="{Имя"), contacts, fields)


def test_summary_gives_longest_and_total_segments() -> None:
    contacts, fields = frames(
        [
            {"row": 2, "phone": "1", "Имя": "Al"},
            {"row": 3, "phone": "2", "Имя": "B" * 150},
            {"row": 4, "phone": "3", "Имя": "Цветана"},
        ]
    )
    out = render(Draft(text="Hi {Имя}, see [link]"), contacts, fields)
    assert [(m.encoding, m.segments) for m in out] == [(GSM7, 1), (GSM7, 2), (UCS2, 1)]
    summary = summarize(out)
    assert summary.messages == 3
    assert summary.total_segments == 4
    assert summary.longest is out[1]
    assert out[1].characters == len("Hi , see [link]") + 150 + 2  # [ and ] count 2 each
    assert summarize([]).longest is None


def test_empty_contact_list_renders_nothing() -> None:
    contacts, fields = frames([])
    assert render(Draft(text="{Имя|x}"), contacts, pd.DataFrame({"Имя": []})) == []
    assert render(Draft(text="static"), contacts, fields) == []


_PIECES = st.text(alphabet=st.sampled_from(list("ab €[~ЯЖ😀")), max_size=90)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.one_of(st.none(), _PIECES), min_size=1, max_size=12),
    cities=st.lists(st.one_of(st.none(), _PIECES), min_size=12, max_size=12),
    before=_PIECES,
    middle=_PIECES,
)
def test_lengths_equal_measuring_each_text(
    names: list[str | None], cities: list[str | None], before: str, middle: str
) -> None:
    """The per-value, vectorized sums give what measuring each whole text gives,
    including the exact placement of two-unit characters at part boundaries."""
    rows = [
        {"row": i + 2, "phone": f"7916{i:07d}", "Имя": n, "Город": cities[i]}
        for i, n in enumerate(names)
    ]
    contacts, fields = frames(rows)
    text = before + "{Имя|€~}" + middle + "{Город}" + before
    out = render(Draft(text=text), contacts, fields)
    assert len(out) == len(names)
    for m in out:
        expected = sms_length(m.text)
        assert (m.characters, m.encoding, m.segments) == (
            expected.characters,
            expected.encoding,
            expected.segments,
        ), m.text


def test_rendered_is_a_plain_value() -> None:
    m = Rendered(2, "79161234567", "x", None, 1, GSM7, 1)
    assert m == Rendered(2, "79161234567", "x", None, 1, GSM7, 1)
