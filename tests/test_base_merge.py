"""The merge of rows into the contact base (``Log.base_merge``) against a real SQLite log:
what a marketer relies on when a file comes in again, changed: new contacts numbered in
file order after the known ones, conflicts named per row and changing nothing, an
address a contact lacked filled in, the contact as it was kept once per import, and the
fields built from columns exactly as from JSON (any number of columns, any name)."""

from __future__ import annotations

import json

import pytest

from kupon_desktop.store.base import Incoming, SourceRef
from kupon_desktop.store.log import open_log


@pytest.fixture
def log(log_target):
    with open_log(log_target) as log_:
        yield log_


def _merge(log, rows, names=("Имя", "Город"), list_name="Все", source="a.csv"):
    """rows: (phone, email, {field: value}) ; file rows numbered from 2."""
    return log.base_merge(
        list_name,
        Incoming(
            rows=list(range(2, len(rows) + 2)),
            phones=[p for p, _, _ in rows],
            emails=[e for _, e, _ in rows],
            field_names=list(names),
            columns=[[f.get(n) for _, _, f in rows] for n in names],
        ),
        SourceRef("file", source),
    )


def _contact(log, address):
    cid = log.base_find(address)
    got = log.base_rows({}, ids=[cid])
    return cid, got.phones[0], got.emails[0], json.loads(got.fields[0])


def test_new_contacts_numbered_in_file_order_after_the_known_ones(log):
    first = _merge(log, [("79160000001", None, {"Имя": "А"}), ("79160000002", None, {})])
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    second = _merge(
        log,
        [
            ("79160000009", None, {"Имя": "Новый 1"}),
            ("79160000001", None, {"Имя": "А"}),  # known, the same
            ("79160000008", None, {"Имя": "Новый 2"}),
            ("79160000002", None, {"Город": "Тула"}),  # known, changed
        ],
        source="b.csv",
    )
    assert (second.added, second.updated, second.unchanged) == (2, 1, 1)
    ids = [log.base_find(p) for p in ("79160000001", "79160000002", "79160000009", "79160000008")]
    assert ids == [1, 2, 3, 4]
    assert log.base_select_ids({"list": "Все"}) == [1, 2, 3, 4]


def test_conflicts_are_named_per_row_and_change_nothing(log):
    _merge(
        log,
        [
            ("79160000001", "a@mail.ru", {"Имя": "А"}),
            ("79160000002", None, {"Имя": "Б"}),
            (None, "c@mail.ru", {"Имя": "В"}),
        ],
    )
    report = _merge(
        log,
        [
            ("79160000002", "a@mail.ru", {"Имя": "x"}),  # row 2: the e-mail is А's
            ("79169999999", "a@mail.ru", {"Имя": "x"}),  # row 3: А's e-mail, another phone
            ("79160000003", "c@mail.ru", {"Имя": "В2"}),  # row 4: В gets a phone
            (None, "c@mail.ru", {"Имя": "x"}),  # row 5: В again, by e-mail
            (None, None, {"Имя": "x"}),  # row 6: no address
        ],
        list_name="Новые",
        source="b.csv",
    )
    assert sorted(report.conflicts) == [
        (2, "email_taken"),
        (3, "phone_differs"),
        (5, "same_contact"),
        (6, "no_address"),
    ]
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    assert _contact(log, "79160000002")[3] == {"Имя": "Б"}
    assert _contact(log, "a@mail.ru")[1:] == ("79160000001", "a@mail.ru", {"Имя": "А"})
    assert _contact(log, "c@mail.ru")[1:] == ("79160000003", "c@mail.ru", {"Имя": "В2"})
    assert log.base_size() == 3
    assert log.base_count({"list": "Новые"}) == 1


