"""The stop list on a real SQLite log: entries typed in any phone shape stop the
recipient, import and export through real files, the campaign's wrong recipients added,
and an entry added while the engine sends stops the rest (a real simulator on loopback).
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from kupon_desktop.audience import (
    NotAnAddress,
    StopListChecker,
    add_address,
    apply_rules,
    export_stop_list,
    import_stop_list,
    normalize_address,
    remove_address,
    stop_failed_recipients,
    stoppable_count,
    stopped_among,
)
from kupon_desktop.compose import Draft
from kupon_desktop.contacts import import_file
from kupon_desktop.store.log import Log, open_log
from kupon_desktop.store.models import NewRecipient, NewStatusEvent, RecipientState

NOW = datetime(2030, 3, 1, 9, 30, tzinfo=UTC)

#: one number, written the ways people write it
PHONE_SHAPES = [
    "+7 916 123-45-67",
    "8 (916) 123-45-67",
    "89161234567",
    "79161234567",
    "9161234567",
    "+7(916)1234567",
    "8-916-123-45-67",
    "7 916 123 45 67",
    "89161234567.0",  # what Excel leaves in a CSV
]


@pytest.fixture
def log(tmp_path: Path) -> Iterator[Log]:
    with open_log(tmp_path / "log.sqlite3") as opened:
        yield opened


@pytest.mark.parametrize("shape", PHONE_SHAPES)
def test_entry_in_any_phone_shape_excludes_the_recipient(
    log: Log, tmp_path: Path, shape: str
) -> None:
    address, new = add_address(log, shape, note="asked by phone")
    assert (address, new) == ("79161234567", True)
    # the contact list writes the number its own way
    path = tmp_path / "list.csv"
    path.write_text(
        "Телефон;Имя\n+7 (916) 123 45 67;Иван\n8 916 765 43 21;Олег\n", encoding="utf-8"
    )
    result = import_file(path)
    plan = apply_rules(
        Draft(text="Hi {Имя}"), result.contacts, result.fields, stop_list=log, now=NOW
    )
    assert [(e.row, e.address, e.reason) for e in plan.exclusions] == [
        (2, "79161234567", "stop list")
    ]
    assert plan.excluded("79161234567") == "stop list"
    assert plan.excluded("79167654321") is None
    assert plan.estimate.messages == 1
    [problem] = [p for p in plan.problems if p.code == "excluded_stop_list"]
    assert problem.message("en").startswith("Excluded by the stop list: 1 recipient(s), rows 2")
    assert problem.message("ru").startswith("Исключено по стоп-листу: 1, строки 2")


def test_typed_entries_are_normalized_and_kept_once(log: Log) -> None:
    assert add_address(log, "8 (916) 123-45-67") == ("79161234567", True)
    assert add_address(log, "+7 916 123 45 67", note="again") == ("79161234567", False)
    assert add_address(log, " Ivan.Petrov@Mail.RU ") == ("ivan.petrov@mail.ru", True)
    entries = list(log.iter_stop_list())
    assert [(e.address, e.kind, e.source, e.note) for e in entries] == [
        ("79161234567", "phone", "typed", ""),
        ("ivan.petrov@mail.ru", "email", "typed", ""),
    ]
    assert all(e.added_at is not None and e.added_at.tzinfo is not None for e in entries)
    for bad in ("12", "not an address", "ivan@", ""):
        with pytest.raises(NotAnAddress) as info:
            normalize_address(bad)
        assert "neither a phone number nor an e-mail" in str(info.value)
        assert "не номер телефона" in info.value.message_ru
    assert remove_address(log, "8-916-123-45-67") == ("79161234567", True)
    assert remove_address(log, "8-916-123-45-67") == ("79161234567", False)
    assert log.stop_list_size() == 1


def test_email_case_and_the_rows_other_addresses(log: Log) -> None:
    """An e-mail entry stops the address in any case; a phone entry stops that person's
    e-mail message too (the row's phone is on the list)."""
    add_address(log, "olga@example.ru")
    add_address(log, "+79160000002")
    contacts = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "phone": pd.array([None, "79160000002", None], dtype="string"),
            "email": pd.array(
                ["Olga@Example.ru", "petr@example.ru", "anna@example.ru"], dtype="string"
            ),
            "push_token": pd.array([None] * 3, dtype="string"),
        }
    )
    plan = apply_rules(
        Draft(type="email", text="Hello", sender="Shop"), contacts, stop_list=log, now=NOW
    )
    assert [(e.row, e.address) for e in plan.exclusions] == [
        (2, "Olga@Example.ru"),
        (3, "petr@example.ru"),
    ]
    checker = StopListChecker(log)
    assert checker(["Olga@EXAMPLE.ru", "anna@example.ru", "79160000002"]) == {
        "Olga@EXAMPLE.ru": "stop list",
        "79160000002": "stop list",
    }
    assert checker([]) == {}


