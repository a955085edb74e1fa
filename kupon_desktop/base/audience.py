"""A list or a segment as the frames a campaign is planned from, exactly as a file's
import gives them: ``contacts`` ("row", "phone", "email", "push_token") and ``fields``
(strings, NA when empty).

Two things differ from a file, on purpose:

* ``row`` is the contact's id in the base. The campaign stores it with each recipient,
  so its membership is frozen when it is created: which contacts it went to stays in the
  log with it, whatever the list or segment becomes.
* the first field is :data:`CONSENT_COLUMN`, the consent ledger's answer for the channel
  the message goes to: the date consent was given, "нет" after a withdrawal, empty with
  no record. The audience rules read it as they read a file's consent column, so a
  contact whose consent was withdrawn a second ago is excluded from advertising.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kupon_desktop.base.ports import BaseLog, Selection
    from kupon_desktop.store.base import ContactRows

#: the ledger's consent as a column of the frames (first, so the rules detect it first)
CONSENT_COLUMN = "Согласие (база)"
WITHDRAWN = "нет"


@dataclass
class Audience:
    contacts: pd.DataFrame
    fields: pd.DataFrame
    name_column: str | None
    #: kept with the campaign as its ``_source``
    source: dict[str, Any]
    name: str


def selection_of(list_name: str | None = None, segment: str | None = None) -> Selection:
    if list_name:
        return {"list": list_name}
    if segment:
        return {"segment": segment}
    raise ValueError("a list or a segment is needed")


def audience_for(
    log: BaseLog,
    *,
    list_name: str | None = None,
    segment: str | None = None,
    channel: str = "phone",
) -> Audience:
    """The contacts of a list or a segment as they are now, for a campaign whose
    messages go to ``channel`` ("phone" or "email") as far as consent is concerned."""
    selection = selection_of(list_name, segment)
    rows = log.base_rows(selection)
    names, name_field = log.base_fields()
    contacts, fields = frames(rows, names, channel)
    kind, name = ("list", list_name) if list_name else ("segment", segment)
    source: dict[str, Any] = {kind: name, "frozen": len(contacts), "rows": "base contact ids"}
    if kind == "segment":
        source["definition"] = log.base_segment(str(segment))
    return Audience(contacts, fields, name_field, source, str(name))


def frames(
    rows: ContactRows, field_names: list[str], channel: str = "phone"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The base's rows as the importer's two frames (see the module's note)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.json as paj

    n = len(rows.ids)
    contacts = pd.DataFrame(
        {
            "row": pd.array(rows.ids, dtype="int64"),
            "phone": pd.array(rows.phones, dtype="string"),
            "email": pd.array(rows.emails, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    if n and field_names:
        schema = pa.schema([(name, pa.string()) for name in field_names])
        table = paj.read_json(
            io.BytesIO("\n".join(rows.fields).encode("utf-8")),
            parse_options=paj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="ignore"
            ),
        )
        fields = table.to_pandas(types_mapper=lambda _t: pd.StringDtype())
    else:
        fields = pd.DataFrame({name: pd.array([None] * n, dtype="string") for name in field_names})
    given = rows.consent_phone if channel == "phone" else rows.consent_email
    at = rows.consent_phone_at if channel == "phone" else rows.consent_email_at
    consent = [
        None if g is None else WITHDRAWN if not g else _day(t)
        for g, t in zip(given, at, strict=True)
    ]
    fields.insert(0, CONSENT_COLUMN, pd.array(consent, dtype="string"))
    return contacts, fields.reset_index(drop=True)


def _day(ms: int | None) -> str:
    if ms is None:
        return "да"
    return datetime.fromtimestamp(ms / 1000).strftime("%d.%m.%Y")
