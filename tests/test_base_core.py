"""The contact base against a real SQLite log: files merged into lists, segments over
fields and campaign outcomes, a campaign planned and created from a list or segment (its
membership frozen), retargeting, the consent ledger and its proof, hygiene, results,
and the command line. Campaign statuses come through the log's own path (accepted,
status events appended and applied), as the engine and the receiver write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kupon_desktop.audience import AudienceRules
from kupon_desktop.base import hygiene, results
from kupon_desktop.base.audience import CONSENT_COLUMN
from kupon_desktop.base.consent import consent_proof, give_consent, withdraw_consent
from kupon_desktop.base.importing import import_into_base
from kupon_desktop.base.retarget import save_group
from kupon_desktop.campaign.from_base import contact_list_from_base
from kupon_desktop.campaign.session import CampaignSession, Platform
from kupon_desktop.cli import main
from kupon_desktop.compose import Draft
from kupon_desktop.store.base import BaseNameError
from kupon_desktop.store.log import open_log
from kupon_desktop.store.models import NewStatusEvent, StopEntry
from kupon_desktop.vocabulary import MessageType

FIRST = """Имя;Телефон;Email;Город;Согласие
Иван;+7 916 123-45-67;ivan@mail.ru;Москва;да
Пётр;89161234568;;Тула;01.02.2024
Анна;;Anna@Mail.ru;Москва;
Плохой;123;;Тула;да
"""
SECOND = """Имя;Телефон;Email;Город;День рождения
Иван;79161234567;;Санкт-Петербург;15.12.1980
Анна;79161234569;anna@mail.ru;;03.07.1990
Новый;79161234570;new@mail.ru;Москва;
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def log(log_target):
    with open_log(log_target) as log_:
        yield log_


@pytest.fixture
def base(log, tmp_path: Path):
    import_into_base(log, _file(tmp_path, "a.csv", FIRST), "Клиенты")
    import_into_base(log, _file(tmp_path, "b.csv", SECOND), "Клиенты")
    return log


def _rows(log, selection) -> dict[str, dict]:
    rows = log.base_rows(selection)
    return {
        (p or e): json.loads(f)
        for p, e, f in zip(rows.phones, rows.emails, rows.fields, strict=True)
    }


def test_two_overlapping_files_one_contact_per_person_with_newer_fields(log, tmp_path):
    first = import_into_base(log, _file(tmp_path, "a.csv", FIRST), "Клиенты")
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    assert [r.row for r in first.rejected] == [5]  # "123" is no number
    assert first.consent_column == "Согласие"
    second = import_into_base(log, _file(tmp_path, "b.csv", SECOND), "Клиенты")
    assert (second.added, second.updated, second.unchanged, len(second.rejected)) == (1, 2, 0, 0)
    assert log.base_size() == 4
    rows = _rows(log, {"list": "Клиенты"})
    assert rows["79161234567"] == {
        "Имя": "Иван",
        "Город": "Санкт-Петербург",  # the newer file wins
        "День рождения": "15.12.1980",
    }
    # Анна was found by her e-mail (any case) and got the phone of the second file;
    # her empty "Город" cell kept the old value
    assert rows["79161234569"]["Город"] == "Москва"
    again = import_into_base(log, _file(tmp_path, "b.csv", SECOND), "Клиенты")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    # every change is kept with its file and date
    ivan = log.base_find("79161234567")
    [(at, kind, name, before)] = log.base_contact_history(ivan)
    assert kind == "file" and name.endswith("b.csv") and at > 0
    assert before["fields"]["Город"] == "Москва"


def test_a_row_whose_email_is_another_contacts_is_rejected_and_changes_nothing(base, tmp_path):
    clash = _file(tmp_path, "c.csv", "Телефон;Email;Город\n79161234568;ivan@mail.ru;Омск\n")
    report = import_into_base(base, clash, "Другие")
    assert (report.added, report.updated, len(report.rejected)) == (0, 0, 1)
    assert "another contact" in report.rejected[0].reason_en
    assert _rows(base, {})["79161234568"]["Город"] == "Тула"


def test_lists_delete_and_restore(base):
    assert [(x.name, x.size) for x in base.base_lists()] == [("Клиенты", 4)]
    base.base_delete_list("Клиенты")
    assert base.base_lists() == []
    with pytest.raises(BaseNameError) as err:
        base.base_count({"list": "Клиенты"})
    assert "Клиенты" in err.value.message("ru")
    base.base_restore_list("Клиенты")
    assert base.base_count({"list": "Клиенты"}) == 4