def test_compose_time_check_reads_small_lists_whole_and_asks_for_big_ones(log: Log) -> None:
    from kupon_desktop.store.models import StopEntry

    log.stop_list_add(StopEntry(f"7916{i:07d}", "phone", "import") for i in range(3000))
    few = {"79160000005", "79999999999"}
    assert stopped_among(log, few) == {"79160000005"}  # the list is longer: asked
    many = {f"7916{i:07d}" for i in range(2990, 9000)}
    assert stopped_among(log, many) == {f"7916{i:07d}" for i in range(2990, 3000)}
    assert stopped_among(None, many) == set()


def test_import_uses_the_contacts_reader_and_report(log: Log, tmp_path: Path) -> None:
    path = tmp_path / "refusals.csv"
    path.write_text(
        "Телефон;E-mail;Примечание\n"
        "8 (916) 123-45-67;;звонил, просил не писать\n"
        ";Olga@Example.RU;\n"
        "12;;опечатка\n"  # row 4: rejected, reported by row
        "+7 916 123 45 67;petr@example.ru;\n",  # the phone repeats row 2
        encoding="utf-8",
    )
    add_address(log, "petr@example.ru")
    done = import_stop_list(log, path, note="из CRM")
    assert (done.added, done.already_listed) == (2, 1)  # the repeated phone counts once
    assert [(r.row, r.field, r.value) for r in done.report.rejected] == [(4, "phone", "12")]
    entries = {e.address: e for e in log.iter_stop_list()}
    assert set(entries) == {"79161234567", "olga@example.ru", "petr@example.ru"}
    assert entries["79161234567"].note == "звонил, просил не писать"
    assert entries["79161234567"].source == "import"
    assert entries["olga@example.ru"].note == "из CRM"
    assert entries["petr@example.ru"].source == "typed"  # the first entry is kept


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_and_import_round_trip_without_formulas(
    log: Log, tmp_path: Path, suffix: str
) -> None:
    add_address(log, "+79161234567", note='=HYPERLINK("http://evil")')
    add_address(log, "olga@example.ru", note="+1 просьба клиента")
    path = tmp_path / f"stop{suffix}"
    assert export_stop_list(log, path, lang="ru") == 2
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        assert rows[0] == ["Телефон", "E-mail", "Добавлен", "Источник", "Примечание"]
        assert rows[1][0] == "79161234567" and rows[1][4].startswith("'=")
        assert rows[2][1] == "olga@example.ru" and rows[2][4].startswith("'+1")
    else:
        from openpyxl import load_workbook

        wb = load_workbook(path)
        cell = wb.active.cell(row=2, column=5)
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
        wb.close()
    before = {(e.address, e.kind, e.source) for e in log.iter_stop_list()}
    with open_log(tmp_path / "other.sqlite3") as other:
        done = import_stop_list(other, path)
        assert (done.added, done.already_listed) == (2, 0)
        after = {(e.address, e.kind, e.source) for e in other.iter_stop_list()}
        dates = {e.address: e.added_at for e in other.iter_stop_list()}
    assert after == before
    original = {e.address: e.added_at for e in log.iter_stop_list()}
    for address, when in original.items():
        assert when is not None and dates[address] is not None
        assert abs((dates[address] - when).total_seconds()) < 1  # kept, to the second


def test_export_of_no_log_is_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert export_stop_list(None, path) == 0
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["Phone;E-mail;Added;Source;Note"]


def _campaign_with_statuses(log: Log) -> str:
    cid = log.create_campaign(
        {"type": "sms"},
        "sms",
        [
            NewRecipient("79161234567"),
            NewRecipient("Ivan@Mail.ru"),
            NewRecipient("79161234569"),
            NewRecipient("push-token-1"),
            NewRecipient("79161234560"),
        ],
        name="Весна",
    )
    log.mark_in_flight(cid, range(5))
    log.mark_accepted(cid, [(k, 100 + k) for k in range(5)])
    log.append_status_events(
        [
            NewStatusEvent(100, 22, cid, 0),
            NewStatusEvent(101, 23, cid, 1),
            NewStatusEvent(102, 1, cid, 2),
            NewStatusEvent(103, 22, cid, 3),
            NewStatusEvent(104, 24, cid, 4),
        ]
    )
    log.apply_status_events()
    return cid