def test_an_address_added_and_the_fields_changed_keep_one_history_row(log):
    _merge(log, [("79160000001", None, {"Имя": "А", "Город": "Тула"})])
    report = _merge(log, [("79160000001", "new@mail.ru", {"Город": "Омск"})], source="b.csv")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    cid, phone, email, fields = _contact(log, "new@mail.ru")
    assert (phone, email, fields) == ("79160000001", "new@mail.ru", {"Имя": "А", "Город": "Омск"})
    [(_at, kind, name, before)] = log.base_contact_history(cid)
    assert (kind, name) == ("file", "b.csv")
    fields_before = {"Имя": "А", "Город": "Тула"}
    assert before == {"phone": "79160000001", "email": None, "fields": fields_before}
    again = _merge(log, [("79160000001", "new@mail.ru", {"Город": "Омск"})], source="c.csv")
    assert (again.updated, again.unchanged) == (0, 1)
    assert len(log.base_contact_history(cid)) == 1


def test_fields_from_columns_equal_fields_from_json_for_many_and_odd_names(log):
    names = [f"Поле {k}" for k in range(130)] + ['It\'s "quoted"', "a.b", "$x"]
    values = {n: (None if k % 7 == 0 else f"значение {k} «{n}»") for k, n in enumerate(names)}
    _merge(log, [("79160000001", None, values)], names=names)
    as_json = json.dumps(values, ensure_ascii=False)
    log.base_merge(
        None,
        Incoming(rows=[2], phones=["79160000002"], emails=[None], fields=[as_json]),
        SourceRef("file", "j.csv"),
    )
    expected = {n: v for n, v in values.items() if v is not None}
    assert _contact(log, "79160000001")[3] == expected
    assert _contact(log, "79160000002")[3] == expected
    quoted = {"field": 'It\'s "quoted"', "value": values['It\'s "quoted"']}
    assert log.base_count({"segment_definition": quoted}) == 2


def test_campaign_outcomes_match_phones_or_emails_by_the_campaigns_type(log):
    from kupon_desktop.store.models import NewRecipient, NewStatusEvent

    _merge(
        log,
        [
            ("79160000001", "anna@mail.ru", {"Имя": "Анна"}),
            ("79160000002", "petr@mail.ru", {"Имя": "Пётр"}),
            (None, "olga@mail.ru", {"Имя": "Ольга"}),
        ],
    )

    def sent(kind, addresses, delivered):
        cid = log.create_campaign(
            {"type": kind},
            kind,
            [NewRecipient(a, "t", k, None, None) for k, a in enumerate(addresses)],
            name=kind,
        )
        keys = list(range(len(addresses)))
        log.mark_in_flight(cid, keys)
        log.mark_accepted(cid, [(k, 100 * len(kind) + k) for k in keys])
        log.append_status_events(
            NewStatusEvent(100 * len(kind) + k, 1, cid, k) for k in keys if k in delivered
        )
        log.apply_status_events()

    def found(outcome):
        rows = log.base_rows({"segment_definition": outcome})
        return sorted(p or e for p, e in zip(rows.phones, rows.emails, strict=True))

    sent("email", ["Anna@Mail.ru", "olga@mail.ru", "petr@mail.ru"], delivered={0, 1})
    assert found({"outcome": "delivered", "campaign": "email"}) == ["79160000001", "olga@mail.ru"]
    sent("sms", ["79160000002", "79160000001"], delivered={0})
    assert found({"outcome": "delivered", "campaign": "last"}) == ["79160000002"]
    assert found({"outcome": "sent", "days": 1}) == [
        "79160000001",
        "79160000002",
        "olga@mail.ru",
    ]
    assert found({"outcome": "delivered", "days": 1}) == [
        "79160000001",
        "79160000002",
        "olga@mail.ru",
    ]