def test_segments_over_fields_dates_tags(base):
    assert base.base_count({"segment_definition": {"field": "Город", "value": "Москва"}}) == 2
    contains = {"field": "Город", "op": "contains", "value": "Петер"}
    assert base.base_count({"segment_definition": contains}) == 1
    empty = {"field": "День рождения", "op": "empty"}
    assert base.base_count({"segment_definition": empty}) == 2
    from datetime import date

    from kupon_desktop.store.base_sql import compile_selection

    birthday = {"field": "День рождения", "op": "date", "range": "this_month", "every_year": True}
    with base._read() as conn:  # "this month" in December: only Иван (15.12)
        sql = compile_selection(
            conn, {"segment_definition": birthday}, ValueError, today=date(2026, 12, 6)
        )
        ids = conn.execute(
            f"SELECT c.id FROM base_contacts AS c WHERE {sql.where}", sql.params
        ).fetchall()
    assert [i for (i,) in ids] == [base.base_find("79161234567")]
    base.base_tag("vip", {"segment_definition": {"field": "Город", "value": "Москва"}})
    assert base.base_count({"segment_definition": {"tag": "vip"}}) == 2
    with pytest.raises(BaseNameError):
        base.base_save_segment("x", {"field": "Город", "op": "looks like"})


def _send(log, campaign_id: str, statuses: dict[str, int]) -> None:
    """Every queued recipient accepted; the statuses given by address arrive."""
    rows = log.recipients_to_send(campaign_id, 1000)
    keys = [r.key for r in rows]
    log.mark_in_flight(campaign_id, keys)
    log.mark_accepted(campaign_id, [(k, 1000 + k) for k in keys])
    events = [
        NewStatusEvent(1000 + r.key, statuses[r.address], campaign_id, r.key)
        for r in rows
        if r.address in statuses
    ]
    log.append_status_events(events)
    log.apply_status_events()


def _session(log) -> CampaignSession:
    return CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t"))


def test_campaign_from_a_list_is_frozen_and_excludes_withdrawn_consent(base):
    session = _session(base)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Привет, {Имя}")
    rules = AudienceRules(consent_column=CONSENT_COLUMN)
    contacts = contact_list_from_base(base, MessageType.SMS, list_name="Клиенты")
    plan = session.plan(draft, contacts, rules)
    # consent in the ledger: Иван (file "да") and Пётр (a date); the others none
    assert plan.sendable == 2
    withdraw_consent(base, "+7 916 123-45-67")
    plan = session.plan(draft, contact_list_from_base(base, "sms", list_name="Клиенты"), rules)
    assert plan.sendable == 1 and plan.excluded_count("no consent") == 3
    give_consent(base, "79161234570", "Согласен получать рекламу по SMS")
    plan = session.plan(draft, contact_list_from_base(base, "sms", list_name="Клиенты"), rules)
    assert plan.sendable == 2
    campaign = session.create(plan, name="Весна")
    source = base.campaign_draft(campaign)["_source"]
    assert source == {"list": "Клиенты", "frozen": 4, "rows": "base contact ids"}
    # the recipients' rows are the contact ids: who it went to stays with the campaign
    stored = base.read_columns(campaign, ["row", "address", "state"])
    assert sorted(stored["row"]) == sorted(base.base_select_ids({"list": "Клиенты"}))
    base.base_remove_contacts([base.base_find("79161234570")], from_list="Клиенты")
    assert len(base.read_columns(campaign, ["row"])["row"]) == 4


def test_segment_moscow_delivered_in_the_last_campaign_not_clicked_and_retargeting(base):
    session = _session(base)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Акция")
    contacts = contact_list_from_base(base, "sms", list_name="Клиенты")
    campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
    # Иван: clicked, Анна: delivered, Новый: delivered, Пётр: not delivered
    _send(base, campaign, {"79161234567": 4, "79161234569": 1, "79161234570": 1, "79161234568": 20})
    base.base_save_segment(
        "Москва, доставлено, без перехода",
        {
            "all": [
                {"field": "Город", "value": "Москва"},
                {"outcome": "delivered", "campaign": "last"},
                {"not": {"outcome": "clicked", "campaign": "last"}},
            ]
        },
    )
    picked = base.base_rows({"segment": "Москва, доставлено, без перехода"})
    assert sorted(picked.phones) == ["79161234569", "79161234570"]
    assert base.base_count({"segment_definition": {"outcome": "undelivered", "days": 1}}) == 1
    done = save_group(base, campaign, "clicked", as_list="Кликнули")
    assert (done.contacts, done.added_to_base) == (1, 0)
    assert base.base_rows({"list": "Кликнули"}).phones == ["79161234567"]
    # and a campaign goes to that list
    again = contact_list_from_base(base, "sms", list_name="Кликнули")
    plan = session.plan(draft, again, AudienceRules(advertising=False))
    assert plan.sendable == 1