def test_wrong_recipients_of_a_campaign_go_to_the_stop_list(log: Log) -> None:
    cid = _campaign_with_statuses(log)
    assert stoppable_count(log, cid) == 3  # what the confirmation shows
    assert stop_failed_recipients(log, cid) == 2  # a push token cannot be listed
    entries = {e.address: e for e in log.iter_stop_list()}
    assert set(entries) == {"79161234567", "ivan@mail.ru"}
    assert entries["79161234567"].source == "status 22"
    assert entries["ivan@mail.ru"].source == "status 23"
    assert cid in entries["79161234567"].note and "Весна" in entries["79161234567"].note
    assert stop_failed_recipients(log, cid) == 0  # twice changes nothing


def test_checker_on_its_own_read_only_connection(log: Log) -> None:
    with StopListChecker.open(log.path) as checker:
        assert checker(["79161234567"]) == {}
        add_address(log, "79161234567")  # another connection adds it
        assert checker(["79161234567", "79161234568"]) == {"79161234567": "stop list"}
        assert checker.log.readonly


# -- while the engine sends --------------------------------------------------------------


def test_entry_added_while_a_campaign_runs_stops_the_rest(log: Log) -> None:
    from kupon_desktop.api.client import KuponClient
    from kupon_desktop.api.outgoing import Envelope
    from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
    from tests.simhelpers import TOKEN, inspect, running_simulator

    phones = [f"7916000000{i}" for i in range(6)]
    cid = log.create_campaign(
        {"type": "sms"}, "sms", [NewRecipient(p, text=f"Hi {i}") for i, p in enumerate(phones)]
    )
    checker = StopListChecker(log)
    calls: list[list[str]] = []

    def stop_check(addresses: list[str]) -> dict[str, str]:
        calls.append(list(addresses))
        if len(calls) == 3:
            # half-way through, the user adds the last two numbers (typed their own way)
            add_address(log, "8 (916) 000-00-04", note="asked to stop")
            add_address(log, "+7 916 000 00 05")
        return checker(addresses)

    async def run(base_url: str) -> None:
        async with KuponClient(base_url, TOKEN) as client:
            engine = CampaignEngine(
                log,
                client,
                cid,
                Envelope(type="sms", sender="Shop"),
                options=EngineOptions(batch_size=1, group_size=1, concurrency=1),
                stop_check=stop_check,
            )
            progress = await engine.run()
            assert progress.state != "paused", progress.reason

    with running_simulator() as sim:
        asyncio.run(run(sim.base_url))
        sent = inspect(sim)["sends_per_recipient"]
    assert sorted(sent) == phones[:4]
    assert len(calls) == 6  # checked before every request, the stopped ones included
    states = {r.address: (r.state, r.error) for r in log.iter_recipients(cid)}
    assert states[phones[4]] == (RecipientState.EXCLUDED, "stop list")
    assert states[phones[5]] == (RecipientState.EXCLUDED, "stop list")
    assert all(states[p][0] is RecipientState.ACCEPTED for p in phones[:4])


def test_an_entry_stored_with_capitals_still_stops(log: Log) -> None:
    """Entries written by another part (the page, an older version) may keep the case of
    an e-mail's local part; the checks find them either way."""
    from kupon_desktop.store.models import StopEntry

    log.stop_list_add([StopEntry("Ivan@mail.ru", "email", "typed")])
    # one mailbox in any letter case: both spellings are stopped
    assert StopListChecker(log)(["Ivan@mail.ru", "ivan@mail.ru", "IVAN@MAIL.RU"]) == {
        "Ivan@mail.ru": "stop list",
        "ivan@mail.ru": "stop list",
        "IVAN@MAIL.RU": "stop list",
    }
    contacts = pd.DataFrame(
        {
            "row": [2, 3],
            "phone": pd.array([None, None], dtype="string"),
            "email": pd.array(["Ivan@mail.ru", "olga@mail.ru"], dtype="string"),
            "push_token": pd.array([None, None], dtype="string"),
        }
    )
    plan = apply_rules(Draft(type="email", text="x", sender="S"), contacts, stop_list=log, now=NOW)
    assert [e.row for e in plan.exclusions] == [2]


def test_a_stop_list_file_with_two_numbers_in_a_cell_stops_both(log: Log, tmp_path: Path) -> None:
    path = tmp_path / "refused.csv"
    path.write_bytes("Телефон\r\n89161234569, 89031234560\r\n".encode("cp1251"))
    done = import_stop_list(log, path)
    assert done.added == 2
    assert sorted(e.address for e in log.iter_stop_list()) == ["79031234560", "79161234569"]
