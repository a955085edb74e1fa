"""One rendered message per recipient: address, text, HTML, and the SMS length.

The templates are compiled once into literal and placeholder parts; each placeholder's
column is factorized once (see ``personalize.py``); a row's text is then one
``"".join`` over its parts, and its length a sum of per-value measures done in numpy.
Only a long message that holds a two-unit character (``€`` in GSM-7, an emoji in UCS-2)
is walked part by part, to place that character exactly at part boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING

from kupon_desktop.compose.draft import Draft
from kupon_desktop.compose.errors import UnknownPlaceholder
from kupon_desktop.compose.gcpause import gc_paused
from kupon_desktop.compose.personalize import Personalizer
from kupon_desktop.compose.placeholders import CompiledTemplate, Placeholder, compile_template
from kupon_desktop.compose.rules import DraftField, rules_for
from kupon_desktop.compose.sms import GSM7, LIMITS, UCS2, Measure, measure, segment_count
from kupon_desktop.lazy import on_first_use

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray
else:  # imported on first use: the window imports compose at start-up
    np = on_first_use("numpy", "np", globals())


@dataclass(slots=True)
class Rendered:
    """One recipient's message. A value: nothing in the program changes one after it is
    made. (Not ``frozen``: a frozen dataclass sets each field through
    ``object.__setattr__``, which makes a million of them take 1.8 s instead of 0.2 s.)"""

    row: int  # row number in the contact file
    address: str | None  # None only when rendering contacts without the needed address
    text: str
    html_text: str | None  # None for a type that sends no HTML, or an empty HTML text
    characters: int  # septets (GSM-7) or UTF-16 units (UCS-2): what the limits count
    encoding: str  # "GSM-7" | "UCS-2"
    segments: int


@dataclass(frozen=True, slots=True)
class RenderSummary:
    messages: int
    total_segments: int
    longest: Rendered | None  # the most characters; the first such row on a tie


def templates_for(draft: Draft) -> tuple[CompiledTemplate, CompiledTemplate | None]:
    """The draft's text and HTML compiled (raises TemplateSyntaxError). A field the
    type does not send compiles to nothing."""
    rules = rules_for(draft.type)
    text = compile_template(draft.text) if rules.enabled(DraftField.TEXT) else CompiledTemplate(())
    html = None
    if rules.enabled(DraftField.HTML_TEXT) and draft.html_text:
        html = compile_template(draft.html_text, html=True)
    return text, html


def render(
    draft: Draft,
    contacts: pd.DataFrame,
    fields: pd.DataFrame | None = None,
    *,
    include_unaddressed: bool = False,
) -> list[Rendered]:
    """Every message the draft makes, in file order. Contacts without the address the
    type needs are left out (``check`` lists them) unless ``include_unaddressed``.

    Raises :class:`TemplateSyntaxError` or :class:`UnknownPlaceholder` for a template
    that cannot be rendered; ``check`` reports those as problems first.
    """
    renderer = _Renderer(draft, Personalizer(contacts, fields))
    return renderer.render(addressed_only=not include_unaddressed)


def render_one(
    draft: Draft, contacts: pd.DataFrame, fields: pd.DataFrame | None, position: int
) -> Rendered:
    """The message for the contact at ``position`` (0-based, in frame order), whether or
    not it has an address: the page's preview, stepping through recipients."""
    if not 0 <= position < len(contacts):
        raise IndexError(f"no contact at position {position} of {len(contacts)}")
    one_contacts = contacts.iloc[[position]]
    one_fields = None if fields is None else fields.iloc[[position]]
    return _Renderer(draft, Personalizer(one_contacts, one_fields)).render(addressed_only=False)[0]


def summarize(messages: Sequence[Rendered]) -> RenderSummary:
    longest: Rendered | None = None
    total = 0
    for m in messages:
        total += m.segments
        if longest is None or m.characters > longest.characters:
            longest = m
    return RenderSummary(len(messages), total, longest)


