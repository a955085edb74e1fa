"""``kupon-desktop status``: the log's own report (``store/command.py``), and with
``--json`` each A/B test too: its variants' counts and rates, who leads and how surely,
and the winner once chosen::

    "ab_tests": [{"group": ..., "phase": "test|waiting|held|remainder|done|...",
                  "metric": "clicked", "variants": [{"variant": "A", "campaign": ...,
                  "sent": N, "hits": H, "rate": R, "counts": {...}}, ...],
                  "leader": {...}, "winner": {...} or null, "remainder": {...}}]
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kupon_desktop.store.command import HELP, add_arguments

if TYPE_CHECKING:
    from kupon_desktop.store.log import Log
    from kupon_desktop.store.models import Campaign


def run(args: argparse.Namespace) -> int:
    from kupon_desktop.store.command import run as run_status

    return run_status(args, _ab_tests)


def _ab_tests(log: Log, campaigns: list[Campaign]) -> dict[str, Any]:
    from kupon_desktop.campaign.ab import group_status

    shown = {c.id for c in campaigns}
    groups = []
    for group in log.ab_groups():
        members = {cid for cid, _ in log.ab_members(group)}
        if members & shown:
            groups.append(group_status(log, group).as_json())
    return {"ab_tests": groups}


__all__ = ["HELP", "add_arguments", "run"]
