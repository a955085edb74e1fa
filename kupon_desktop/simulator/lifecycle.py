"""The simulated account: accepted messages, their lives, the balance.

A message is accepted at ``-1``; after the queue delay it is handed to the operator
(``0``), charging the balance, or ends at ``24`` when the money has run out; after the
delivery delay each channel draws an outcome from the weights. A delivered message may
later be read (``2``) and its link clicked (``4``). A ``bulk`` message walks its
scenario's channels and ends on the first that delivers, or on the last one's failure.
A ``ttl`` that runs out before the outcome ends the message at ``3``.

Each status change is appended to the message and handed to the callback sender.
Per message the work is one small object; the steps are scheduled per group of up to
``GROUP_SIZE`` messages accepted together, so a 100,000-message run stays light.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from kupon_desktop.simulator.config import NO_ENGAGEMENT, Outcome, SimulatorConfig
from kupon_desktop.simulator.scheduler import Scheduler
from kupon_desktop.simulator.validation import MSG_NO_FUNDS, Common, Refusal, Submission
from kupon_desktop.vocabulary import MessageType

STATUS_WAITING = -1
STATUS_QUEUED = 0
STATUS_NO_FUNDS = 24

#: messages that share each delay; small enough that a batch's statuses still spread out
GROUP_SIZE = 16


class SimMessage:
    """One accepted message and what has happened to it so far."""

    __slots__ = (
        "action",
        "button",
        "callback",
        "callback_tries",
        "channel_index",
        "channels",
        "charset",
        "expires_at",
        "find_token",
        "html_text",
        "id",
        "image",
        "kannel",
        "raw_text",
        "recipients",
        "sender",
        "sent_date",
        "sent_to",
        "statuses",
        "text",
        "tried",
        "ttl",
        "type",
    )

    def __init__(self, ident: int, common: Common, sub: Submission) -> None:
        self.id = ident
        self.type = common.type
        self.sender = common.sender
        self.charset = common.charset
        self.kannel = common.kannel
        self.find_token = common.find_token
        self.channels = common.channels
        self.channel_index = 0
        self.sent_to = sub.sent_to
        self.recipients = len(sub.recipients)
        self.text = sub.text
        self.html_text = sub.html_text
        self.sent_date = sub.sent_date
        self.ttl = sub.ttl
        self.button = sub.button
        self.action = sub.action
        self.image = sub.image
        self.callback = sub.callback
        self.raw_text = sub.raw_text
        self.statuses: list[int] = []
        #: (channel, status) per channel tried; only kept for cascades
        self.tried: list[tuple[str, int]] | None = [] if common.type is MessageType.BULK else None
        self.callback_tries = 0
        self.expires_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type.value,
            "sender": self.sender,
            "sent_to": self.sent_to,
            "text": self.text,
            "statuses": list(self.statuses),
            "html_text": self.html_text,
            "sent_date": self.sent_date.strftime("%Y-%m-%d %H:%M") if self.sent_date else None,
            "ttl": self.ttl,
            "button": self.button,
            "action": self.action,
            "image": self.image,
            "callback": self.callback,
            "charset": self.charset,
            "kannel_status": self.kannel,
            "find_token": self.find_token,
            "sent_text_hex": self.raw_text.hex() if self.raw_text is not None else None,
            "channels": (
                [{"type": t, "status": s} for t, s in self.tried]
                if self.tried is not None
                else None
            ),
            "callback_tries": self.callback_tries,
        }


class Platform:
    """The account's state. Used from the server's event loop only."""

    def __init__(self, config: SimulatorConfig, loop: asyncio.AbstractEventLoop) -> None:
        self.config = config
        self.loop = loop
        seed = config.seed
        self.rng = random.Random(seed)
        # a separate stream for faults, so turning faults on does not change outcomes
        self.fault_rng = random.Random(None if seed is None else f"faults-{seed}")
        self.scheduler = Scheduler(loop)
        self.messages: list[SimMessage] = []
        self.sends_per_recipient: Counter[str] = Counter()
        self.charged = 0
        #: set by the server: called with (message, status) on every status change
        self.on_status: Callable[[SimMessage, int], None] = lambda m, s: None
        self._weights: dict[MessageType, tuple[list[Outcome], list[float]]] = {}

    # ------------------------------------------------------------------ accounting

    @property
    def funds_left(self) -> bool:
        return self.config.balance is None or self.charged < self.config.balance

    def check_funds(self) -> None:
        if not self.funds_left:
            raise Refusal(MSG_NO_FUNDS)

    def message(self, ident: int) -> SimMessage | None:
        index = ident - self.config.first_id
        if 0 <= index < len(self.messages):
            return self.messages[index]
        return None

    # ------------------------------------------------------------------ life

    def accept(self, common: Common, subs: Sequence[Submission]) -> list[SimMessage]:
        """Accept the messages of one request and start their lives.

        Messages accepted together with the same ``sent_date`` and ``ttl`` move in small
        groups that share each delay, so a large batch costs a heap entry per group and
        step, not per message; outcomes are still drawn per message."""
        cfg = self.config
        msgs: list[SimMessage] = []
        counter = self.sends_per_recipient
        first = cfg.first_id + len(self.messages)
        for n, sub in enumerate(subs):
            msg = SimMessage(first + n, common, sub)
            msgs.append(msg)
            for address in sub.recipients:
                counter[address] += 1
        self.messages.extend(msgs)
        for msg in msgs:
            self._status(msg, STATUS_WAITING)
        groups: dict[tuple[datetime | None, int | None], list[SimMessage]] = {}
        for msg, sub in zip(msgs, subs, strict=True):
            groups.setdefault((sub.sent_date, sub.ttl), []).append(msg)
        now = self.loop.time()
        for (sent_date, ttl), members in groups.items():
            if ttl is not None:
                expires_at = now + cfg.scaled(ttl * 60.0)
                for msg in members:
                    msg.expires_at = expires_at
            wait = 0.0
            if sent_date is not None:
                platform_now = datetime.now(UTC).replace(tzinfo=None) + timedelta(
                    hours=cfg.utc_offset_hours
                )
                wait = cfg.scaled(max(0.0, (sent_date - platform_now).total_seconds()))
            for i in range(0, len(members), GROUP_SIZE):
                group = members[i : i + GROUP_SIZE]
                self._step(max(wait, self._delay(cfg.queue_seconds)), self._hand_over, group)
        return msgs

    def _step(
        self, delay: float, fn: Callable[[list[SimMessage]], None], group: list[SimMessage]
    ) -> None:
        """Schedule a pre-delivery step, or the expiry if the ttl runs out first (a group
        shares its ttl)."""
        expires_at = group[0].expires_at
        if expires_at is not None and self.loop.time() + delay >= expires_at:
            self.scheduler.call_later(expires_at - self.loop.time(), self._expire, group)
        else:
            self.scheduler.call_later(delay, fn, group)

    def _hand_over(self, group: list[SimMessage]) -> None:
        funded: list[SimMessage] = []
        balance = self.config.balance
        for msg in group:
            if balance is not None and self.charged >= balance:
                self._status(msg, STATUS_NO_FUNDS)
                continue
            self.charged += msg.recipients
            self._status(msg, STATUS_QUEUED)
            funded.append(msg)
        if funded:
            self._step(self._delay(self.config.delivery_seconds), self._attempt, funded)

    def _attempt(self, group: list[SimMessage]) -> None:
        next_channel: list[SimMessage] = []
        read: list[SimMessage] = []
        clicked: list[SimMessage] = []
        for msg in group:
            channel = msg.channels[msg.channel_index]
            outcome = self._draw(channel)
            if msg.tried is not None:
                msg.tried.append((channel.value, outcome.value))
            if outcome.delivered:
                self._status(msg, Outcome.DELIVERED.value)
                if outcome is Outcome.READ:
                    read.append(msg)
                elif outcome is Outcome.CLICKED:
                    clicked.append(msg)
            elif msg.channel_index + 1 < len(msg.channels):
                msg.channel_index += 1
                next_channel.append(msg)
            else:
                self._status(msg, outcome.value)
        if next_channel:
            self._step(self._delay(self.config.delivery_seconds), self._attempt, next_channel)
        for engaged, then_click in ((read, False), (clicked, True)):
            if engaged:
                self.scheduler.call_later(
                    self._delay(self.config.read_seconds), self._read, engaged, then_click
                )

    def _read(self, group: list[SimMessage], then_click: bool) -> None:
        for msg in group:
            self._status(msg, Outcome.READ.value)
        if then_click:
            self.scheduler.call_later(self._delay(self.config.click_seconds), self._click, group)

    def _click(self, group: list[SimMessage]) -> None:
        for msg in group:
            self._status(msg, Outcome.CLICKED.value)

    def _expire(self, group: list[SimMessage]) -> None:
        for msg in group:
            if msg.tried is not None:
                msg.tried.append((msg.channels[msg.channel_index].value, Outcome.EXPIRED.value))
            self._status(msg, Outcome.EXPIRED.value)

    def _status(self, msg: SimMessage, code: int) -> None:
        msg.statuses.append(code)
        self.on_status(msg, code)

    # ------------------------------------------------------------------ chance

    def _delay(self, seconds: float) -> float:
        cfg = self.config
        spread = cfg.jitter * (2.0 * self.rng.random() - 1.0) if cfg.jitter else 0.0
        return cfg.scaled(seconds) * (1.0 + spread)

    def _draw(self, channel: MessageType) -> Outcome:
        table = self._weights.get(channel)
        if table is None:
            weights = self.config.type_outcome_weights.get(channel, self.config.outcome_weights)
            outcomes = [o for o, w in weights.items() if w > 0]
            cumulative: list[float] = []
            total = 0.0
            for o in outcomes:
                total += weights[o]
                cumulative.append(total)
            table = self._weights[channel] = (outcomes, cumulative)
        outcome = self.rng.choices(table[0], cum_weights=table[1])[0]
        if channel in NO_ENGAGEMENT and outcome in (Outcome.READ, Outcome.CLICKED):
            return Outcome.DELIVERED
        return outcome

    def draw_fault(self) -> str | None:
        active = self.config.faults.active()
        if not active:
            return None
        r = self.fault_rng.random()
        for kind, rate in active:
            if r < rate:
                return kind
            r -= rate
        return None

    def snapshot(self, after_id: int | None = None) -> dict[str, Any]:
        """What ``GET /__simulator__/messages`` answers."""
        start = 0 if after_id is None else max(0, after_id - self.config.first_id + 1)
        return {
            "messages": [m.to_json() for m in self.messages[start:]],
            "sends_per_recipient": dict(self.sends_per_recipient),
            "charged": self.charged,
            "balance": self.config.balance,
        }

    def close(self) -> None:
        self.scheduler.close()
