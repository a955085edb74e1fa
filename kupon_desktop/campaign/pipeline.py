"""Sending one ``send-message`` per recipient (``EngineOptions.batch_size=1``) as a
pipeline, so that no request waits for the log.

* The *feeder* takes the engine producer's groups of recipients and claims them in
  slices: checks a slice against ``stop_check``, paces it, marks it ``in_flight`` in one
  durable commit and puts its messages on the ``ready`` queue.
* ``concurrency`` *senders* each take one message at a time from ``ready`` and send it.
* The *recorder* writes the answers, many per transaction, and schedules the retries: a
  recipient whose request surely did not reach the platform (*not sent*) is queued
  again, claimed again after its back-off and sent again, up to ``retry_limit`` tries,
  after which the campaign pauses with it queued.

What a crash can cost
---------------------
A recipient claimed (``in_flight`` in the log) whose answer is not yet recorded becomes
``unconfirmed`` after a crash: never resent automatically, though its message may never
have left. So the feeder claims only what the senders are about to take: one message
per idle sender, plus a lead of what they send in about two claim commits (measured:
the senders' request time and the commit's, :meth:`OneByOne.lead`), so that the senders
never wait for the log. When requests are slow the lead is nothing and at most a
handful of claimed messages have not left; when they are fast it is a few dozen,
gone in milliseconds. (Claiming a fixed ``concurrency × group_size`` ahead stranded up
to 245 recipients that never reached the platform per kill.) The recorder likewise
writes as soon as a lead's worth of answers is in, not a whole group: an answer not
recorded is unconfirmed after a crash too, though a status callback still settles it
(it reached the platform).

Each producer group is ``task_done`` on the producer's queue once every recipient of it
is settled, so the producer's end-of-pass sweep still waits for the retries. When the
engine stops (pause, cancel, a failure, the window closing) the senders finish the
requests out and send nothing more; the messages claimed but not sent are recorded
*not sent* (queued again: they never left), or stay ``in_flight`` if the log fails
(``unconfirmed`` on the next run).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kupon_desktop.api.errors import ClientClosed, ValidationError
from kupon_desktop.api.outgoing import OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.campaign.errors import PlatformUnavailable

if TYPE_CHECKING:
    from kupon_desktop.campaign.engine import CampaignEngine

#: the lead covers this many claim commits' worth of sending: the claims, half a lead
#: or more each, stay few (a commit costs about a millisecond of CPU) while the senders
#: never wait for one
_LEAD_COMMITS = 4
#: weight of the newest measurement in the running averages of request and commit time
_SMOOTHING = 0.2


class OneByOne:
    """One run's pipeline (see the module docstring); ``await run(queue)``."""

    #: the message of a recipient claimed but not sent because sending stopped
    STOPPED = "not sent: sending stopped before this message went out"

    def __init__(self, engine: CampaignEngine) -> None:
        self.engine = engine
        options = engine.options
        self.senders = max(1, options.concurrency)
        self.group = max(1, options.group_size)
        #: claimed and not yet recorded, at most (a backstop: the lead keeps it far lower)
        self.limit = self.senders * self.group
        #: claimed (in_flight) and not yet recorded
        self.outstanding = 0
        #: senders inside a request
        self.on_wire = 0
        #: running averages (seconds) of one request and of one claim commit; None
        #: until measured
        self.request_seconds: float | None = None
        self.claim_seconds: float | None = None
        self.ready: asyncio.Queue[tuple[Any, OutgoingMessage] | None] = asyncio.Queue()
        self.answered: list[tuple[Any, SendResult | None]] = []
        self.wake_recorder = asyncio.Event()
        self.recorded = asyncio.Event()  # set after every recording pass
        #: set whenever a sender takes a message or finishes one, and after recording:
        #: the feeder looks again whether to claim
        self.moved = asyncio.Event()
        #: one claimer at a time (the feeder, a retry), so that two do not both fill
        #: the same idle senders
        self.claiming = asyncio.Lock()
        self.closing = False
        #: key -> the producer's group (a one-item list: its recipients not yet settled)
        self.group_of: dict[int, list[int]] = {}
        self.tries: dict[int, int] = {}
        self.retries: set[asyncio.Task[None]] = set()
        #: keys of the recipients a retry task holds (queued, waiting out a back-off)
        self.held: set[int] = set()
        self.queue: asyncio.Queue[list[Any] | None] | None = None
        #: the most claimed-but-not-sent and claimed-but-unrecorded seen (tests, bench)
        self.most_unsent = 0
        self.most_outstanding = 0

    async def run(self, queue: asyncio.Queue[list[Any] | None]) -> None:
        self.queue = queue
        senders = [asyncio.create_task(self.send()) for _ in range(self.senders)]
        recorder = asyncio.create_task(self.record())
        try:
            await self.feed(queue)
            # the producer is done: let the retries and the answers out settle
            while self.retries or self.outstanding:
                if self.retries:
                    await asyncio.wait(set(self.retries))
                else:
                    self.recorded.clear()
                    await self.recorded.wait()
        finally:
            for _ in senders:
                self.ready.put_nowait(None)
            await asyncio.gather(*senders, return_exceptions=True)
            self.closing = True
            self.wake_recorder.set()
            await asyncio.gather(recorder, return_exceptions=True)

    # -- how much to claim -----------------------------------------------------------

    def lead(self) -> int:
        """Messages the senders send, all busy, in about two claim commits: how many
        beyond one per idle sender are claimed ahead so that no sender waits for the
        log. 0 until both times are measured, and when requests are slow."""
        request, claim = self.request_seconds, self.claim_seconds
        if request is None or claim is None:
            return 0
        per_second = self.senders / max(request, 1e-6)
        return min(self.group, math.floor(_LEAD_COMMITS * per_second * claim))

    def wanted(self) -> int:
        """How many to claim now: one per idle sender plus the lead, less what waits."""
        idle = self.senders - self.on_wire
        return idle + self.lead() - self.ready.qsize()

    async def room(self, pending: int) -> int:
        """Wait until it is worth claiming; how many of ``pending`` to claim (0: the
        engine is stopping). A claim waits for half a lead's worth of room, so that
        fast sending still claims in slices, not one by one."""
        engine = self.engine
        while True:
            if engine._should_stop():
                return 0
            cap = min(self.limit - self.outstanding, pending)
            if engine._limiter.rate:
                # never claim ahead of the pace: a paced message waits unclaimed
                cap = min(cap, max(1, int(engine._limiter.burst)))
            want = min(self.wanted(), cap)
            if want > 0 and want >= min(max(1, self.lead() // 2), cap):
                return want
            self.moved.clear()
            with contextlib.suppress(TimeoutError):  # a pause is noticed meanwhile
                await asyncio.wait_for(self.moved.wait(), engine.options.refresh_seconds)

    # -- the feeder ------------------------------------------------------------------

    async def feed(self, queue: asyncio.Queue[list[Any] | None]) -> None:
        """Claim the producer's recipients a slice at a time, as the senders can take
        them; a slice may span the producer's groups (claims of a lead's worth, not of
        whatever was left of a group)."""
        engine = self.engine
        buffer: list[Any] = []
        ended = False
        while True:
            while not ended and (not buffer or (len(buffer) < self.group and not queue.empty())):
                rows = await queue.get()
                if rows is None:
                    queue.task_done()
                    ended = True
                elif not rows:
                    queue.task_done()
                else:
                    group = [len(rows)]
                    for row in rows:
                        self.group_of[row.key] = group
                    buffer.extend(rows)
            if not buffer:
                return
            try:
                buffer = await self.claim_slice(buffer)
            except Exception as exc:
                # the log failed (LogError) or a bug: stop everything; what was claimed
                # stays in_flight (unconfirmed on the next run)
                engine._fail(exc)
                self.settle(buffer)
                buffer = []

    async def claim_in_slices(self, rows: list[Any]) -> None:
        """Claim all of ``rows``, a slice at a time (a retry's recipients)."""
        while rows:
            rows = await self.claim_slice(rows)

    async def claim_slice(self, rows: list[Any]) -> list[Any]:
        """Wait until the senders can take more, claim that many of ``rows`` and return
        the rest; when the engine stops, every one of them is settled unclaimed (they
        stay queued) and nothing is returned."""
        engine = self.engine
        async with self.claiming:
            count = await self.room(len(rows))
            if count == 0:
                self.settle(rows)
                return []
            part, rest = rows[:count], rows[count:]
            try:
                part = await self.exclude(part)
                await engine._limiter.take(len(part))
                if engine._should_stop():
                    self.settle([*part, *rest])
                    return []
                await self.claim(part)
            except Exception:
                self.settle(part)
                raise
            return rest

    async def exclude(self, rows: list[Any]) -> list[Any]:
        """The rows the audience rules still let through; the others excluded."""
        engine = self.engine
        if engine.stop_check is None or not rows:
            return rows
        # in a worker thread: it reads the log (see CampaignEngine._send_batch)
        excluded = await asyncio.to_thread(engine.stop_check, [r.address for r in rows])
        if not excluded:
            return rows
        out = [r for r in rows if r.address not in excluded]
        moved = await engine._logged(
            engine.log.mark_excluded,
            engine.campaign_id,
            [(r.key, excluded[r.address]) for r in rows if r.address in excluded],
        )
        engine._count(queued=-len(moved), excluded=len(moved))
        self.settle([r for r in rows if r.address in excluded])
        return out

    async def claim(self, rows: list[Any]) -> None:
        """Mark ``rows`` in_flight (a durable commit), then queue their messages."""
        if not rows:
            return
        engine = self.engine
        started = time.monotonic()
        claimed, messages = await engine._logged(engine._claim, rows)
        self.claim_seconds = _average(self.claim_seconds, time.monotonic() - started)
        engine._count(queued=-len(claimed), in_flight=len(claimed))
        if len(claimed) < len(rows):
            moved = {r.key for r in claimed}
            self.settle([r for r in rows if r.key not in moved])
        self.outstanding += len(claimed)
        self.most_outstanding = max(self.most_outstanding, self.outstanding)
        for item in zip(claimed, messages, strict=True):
            self.ready.put_nowait(item)
        self.most_unsent = max(self.most_unsent, self.ready.qsize() - self.idle_waiting())

    def idle_waiting(self) -> int:
        """Senders waiting on ``ready``: they take a message at once."""
        return max(0, self.senders - self.on_wire)

    def settle(self, rows: Sequence[Any]) -> None:
        """These recipients are done with (for this run): their groups may be done."""
        for row in rows:
            group = self.group_of.pop(row.key, None)
            if group is None:
                continue
            self.tries.pop(row.key, None)
            group[0] -= 1
            if group[0] == 0 and self.queue is not None:
                self.queue.task_done()

    # -- the senders -----------------------------------------------------------------

    async def send(self) -> None:
        engine = self.engine
        client, envelope = engine.client, engine.envelope
        ready, answered = self.ready, self.answered
        while True:
            item = await ready.get()
            if item is None:
                return
            row, message = item
            result: SendResult | None = None  # None: not sent, sending stopped
            if not engine._should_stop():
                self.on_wire += 1
                self.moved.set()
                started = time.monotonic()
                try:
                    result = await client.send_message(envelope, message)
                except (ValidationError, ClientClosed) as exc:
                    # raised before any request: nothing went out; stop
                    engine._fail(exc)
                except Exception as exc:
                    # a bug, perhaps after the request went out: stop, and never resend
                    engine._fail(exc)
                    result = SendResult(
                        ResultKind.UNKNOWN, message=f"no usable answer ({type(exc).__name__})"
                    )
                finally:
                    self.on_wire -= 1
                self.request_seconds = _average(self.request_seconds, time.monotonic() - started)
                self.moved.set()
            answered.append((row, result))
            count = len(answered)
            if (
                count >= max(1, self.lead())
                or count >= self.outstanding
                or result is None
                or count >= self.group
            ):
                self.wake_recorder.set()

    # -- the recorder ----------------------------------------------------------------

    async def record(self) -> None:
        engine = self.engine
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake_recorder.wait(), engine.options.refresh_seconds)
            self.wake_recorder.clear()
            if not self.answered:
                if self.closing:
                    return
                continue
            batch = self.answered.copy()  # in place: the senders hold the list
            self.answered.clear()
            rows = [row for row, _ in batch]
            retry: list[tuple[Any, SendResult]] = []
            try:
                results = [
                    result or SendResult(ResultKind.NOT_SENT, message=self.STOPPED)
                    for _, result in batch
                ]
                retry = await engine._record(rows, results)
                engine.progress.sent_this_run += sum(
                    1 for _, result in batch if result is not None
                ) - len(retry)
                if retry:
                    self.schedule(retry)
                await engine._progressed()
            except Exception as exc:
                engine._fail(exc)  # the log failed or a bug: what it held stays in_flight
            finally:
                self.outstanding -= len(batch)
                self.settle([row for row in rows if row.key not in self.held])
                self.recorded.set()
                self.moved.set()

    def schedule(self, retry: list[tuple[Any, SendResult]]) -> None:
        """Queued again in the log (``mark_not_sent``): each recipient is claimed and sent
        again after its back-off, or left queued with the campaign paused after
        ``retry_limit`` tries (a later resume sends it)."""
        engine = self.engine
        options = engine.options
        waves: dict[int, list[tuple[Any, SendResult]]] = {}
        for row, result in retry:
            tries = self.tries[row.key] = self.tries.get(row.key, 0) + 1
            if tries >= options.retry_limit:
                if not engine._should_stop():
                    engine.pause(PlatformUnavailable(result.message))
                self.settle([row])
            else:
                waves.setdefault(tries, []).append((row, result))
        for tries, wave in waves.items():
            delay = min(options.backoff_max, options.backoff_initial * 2 ** (tries - 1))
            wait_for = max((r.retry_after or 0.0) for _, r in wave)
            rows = [row for row, _ in wave]
            self.retries.add(asyncio.create_task(self.retry(rows, max(delay, wait_for))))
            self.held.update(row.key for row in rows)

    async def retry(self, rows: list[Any], delay: float) -> None:
        task = asyncio.current_task()
        try:
            await self._retry(rows, delay)
        finally:
            self.held.difference_update(row.key for row in rows)
            if task is not None:
                self.retries.discard(task)

    async def _retry(self, rows: list[Any], delay: float) -> None:
        engine = self.engine
        try:
            # in slices, so that a pause does not wait out a long back-off
            until = time.monotonic() + delay
            while (left := until - time.monotonic()) > 0 and not engine._should_stop():
                await asyncio.sleep(min(left, engine.options.refresh_seconds))
            if engine._should_stop():
                self.settle(rows)
                return
            await self.claim_in_slices(rows)
        except Exception as exc:
            engine._fail(exc)
            self.settle(rows)


def _average(old: float | None, new: float) -> float:
    return new if old is None else old + _SMOOTHING * (new - old)


__all__ = ["OneByOne"]