def test_not_in_a_campaigns_group_includes_contacts_without_that_address(log):
    from kupon_desktop.store.models import NewRecipient, NewStatusEvent

    _merge(log, [("79160000001", None, {}), (None, "olga@mail.ru", {}), ("79160000002", None, {})])
    for kind, address in (("sms", "79160000001"), ("viber", "79160000002")):
        cid = log.create_campaign({"type": kind}, kind, [NewRecipient(address, "t", 0, None, None)])
        log.mark_in_flight(cid, [0])
        log.mark_accepted(cid, [(0, 10 + len(kind))])
        log.append_status_events([NewStatusEvent(10 + len(kind), 4, cid, 0)])
        log.apply_status_events()
    rows = log.base_rows({"segment_definition": {"not": {"outcome": "clicked", "days": 1}}})
    assert rows.emails == ["olga@mail.ru"]
    sms_only = {"not": {"outcome": "clicked", "days": 1, "channel": "sms"}}
    rows = log.base_rows({"segment_definition": sms_only})
    assert sorted(p or e for p, e in zip(rows.phones, rows.emails, strict=True)) == [
        "79160000002",
        "olga@mail.ru",
    ]


def test_nothing_of_the_file_is_left_beside_the_log(log, tmp_path):
    """The rows are staged in a scratch file beside the log (SQLite): it goes when the
    merge ends, and when it fails."""
    folder = tmp_path if log.dialect == "sqlite" else None
    before = set(folder.iterdir()) if folder else set()
    _merge(log, [("79160000001", "a@x.ru", {"Имя": "А"})])
    with pytest.raises(ValueError, match="one column per name"):
        log.base_merge(
            "Все",
            Incoming(
                rows=[2], phones=["79160000003"], emails=[None], field_names=["Имя"], columns=[]
            ),
            SourceRef("file", "bad.csv"),
        )
    if folder:
        assert set(folder.iterdir()) == before
    assert log.base_size() == 1


def test_a_scratch_file_a_killed_import_left_goes_at_the_next_import(log, tmp_path):
    """A scratch file holds a file's contacts: one a killed import left (hours old) is
    removed by the next import; one of an import running now is not touched."""
    import os
    import time

    if log.dialect != "sqlite":
        pytest.skip("PostgreSQL stages in a temporary table")
    left = tmp_path / ".base-stage-4242-0123abcd.db"
    running = tmp_path / ".base-stage-4243-4567ef01.db"
    left.write_bytes(b"contacts")
    running.write_bytes(b"contacts")
    day_ago = time.time() - 24 * 3600
    os.utime(left, (day_ago, day_ago))
    _merge(log, [("79160000001", "a@x.ru", {"Имя": "А"})])
    assert not left.exists() and running.exists()


def test_a_load_larger_than_the_base_keeps_both_addresses_unique(log):
    """Above 50,000 new contacts the keys are indexed afresh after the rows go in: a
    second file still finds every contact by phone and by e-mail."""
    n = 50_000
    rows = [(f"7916{k:07d}", f"u{k}@x.ru", {"Имя": f"Имя {k}"}) for k in range(n)]
    assert _merge(log, rows).added == n
    again = _merge(
        log,
        [("79160000007", None, {"Город": "Тула"}), (None, "u49999@x.ru", {"Город": "Орёл"})],
        source="b.csv",
    )
    assert (again.added, again.updated) == (0, 2)
    assert _contact(log, "u7@x.ru")[3] == {"Имя": "Имя 7", "Город": "Тула"}
    assert _contact(log, "79160049999")[3] == {"Имя": "Имя 49999", "Город": "Орёл"}
    clash = _merge(log, [("79160000001", "u2@x.ru", {})], source="c.csv")
    assert clash.conflicts == [(2, "email_taken")]


