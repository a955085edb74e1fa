"""The steps of :func:`kupon_desktop.audience.plan.apply_rules`, one function each: the
stop list, consent, time zones, send times, and the numbers that are not mobiles.

Each works per distinct value, not per row (see ``plan``'s docstring), and returns
arrays aligned with the plan's messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kupon_desktop.audience.consent import Consent, read_consents
from kupon_desktop.audience.errors import UnknownColumn
from kupon_desktop.audience.stoplist import StopListLog, stopped_among
from kupon_desktop.audience.timezones import tzinfo_for, zones_from_phones, zones_from_values
from kupon_desktop.audience.window import SendWindow

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from numpy.typing import NDArray

#: where a recipient's zone came from (``AudiencePlan.zone_sources``)
FROM_COLUMN, FROM_NUMBER, FROM_DEFAULT = 0, 1, 2


def choose_column(
    wanted: str | None,
    fields: pd.DataFrame | None,
    detect: Callable[[Sequence[str]], str | None],
    role: str,
    taken: str | None = None,
) -> str | None:
    names = [] if fields is None else [str(c) for c in fields.columns]
    if wanted == "":
        return None
    if wanted is None:
        found = detect([n for n in names if n != taken])
        return found
    if wanted in names:
        return wanted
    for name in names:
        if name.casefold() == wanted.strip().casefold():
            return name
    raise UnknownColumn(role, wanted, names)


def strings_at(series: pd.Series | None, positions: NDArray[np.intp]) -> pa.Array:
    """A contact column's values at ``positions`` (-1: none) as an arrow string array,
    null where there is none."""
    import numpy as np
    import pyarrow as pa

    if series is None or len(positions) == 0:
        return pa.nulls(len(positions), pa.string())
    column = pa.array(series, type=pa.string(), from_pandas=True)
    missing = positions < 0
    taken = column.take(pa.array(np.where(missing, 0, positions)))
    if missing.any():
        taken = pa.array(
            np.where(missing, None, taken.to_numpy(zero_copy_only=False)), type=pa.string()
        )
    return taken


def distinct_at(
    series: pd.Series, positions: NDArray[np.intp]
) -> tuple[NDArray[np.intp], list[str]]:
    """``(codes, values)``: the column's distinct values and, per position, the code of
    its value (-1 for blank or none), so work per value is done once per distinct one."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series)
    at = np.where(positions >= 0, np.asarray(codes)[np.maximum(positions, 0)], -1)
    return at.astype(np.intp), [str(u) for u in uniques]


def stopped_mask(
    stop_list: StopListLog | None, addresses: list[str], phones: pa.Array, emails: pa.Array
) -> NDArray[np.bool_]:
    """The stop list: the address sent to, and the row's phone and e-mail too (someone
    who refused by phone has refused the e-mail campaign as well)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(addresses)
    mask = np.zeros(n, dtype=bool)
    if stop_list is None or not n:
        return mask
    sent_to = pa.array(addresses, pa.string())
    # e-mails as written and in lower case: this program stores them lower-cased, an
    # entry made elsewhere may keep the case of the part before "@"
    keyed = [sent_to, pc.utf8_lower(sent_to), phones, emails, pc.utf8_lower(emails)]
    candidates: set[str] = set()
    for k in keyed:
        candidates.update(pc.unique(k).drop_null().to_pylist())
    stopped = stopped_among(stop_list, candidates)
    if stopped:
        value_set = pa.array(sorted(stopped), pa.string())
        for k in keyed:
            hit = pc.fill_null(pc.is_in(k, value_set=value_set), False)
            mask |= hit.to_numpy(zero_copy_only=False)
    return mask


@dataclass
class Consents:
    """Consent read once per distinct value of the column (None: the list has none)."""

    column: str | None
    #: per message, a ``Consent`` value; None without a column
    values: NDArray[np.int8] | None = None
    codes: NDArray[np.intp] | None = None
    distinct: list[str] = field(default_factory=list)

    def unreadable_example(self, unreadable: NDArray[np.bool_]) -> str:
        import numpy as np

        if self.codes is None or not unreadable.any():
            return ""
        return str(self.distinct[self.codes[np.flatnonzero(unreadable)[0]]])


def read_consent_column(
    column: str | None, fields: pd.DataFrame | None, positions: NDArray[np.intp]
) -> Consents:
    import numpy as np

    if column is None:
        return Consents(None)
    assert fields is not None
    codes, distinct = distinct_at(fields[column], positions)
    per_value = [*read_consents(distinct), Consent.EMPTY]  # [-1]: blank
    return Consents(column, np.asarray(per_value, dtype=np.int8)[codes], codes, distinct)


@dataclass
class Zones:
    """Each message's zone key and where it came from; the column's values that name
    no zone (their rows and an example)."""

    keys: NDArray[np.object_]
    sources: NDArray[np.int8]
    unknown_rows: list[int] = field(default_factory=list)
    unknown_example: str = ""


def find_zones(
    column: str | None,
    fields: pd.DataFrame | None,
    positions: NDArray[np.intp],
    rows: NDArray[np.int64],
    phones: pa.Array,
    default_zone: str,
) -> Zones:
    """Time zones: the column, else the number, else the default."""
    import numpy as np
    import pyarrow as pa

    n = len(rows)
    keys = np.full(n, None, dtype=object)
    sources = np.full(n, FROM_DEFAULT, dtype=np.int8)
    zones = Zones(keys, sources)
    if column is not None and n:
        assert fields is not None
        zone_codes_at, distinct = distinct_at(fields[column], positions)
        per_key = [*zones_from_values(distinct), None]  # [-1]: blank
        found = np.asarray(per_key, dtype=object)[zone_codes_at]
        have = found != None  # noqa: E711
        keys[have] = found[have]
        sources[have] = FROM_COLUMN
        not_understood = [
            k is None and bool(v.strip()) for v, k in zip(distinct, per_key, strict=False)
        ]
        unknown = np.asarray([*not_understood, False], dtype=bool)[zone_codes_at]
        if unknown.any():
            zones.unknown_rows = rows[unknown].tolist()
            zones.unknown_example = distinct[zone_codes_at[np.flatnonzero(unknown)[0]]]
    missing = np.flatnonzero(keys == None)  # noqa: E711
    if len(missing):
        by_number = zones_from_phones(phones.take(pa.array(missing)))
        got = by_number != None  # noqa: E711
        keys[missing[got]] = by_number[got]
        sources[missing[got]] = FROM_NUMBER
        keys[missing[~got]] = default_zone
    return zones


def window_times(
    zone_keys: list[str], window: SendWindow, now: datetime, send_at: datetime | None
) -> tuple[list[datetime | None], list[bool]]:
    """Per zone: its send time, and whether the window (not the send-at) set it."""
    send_times: list[datetime | None] = []
    deferred: list[bool] = []
    for key in zone_keys:
        zone = tzinfo_for(key)
        send_times.append(window.send_time(zone, now=now, send_at=send_at))
        start = send_at if send_at is not None and send_at > now else now
        deferred.append(window.opening_after(start, zone) is not None)
    return send_times, deferred