class _Renderer:
    def __init__(self, draft: Draft, pers: Personalizer) -> None:
        self.draft = draft
        self.pers = pers
        self.text_tpl, self.html_tpl = templates_for(draft)
        columns = pers.column_names
        unknown = self.text_tpl.unknown(columns)
        if self.html_tpl is not None:
            unknown += [n for n in self.html_tpl.unknown(columns) if n not in unknown]
        if unknown:
            raise UnknownPlaceholder(unknown)
        rules = rules_for(draft.type)
        self.addresses = pers.addresses(rules.address_for(draft.find_token))

    def render(self, *, addressed_only: bool) -> list[Rendered]:
        if addressed_only:
            positions = np.flatnonzero(self.addresses != None)  # noqa: E711 - elementwise
        else:
            positions = np.arange(self.pers.n)
        texts = _join(self.text_tpl, self.pers, positions)
        m = len(positions)
        htmls: Iterable[str | None] = (
            repeat(None, m) if self.html_tpl is None else _join(self.html_tpl, self.pers, positions)
        )
        gsm, characters, segments = _lengths(self.text_tpl, self.pers, positions)
        encodings = [GSM7 if g else UCS2 for g in gsm.tolist()]
        with gc_paused():
            return list(
                map(
                    Rendered,
                    self.pers.rows[positions].tolist(),
                    self.addresses[positions].tolist(),
                    texts,
                    htmls,
                    characters.tolist(),
                    encodings,
                    segments.tolist(),
                )
            )


def _join(tpl: CompiledTemplate, pers: Personalizer, positions: NDArray[np.intp]) -> list[str]:
    m = len(positions)
    if not tpl.placeholders:
        return ["".join(tpl.parts)] * m  # type: ignore[arg-type]
    columns: list[object] = []
    for part in tpl.parts:
        if isinstance(part, str):
            columns.append(repeat(part, m))
        else:
            codes, _ = pers.column(part.name)
            values = np.asarray(pers.part_values(part, html_escape=tpl.html), dtype=object)
            columns.append(values[codes[positions]].tolist())
    return list(map("".join, zip(*columns, strict=True)))


def _lengths(
    tpl: CompiledTemplate, pers: Personalizer, positions: NDArray[np.intp]
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """(is GSM-7, characters, segments) per row."""
    m = len(positions)
    gsm = np.ones(m, dtype=bool)
    septets = np.zeros(m, dtype=np.int64)
    units = np.zeros(m, dtype=np.int64)
    ext = np.zeros(m, dtype=np.int64)  # rows with any two-septet character
    pairs = np.zeros(m, dtype=np.int64)  # rows with any surrogate pair
    # per part: a measure for literals, or (measures of distinct values, codes per row)
    plan: list[Measure | tuple[list[Measure], NDArray[np.intp]]] = []
    for part in tpl.parts:
        if isinstance(part, str):
            lit = measure(part)
            plan.append(lit)
            gsm &= lit.gsm
            septets += lit.septets
            units += lit.units
            ext += len(lit.ext_offsets)
            pairs += len(lit.pair_offsets)
            continue
        assert isinstance(part, Placeholder)
        measures = pers.part_measures(part)
        codes = pers.column(part.name)[0][positions]
        plan.append((measures, codes))
        gsm &= np.array([x.gsm for x in measures], dtype=bool)[codes]
        septets += np.array([x.septets for x in measures], dtype=np.int64)[codes]
        units += np.array([x.units for x in measures], dtype=np.int64)[codes]
        ext += np.array([len(x.ext_offsets) for x in measures], dtype=np.int64)[codes]
        pairs += np.array([len(x.pair_offsets) for x in measures], dtype=np.int64)[codes]

    characters = np.where(gsm, septets, units)
    single = np.where(gsm, LIMITS[GSM7][0], LIMITS[UCS2][0])
    per_part = np.where(gsm, LIMITS[GSM7][1], LIMITS[UCS2][1])
    parts_needed = -(-characters // per_part)
    segments = np.where(characters == 0, 0, np.where(characters <= single, 1, parts_needed))
    exact = np.flatnonzero((characters > single) & np.where(gsm, ext > 0, pairs > 0))
    for i in exact.tolist():
        is_gsm = bool(gsm[i])
        offsets: list[int] = []
        base = 0
        for step in plan:
            piece = step if isinstance(step, Measure) else step[0][step[1][i]]
            doubles = piece.ext_offsets if is_gsm else piece.pair_offsets
            offsets.extend(base + d for d in doubles)
            base += piece.septets if is_gsm else piece.units
        segments[i] = segment_count(int(characters[i]), offsets, GSM7 if is_gsm else UCS2)
    return gsm, characters, segments
