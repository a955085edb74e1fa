"""Understanding a sheet: which row is the header, what the columns are called, and which
column holds the phone, the e-mail, the push token and the name.

Headers are matched in Russian and English ("Телефон", "Моб. тел.", "E-mail",
"Эл. почта", "ФИО", "Push token"...). Where no header names a role, the content decides:
a column whose values mostly are valid phones is the phone column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kupon_desktop.contacts.emails import normalize_email
from kupon_desktop.contacts.phones import normalize_phone

ROLES = ("phone", "email", "push_token", "name")
ADDRESS_ROLES = ("phone", "email", "push_token")

_PUNCT = re.compile(r"[\s_\-.,:;/\\№#()\[\]*\"']+")
_EMAIL_WORDS = {"email", "mail", "почта", "емейл", "емэйл", "имейл", "мейл", "емаил", "эмейл"}
_MOBILE_PREFIXES = ("моб", "сотов", "mobile", "cell", "смартфон")
_PHONE_PREFIXES = ("телефон", "phone", "telephone", "тлф")
_PHONE_WORDS = {"тел", "tel", "сот", "msisdn", "whatsapp", "viber", "ватсап", "вайбер"}
_NAME_WORDS = {"имя", "фио", "name", "фамилия", "получатель", "клиент"}

_PHONEISH = re.compile(r"\+?[\d\s\-().\u00a0]{7,30}")
_EMAILISH = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LETTER = re.compile(r"[^\W\d_]")


def header_role(text: str) -> tuple[str, int] | None:
    """The role a header names and how sure the match is (2: mobile phone, 1: other)."""
    t = text.casefold().replace("ё", "е").replace("e-mail", "email").replace("e mail", "email")
    words = [w for w in _PUNCT.split(t) if w]
    if not words:
        return None
    joined = " ".join(words)
    if "push" in words or any(w.startswith(("token", "токен")) for w in words):
        return "push_token", 1
    if (
        _EMAIL_WORDS & set(words)
        or "электронн" in joined
        or any(w.startswith("email") for w in words)
    ):
        return "email", 1
    if any(w.startswith(_MOBILE_PREFIXES) for w in words):
        return "phone", 2
    if _PHONE_WORDS & set(words) or any(w.startswith(_PHONE_PREFIXES) for w in words):
        return "phone", 1
    if _NAME_WORDS & set(words) or joined in ("full name", "first name", "контактное лицо"):
        return "name", 1
    return None


def looks_like_address(cell: str) -> bool:
    c = cell.strip()
    if _EMAILISH.fullmatch(c):
        return True
    return bool(_PHONEISH.fullmatch(c)) and sum(ch.isdigit() for ch in c) >= 7


def _is_blank(row: Sequence[str]) -> bool:
    return not any(c.strip() for c in row)


def detect_header(rows: Sequence[Sequence[str]]) -> int | None:
    """Index (into ``rows``) of the header row, or None when the data starts without one.

    Title rows above the header ("Список клиентов на 01.03") are passed over: above the
    first row holding a phone or an e-mail, the header is the row naming the most known
    columns (the lower one on a tie: "Телефоны клиентов" over a title, "Телефон" under
    it), else the text-only row right above that first data row.
    """
    filled = [i for i, r in enumerate(rows) if not _is_blank(r)]
    first_data = next((i for i in filled if any(looks_like_address(c) for c in rows[i])), None)
    above = [i for i in filled if first_data is None or i < first_data]
    best: tuple[int, int] | None = None
    for i in above[:30]:
        cells = [c for c in rows[i] if c.strip()]
        named = sum(header_role(c) is not None for c in cells)
        if named and (best is None or named >= best[0]):
            best = (named, i)
    if best is not None:
        # a header of two rows ("Контакты" merged above "Телефон | E-mail") whose upper
        # row names more: the lower row is the one above the data
        below = best[1] + 1
        if below in above and _is_group_row(rows[below], rows[best[1]]):
            return below
        return best[1]
    if first_data is None:
        return filled[0] if filled else None
    if not above:
        return None
    candidate = above[-1]
    cells = [c for c in rows[candidate] if c.strip()]
    data_cells = [c for c in rows[first_data] if c.strip()]
    textual = all(_LETTER.search(c) and not looks_like_address(c) for c in cells)
    if textual and len(cells) >= min(2, len(data_cells)):
        return candidate
    return None


def _textual(cells: Sequence[str]) -> bool:
    return all(_LETTER.search(c) and not looks_like_address(c) for c in cells if c.strip())


def _is_group_row(lower: Sequence[str], upper: Sequence[str]) -> bool:
    """Whether ``upper`` and ``lower`` read as one header of two rows: both text only,
    the lower naming a known column, and each filled where the other is blank somewhere
    (cells merged across, cells merged down)."""
    if _is_blank(lower) or not _textual(lower) or not _textual(upper):
        return False
    if not any(header_role(c) is not None for c in lower if c.strip()):
        return False
    width = max(len(lower), len(upper))
    low = [lower[j].strip() if j < len(lower) else "" for j in range(width)]
    up = [upper[j].strip() if j < len(upper) else "" for j in range(width)]
    return any(u and not d for u, d in zip(up, low, strict=True)) and any(
        d and not u for u, d in zip(up, low, strict=True)
    )


def header_cells(
    rows: Sequence[Sequence[str]], numbers: Sequence[int], header_number: int
) -> list[str] | None:
    """The header's cells, completed from the row right above it when the two form one
    header (``ФИО | Контакты (merged over two) | Город`` above ``| Телефон | E-mail |``
    gives ``ФИО | Телефон | E-mail | Город``): a blank cell of the lower row takes the
    name above it. None when the header is not among ``rows``."""
    if not header_number or header_number not in numbers:
        return None
    at = list(numbers).index(header_number)
    header = [str(c) for c in rows[at]]
    if at == 0 or numbers[at - 1] != header_number - 1:
        return header
    upper = rows[at - 1]
    if sum(1 for c in upper if c.strip()) < 2 or not _is_group_row(header, upper):
        return header
    width = max(len(header), len(upper))
    header += [""] * (width - len(header))
    return [cell if cell.strip() or j >= len(upper) else upper[j] for j, cell in enumerate(header)]


def excel_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": how Excel names columns."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def column_names(header: Sequence[str] | None, width: int, first_column: int = 0) -> list[str]:
    """Names from the header row; an unnamed column is called by its letter ("C"), a
    repeated name gets " (2)", " (3)"..."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for j in range(width):
        text = header[j].strip() if header is not None and j < len(header) else ""
        name = " ".join(text.split()) or excel_letter(first_column + j)
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        names.append(name)
    return names


def detect_roles(names: Sequence[str], sample: Sequence[Sequence[str]]) -> dict[str, str]:
    """role -> column name. ``sample`` holds the first data rows' values per column."""
    best: dict[str, tuple[int, int]] = {}
    for j, name in enumerate(names):
        found = header_role(name)
        if found is None:
            continue
        role, strength = found
        if role not in best or strength > best[role][0]:
            best[role] = (strength, j)
    roles = {role: names[j] for role, (_, j) in best.items()}
    used = {names[j] for _, j in best.values()}
    for role, check in (("phone", normalize_phone), ("email", normalize_email)):
        if role in roles:
            continue
        scores = []
        for j, name in enumerate(names):
            if name in used or j >= len(sample):
                continue
            values = [v for v in sample[j][:100] if v and v.strip()]
            if values:
                share = sum(check(v) is not None for v in values) / len(values)
                scores.append((share, -j, name))
        if scores:
            share, _, name = max(scores)
            if share >= 0.5:
                roles[role] = name
                used.add(name)
    return roles
