"""The sending engine: every queued recipient of a campaign, through the API, logged.

Plain asyncio; the window runs it under qasync, the command line under ``asyncio.run``.

The order of things for each batch is what makes it safe:

1. the recipients are ``queued`` in the log (written when the campaign was created);
2. they are marked ``in_flight`` (a durable commit) **before** the request goes out;
3. the answer moves each one to ``accepted`` (with the platform's id), ``rejected``
   (with the vendor's message), back to ``queued`` when the request surely never reached
   the platform (*not sent*: retried with back-off), or to ``unconfirmed`` when it may
   have (*unknown*: never retried automatically; its callback may still confirm it).

A crash between 2 and 3 leaves ``in_flight`` rows, which ``Log.recover_interrupted``
turns into ``unconfirmed``: a recipient is never sent twice by the program itself.

Sending one ``send-message`` per recipient (``batch_size=1``) is a pipeline
(:class:`kupon_desktop.campaign.pipeline.OneByOne`): recipients claimed in durable slices
just ahead of the senders, answers recorded behind them, so that no request waits for
the log and a crash leaves few recipients claimed that never left.

What an answer means (accepted, rejected, pause for money or the token or a refused
address, retry, unconfirmed) is decided in :mod:`kupon_desktop.api.outcomes`, where the
vendor's texts are known; the engine records it.

The log's counts are re-read (and status events applied) at most every
``refresh_seconds``; in between, ``Progress`` is kept from the engine's own moves, so
``on_progress`` still follows every batch without a database round trip each time.

The engine pauses by itself, keeping the rest queued, when the account runs out of
money (an error answer about funds, or a status 24 arriving), when the token is refused,
when the API address refuses the requests themselves (a redirect, HTTP 404), or when the
platform stays unreachable after every retry. An HTTP 4xx about the message is an answer:
the recipient is rejected with the platform's text, not retried. At the end of a run,
``Progress`` holds why the rejected and unconfirmed recipients are so
(``Progress.unconfirmed_report()``). ``pause()``, ``resume()`` and
``cancel()`` may be called at any moment; the batches already out finish first, then
``run`` returns (a paused campaign is resumed by running it again).

When the log itself fails (``kupon_desktop.store.errors.LogError``: locked by another
program, disk full, read-only) or anything else goes wrong in a batch, the engine stops
taking batches, lets those out finish, marks the campaign ``paused`` with the error as
its reason (if the log lets it: otherwise it stays ``running`` and unclaimed, which
``Log.recover_interrupted`` turns into ``interrupted``) and re-raises the error for the
window or the command line to show. The recipients whose answer could not be recorded
stay ``in_flight``; the next run (which holds the campaign's claim, so nobody else is
sending them) makes them ``unconfirmed`` before it sends anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from kupon_desktop.api.outcomes import STATUS_NO_FUNDS, AnswerRules, Verdict
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import SendResult
from kupon_desktop.campaign.errors import (
    CampaignPaused,
    FundsExhausted,
    LogFailed,
    PausedByUser,
    PlatformRefused,
    PlatformUnavailable,
    ProgramClosed,
    TokenRejected,
)
from kupon_desktop.campaign.pipeline import OneByOne
from kupon_desktop.campaign.ports import EngineLog
from kupon_desktop.campaign.progress import Progress, UnconfirmedReport, tally
from kupon_desktop.campaign.ratelimit import RateLimiter

log = logging.getLogger(__name__)

#: why a recipient found ``in_flight`` when a run starts is ``unconfirmed``
LEFTOVER_ERROR = (
    "no answer recorded: sending stopped while this message was out "
    "(the log could not be written, or the program stopped)"
)


@dataclass(frozen=True)
class EngineOptions:
    #: messages per ``send-list-messages`` request; 1 sends each with ``send-message``.
    #: 500 rather than 200 saves a sixth of the CPU per message (benchmarks/README.md);
    #: a lost answer leaves at most this many unconfirmed
    batch_size: int = 500
    #: requests out at the same time
    concurrency: int = 4
    #: with batch_size 1: recipients read from the log at a time, and the most claimed
    #: in one commit (the pipeline claims far fewer when requests are slow)
    group_size: int = 64
    #: how often the log's counts are re-read and status events applied while sending
    refresh_seconds: float = 0.25
    #: ``gc.freeze()`` while running (see ``_collector_frozen``), so that full garbage
    #: collections over every object of the process do not stall the event loop
    freeze_gc: bool = True
    #: messages per second over the whole campaign; None for no limit
    rate: float | None = None
    #: tries of a request that surely did not reach the platform before pausing
    retry_limit: int = 6
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    #: how the vendor's error texts are recognised (money, token, "try later")
    answers: AnswerRules = field(default_factory=AnswerRules)


class CampaignEngine:
    def __init__(
        self,
        log_: EngineLog,
        client: Any,
        campaign_id: str,
        envelope: Envelope,
        *,
        options: EngineOptions | None = None,
        callback_base: str | None = None,
        message_for: Callable[[Any], OutgoingMessage] | None = None,
        stop_check: Callable[[Sequence[str]], dict[str, str]] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        """``log_`` is a :class:`kupon_desktop.store.Log`; ``client`` a
        :class:`kupon_desktop.api.client.KuponClient`. ``message_for(recipient)`` builds
        a recipient's :class:`OutgoingMessage` without its callback (the engine adds
        that); ``stop_check(addresses)`` returns ``{address: reason}`` for those the
        audience rules now exclude (checked again just before each request)."""
        self.log = log_
        self.client = client
        self.campaign_id = campaign_id
        self.envelope = envelope
        self.options = options or EngineOptions()
        self.callback_base = callback_base.rstrip("/") if callback_base else None
        self.message_for = message_for or (lambda r: OutgoingMessage(r.address, r.text or ""))
        self.stop_check = stop_check
        self.on_progress = on_progress
        self.progress = Progress()
        self._cancelled = False
        self._stop_reason: CampaignPaused | None = None
        #: the first error that stopped a batch (a LogError, or a bug): run re-raises it
        self._failure: Exception | None = None
        #: run was cancelled (the window is closing): queued batches are not started
        self._closing = False
        #: the batches' log writes queue here (see ``_logged``)
        self._writing = asyncio.Lock()
        self._limiter = RateLimiter(self.options.rate)
        self._refreshed = 0.0  # time.monotonic() of the last full refresh
        self._dense = True  # the keys ahead are mostly queued (see _fetch)

    # -- control ---------------------------------------------------------------------

    def pause(self, reason: CampaignPaused | None = None) -> None:
        """Stop taking new batches; those already out finish, then ``run`` returns with
        the campaign ``paused`` and the rest queued. Another ``run`` resumes it."""
        if self._stop_reason is None:
            self._stop_reason = reason or PausedByUser()

    def cancel(self) -> None:
        """Stop; the recipients not yet sent are marked skipped."""
        self._cancelled = True

    @property
    def paused(self) -> bool:
        return self._stop_reason is not None

    @property
    def stop_reason(self) -> CampaignPaused | None:
        return self._stop_reason

    # -- running ---------------------------------------------------------------------

    async def run(self) -> Progress:
        """Send until every recipient is settled, or the campaign is paused by a reason
        of its own (``stop_reason``, and the campaign's state ``paused``) or cancelled.
        """
        if not self.options.freeze_gc:
            return await self._run()
        with _collector_frozen():
            return await self._run()

    async def _run(self) -> Progress:
        from kupon_desktop.store.errors import LogError
        from kupon_desktop.store.models import CampaignState

        claim = await asyncio.to_thread(self.log.claim_campaign, self.campaign_id)
        try:
            await asyncio.to_thread(
                self.log.set_campaign_state, self.campaign_id, CampaignState.RUNNING
            )
            self.progress = Progress()
            await self._settle_leftovers()
            await self._refresh()
            await self._send_all()
            await self._finish()
        except asyncio.CancelledError:
            # the window is closing: what is in flight stays in_flight and becomes
            # unconfirmed on the next start; the rest stays queued
            try:
                await asyncio.shield(
                    asyncio.to_thread(
                        self.log.set_campaign_state,
                        self.campaign_id,
                        CampaignState.PAUSED,
                        ProgramClosed().stored(),
                    )
                )
            except LogError as exc:  # left running: recover_interrupted takes it
                log.warning("campaign %s not marked paused: %s", self.campaign_id, exc)
            raise
        except Exception as exc:
            await self._stopped_by(exc)
            raise
        finally:
            await asyncio.to_thread(claim.release)
        return self.progress

    async def _finish(self) -> None:
        from kupon_desktop.store.models import CampaignState

        cid = self.campaign_id
        if self._cancelled:
            await self._skip_queued("campaign cancelled")
            await asyncio.to_thread(self.log.set_campaign_state, cid, CampaignState.CANCELLED)
            self.progress.state = "cancelled"
        elif self._stop_reason is not None:
            await asyncio.to_thread(
                self.log.set_campaign_state,
                cid,
                CampaignState.PAUSED,
                self._stop_reason.stored(),
            )
            self.progress.state = "paused"
            self.progress.reason = self._stop_reason.stored()
        else:
            await asyncio.to_thread(self.log.set_campaign_state, cid, CampaignState.FINISHED)
            self.progress.state = "finished"
        await self._refresh()
        await self._explain()

    async def _explain(self) -> None:
        """The reasons of the recipients left rejected and unconfirmed, counted from the
        log (every run's, not only this one's), for ``Progress.unconfirmed_report``."""
        from kupon_desktop.store.models import RecipientState

        p = self.progress

        def why(state: RecipientState) -> list[tuple[str, int]]:
            found = self.log.iter_recipients(self.campaign_id, states=[state])
            return tally(r.error for r in found)

        if p.unconfirmed:
            p.unconfirmed_why = await asyncio.to_thread(why, RecipientState.UNCONFIRMED)
        if p.rejected:
            p.rejected_why = await asyncio.to_thread(why, RecipientState.REJECTED)

    async def _stopped_by(self, exc: Exception) -> None:
        """After a failure (the log's, or a bug): the campaign paused with the error as
        its reason, and what the failed batches left in flight made unconfirmed, as far
        as the log lets us now; otherwise the next run does both."""
        from kupon_desktop.store.errors import LogError, LogLocked
        from kupon_desktop.store.models import CampaignState

        if isinstance(exc, LogError):
            reason = LogFailed(str(exc), exc.message_ru).stored()
        else:
            reason = CampaignPaused(str(exc) or type(exc).__name__).stored()
        self.progress.state = "paused"
        self.progress.reason = reason
        if isinstance(exc, LogLocked):
            return  # another write would wait busy_timeout again before the user hears
        # the state first: it is what the window and History show; a small update
        # that may still fit where the leftovers' records no longer do
        try:
            await asyncio.to_thread(
                self.log.set_campaign_state, self.campaign_id, CampaignState.PAUSED, reason
            )
            await self._settle_leftovers()
        except LogError as again:
            log.warning(
                "campaign %s stopped on %r; the log still fails: %s", self.campaign_id, exc, again
            )

    async def _settle_leftovers(self) -> None:
        """Recipients ``in_flight`` while this engine holds the campaign's claim were
        left by a run that stopped before their answers were recorded: their requests
        may have reached the platform, so they become ``unconfirmed`` (never resent
        automatically; a callback still makes them accepted)."""
        from kupon_desktop.store.models import RecipientState

        cid = self.campaign_id
        # a status that arrived meanwhile proves the platform has the message: applied
        # first, it makes such a recipient accepted rather than unconfirmed
        await self._logged(self.log.apply_status_events)
        counts = await asyncio.to_thread(self.log.counts, cid)
        if not counts.states.get(RecipientState.IN_FLIGHT):
            return

        def settle() -> int:
            keys = [r.key for r in self.log.iter_recipients(cid, states=[RecipientState.IN_FLIGHT])]
            return len(self.log.mark_unconfirmed(cid, [(k, LEFTOVER_ERROR) for k in keys]))

        moved = await asyncio.to_thread(settle)
        log.info("campaign %s: %d recipient(s) left in flight are unconfirmed", cid, moved)

    async def _skip_queued(self, reason: str) -> None:
        while True:
            rows = await asyncio.to_thread(self.log.recipients_to_send, self.campaign_id, 5000)
            if not rows:
                return
            await asyncio.to_thread(
                self.log.mark_skipped, self.campaign_id, [r.key for r in rows], reason
            )

    async def _send_all(self) -> None:
        queue: asyncio.Queue[list[Any] | None] = asyncio.Queue(
            maxsize=max(2, self.options.concurrency * 2)
        )
        if self.options.batch_size <= 1:
            workers = [asyncio.create_task(OneByOne(self).run(queue))]
        else:
            workers = [
                asyncio.create_task(self._worker(queue))
                for _ in range(max(1, self.options.concurrency))
            ]
        try:
            await self._produce(queue)
        except asyncio.CancelledError:
            self._closing = True  # the batches queued stay queued; those out finish
            raise
        except Exception as exc:
            self._fail(exc)
        finally:
            for _ in workers:
                await queue.put(None)
            results = await asyncio.gather(*workers, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        if self._failure is not None:
            raise self._failure

    def _fail(self, exc: Exception) -> None:
        """Stop taking batches because of ``exc`` (the first one is what run raises)."""
        if self._failure is None:
            self._failure = exc

    def _should_stop(self) -> bool:
        return (
            self._cancelled
            or self._stop_reason is not None
            or self._failure is not None
            or self._closing
        )

    async def _produce(self, queue: asyncio.Queue[list[Any] | None]) -> None:
        cursor = -1
        swept = False
        size = max(1, self.options.batch_size)
        if size == 1:
            size = max(1, self.options.group_size)
        self._dense = True
        total = self.progress.total
        while True:
            if self._should_stop():
                return
            rows, after = await asyncio.to_thread(self._fetch, size, cursor, total)
            if rows or after != cursor:
                cursor = after
                if rows:
                    swept = False
                    await queue.put(rows)
                continue
            if swept:
                return
            # the end of one pass: wait for the batches out, then sweep once from the
            # start for recipients queued again meanwhile (a resend by the user)
            await queue.join()
            if self._should_stop():
                return
            cursor, swept = -1, True
            self._dense = False

    def _fetch(self, size: int, cursor: int, total: int) -> tuple[list[Any], int]:
        """In a worker thread: up to ``size`` queued recipients with a key above
        ``cursor``, and the cursor to pass next. While the keys read are mostly queued
        (a first pass), it reads the next ``size`` keys as columns (``read_columns``:
        0.15 s per 100,000 against 0.42 s for ``recipients_to_send``, which builds a
        full ``Recipient`` each) and keeps the queued ones as :class:`PendingRecipient`;
        otherwise (a resumed campaign, the sweep) the log picks the queued ones."""
        if self._dense and cursor + 1 < total:
            start = cursor + 1
            end = min(total, start + size)
            cols = self.log.read_columns(self.campaign_id, _FETCH_COLUMNS, keys=range(start, end))
            rows = [
                PendingRecipient(
                    key,
                    row,
                    address,
                    name,
                    text,
                    fields,
                    datetime.fromisoformat(at) if at else None,
                )
                for key, state, row, address, name, text, fields, at in zip(
                    *(cols[c] for c in _FETCH_COLUMNS), strict=True
                )
                if state == "queued"
            ]
            if 2 * len(rows) < end - start:
                self._dense = False
            return rows, end - 1
        found = self.log.recipients_to_send(self.campaign_id, size, cursor)
        return found, found[-1].key if found else cursor

    async def _worker(self, queue: asyncio.Queue[list[Any] | None]) -> None:
        while True:
            rows = await queue.get()
            try:
                if rows is None:
                    return
                if not self._should_stop():
                    try:
                        await self._send_batch(rows)
                    except Exception as exc:
                        # the log failed (LogError) or a bug: stop everything, and keep
                        # taking from the queue, so that the producer never waits for a
                        # worker that is gone
                        self._fail(exc)
            finally:
                queue.task_done()

    # -- one batch -------------------------------------------------------------------

    async def _send_batch(self, rows: list[Any]) -> None:
        cid = self.campaign_id
        if self.stop_check is not None:
            # in a worker thread: it reads the log, and the GUI thread must not wait
            # for the log's lock while a sending commit holds it
            excluded = await asyncio.to_thread(self.stop_check, [r.address for r in rows])
            if excluded:
                moved = await self._logged(
                    self.log.mark_excluded,
                    cid,
                    [(r.key, excluded[r.address]) for r in rows if r.address in excluded],
                )
                self._count(queued=-len(moved), excluded=len(moved))
                rows = [r for r in rows if r.address not in excluded]
                if not rows:
                    return
        await self._limiter.take(len(rows))
        rows, messages = await self._logged(self._claim, rows)
        self._count(queued=-len(rows), in_flight=len(rows))
        attempt = 0
        while rows:
            results = await self._send(messages)
            retry = await self._record(rows, results)
            self.progress.sent_this_run += len(rows) - len(retry)
            await self._progressed()
            if not retry:
                return
            attempt += 1
            wait_for = max((r.retry_after or 0.0) for _, r in retry)
            rows = [row for row, _ in retry]
            if attempt >= self.options.retry_limit or self._should_stop():
                # they are queued again (mark_not_sent): a later resume sends them
                if not self._should_stop():
                    self.pause(PlatformUnavailable(retry[0][1].message))
                return
            delay = min(self.options.backoff_max, self.options.backoff_initial * 2 ** (attempt - 1))
            await asyncio.sleep(max(delay, wait_for))
            if self._should_stop():
                return
            rows, messages = await self._logged(self._claim, rows)
            self._count(queued=-len(rows), in_flight=len(rows))

    async def _logged(self, write: Callable[..., Any], *args: Any) -> Any:
        """A log write of the batches, in a worker thread. They queue here rather than
        on the log's own lock: once one has waited the whole busy timeout and found the
        log locked by another program, those queued behind it give up at once instead
        of each waiting as long again (four workers would keep the user waiting four
        busy timeouts for the message). What they held stays queued (not yet sent) or
        in flight (sent; unconfirmed on the next run)."""
        from kupon_desktop.store.errors import LogLocked

        async with self._writing:
            if isinstance(self._failure, LogLocked):
                raise self._failure
            return await asyncio.to_thread(write, *args)

    def _claim(self, rows: list[Any]) -> tuple[list[Any], list[OutgoingMessage]]:
        """In a worker thread: mark the rows ``in_flight`` and build their requests, the
        moment before they go out (the send window is decided now). Returns the rows
        that moved and their messages. Off the event loop: building 500 messages is a
        millisecond the window would otherwise not react."""
        moved = set(self.log.mark_in_flight(self.campaign_id, [r.key for r in rows]))
        rows = [r for r in rows if r.key in moved]
        return rows, [self._message(r) for r in rows]

    def _message(self, recipient: Any) -> OutgoingMessage:
        message = self.message_for(recipient)
        if self.callback_base is None:
            return message
        callback = (
            f"{self.callback_base}/{self.campaign_id}/{recipient.key}?id={{id}}&status={{status}}"
        )
        return OutgoingMessage(
            address=message.address,
            text=message.text,
            html_text=message.html_text,
            send_at=message.send_at,
            ttl=message.ttl,
            button=message.button,
            action=message.action,
            image=message.image,
            callback=callback,
        )

    async def _send(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        return list(await self.client.send_list_messages(self.envelope, messages))

    async def _record(
        self, rows: list[Any], results: list[SendResult]
    ) -> list[tuple[Any, SendResult]]:
        """Write each outcome to the log (what it means: ``api.outcomes``); returns the
        (row, result) pairs to retry."""
        cid = self.campaign_id
        accepted: list[tuple[int, int]] = []
        rejected: list[tuple[int, str]] = []
        unconfirmed: list[tuple[int, str]] = []
        not_sent: list[tuple[int, str]] = []
        retry: list[tuple[Any, SendResult]] = []
        classify = self.options.answers.classify
        for row, result in zip(rows, results, strict=True):
            verdict = classify(result)
            if verdict is Verdict.ACCEPTED:
                try:
                    accepted.append((row.key, int(str(result.platform_id))))
                except ValueError:
                    # the store keys events by a numeric id; an id of another form is
                    # kept as the error text and the recipient left for the user
                    unconfirmed.append((row.key, f"platform id {result.platform_id!r}"))
            elif verdict is Verdict.REJECTED:
                rejected.append((row.key, result.message))
            elif verdict is Verdict.UNCONFIRMED:
                unconfirmed.append((row.key, result.message or "no answer"))
            else:
                # nothing was delivered: queued again, to be retried or resumed
                not_sent.append((row.key, result.message))
                if verdict is Verdict.RETRY_LATER:
                    retry.append((row, result))
                else:
                    self.pause(_pause_for(verdict, result))
        if accepted:
            moved = await self._logged(self.log.mark_accepted, cid, accepted)
            self._count(in_flight=-len(moved), accepted=len(moved))
        if rejected:
            moved = await self._logged(self.log.mark_rejected, cid, rejected)
            self._count(in_flight=-len(moved), rejected=len(moved))
        if unconfirmed:
            moved = await self._logged(self.log.mark_unconfirmed, cid, unconfirmed)
            self._count(in_flight=-len(moved), unconfirmed=len(moved))
        if not_sent:
            moved = await self._logged(self.log.mark_not_sent, cid, not_sent)
            self._count(in_flight=-len(moved), queued=len(moved))
        return retry if not self._should_stop() else []

    def _count(self, **deltas: int) -> None:
        """Keep ``progress`` from the engine's own moves between two full refreshes."""
        p = self.progress
        for name, delta in deltas.items():
            setattr(p, name, max(0, getattr(p, name) + delta))

    async def _progressed(self) -> None:
        """After a batch: a full refresh if the last is older than ``refresh_seconds``,
        else report the counts kept locally."""
        if time.monotonic() - self._refreshed >= self.options.refresh_seconds:
            await self._refresh()
        elif self.on_progress is not None:
            self.on_progress(self.progress)

    async def _refresh(self) -> None:
        # statuses that arrived meanwhile are applied here too, so that a status 24
        # (insufficient funds) pauses the campaign at once even with no window open
        self._refreshed = time.monotonic()
        applied = await self._logged(self.log.apply_status_events)
        if applied.new_statuses.get(self.campaign_id, {}).get(STATUS_NO_FUNDS):
            self.pause(FundsExhausted("status 24"))
        counts = await asyncio.to_thread(self.log.counts, self.campaign_id)
        p = self.progress
        p.total = counts.total
        states = {s.value: n for s, n in counts.states.items()}
        p.queued = states.get("queued", 0)
        p.in_flight = states.get("in_flight", 0)
        p.accepted = states.get("accepted", 0)
        p.rejected = states.get("rejected", 0)
        p.unconfirmed = states.get("unconfirmed", 0)
        p.skipped = states.get("skipped", 0)
        p.excluded = states.get("excluded", 0)
        if self.on_progress is not None:
            self.on_progress(p)


def _pause_for(verdict: Verdict, result: SendResult) -> CampaignPaused:
    """The reason a campaign pauses for an answer that keeps its recipient queued."""
    if verdict is Verdict.NO_FUNDS:
        return FundsExhausted(result.message)
    if verdict is Verdict.TOKEN_REFUSED:
        return TokenRejected(result.message)
    return PlatformRefused(result.message)


_frozen_runs = 0


@contextlib.contextmanager
def _collector_frozen() -> Iterator[None]:
    """While any engine runs, everything alive when the first one started (the window,
    Qt's wrappers, pandas) is out of the cyclic collector's reach (``gc.freeze``): a full
    collection over it took 60–150 ms on the GUI thread, several times a campaign, and
    the window stalled while sending. Objects made meanwhile are collected as usual;
    when the last run ends the frozen ones are handed back (``gc.unfreeze``), so nothing
    stays uncollectable for good (benchmarks/README.md)."""
    global _frozen_runs
    if _frozen_runs == 0:
        gc.freeze()
    _frozen_runs += 1
    try:
        yield
    finally:
        _frozen_runs -= 1
        if _frozen_runs == 0:
            gc.unfreeze()


_FETCH_COLUMNS = ["key", "state", "row", "address", "name", "text", "fields", "scheduled_at"]


class PendingRecipient(NamedTuple):
    """A queued recipient as the engine reads it on a first pass: the attributes a
    request is built from, named as in ``store.models.Recipient`` (``message_for`` and
    ``stop_check`` get either)."""

    key: int
    row: int | None
    address: str
    name: str | None
    text: str | None
    fields_json: str | None
    scheduled_at: datetime | None

    @property
    def fields(self) -> dict[str, Any]:
        return json.loads(self.fields_json) if self.fields_json else {}


__all__ = [
    "LEFTOVER_ERROR",
    "CampaignEngine",
    "EngineOptions",
    "PendingRecipient",
    "Progress",
    "UnconfirmedReport",
]
