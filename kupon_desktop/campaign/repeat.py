"""The same message to the same people twice: a campaign planned with the text of one
sent in the last day, to recipients who were sent that one.

Within a campaign the log never sends anyone twice; across campaigns it is the user's
call (a reminder to the same list is a campaign too), so this is a warning of the Check
report, with the campaign, its time and how many would get the message again. It is
found in the plan (``plan_campaign``), so the window's confirmation, its Check list and
the command line's check and send all say it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from kupon_desktop.audience.problems import AudienceProblem
from kupon_desktop.compose import Draft
from kupon_desktop.compose.problems import Severity

#: how far back a campaign with the same message counts as "just sent"
WITHIN = timedelta(hours=24)

#: the message's own fields: equal in both, it is the same message (the sender, the
#: send time or the lifetime aside)
_MESSAGE_FIELDS = ("text", "html_text", "button", "action", "image")

#: recipients whose message went out, or may have
_REACHED = frozenset({"accepted", "in_flight", "unconfirmed"})


def sent_again(
    log: Any, draft: Draft, addresses: Callable[[], Sequence[str]], now: datetime
) -> AudienceProblem | None:
    """The warning for the newest campaign of the last day that sent ``draft``'s message
    to any of ``addresses()`` (asked only when such a campaign exists); None when there
    is none, or ``log`` keeps no campaigns (a dry run without a log, a bare stop list).
    ``log``: the campaign log's ``list_campaigns``, ``campaign_draft``, ``read_columns``."""
    if not hasattr(log, "list_campaigns"):
        return None
    wanted = {name: getattr(draft, name) for name in _MESSAGE_FIELDS}
    since = now - WITHIN
    for campaign in log.list_campaigns():
        if campaign.created_at < since or campaign.name == "test":
            continue
        if campaign.type != draft.type.value:
            continue
        stored = log.campaign_draft(campaign.id)
        if any(stored.get(name, "") != value for name, value in wanted.items()):
            continue
        columns = log.read_columns(campaign.id, ["address", "state"])
        reached = {
            a for a, s in zip(columns["address"], columns["state"], strict=True) if s in _REACHED
        }
        count = sum(1 for a in addresses() if a in reached)
        if count:
            return AudienceProblem.make(
                Severity.WARNING,
                "sent_recently",
                count=count,
                name=campaign.name or campaign.id,
                at=campaign.created_at.astimezone().strftime("%d.%m.%Y %H:%M"),
            )
    return None