def test_retargeting_a_file_campaign_adds_its_recipients_to_the_base(log):
    from kupon_desktop.store.models import NewRecipient

    campaign = log.create_campaign(
        {"type": "viber"},
        "viber",
        [
            NewRecipient("79990000001", "t", 2, "Ира", '{"Имя": "Ира"}'),
            NewRecipient("79990000002", "t", 3, "Оля", '{"Имя": "Оля"}'),
        ],
        name="Файл",
    )
    _send(log, campaign, {"79990000001": 20, "79990000002": 1})
    done = save_group(log, "Файл", "undelivered", as_segment="Не дошло в Viber")
    assert (done.kind, done.contacts, done.added_to_base) == ("segment", 1, 1)
    assert _rows(log, {"segment": "Не дошло в Viber"}) == {"79990000001": {"Имя": "Ира"}}


def test_consent_proof_lists_every_event_and_message(base, tmp_path):
    from openpyxl import load_workbook

    session = _session(base)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="=HYPERLINK(1) скидка")
    contacts = contact_list_from_base(base, "sms", list_name="Клиенты")
    campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
    _send(base, campaign, {"79161234567": 1})
    withdraw_consent(base, "79161234567", note="ответил СТОП")
    base.stop_list_add([StopEntry("79161234567", "phone", "typed", "просил")])
    # the next advertising campaign leaves the contact out: the proof says so in Russian
    contacts = contact_list_from_base(base, "sms", list_name="Клиенты")
    session.create(session.plan(draft, contacts, AudienceRules(advertising=True)))
    out = tmp_path / "proof.xlsx"
    proof = consent_proof(base, "8 (916) 123-45-67", out, lang="ru")
    assert (proof.events, proof.messages) == (5, 2)  # 2 given, 2 withdrawn, stop list
    wb = load_workbook(out)
    assert wb.sheetnames == ["Контакт", "Согласие", "Сообщения"]
    consent = [[c.value for c in row] for row in wb["Согласие"].iter_rows(min_row=2)]
    assert [r[2] for r in consent] == [
        "дано",
        "дано",
        "отозвано",
        "отозвано",
        "отозвано (стоп-лист)",
    ]
    assert consent[0][4].endswith("a.csv") and consent[0][5] == 2 and consent[0][6] == "да"
    assert {r[1] for r in consent} == {"телефон", "e-mail"}
    message, left_out = [[c.value for c in row] for row in wb["Сообщения"].iter_rows(min_row=2)]
    assert message[3] == "=HYPERLINK(1) скидка" and message[5] == "Доставлено"
    assert left_out[5] == "исключено"
    assert wb["Сообщения"]["D2"].data_type == "s"  # text, never a formula


def test_hygiene_and_results(base, tmp_path):
    session = _session(base)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Привет")
    for codes in ({"79161234568": 22, "79161234567": 1}, {"79161234568": 20, "79161234567": 23}):
        contacts = contact_list_from_base(base, "sms", list_name="Клиенты")
        campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
        _send(base, campaign, codes)
    found = hygiene.suggest(base, last=2)
    assert [(s.address, s.statuses) for s in found] == [("79161234568", [20, 22])]
    assert hygiene.apply(base, found, "stoplist") == 1
    assert base.stopped_among(["79161234568"]) == {"79161234568"}
    [sms] = results.funnel(base, "channel")
    assert (sms.campaigns, sms.sent, sms.delivered, sms.read, sms.clicked) == (2, 8, 1, 0, 0)
    assert str(sms.cost) == "36.00"  # 8 × 4.50 (example prices)
    [by_list] = results.funnel(base, "source")
    assert by_list.key == "list: Клиенты"
    out = tmp_path / "funnel.xlsx"
    results.export_funnels(out, [("По каналам", [sms]), ("По спискам", [by_list])], "ru")
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert book["По каналам"]["D2"].value == 8
    # a Russian workbook names the groups in Russian, not by the keys inside
    assert book["По каналам"]["A2"].value == "SMS"
    assert book["По спискам"]["A2"].value == "список: Клиенты"


