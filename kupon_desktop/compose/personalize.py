"""The contact table as the templates see it: each recipient's address, and each
column's values cleaned, de-duplicated and measured once.

Contacts arrive as two frames in the same row order (``kupon_desktop.contacts``):
``contacts`` with ``row`` (the file's row number), ``phone``, ``email``, ``push_token``,
and ``fields`` with the other columns by header name. Everything here works on
positions (0..n-1), never on the frames' index, so a filtered or re-indexed frame
cannot misalign a name with someone else's phone.

A column is factorized (``pandas.factorize``) into codes and distinct values; work per
value (defaults, HTML escaping, SMS measuring, charset checks) is then done once per
distinct value and spread to the rows by indexing with the codes, which is what makes
a million rows cheap.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from kupon_desktop.compose.placeholders import Placeholder
from kupon_desktop.compose.problems import Bilingual
from kupon_desktop.compose.sms import Measure, measure
from kupon_desktop.lazy import on_first_use
from kupon_desktop.vocabulary import Address

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray
else:  # imported on first use: the window imports compose at start-up
    np = on_first_use("numpy", "np", globals())
    pd = on_first_use("pandas", "pd", globals())

#: the contact columns a template may also name, when ``fields`` has no such column
CONTACT_COLUMNS = ("phone", "email", "push_token")

#: what an address is called in a problem (Russian in the genitive: "нет номера")
ADDRESS_WORDS: dict[Address, Bilingual] = {
    Address.PHONE: Bilingual("phone number", "номера телефона"),
    Address.EMAIL: Bilingual("e-mail address", "адреса e-mail"),
    Address.PUSH_TOKEN: Bilingual("push token", "push-токена"),
    Address.PHONE_OR_EMAIL: Bilingual(
        "phone number or e-mail address", "ни номера телефона, ни адреса e-mail"
    ),
}

#: the same in the Russian nominative/accusative ("повторяет номер телефона")
ADDRESS_WORDS_PLAIN: dict[Address, Bilingual] = {
    Address.PHONE: Bilingual("phone number", "номер телефона"),
    Address.EMAIL: Bilingual("e-mail address", "адрес e-mail"),
    Address.PUSH_TOKEN: Bilingual("push token", "push-токен"),
    Address.PHONE_OR_EMAIL: Bilingual(
        "phone number or e-mail address", "номер телефона или адрес e-mail"
    ),
}


def address_column(address: Address) -> str:
    """The contact column a problem about ``address`` points at."""
    return "phone" if address is Address.PHONE_OR_EMAIL else address.value


def clean_column(series: pd.Series) -> pd.Series:
    """Strings with surrounding blanks dropped; a missing cell becomes ""."""
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        # the importer gives strings; a frame built by hand may hold numbers
        series = series.astype(object).where(series.notna(), "").astype(str)
    return series.fillna("").astype(str).str.strip()


class Personalizer:
    def __init__(self, contacts: pd.DataFrame, fields: pd.DataFrame | None = None) -> None:
        if fields is None or len(fields.columns) == 0:
            fields = pd.DataFrame(index=contacts.index)
        if len(fields) != len(contacts):
            raise ValueError(
                f"contacts has {len(contacts)} rows but fields has {len(fields)}; "
                "they must be the same rows in the same order"
            )
        self.contacts = contacts
        self.fields = fields
        self.n = len(contacts)
        if "row" in contacts.columns:
            self.rows: NDArray[np.int64] = contacts["row"].to_numpy(dtype=np.int64)
        else:  # a frame built by hand: number rows as a spreadsheet would, after a header
            self.rows = np.arange(2, self.n + 2, dtype=np.int64)
        self._columns: dict[str, tuple[NDArray[np.intp], list[str]]] = {}
        self._parts: dict[tuple[str, str | None, bool], list[str]] = {}
        self._measures: dict[tuple[str, str | None], list[Measure]] = {}

    # -- columns ---------------------------------------------------------------------

    @property
    def column_names(self) -> list[str]:
        """Everything a placeholder may name: the file's own columns, then the contact
        columns the file's columns do not shadow."""
        names = [str(c) for c in self.fields.columns]
        names += [c for c in CONTACT_COLUMNS if c in self.contacts.columns and c not in names]
        return names

    def _series(self, name: str) -> pd.Series:
        if name in self.fields.columns:
            return self.fields[name]
        if name in CONTACT_COLUMNS and name in self.contacts.columns:
            return self.contacts[name]
        raise KeyError(name)

    def column(self, name: str) -> tuple[NDArray[np.intp], list[str]]:
        """(codes per row, distinct cleaned values) of a column."""
        cached = self._columns.get(name)
        if cached is None:
            values = clean_column(self._series(name))
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            cached = (np.asarray(codes, dtype=np.intp), [str(u) for u in uniques])
            self._columns[name] = cached
        return cached

    def part_values(self, ph: Placeholder, *, html_escape: bool) -> list[str]:
        """The distinct texts a placeholder turns into, aligned with the column's codes:
        empty cells take the default, HTML gets its values escaped (not the default,
        which the user wrote as HTML)."""
        key = (ph.name, ph.default, html_escape)
        cached = self._parts.get(key)
        if cached is None:
            default = ph.default or ""
            _, uniques = self.column(ph.name)
            if html_escape:
                cached = [html.escape(u) if u else default for u in uniques]
            else:
                cached = [u if u else default for u in uniques]
            self._parts[key] = cached
        return cached

    def part_measures(self, ph: Placeholder) -> list[Measure]:
        key = (ph.name, ph.default)
        cached = self._measures.get(key)
        if cached is None:
            cached = [measure(v) for v in self.part_values(ph, html_escape=False)]
            self._measures[key] = cached
        return cached

    # -- addresses -------------------------------------------------------------------

    def addresses(self, address: Address) -> NDArray[np.object_]:
        """Each contact's address for ``address``, None where the contact has none.
        Phone or e-mail takes the phone when there is one."""
        if address is Address.PHONE_OR_EMAIL:
            phone = self._address_column("phone")
            email = self._address_column("email")
            return np.where(phone != None, phone, email)  # noqa: E711 - elementwise
        return self._address_column(address.value)

    def _address_column(self, name: str) -> NDArray[np.object_]:
        if name not in self.contacts.columns:
            return np.full(self.n, None, dtype=object)
        values: NDArray[np.object_] = clean_column(self.contacts[name]).to_numpy(dtype=object)
        values[values == ""] = None
        return values
