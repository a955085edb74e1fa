"""Generated contact lists for the benchmarks: what a marketer's export looks like.

Phones come in the shapes people really type (``8 (916) 123-45-67``, ``+7 916 1234567``,
``9161234567``, ``7-916-123-45-67``...), with a small share of foreign numbers, landlines,
garbage and blanks, and a few repeated contacts, so the benchmark exercises the fast path,
the library fallback and de-duplication in realistic proportions. Deterministic (seeded).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = [
    "Иван",
    "Мария",
    "Алексей",
    "Ольга",
    "Дмитрий",
    "Анна",
    "Сергей",
    "Елена",
    "Павел",
    "Наталья",
    "Андрей",
    "Татьяна",
    "Михаил",
    "Ирина",
    "Николай",
    "Светлана",
]
LAST = [
    "Иванов",
    "Петрова",
    "Смирнов",
    "Кузнецова",
    "Попов",
    "Соколова",
    "Лебедев",
    "Козлова",
    "Новиков",
    "Морозова",
    "Волков",
    "Зайцева",
]
DOMAINS = [
    "mail.ru",
    "yandex.ru",
    "gmail.com",
    "bk.ru",
    "inbox.ru",
    "list.ru",
    "rambler.ru",
    "ya.ru",
    "outlook.com",
    "icloud.com",
    "kupon.mobi",
    "example-shop.ru",
]
# Mobile ranges that libphonenumber's metadata lists as valid for Russia.
PREFIXES = ["916", "915", "903", "905", "926", "985", "977", "999", "925", "967", "912", "950"]
FOREIGN = [
    "+1 212 555 0123",
    "+44 20 7946 0958",
    "+49 30 901820",
    "+375 29 123-45-67",
    "+380 44 123 4567",
    "+998 90 123 45 67",
    "+7 727 250 0000",
]
JUNK = ["нет", "-", "123", "8 (916) 123-45", "тел. уточнить", "79161234567890", "n/a"]


def _phone(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.006:
        return rng.choice(FOREIGN)
    if roll < 0.009:
        return rng.choice(JUNK)
    if roll < 0.012:
        return ""
    p = rng.choice(PREFIXES)
    n = f"{rng.randrange(10_000_000):07d}"
    shape = rng.randrange(8)
    if shape == 0:
        return f"8 ({p}) {n[:3]}-{n[3:5]}-{n[5:]}"
    if shape == 1:
        return f"+7 {p} {n}"
    if shape == 2:
        return f"{p}{n}"
    if shape == 3:
        return f"7-{p}-{n[:3]}-{n[3:5]}-{n[5:]}"
    if shape == 4:
        return f"7{p}{n}"
    if shape == 5:
        return f"8{p}{n}"
    if shape == 6:
        return f"+7 ({p}) {n[:3]}-{n[3:5]}-{n[5:]}"
    return f"8-{p}-{n[:3]}-{n[3:]}"


def _email(rng: random.Random, i: int) -> str:
    roll = rng.random()
    if roll < 0.004:
        bad = ["ivan@", "ivan.mail.ru", "ivan@mail", "ivan@@mail.ru", "и в а н@mail.ru"]
        return rng.choice(bad)
    if roll < 0.05:
        return ""
    sep = rng.choice(["", ".", "_"])
    local = f"{rng.choice(['ivan', 'maria', 'alex', 'olga', 'd', 'anna'])}{sep}{i}"
    return f"{local}@{rng.choice(DOMAINS)}"


def contact_rows(size: int, seed: int = 5) -> list[tuple[str, str, str]]:
    """``size`` rows of (name, phone, e-mail); about 1% repeat an earlier row."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    for i in range(size):
        if rows and rng.random() < 0.01:
            rows.append(rows[rng.randrange(len(rows))])
            continue
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append((name, _phone(rng), _email(rng, i)))
    return rows


HEADER = ("Имя", "Телефон", "E-mail")


def write_csv(path: Path, size: int, *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(HEADER)
        w.writerows(contact_rows(size))
    return path


def write_xlsx(path: Path, size: int) -> Path:
    """An .xlsx as Excel users leave it: a title row, and a third of the phones stored
    as numbers rather than text."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Клиенты")
    ws.append(["Список клиентов для рассылки"])
    ws.append(list(HEADER))
    for k, (name, phone, email) in enumerate(contact_rows(size)):
        digits = "".join(ch for ch in phone if ch.isdigit())
        cell: str | int = int(digits) if k % 3 == 0 and len(digits) == 11 else phone
        ws.append([name, cell, email])
    wb.save(path)
    return path