def test_command_line(tmp_path, capsys):
    db = str(tmp_path / "log.db")
    a, b = _file(tmp_path, "a.csv", FIRST), _file(tmp_path, "b.csv", SECOND)
    assert main(["base", "--db", db, "import", str(a), "--list", "Клиенты"]) == 0
    assert main(["base", "--db", db, "import", str(b), "--list", "Клиенты", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{") :])
    assert (report["added"], report["updated"], report["unchanged"]) == (1, 2, 0)
    assert main(["base", "--db", db, "lists", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lists"] == [
        {"name": "Клиенты", "size": 4, "deleted": False}
    ]
    assert main(["base", "--db", db, "segment", "create", "msk", "--where", "Город=Москва"]) == 0
    capsys.readouterr()
    assert main(["base", "--db", db, "segment", "count", "msk"]) == 0
    assert capsys.readouterr().out.strip() == "2"
    assert (
        main(
            [
                "--lang",
                "ru",
                "base",
                "--db",
                db,
                "segment",
                "create",
                "x",
                "--outcome",
                "clicked@nope",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err == "kupon-desktop base segment create: нет рассылки «nope»\n"
    proof = tmp_path / "p.xlsx"
    assert main(["base", "--db", db, "consent-proof", "ivan@mail.ru", "--out", str(proof)]) == 0
    assert proof.exists()
    assert main(["base", "--db", db, "consent-proof", "nobody@mail.ru", "--out", str(proof)]) == 2
    assert "not in the contact base" in capsys.readouterr().err
    assert main(["base", "--db", db, "consent", "give", "Anna@mail.ru", "--wording", "да"]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "send",
                "--db",
                db,
                "--segment",
                "msk",
                "--type",
                "email",
                "--sender",
                "a@b.ru",
                "--text",
                "Привет, {Имя}",
                "--dry-run",
                "--json",
            ]
        )
        == 0
    )
    plan = json.loads(capsys.readouterr().out)
    assert [m["address"] for m in plan["messages"]] == ["anna@mail.ru"]
    assert [e["reason"] for e in plan["excluded"]] == ["no consent"]  # Новый: none given


def test_command_line_sees_the_statuses_the_receiver_stored_since(tmp_path, capsys):
    # the receiver (another process) only stores the callbacks; nobody has applied them
    db = tmp_path / "log.db"
    log = open_log(db)
    import_into_base(log, _file(tmp_path, "a.csv", FIRST), "Клиенты")
    session = _session(log)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Привет")
    contacts = contact_list_from_base(log, "sms", list_name="Клиенты")
    campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
    rows = log.recipients_to_send(campaign, 1000)
    log.mark_in_flight(campaign, [r.key for r in rows])
    log.mark_accepted(campaign, [(r.key, 1000 + r.key) for r in rows])
    log.append_status_events([NewStatusEvent(1000 + r.key, 1, campaign, r.key) for r in rows])
    log.close()
    args = ["base", "--db", str(db), "segment", "create", "got", "--outcome", "delivered@last"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["base", "--db", str(db), "segment", "count", "got"]) == 0
    assert capsys.readouterr().out.strip() == str(len(rows))
    assert len(rows) > 0


def test_send_to_a_segment_sees_the_statuses_the_receiver_stored_since(tmp_path, capsys):
    # the segment exists before the statuses come; the receiver stores them; the next
    # dry run plans on them without anything else having applied them first
    db = tmp_path / "log.db"
    log = open_log(db)
    import_into_base(log, _file(tmp_path, "a.csv", FIRST), "Клиенты")
    log.close()
    args = ["base", "--db", str(db), "segment", "create", "got", "--outcome", "delivered@last"]
    assert main(args) == 0
    log = open_log(db)
    session = _session(log)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Привет")
    contacts = contact_list_from_base(log, "sms", list_name="Клиенты")
    campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
    rows = log.recipients_to_send(campaign, 1000)
    log.mark_in_flight(campaign, [r.key for r in rows])
    log.mark_accepted(campaign, [(r.key, 1000 + r.key) for r in rows])
    log.append_status_events([NewStatusEvent(1000 + r.key, 1, campaign, r.key) for r in rows])
    log.close()
    capsys.readouterr()
    send = ["send", "--db", str(db), "--segment", "got", "--type", "sms", "--sender", "KUPON"]
    assert main([*send, "--text", "Снова", "--service", "--dry-run", "--json"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert len(rows) > 0
    assert len(planned["messages"]) == len(rows)
