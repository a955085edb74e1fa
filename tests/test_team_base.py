"""The team's contact base on the server, used by two desks through the real command line.

The server runs as its own process on a SQLite file and on PostgreSQL; each desk is the
program's own command (``kupon-desktop base …``, ``kupon-desktop send …``) with its own
log file and its user key in ``$KUPON_TEAM_KEY``; messages go to the simulator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kupon_desktop.store.log import open_log
from kupon_desktop.team.base import RemoteBase
from kupon_desktop.team.errors import TeamError
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator
from tests.test_team_server import ServerProcess, _add_user, _cli, _free_port

CLIENTS = """Имя;Телефон;Город;Согласие на рекламу
Анна;+7 900 111-00-01;Москва;да
Борис;89001110002;Тула;01.02.2024
Вера;+79001110003;Москва;да
Плохой;123;Тула;да
"""
MORE = """Имя;Телефон;Город
Галина;+79001110004;Омск
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    db: Any = (
        tmp_path / "team.sqlite3"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    srv = ServerProcess(db, _free_port(), tmp_path / "server.err")
    yield srv
    srv.stop()


def _desk(
    base: str, key: str, db: Path, *args: str, lang: str = "ru", **env: str
) -> subprocess.CompletedProcess[str]:
    """One desk's command, as a user runs it against the team's base."""
    command = [sys.executable, "-m", "kupon_desktop", "--lang", lang, *args]
    if args[0] == "base":
        command += ["--db", str(db), "--team-server", base]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KUPON_TEAM_KEY": key, **env},
    )


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_desk_b_sends_to_the_list_desk_a_imported_and_a_withdrawal_on_a_excludes_at_once(
    tmp_path: Path, server: ServerProcess
) -> None:
    key_a = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    base = server.start()
    desk_a, desk_b = tmp_path / "desk-a.sqlite3", tmp_path / "desk-b.sqlite3"
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")

    # desk A imports a file into a list of the team's base
    imported = _json(
        _desk(base, key_a, desk_a, "base", "import", str(clients), "--list", "Клиенты", "--json")
    )
    assert (imported["added"], imported["updated"], imported["rejected"]) == (3, 0, 1)
    # desk B, with its own log, sees it: the list, its size, the consent from the file
    lists = _json(_desk(base, key_b, desk_b, "base", "lists", "--json"))
    assert lists["contacts"] == 3
    assert lists["lists"] == [{"name": "Клиенты", "size": 3, "deleted": False}]
    # nothing of it is in either desk's own base
    for db in (desk_a, desk_b):
        with open_log(db) as log:
            assert log.base_size() == 0

    # desk A withdraws Борис's consent on the server: desk B's next advertising campaign
    # leaves him out, without desk B having done anything
    withdrawn = _desk(base, key_a, desk_a, "base", "consent", "withdraw", "8 900 111-00-02")
    assert withdrawn.returncode == 0, withdrawn.stderr
    with running_simulator(quick_config()) as sim:
        sent = _desk(
            base,
            key_b,
            desk_b,
            "send",
            "--list",
            "Клиенты",
            "--type",
            "sms",
            "--sender",
            "KUPON",
            "--text",
            "{Имя}, скидка 10%",
            "--window",
            "off",
            "--api-url",
            sim.base_url,
            "--token-env",
            "SIM_TOKEN",
            "--db",
            str(desk_b),
            "--team-server",
            base,
            SIM_TOKEN=TOKEN,
        )
        assert sent.returncode == 0, sent.stderr
        assert key_b not in sent.stdout + sent.stderr
        campaign = sent.stdout.strip().splitlines()[0]
        to = inspect(sim)["sends_per_recipient"]
    assert sorted(to) == ["79001110001", "79001110003"]

    # the campaign's membership was frozen when it was made: a contact added to the list
    # afterwards is not among its recipients, and the recipients' rows are the contacts'
    more = tmp_path / "more.csv"
    more.write_text(MORE, encoding="utf-8")
    _json(_desk(base, key_a, desk_a, "base", "import", str(more), "--list", "Клиенты", "--json"))
    assert _json(_desk(base, key_b, desk_b, "base", "lists", "--json"))["lists"][0]["size"] == 4
    with open_log(desk_b) as log:
        columns = log.read_columns(campaign, ["address", "row", "state"])
        draft = log.campaign_draft(campaign)
    assert sorted(columns["address"]) == ["79001110001", "79001110002", "79001110003"]
    assert sorted(columns["row"]) == [1, 2, 3]  # the team base's contact ids
    assert draft["_source"]["list"] == "Клиенты" and draft["_source"]["frozen"] == 3