def test_a_field_condition_finds_values_however_their_json_was_written(log):
    """A segment searches the fields' text before it parses them; a contact whose JSON
    came from another program (escaped letters) or whose value has quotes is found all
    the same."""
    # the value's letters escaped, as another program may write them (SQLite finds a
    # key only as written: the names are plain)
    escaped = (
        '{"Город": "\\u041c\\u043e\\u0441\\u043a\\u0432\\u0430", "Фирма": "ООО \\"Ромашка\\""}'
    )
    assert json.loads(escaped) == {"Город": "Москва", "Фирма": 'ООО "Ромашка"'}
    log.base_merge(
        "Все",
        Incoming(rows=[2], phones=["79160000001"], emails=[None], fields=[escaped]),
        SourceRef("file", "other.json"),
    )
    _merge(
        log,
        [("79160000002", None, {"Город": "Москва"}), ("79160000003", None, {})],
        names=("Город",),
    )
    _merge(log, [("79160000004", None, {"Фирма": 'ООО "Ромашка"'})], names=("Фирма",))

    def count(condition):
        return log.base_count({"segment_definition": condition})

    assert count({"field": "Город", "value": "Москва"}) == 2
    assert count({"field": "Город", "op": "contains", "value": "оскв"}) == 2
    assert count({"field": "Город", "op": "not_equals", "value": "Москва"}) == 2
    assert count({"field": "Фирма", "value": 'ООО "Ромашка"'}) == 2
    assert count({"all": [{"field": "Город", "value": "Москва"}, {"list": "Все"}]}) == 2


def test_a_merge_failing_late_leaves_the_base_as_it_was(log, tmp_path, monkeypatch):
    """One transaction: a failure after the rows were looked up, classified and the known
    contacts rewritten (the scratch file's rows are written without a journal) leaves
    the contacts, their history and the list as before; the next merge works."""
    from kupon_desktop.store.base import BaseMixin

    _merge(log, [("79160000001", "a@x.ru", {"Имя": "А"}), ("79160000002", None, {})])
    cid = log.base_find("79160000001")
    rewrite = BaseMixin._update_known

    def rewrite_then_fail(*args, **kwargs):
        rewrite(*args, **kwargs)
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(BaseMixin, "_update_known", staticmethod(rewrite_then_fail))
    with pytest.raises(RuntimeError, match="the disk went away"):
        _merge(
            log,
            [("79160000001", None, {"Имя": "Б"}), ("79160000003", None, {})],
            list_name="Новый",
            source="b.csv",
        )
    monkeypatch.undo()
    assert log.base_size() == 2
    assert _contact(log, "79160000001")[3] == {"Имя": "А"}
    assert log.base_contact_history(cid) == []
    assert [info.name for info in log.base_lists()] == ["Все"]
    if log.dialect == "sqlite":
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".base-stage")]
    again = _merge(log, [("79160000001", None, {"Имя": "Б"})], source="c.csv")
    assert (again.added, again.updated) == (0, 1)
    assert _contact(log, "79160000001")[3] == {"Имя": "Б"}


def test_a_row_without_an_address_into_an_empty_base_is_refused(log):
    """Into an empty base nothing is looked up; a row with neither a phone nor an e-mail
    is still refused by name, the others added."""
    got = _merge(log, [("79160000001", None, {"Имя": "А"}), (None, None, {"Имя": "Б"})])
    assert (got.added, got.updated, got.unchanged) == (1, 0, 0)
    assert got.conflicts == [(3, "no_address")]
    assert log.base_select_ids({"list": "Все"}) == [1]


def test_an_address_new_to_the_base_in_two_rows_makes_one_contact(log):
    """Two rows of one file bringing the same new e-mail (a family's two phones) or the
    same new phone: the first row makes the contact, the later ones are refused by name
    (before, the unique key failed the whole import)."""
    got = _merge(
        log,
        [
            ("79160000001", "family@x.ru", {"Имя": "Мать"}),
            ("79160000002", "family@x.ru", {"Имя": "Отец"}),
            (None, "family@x.ru", {"Имя": "Сын"}),
            ("79160000003", None, {"Имя": "А"}),
            ("79160000003", "a@x.ru", {"Имя": "Б"}),
            ("79160000004", "b@x.ru", {"Имя": "В"}),
        ],
    )
    assert (got.added, got.updated, got.unchanged) == (3, 0, 0)
    assert got.conflicts == [(3, "email_taken"), (4, "same_contact"), (6, "same_contact")]
    assert _contact(log, "family@x.ru")[1:] == ("79160000001", "family@x.ru", {"Имя": "Мать"})
    assert log.base_find("79160000002") is None
    assert _contact(log, "79160000003")[2:] == (None, {"Имя": "А"})
    # the same file again: the contacts are known now, the same rows refused
    again = _merge(log, [("79160000002", "family@x.ru", {}), ("79160000004", "b@x.ru", {})])
    assert (again.added, again.conflicts) == (0, [(2, "phone_differs")])


