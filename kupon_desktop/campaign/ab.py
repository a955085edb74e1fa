"""A/B tests: 2–4 variants of a message tried on a share of the list, the winner sent to
the rest.

An A/B test is a *group* of ordinary campaigns in the one log: one test campaign per
variant and one remainder campaign, all made before anything is sent, every recipient
of the plan in exactly one of them. Since the engine never sends a recipient of a
campaign twice and nobody is in two campaigns of a group, nobody can get two variants.

* :func:`create_group`: the plan (made with variant A) is split: its sendable recipients
  shuffled with the seed (the same seed, the same split), the test share taken and dealt
  evenly to the variants, each variant's text rendered for its own recipients; the
  remainder keeps the rest (and those the audience rules leave out). The group is marked
  ready when every campaign of it exists; a group found not ready at start-up
  (``Log.cancel_unready_ab_groups``) is cancelled whole, nothing of it having been sent.
* :func:`group_status`: each variant's counts and rate of the metric (delivered = last
  status 1, 2 or 4; read = 2 or 4; clicked = 4; over the messages sent), the best one,
  and how sure the difference is (a two-proportion z-test against the runner-up).
* :func:`decide`: once the test campaigns are sent and ``decide_after`` minutes have
  passed since the last of them finished, the winner (or the user's pick) is written in
  one transaction with the remainder's texts rendered from the winner's draft. Killed
  before it commits, it is made again; after, the remainder is an ordinary campaign.
* :func:`run_group`: test campaigns, the wait, the decision, the remainder, resumable
  at any point (it reads where the group stands from the log each time).

``auto = False`` holds the remainder after the wait until the user picks a variant.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kupon_desktop.campaign.counts import CampaignCounts, Group
from kupon_desktop.campaign.errors import ABUnusable, NoAddressee
from kupon_desktop.errors import pick
from kupon_desktop.wording import percent

if TYPE_CHECKING:
    from kupon_desktop.campaign.engine import CampaignEngine, Progress
    from kupon_desktop.campaign.ports import SessionLog
    from kupon_desktop.campaign.session import CampaignSession, Plan, RunSettings
    from kupon_desktop.compose import Draft

#: the last statuses that count for each metric (a status only moves forward: a
#: clicked message was delivered and read first)
METRICS: dict[str, frozenset[int]] = {
    "delivered": frozenset({1, 2, 4}),
    "read": frozenset({2, 4}),
    "clicked": frozenset({4}),
}
VARIANT_NAMES = ("A", "B", "C", "D")
#: a difference is called significant below this p-value
SIGNIFICANCE = 0.05
#: how often the wait for the decision applies the statuses that arrived
WAIT_POLL_SECONDS = 5.0


def default_metric(message_type: Any) -> str:
    """``clicked``, or ``delivered`` for a channel that never reports reading."""
    from kupon_desktop.vocabulary import MessageType

    no_reading = {MessageType.SMS, MessageType.HLR, MessageType.VOICE, MessageType.MMS}
    return "delivered" if MessageType(message_type) in no_reading else "clicked"


@dataclass(frozen=True)
class ABSettings:
    """How an A/B test is run: ``share`` of the sendable recipients (0 < share < 1) is
    the test, split evenly among the variants; ``metric`` decides; ``decide_after``
    minutes after the test is sent the winner is chosen (``auto``) or awaited from the
    user; ``seed`` makes the split reproducible (None: a random one, kept)."""

    share: float = 0.2
    metric: str = "clicked"
    decide_after: float = 60.0
    auto: bool = True
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.share < 1.0:
            raise ABUnusable(
                f"The test share must be between 0 and 100 %, not {self.share * 100:g} %.",
                f"Доля теста должна быть больше 0 и меньше 100 %, а не {self.share * 100:g} %.",
            )
        if self.metric not in METRICS:
            raise ABUnusable(
                f"Unknown winner metric {self.metric!r}: use delivered, read or clicked.",
                f"Неизвестный критерий победы {self.metric!r}: delivered, read или clicked.",
            )
        if self.decide_after < 0:
            raise ABUnusable(
                "The decision time cannot be negative.",
                "Время до выбора победителя не может быть отрицательным.",
            )


@dataclass(frozen=True)
class VariantResult:
    name: str
    campaign_id: str
    state: str
    counts: CampaignCounts
    #: messages that went out, and those of them the metric counts
    sent: int
    hits: int
    #: the messages each metric counts (delivered, read, clicked): the side-by-side view
    by_metric: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.hits / self.sent if self.sent else 0.0

    def rate_of(self, metric: str) -> float:
        return self.by_metric.get(metric, 0) / self.sent if self.sent else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "variant": self.name,
            "campaign": self.campaign_id,
            "state": self.state,
            "sent": self.sent,
            "hits": self.hits,
            "rate": round(self.rate, 6),
            "counts": self.counts.as_json(),
        }


@dataclass(frozen=True)
class Comparison:
    """The best variant by the metric and how sure its lead over the runner-up is."""

    best: str
    runner_up: str | None
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.runner_up is not None and self.p_value < SIGNIFICANCE

    @property
    def confidence(self) -> float:
        return 1.0 - self.p_value


@dataclass
class ABStatus:
    group: str
    settings: ABSettings
    #: creating, test, waiting, deciding, held, remainder, done
    phase: str
    variants: list[VariantResult]
    remainder_id: str
    remainder_state: str
    remainder_counts: CampaignCounts
    comparison: Comparison | None
    decide_at: datetime | None
    winner: dict[str, Any] | None = None
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def why(self, lang: str) -> str:
        """Which variant won and why, in words (or who leads, before the decision)."""
        return explain(self.winner, self.comparison, self.settings.metric, lang)

    def as_json(self) -> dict[str, Any]:
        comparison = self.comparison
        return {
            "group": self.group,
            "phase": self.phase,
            "metric": self.settings.metric,
            "share": self.settings.share,
            "decide_after_minutes": self.settings.decide_after,
            "auto": self.settings.auto,
            "seed": self.settings.seed,
            "decide_at": None if self.decide_at is None else self.decide_at.isoformat(),
            "variants": [v.as_json() for v in self.variants],
            "leader": None
            if comparison is None
            else {
                "variant": comparison.best,
                "runner_up": comparison.runner_up,
                "z": round(comparison.z, 4),
                "p_value": round(comparison.p_value, 6),
                "significant": comparison.significant,
            },
            "winner": self.winner,
            "remainder": {
                "campaign": self.remainder_id,
                "state": self.remainder_state,
                "counts": self.remainder_counts.as_json(),
            },
        }


@dataclass(frozen=True)
class ABOutcome:
    """Where :func:`run_group` stopped: ``done``, ``held`` (waiting for the user's
    pick), ``paused`` (a campaign of it paused: ``progress`` says why) or ``stopped``
    (paused by the user during the wait)."""

    state: str
    status: ABStatus
    progress: Progress | None = None


# -- statistics ---------------------------------------------------------------------------


def two_proportion_z(hits1: int, n1: int, hits2: int, n2: int) -> tuple[float, float]:
    """``(z, two-sided p-value)`` of the difference of two rates (pooled variance)."""
    if n1 <= 0 or n2 <= 0:
        return 0.0, 1.0
    pooled = (hits1 + hits2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if variance <= 0.0:
        return 0.0, 1.0
    z = (hits1 / n1 - hits2 / n2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2.0))


def compare(variants: Sequence[VariantResult]) -> Comparison | None:
    """The variant with the best rate (the first named on a tie) against the runner-up."""
    if not variants:
        return None
    ranked = sorted(variants, key=lambda v: -v.rate)  # stable: A before B on a tie
    best = ranked[0]
    if len(ranked) < 2:
        return Comparison(best.name, None, 0.0, 1.0)
    second = ranked[1]
    z, p = two_proportion_z(best.hits, best.sent, second.hits, second.sent)
    return Comparison(best.name, second.name, z, p)


_METRIC_WORDS = {
    "delivered": ("delivered", "доставлено"),
    "read": ("read", "прочитано"),
    "clicked": ("clicked", "переходов по ссылке"),
}


def explain(
    winner: dict[str, Any] | None, comparison: Comparison | None, metric: str, lang: str
) -> str:
    """Which variant won (or leads) and why, in the interface language."""
    en_metric, ru_metric = _METRIC_WORDS.get(metric, (metric, metric))
    if winner is not None:
        name = winner["variant"]
        rates = winner.get("rates", {})
        rate = rates.get(name, {}).get("rate", 0.0) * 100
        if winner.get("by") == "user":
            return pick(
                lang,
                f"Победил вариант {name}: выбран вручную ({ru_metric}: {percent(rate, 'ru')}).",
                f"Variant {name} won: picked by the user ({en_metric}: {percent(rate, 'en')}).",
            )
        other = winner.get("runner_up")
        if other is None:
            return pick(lang, f"Победил вариант {name}.", f"Variant {name} won.")
        other_rate = rates.get(other, {}).get("rate", 0.0) * 100
        confidence = (1.0 - float(winner.get("p_value", 1.0))) * 100
        ru = [percent(v, "ru") for v in (rate, other_rate, confidence)]
        en = [percent(v, "en") for v in (rate, other_rate, confidence)]
        if winner.get("significant"):
            return pick(
                lang,
                f"Победил вариант {name}: {ru_metric} {ru[0]} против {ru[1]} у {other}; "
                f"разница значима (достоверность {ru[2]}).",
                f"Variant {name} won: {en[0]} {en_metric} against {en[1]} for {other}; "
                f"the difference is significant (confidence {en[2]}).",
            )
        return pick(
            lang,
            f"Победил вариант {name}: {ru_metric} {ru[0]} против {ru[1]} у {other}, но разница "
            f"не значима (достоверность {ru[2]}): варианты почти равны.",
            f"Variant {name} won: {en[0]} {en_metric} against {en[1]} for {other}, but the "
            f"difference is not significant (confidence {en[2]}): the variants are about equal.",
        )
    if comparison is None or comparison.runner_up is None:
        return ""
    confidence = comparison.confidence * 100
    if comparison.significant:
        return pick(
            lang,
            f"Лидирует вариант {comparison.best} (достоверность {percent(confidence, 'ru')}).",
            f"Variant {comparison.best} leads (confidence {percent(confidence, 'en')}).",
        )
    return pick(
        lang,
        f"Лидирует вариант {comparison.best}, разница пока не значима "
        f"(достоверность {percent(confidence, 'ru')}).",
        f"Variant {comparison.best} leads; the difference is not significant yet "
        f"(confidence {percent(confidence, 'en')}).",
    )


# -- creating -----------------------------------------------------------------------------


def create_group(
    session: CampaignSession,
    plan: Plan,
    variants: Sequence[Draft],
    settings: ABSettings,
    *,
    name: str = "",
    run: RunSettings | None = None,
) -> str:
    """Make the A/B test's campaigns from ``plan`` (planned with ``variants[0]``); its
    group id. Blocking code (the log), like ``CampaignSession.create``."""
    from kupon_desktop.audience.cost import estimate_record
    from kupon_desktop.campaign.session import RunSettings

    if plan.prepared is None or plan.blocking:
        raise ValueError("a plan with blocking problems cannot be sent")
    if not 2 <= len(variants) <= len(VARIANT_NAMES):
        raise ABUnusable(
            f"An A/B test has 2 to 4 variants, not {len(variants)}.",
            f"В A/B-тесте от 2 до 4 вариантов, а не {len(variants)}.",
        )
    recipients = list(plan.prepared.recipients)
    sendable = [i for i, r in enumerate(recipients) if r.excluded is None]
    if not sendable:
        raise NoAddressee()
    seed = settings.seed if settings.seed is not None else random.SystemRandom().randrange(2**31)
    settings = replace(settings, seed=seed)
    order = list(sendable)
    random.Random(seed).shuffle(order)
    k = len(variants)
    test_size = round(len(order) * settings.share)
    if test_size < k or test_size >= len(order):
        raise ABUnusable(
            f"{len(order)} recipient(s) cannot be split into a {settings.share * 100:g} % "
            f"test of {k} variants and a remainder.",
            f"Получателей: {len(order)} — этого мало, чтобы выделить тест "
            f"{settings.share * 100:g} % на {k} варианта и основную часть.",
        )
    test = order[:test_size]
    parts = [sorted(test[i::k]) for i in range(k)]
    in_test = set(test)
    rest = [i for i in range(len(recipients)) if i not in in_test]

    group = str(uuid.uuid4())
    names = VARIANT_NAMES[:k]
    run = run or RunSettings()
    base = plan.draft.to_dict()
    kept: dict[str, Any] = {}
    if plan.contacts is not None and plan.contacts.source:
        kept["_source"] = plan.contacts.source
    kept["_audience"] = (plan.audience.rules if plan.audience else plan.rules).to_dict()
    kept["_run"] = run.to_dict()
    record = {
        "group": group,
        "variants": [
            {"name": n, "draft": d.to_dict()} for n, d in zip(names, variants, strict=True)
        ],
        "share": settings.share,
        "metric": settings.metric,
        "decide_after": settings.decide_after,
        "auto": settings.auto,
        "seed": seed,
        "ready": False,
        "winner": None,
        "created_at": datetime.now(UTC).isoformat(),
    }
    title = name or (plan.contacts.name if plan.contacts else "") or plan.draft.type.value
    prices = plan.rules.prices
    claim = session.log.claim_ab_group(group)
    try:
        for variant_name, draft, part in zip(names, variants, parts, strict=True):
            members = [recipients[i] for i in part]
            texts, segments = render_for(draft, members)
            members = [r._replace(text=t) for r, t in zip(members, texts, strict=True)]
            snapshot = {**draft.to_dict(), **kept}
            snapshot["_estimate"] = estimate_record(_estimate(draft, segments, prices))
            snapshot["_ab"] = {**record, "role": "test", "variant": variant_name}
            session.log.create_campaign(
                snapshot,
                draft.type.value,
                members,
                name=f"{title} · A/B {variant_name}",
                kannel=draft.kannel_status,
            )
        remainder = [recipients[i] for i in rest]
        snapshot = {**base, **kept}
        segments = [
            _segments_of(plan, r.row) for r in remainder if r.excluded is None
        ]  # until the decision, variant A's texts
        snapshot["_estimate"] = estimate_record(_estimate(plan.draft, segments, prices))
        snapshot["_ab"] = {**record, "role": "remainder", "variant": None}
        session.log.create_campaign(
            snapshot,
            plan.draft.type.value,
            remainder,
            name=f"{title} · A/B → {100 - settings.share * 100:g} %",
            kannel=plan.draft.kannel_status,
        )
        session.log.mark_ab_ready(group)
    finally:
        claim.release()
    return group


def _segments_of(plan: Plan, row: int | None) -> int:
    index = getattr(plan, "_segments_by_row", None)
    if index is None:
        index = {m.row: m.segments for m in plan.messages}
        plan._segments_by_row = index  # type: ignore[attr-defined]
    return int(index.get(row, 1))


def _estimate(draft: Draft, segments: Sequence[int], prices: Any) -> Any:
    from kupon_desktop.audience.cost import estimate

    return estimate(draft.type, list(segments), prices)


def render_for(draft: Draft, recipients: Sequence[Any]) -> tuple[list[str], list[int]]:
    """Each recipient's text (and SMS parts) as ``draft`` makes it, from the recipient's
    own address and kept fields (``NewRecipient`` or ``Recipient``): how a variant's
    texts are made for its share, and the remainder's from the winner's."""
    import json

    import pandas as pd

    from kupon_desktop.compose import render, rules_for
    from kupon_desktop.vocabulary import Address

    if not recipients:
        return [], []
    kind = rules_for(draft.type).address_for(draft.find_token)
    columns: dict[str, list[str | None]] = {"phone": [], "email": [], "push_token": []}
    records = []
    for r in recipients:
        address = r.address
        if kind is Address.PHONE_OR_EMAIL:
            column = "email" if "@" in address else "phone"
        else:
            column = kind.value
        for c, values in columns.items():
            values.append(address if c == column else None)
        raw = getattr(r, "fields_json", None) if hasattr(r, "fields_json") else r.fields
        if isinstance(raw, str):
            values_of = json.loads(raw)
        elif isinstance(raw, dict):
            values_of = raw
        else:
            values_of = {}
        records.append(values_of)
    contacts = pd.DataFrame({"row": list(range(len(recipients))), **columns})
    for c in ("phone", "email", "push_token"):
        contacts[c] = contacts[c].astype("string")
    fields = pd.DataFrame.from_records(records, index=contacts.index)
    if len(fields.columns):
        fields = fields.astype("string")
    rendered = render(draft, contacts, fields)
    by_position = {m.row: m for m in rendered}
    texts = []
    segments = []
    for i in range(len(recipients)):
        m = by_position[i]
        texts.append(m.text)
        segments.append(m.segments)
    return texts, segments


# -- reading ------------------------------------------------------------------------------


def settings_of(record: dict[str, Any]) -> ABSettings:
    return ABSettings(
        share=float(record.get("share", 0.2)),
        metric=str(record.get("metric", "clicked")),
        decide_after=float(record.get("decide_after", 0.0)),
        auto=bool(record.get("auto", True)),
        seed=record.get("seed"),
    )


_DONE = ("finished", "cancelled")


def group_status(log: SessionLog, group: str, now: datetime | None = None) -> ABStatus:
    """Where an A/B test stands, read from the log."""
    from kupon_desktop.campaign.errors import UnknownCampaign

    members = log.ab_members(group)
    if not members:
        raise UnknownCampaign(group, str(log.path))
    now = now or datetime.now(UTC)
    record = members[0][1]
    settings = settings_of(record)
    metric = METRICS[settings.metric]
    variants: list[VariantResult] = []
    remainder_id = ""
    remainder_state = "draft"
    remainder_counts: CampaignCounts | None = None
    last_finished: datetime | None = None
    tests_done = True
    winner = None
    ready = True
    for cid, ab in members:
        campaign = log.campaign(cid)
        counts = CampaignCounts.from_counts(campaign.counts)
        winner = winner or ab.get("winner")
        ready = ready and bool(ab.get("ready"))
        if ab.get("role") == "remainder":
            remainder_id, remainder_state, remainder_counts = cid, campaign.state.value, counts
            continue
        statuses = campaign.counts.statuses
        hits = sum(n for code, n in statuses.items() if code in metric)
        by_metric = {
            name: sum(n for code, n in statuses.items() if code in codes)
            for name, codes in METRICS.items()
        }
        variants.append(
            VariantResult(
                str(ab.get("variant")),
                cid,
                campaign.state.value,
                counts,
                counts.sent,
                hits,
                by_metric,
            )
        )
        if campaign.state.value in _DONE:
            at = campaign.finished_at or campaign.updated_at
            last_finished = at if last_finished is None else max(last_finished, at)
        else:
            tests_done = False
    decide_at = None
    if tests_done and last_finished is not None:
        decide_at = last_finished + timedelta(minutes=settings.decide_after)
    if not ready:
        phase = "creating"
    elif winner is not None:
        phase = "done" if remainder_state in _DONE else "remainder"
    elif not tests_done:
        phase = "test"
    elif decide_at is not None and now < decide_at:
        phase = "waiting"
    elif remainder_state == "cancelled":
        phase = "done"
    else:
        phase = "deciding" if settings.auto else "held"
    return ABStatus(
        group,
        settings,
        phase,
        variants,
        remainder_id,
        remainder_state,
        remainder_counts or CampaignCounts.from_counts(log.counts(remainder_id)),
        compare(variants),
        decide_at,
        winner,
        {v["name"]: v["draft"] for v in record.get("variants", [])},
    )


def group_of(log: SessionLog, campaign_or_group: str) -> str | None:
    """The A/B group an id names: a group's own id, or one of its campaigns' (None when
    it is neither)."""
    if log.ab_members(campaign_or_group):
        return campaign_or_group
    try:
        snapshot = log.campaign_draft(campaign_or_group)
    except KeyError:
        return None
    group = (snapshot.get("_ab") or {}).get("group")
    return None if group is None else str(group)


# -- deciding -----------------------------------------------------------------------------


def decide(
    log: SessionLog,
    group: str,
    *,
    winner: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any] | None:
    """Choose the winner (``winner``: the user's pick; otherwise the best by the metric,
    once its time has come) and write it with the remainder's texts in one transaction.
    Returns the decision, or None when it is not time yet (or the test is still being
    sent). A group already decided returns its decision unchanged."""
    from kupon_desktop.compose import Draft

    status = group_status(log, group, now)
    if status.winner is not None:
        return status.winner
    if status.phase in ("creating", "test", "done"):
        return None
    if winner is None and status.phase == "waiting":
        return None
    if winner is not None and winner not in status.drafts:
        raise ABUnusable(
            f"There is no variant {winner} in this A/B test.",
            f"В этом A/B-тесте нет варианта {winner}.",
        )
    comparison = status.comparison
    chosen = winner or (comparison.best if comparison else VARIANT_NAMES[0])
    by_name = {v.name: v for v in status.variants}
    others = [v for v in status.variants if v.name != chosen]
    runner_up = max(others, key=lambda v: v.rate) if others else None
    z, p = (0.0, 1.0)
    if runner_up is not None:
        mine = by_name[chosen]
        z, p = two_proportion_z(mine.hits, mine.sent, runner_up.hits, runner_up.sent)
    decision = {
        "variant": chosen,
        "by": "user" if winner is not None else "auto",
        "metric": status.settings.metric,
        "rates": {
            v.name: {
                "sent": v.sent,
                "hits": v.hits,
                "rate": round(v.rate, 6),
                # still without a final status when decided: a decision time too short
                "pending": v.counts.groups[Group.PENDING],
            }
            for v in status.variants
        },
        "runner_up": None if runner_up is None else runner_up.name,
        "z": round(z, 4),
        "p_value": round(p, 6),
        "significant": runner_up is not None and p < SIGNIFICANCE,
        "at": (now or datetime.now(UTC)).isoformat(),
    }
    draft = Draft.from_dict(status.drafts[chosen])
    rows = list(log.iter_recipients(status.remainder_id))
    texts, segments = render_for(draft, rows)
    new_draft = draft.to_dict()
    snapshot = log.campaign_draft(status.remainder_id)
    rules = snapshot.get("_audience")
    if rules:
        from kupon_desktop.audience import AudienceRules
        from kupon_desktop.audience.cost import estimate_record

        prices = AudienceRules.from_dict(rules).prices
        sendable = [s for s, r in zip(segments, rows, strict=True) if r.state.value != "excluded"]
        new_draft["_estimate"] = estimate_record(_estimate(draft, sendable, prices))
    log.decide_ab(
        group,
        status.remainder_id,
        new_draft,
        [(r.key, t) for r, t in zip(rows, texts, strict=True)],
        decision,
    )
    return group_status(log, group, now).winner


# -- running ------------------------------------------------------------------------------


async def run_group(
    session: CampaignSession,
    group: str,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    on_engine: Callable[[CampaignEngine], None] | None = None,
    on_status: Callable[[ABStatus], None] | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> ABOutcome:
    """Take an A/B test as far as it can go now: send the test campaigns, wait for the
    decision time (applying the statuses that arrive), decide, send the remainder. Safe
    to call again after any stop (a kill, a pause): it starts from what the log says."""
    log = session.log
    while True:
        status = await asyncio.to_thread(group_status, log, group)
        if on_status is not None:
            on_status(status)
        if session.ab_stopping:
            return ABOutcome("stopped", status)
        phase = status.phase
        if phase == "creating":
            raise ABUnusable(
                "This A/B test was not fully created; it is cancelled when the program starts.",
                "Этот A/B-тест не был создан до конца; он отменяется при запуске программы.",
            )
        if phase == "test":
            for v in status.variants:
                if v.state in _DONE:
                    continue
                progress = await session.run(
                    v.campaign_id, on_progress=on_progress, on_engine=on_engine
                )
                if progress.state != "finished" and progress.state != "cancelled":
                    return ABOutcome("paused", status, progress)
                break  # read the group again after each campaign
            continue
        if phase == "waiting":
            assert status.decide_at is not None
            left = (status.decide_at - datetime.now(UTC)).total_seconds()
            with contextlib.suppress(Exception):  # statuses are applied again next time
                await asyncio.to_thread(log.apply_status_events)
            await sleep(max(0.0, min(left, WAIT_POLL_SECONDS)))
            continue
        if phase == "held":
            await asyncio.to_thread(log.apply_status_events)
            return ABOutcome("held", await asyncio.to_thread(group_status, log, group))
        if phase == "deciding":
            await asyncio.to_thread(log.apply_status_events)
            await asyncio.to_thread(decide, log, group)
            continue
        if phase == "remainder":
            progress = await session.run(
                status.remainder_id, on_progress=on_progress, on_engine=on_engine
            )
            if progress.state not in ("finished", "cancelled"):
                return ABOutcome("paused", status, progress)
            continue
        return ABOutcome("done", status)


__all__ = [
    "METRICS",
    "SIGNIFICANCE",
    "VARIANT_NAMES",
    "ABOutcome",
    "ABSettings",
    "ABStatus",
    "Comparison",
    "VariantResult",
    "compare",
    "create_group",
    "decide",
    "default_metric",
    "explain",
    "group_of",
    "group_status",
    "render_for",
    "run_group",
    "two_proportion_z",
]