def test_a_viewer_reads_the_base_but_cannot_change_it_and_the_audit_names_who_did(
    tmp_path: Path, server: ServerProcess
) -> None:
    key_a = _add_user(server.db, "anna", "sender")
    key_v = _add_user(server.db, "vera", "viewer")
    base = server.start()
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")
    desk = tmp_path / "desk.sqlite3"
    assert (
        _desk(base, key_a, desk, "base", "import", str(clients), "--list", "Клиенты").returncode
        == 0
    )

    # the viewer reads
    assert _json(_desk(base, key_v, desk, "base", "lists", "--json"))["contacts"] == 3
    # and is refused every write, in the interface's language, with exit 2
    refused = _desk(base, key_v, desk, "base", "import", str(clients), "--list", "Ещё")
    assert refused.returncode == 2
    assert "vera" in refused.stderr and "нельзя изменять данные команды" in refused.stderr
    for path, body in (
        ("/api/v1/base/lists/create", {"name": "Новый"}),
        ("/api/v1/base/segments/save", {"name": "Москва", "definition": {"list": "Клиенты"}}),
        ("/api/v1/base/consent", {"contact": 1, "channel": "phone", "given": False}),
        ("/api/v1/base/imports", {"field_names": []}),
    ):
        answer = httpx.post(
            base + path, json=body, headers={"Authorization": f"Bearer {key_v}"}, trust_env=False
        )
        assert answer.status_code == 403, path
        error = answer.json()["error"]
        assert error["code"] == "forbidden" and error["message_en"] and error["message_ru"]
    # a write without a key is 401
    assert (
        httpx.post(
            base + "/api/v1/base/lists/create", json={"name": "x"}, trust_env=False
        ).status_code
        == 401
    )

    # a bad request names the field in both languages
    bad = httpx.post(
        base + "/api/v1/base/count",
        json={"selection": {"ids": [1, "два"]}},
        headers={"Authorization": f"Bearer {key_v}"},
        trust_env=False,
    )
    assert bad.status_code == 400
    assert "selection.ids[1]" in bad.json()["error"]["message_ru"]
    # an unknown list is the base's own refusal, in both languages
    unknown = httpx.post(
        base + "/api/v1/base/count",
        json={"selection": {"list": "Нет такого"}},
        headers={"Authorization": f"Bearer {key_v}"},
        trust_env=False,
    )
    assert (
        unknown.status_code == 400
        and "нет списка «Нет такого»" in unknown.json()["error"]["message_ru"]
    )

    audit = [json.loads(line) for line in _cli(server.db, "audit", "--json").stdout.splitlines()]
    imports = [a for a in audit if a["action"] == "base.import"]
    assert [(a["user"], a["object"]) for a in imports] == [("anna", "Клиенты")]
    assert json.loads(imports[0]["detail"])["rows"] == 3
    # the refused writes changed nothing and left no audit row
    assert not [a for a in audit if a["user"] == "vera"]
    with RemoteBase(base, key_v) as team:
        assert [x.name for x in team.base_lists()] == ["Клиенты"]
        assert team.base_segments() == []


def test_segments_export_and_the_consent_proof_from_the_teams_base(
    tmp_path: Path, server: ServerProcess
) -> None:
    key = _add_user(server.db, "anna", "sender")
    base = server.start()
    desk = tmp_path / "desk.sqlite3"
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")
    assert (
        _desk(base, key, desk, "base", "import", str(clients), "--list", "Клиенты").returncode == 0
    )

    made = _json(
        _desk(
            base,
            key,
            desk,
            "base",
            "segment",
            "create",
            "Москвичи",
            "--where",
            "Город=Москва",
            "--json",
        )
    )
    assert made["size"] == 2
    assert _desk(base, key, desk, "base", "segment", "count", "Москвичи").stdout.strip() == "2"
    listed = _json(_desk(base, key, desk, "base", "segment", "list", "--json"))
    assert [(s["name"], s["size"]) for s in listed] == [("Москвичи", 2)]

    out = tmp_path / "moscow.csv"
    done = _desk(base, key, desk, "base", "export", str(out), "--segment", "Москвичи")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert "79001110001" in text and "79001110003" in text and "79001110002" not in text

    proof = tmp_path / "proof.xlsx"
    done = _desk(
        base, key, desk, "base", "consent-proof", "+79001110001", "--out", str(proof), "--json"
    )
    assert _json(done)["consent_events"] == 1 and proof.stat().st_size > 0

    # a name that is not there: the base's own words, exit 2
    missing = _desk(base, key, desk, "base", "segment", "count", "Нет такого")
    assert missing.returncode == 2 and "нет сегмента «Нет такого»" in missing.stderr
    # retargeting needs this desk's campaigns' recipients: refused with the reason
    retarget = _desk(base, key, desk, "base", "retarget", "last", "delivered", "--as-list", "x")
    assert retarget.returncode == 2 and "без --team-server" in retarget.stderr


def test_an_import_is_one_merge_on_the_server_whatever_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file sent in several parts is merged in one transaction, as a local import is:
    rows of one person in different parts are one contact, one history source."""
    import kupon_desktop.team.base as team_base
    from kupon_desktop.base.importing import import_into_base

    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    base = server.start()
    try:
        monkeypatch.setattr(team_base, "IMPORT_CHUNK", 2)
        rows = ["Имя;Телефон;Email"] + [f"Имя{i};+7900222{i:04d};" for i in range(7)]
        rows.append("Снова;;")  # a row with neither address
        path = tmp_path / "parts.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        with RemoteBase(base, key) as team:
            report = import_into_base(team, path, "Части")
            assert (report.added, report.updated) == (7, 0)
            again = import_into_base(team, path, "Части")
            assert (again.added, again.updated, again.unchanged) == (0, 0, 7)
            assert team.base_count({"list": "Части"}) == 7
            # a commit of an import that is not there (expired, done, another user's)
            with pytest.raises(TeamError) as caught:
                team._call("POST", "/imports/nope/commit", json={"source": {"kind": "file"}})
            assert (
                caught.value.status == 404 and "загрузите файл ещё раз" in caught.value.message_ru
            )
    finally:
        server.stop()