def test_an_imported_file_with_a_shared_email_reports_the_later_row(log, tmp_path):
    """Through the importer (which names the repeated addresses itself)."""
    from kupon_desktop.base.importing import import_into_base

    path = tmp_path / "family.csv"
    path.write_text(
        "Имя,Телефон,E-mail\nМать,+7 916 000-00-01,Family@x.ru\n"
        "Отец,+7 916 000-00-02,family@X.ru\nДочь,,FAMILY@x.ru\n",
        encoding="utf-8",
    )
    report = import_into_base(log, path, "Семья")
    assert (report.added, report.updated) == (1, 0)
    assert [(r.row, r.reason_en) for r in report.rejected] == [
        (3, "the e-mail belongs to another contact than the phone"),
        (4, "another row of the file is the same contact"),
    ]
    assert log.base_select_ids({"list": "Семья"}) == [log.base_find("79160000001")]


@pytest.mark.parametrize(
    "names",
    [("Имя",), ("Имя", "Город", "a.b"), ("Имя", "back\\slash", 'quo"te'), ("Имя", "It's")],
    ids=["one field", "several", "names JSON escapes", "an apostrophe"],
)
def test_a_known_contact_gets_each_cell_given_and_keeps_the_rest_in_place(log, names):
    """Whether every cell of a row is filled or not, and whatever the names: the values
    given replace the old ones where they stand, new names come last, nothing doubles,
    and a row bringing nothing new leaves the contact unchanged (no history)."""
    tricky = 'кавычка " слеш \\ строка\nконец'
    first = [
        ("79160000001", None, {"Старое": "x", names[-1]: "было"}),
        ("79160000002", None, {names[0]: tricky}),
        ("79160000003", None, {n: f"{n} 1" for n in names}),
        ("79160000004", None, {"Старое": "y"}),
    ]
    _merge(log, first, names=(*names, "Старое"))
    again = [
        ("79160000001", None, {n: f"{n} новое" for n in names}),  # every cell filled
        ("79160000002", None, {names[0]: tricky}),  # the same value: unchanged
        ("79160000003", None, {names[0]: f"{names[0]} 2"}),  # the other cells empty
        ("79160000004", None, {n: tricky for n in names}),  # new names only
    ]
    report = _merge(log, again, names=names, source="b.csv")
    assert (report.added, report.updated, report.unchanged) == (0, 3, 1)
    expected = []
    for (phone, _, before), (_, _, given) in zip(first, again, strict=True):
        # (the first file's columns in order: so are the contact's fields)
        merged = {n: before[n] for n in (*names, "Старое") if n in before}
        merged.update({k: v for k, v in given.items() if v is not None})
        expected.append((phone, list(merged.items())))
    got = log.base_rows({}, ids=[1, 2, 3, 4])
    # (PostgreSQL's jsonb keeps keys in its own order)
    shown = list if log.dialect == "sqlite" else sorted
    assert [
        (p, shown(json.loads(f).items())) for p, f in zip(got.phones, got.fields, strict=True)
    ] == [(p, shown(items)) for p, items in expected]
    assert [len(log.base_contact_history(c)) for c in (1, 2, 3, 4)] == [1, 0, 1, 1]
    unchanged = _merge(log, again, names=names, source="c.csv")
    assert (unchanged.updated, unchanged.unchanged) == (0, 4)
