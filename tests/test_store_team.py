"""The team server's tables in a real log, a SQLite file and a PostgreSQL database: the
shared stop list's versions, statuses matched by the platform id a desk reports after the
callback came, the audit log."""

from __future__ import annotations

import pytest

from kupon_desktop.store.log import Log, open_log
from kupon_desktop.store.models import NewStatusEvent, StopEntry
from kupon_desktop.store.team import OwnCampaign, Policy


@pytest.fixture
def team(log_target):
    # the team server's database: a SQLite file, or PostgreSQL as a team runs it
    opened = open_log(log_target)
    yield opened
    opened.close()


def test_stop_list_changes_come_in_version_order_and_a_desk_catches_up(team: Log) -> None:
    added, removed, v1 = team.team_stop_change(
        [StopEntry("79001234567", "phone", "typed"), StopEntry("Ivan@Mail.ru", "email")],
        [],
        by="anna",
    )
    assert (added, removed) == (2, 0)
    # an address already listed is no change and no new version
    assert team.team_stop_change([StopEntry("ivan@mail.ru", "email")], [], by="boris")[2] == v1
    _, removed, v2 = team.team_stop_change([], ["IVAN@mail.ru", "79000000000"], by="boris")
    assert removed == 1 and v2 == v1 + 1
    changes = team.team_stop_changes(0)
    assert [(c.op, c.address) for c in changes] == [
        ("add", "79001234567"),
        ("add", "ivan@mail.ru"),
        ("remove", "ivan@mail.ru"),
    ]
    assert [c.version for c in team.team_stop_changes(v1)] == [v2]
    assert team.stopped_among(["79001234567", "ivan@mail.ru"]) == {"79001234567"}
    actions = [(e.user, e.action) for e in team.team_audit()]
    assert actions == [("anna", "stoplist.change"), ("boris", "stoplist.change")]


def test_a_callback_keyed_by_id_only_waits_for_the_desk_to_report_the_id(team: Log) -> None:
    team.team_register_campaign(
        "c-1", name="A", type="sms", recipients=2, advertising=False, desk="d", user="anna"
    )
    # the platform called before the desk reported its ids: by id only
    team.append_status_events([NewStatusEvent(501, 1), NewStatusEvent(502, 1)])
    assert team.team_apply_events() == 2
    assert team.team_statuses("c-1", 0) == []
    assert team.team_add_messages("c-1", [(0, 501), (1, 502)], by="anna") == 2
    first = team.team_statuses("c-1", 0)
    assert [(s.recipient, s.code) for s in first] == [(0, 1), (1, 1)]
    # a later status moves the recipient past the cursor; an id reported again is no news
    team.append_status_events([NewStatusEvent(501, 2, "c-1", 0)])
    team.team_apply_events()
    assert team.team_add_messages("c-1", [(0, 501)], by="anna") == 0
    later = team.team_statuses("c-1", first[-1].cursor)
    assert [(s.recipient, s.code) for s in later] == [(0, 2)]
    assert team.team_status_counts() == {"c-1": {1: 1, 2: 1}}


def test_a_sort_bounded_by_a_cursor_leaves_the_later_callbacks_for_the_next(team: Log) -> None:
    # the server sorts what was stored when a sort began: callbacks arriving meanwhile
    # (a storm) wait for the next sort instead of keeping this one going
    team.team_register_campaign(
        "c-1", name="A", type="sms", recipients=3, advertising=False, desk="d", user="anna"
    )
    team.append_status_events([NewStatusEvent(501, 1, "c-1", 0), NewStatusEvent(502, 1, "c-1", 1)])
    top = team.team_events_top()
    team.append_status_events([NewStatusEvent(503, 1, "c-1", 2)])
    assert team.team_apply_events(1, top) == 1
    assert team.team_apply_events(1, top) == 1
    assert team.team_apply_events(1, top) == 0
    assert [s.recipient for s in team.team_statuses("c-1", 0)] == [0, 1]
    assert team.team_apply_events() == 1
    assert [s.recipient for s in team.team_statuses("c-1", 0)] == [0, 1, 2]


def test_a_retried_callback_arriving_after_the_final_status_does_not_move_it_back(
    team: Log,
) -> None:
    # the server was down: the platform retried "queued" and "sent to the operator"
    # after the final "delivered" had been taken
    team.team_register_campaign(
        "c-1", name="A", type="sms", recipients=1, advertising=False, desk="d", user="anna"
    )
    team.append_status_events([NewStatusEvent(501, 1, "c-1", 0)])
    team.team_apply_events()
    first = team.team_statuses("c-1", 0)
    team.append_status_events([NewStatusEvent(501, -1, "c-1", 0), NewStatusEvent(501, 0, "c-1", 0)])
    team.team_apply_events()
    assert team.team_statuses("c-1", first[-1].cursor) == []
    assert team.team_status_counts() == {"c-1": {1: 1}}


def test_policy_decides_at_registration_and_approval_is_a_second_person(team: Log) -> None:
    team.team_set_policy(Policy(approve_over=10, approve_advertising=True), by="admin")
    small = team.team_register_campaign(
        "s", name="S", type="sms", recipients=10, advertising=False, desk="d", user="anna"
    )
    big = team.team_register_campaign(
        "b", name="B", type="sms", recipients=11, advertising=False, desk="d", user="anna"
    )
    ad = team.team_register_campaign(
        "a", name="A", type="sms", recipients=1, advertising=True, desk="d", user="vera"
    )
    assert (small.approval, big.approval, ad.approval) == ("not_needed", "needed", "needed")
    with pytest.raises(OwnCampaign):
        team.team_approve("a", by="vera")
    assert team.team_approve("b", by="vera").approved_by == "vera"
    # registering again changes nothing, even under another policy
    team.team_set_policy(Policy(), by="admin")
    assert (
        team.team_register_campaign(
            "a", name="A", type="sms", recipients=1, advertising=True, desk="d", user="vera"
        ).approval
        == "needed"
    )
    with pytest.raises(KeyError):
        team.team_approve("missing", by="vera")
