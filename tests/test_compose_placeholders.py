"""Placeholder syntax: {column}, {column|default}, {{ }} escapes, Cyrillic names, HTML."""

from __future__ import annotations

import pytest

from kupon_desktop.compose import (
    Placeholder,
    TemplateSyntaxError,
    UnknownPlaceholder,
    compile_template,
    escape_literal,
    placeholder_text,
)


def test_compiles_into_literal_and_placeholder_parts() -> None:
    tpl = compile_template("Здравствуйте, {Имя|клиент}! Ваш город: {Город}.")
    assert tpl.parts == (
        "Здравствуйте, ",
        Placeholder("Имя", "клиент", 14, 26),
        "! Ваш город: ",
        Placeholder("Город", None, 39, 46),
        ".",
    )
    assert tpl.names == ["Имя", "Город"]
    assert tpl.placeholders[0].source == "{Имя|клиент}"


def test_render_one_row_with_defaults() -> None:
    tpl = compile_template("{Имя|клиент}, {name}! {Имя}")
    assert tpl.render({"Имя": "Иван", "name": "Ivan"}) == "Иван, Ivan! Иван"
    # empty, blank, None and NaN all take the default (or nothing without one)
    for empty in ("", "   ", None, float("nan")):
        assert tpl.render({"Имя": empty, "name": "x"}) == "клиент, x! "
    # values lose surrounding blanks
    assert tpl.render({"Имя": "  Пётр ", "name": "p"}) == "Пётр, p! Пётр"


def test_spaces_and_bars() -> None:
    tpl = compile_template("{ Имя | дорогой клиент }|{Код|a|b}")
    assert tpl.placeholders[0] == Placeholder("Имя", "дорогой клиент", 0, 24)
    assert tpl.placeholders[1].default == "a|b"
    assert tpl.render({"Имя": "", "Код": ""}) == "дорогой клиент|a|b"
    # an empty default is a default: the cell's emptiness is intended
    assert compile_template("{Имя|}").placeholders[0].default == ""


def test_double_braces_are_literal() -> None:
    tpl = compile_template("{{Имя}} is {Имя}; }} and {{")
    assert tpl.render({"Имя": "Иван"}) == "{Имя} is Иван; } and {"
    assert tpl.names == ["Имя"]
    assert compile_template("{{{Имя}}}").render({"Имя": "x"}) == "{x}"
    assert compile_template(escape_literal("a {b} c")).render({}) == "a {b} c"


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("Привет, {Имя", "unclosed", 8),
        ("Привет, {Имя {Город}", "unclosed", 8),
        ("a {Имя\n}", "unclosed", 2),
        ("Привет, Имя}", "unmatched_close", 11),
        ("x {} y", "empty_name", 2),
        ("x {|default} y", "empty_name", 2),
        ("x {  } y", "empty_name", 2),
    ],
)
def test_syntax_errors_say_where(text: str, kind: str, position: int) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        compile_template(text)
    assert info.value.kind == kind
    assert info.value.position == position


def test_unknown_column_in_single_row_render() -> None:
    with pytest.raises(UnknownPlaceholder) as info:
        compile_template("{Имя} {Фамилия}").render({"Имя": "a"})
    assert info.value.names == ["Фамилия"]
    assert compile_template("{Имя} {Фамилия}").unknown(["Имя"]) == ["Фамилия"]


def test_html_escapes_values_but_not_defaults_and_keeps_css_braces() -> None:
    source = (
        "<html><head><style>p { color: red; } @media (x) { a { b: c } }</style>"
        "<script>var o = {a: 1};</script></head>"
        "<body><p>Hi, {Имя|<b>друг</b>}!</p></body></html>"
    )
    tpl = compile_template(source, html=True)
    assert tpl.names == ["Имя"]
    assert tpl.render({"Имя": "Tom & <Jerry>"}).endswith(
        "<p>Hi, Tom &amp; &lt;Jerry&gt;!</p></body></html>"
    )
    assert "<p>Hi, <b>друг</b>!</p>" in tpl.render({"Имя": ""})
    assert "p { color: red; }" in tpl.render({"Имя": ""})
    # in plain text the same braces are placeholders (and here an error)
    with pytest.raises(TemplateSyntaxError):
        compile_template("p { color: red; } }")


def test_placeholder_text_for_insertion() -> None:
    assert placeholder_text("Имя") == "{Имя}"
    assert placeholder_text("Имя", "клиент") == "{Имя|клиент}"
    with pytest.raises(ValueError, match="cannot be named"):
        placeholder_text("a|b")
