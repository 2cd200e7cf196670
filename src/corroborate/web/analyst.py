"""The analyses the server runs: stored stories (kept in the store once compared) and
compare-now requests. They run one at a time on a worker thread of their own, since each takes
the CPU and the models for seconds; a few more may wait, and a request waits a bounded time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from corroborate.errors import DeadlineExceeded
from corroborate.jobs import StoryComparison, compare, compare_story, kept_story_comparison
from corroborate.model import InputProblem, Report
from corroborate.read import with_unique_ids
from corroborate.store import Store
from corroborate.web.limits import (
    DEFAULT_ANALYSIS_SECONDS,
    DEFAULT_MAX_COMPARE_CHARS,
    DEFAULT_MAX_WAITING,
    RETRY_AFTER_SECONDS,
)
from corroborate.web.schemas import MAX_REPORTS, MIN_REPORTS

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")


class TooFewOrTooMany(ValueError):
    """A compare-now request that does not hold between MIN_REPORTS and MAX_REPORTS reports."""


class Refused(Exception):
    """An analysis the server will not run, or did not finish, for this request; `status` and
    `headers` are the HTTP answer."""

    status = 503
    headers: ClassVar[Mapping[str, str]] = {}


class TooLarge(Refused):
    """A compare-now request whose texts together are longer than the server compares."""

    status = 413


class Busy(Refused):
    """More analyses are waiting than the server queues."""

    headers: ClassVar[Mapping[str, str]] = {"Retry-After": str(RETRY_AFTER_SECONDS)}


class OutOfTime(Refused):
    """An analysis did not finish within the request's time budget."""


class Analyst:
    """Runs analyses for the server, one at a time, on a worker thread of its own.

    Args:
        store: the store of stories.
        max_chars: the characters of text one compare-now request may hold, all reports
            together.
        seconds: how long a request waits for its analysis, time in the queue included.
        max_waiting: how many analyses may wait while one runs.
    """

    def __init__(
        self,
        store: Store,
        *,
        max_chars: int = DEFAULT_MAX_COMPARE_CHARS,
        seconds: float = DEFAULT_ANALYSIS_SECONDS,
        max_waiting: int = DEFAULT_MAX_WAITING,
    ) -> None:
        self.store = store
        self.max_chars = max_chars
        self.seconds = seconds
        self.max_waiting = max_waiting
        self._worker: ThreadPoolExecutor | None = None  # started on the first analysis
        self._admitted = 0  # running and waiting
        self._count_lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Analyses running or waiting to run (including those no request waits for now)."""
        return self._admitted

    def story(self, story: int) -> StoryComparison:
        """A stored story's comparison; computed (and kept) only when none is kept.

        Raises:
            StoreError: there is no such story.
            Busy: too many analyses are waiting.
            OutOfTime: the comparison did not come within the time budget.
        """
        # Kept comparisons are read without waiting on an analysis; compare_story looks again
        # on the worker, so a story asked for twice at once is compared once.
        kept = kept_story_comparison(self.store, story)
        if kept is not None:
            return kept
        return self._run(lambda deadline: compare_story(self.store, story, deadline=deadline))

    def compare_now(
        self, reports: Sequence[Report], problems: Sequence[InputProblem] = ()
    ) -> dict[str, Any]:
        """Compare reports given in a request, storing nothing; `problems` are inputs of the
        request that could not be read, listed in the result.

        Raises:
            TooFewOrTooMany: fewer than MIN_REPORTS or more than MAX_REPORTS reports.
            TooLarge: the texts hold more than `max_chars` characters together.
            Busy: too many analyses are waiting.
            OutOfTime: the comparison did not come within the time budget.
        """
        count = len(reports)
        if not MIN_REPORTS <= count <= MAX_REPORTS:
            skipped = "".join(f"; skipped {p}" for p in problems)
            raise TooFewOrTooMany(
                f"give {MIN_REPORTS} to {MAX_REPORTS} reports to compare, not {count}{skipped}"
            )
        size = sum(len(r.text) for r in reports)
        if size > self.max_chars:
            raise TooLarge(
                f"the reports hold {size:,} characters of text together; this server compares "
                f"at most {self.max_chars:,} in one request: give fewer or shorter reports"
            )
        unique = with_unique_ids(reports)
        comparison = self._run(lambda deadline: compare(unique, deadline=deadline))
        result = comparison.to_dict()
        result["problems"] += [{"input": p.source, "message": p.message} for p in problems]
        return result

    def close(self) -> None:
        """Drop the waiting analyses (the running one finishes on its thread); a later
        analysis starts a new worker."""
        with self._count_lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=False, cancel_futures=True)

    def _run(self, work: Callable[[float], T]) -> T:
        """`work(deadline)` on the worker, waited on for at most `seconds`.

        The work is given the instant its time is up (`time.monotonic()`) and stops at its
        next paragraph or stage after that, freeing the worker; until then it counts as
        running, so the queue stays bounded. One still waiting in the queue is dropped.
        """
        with self._count_lock:
            if self._admitted > self.max_waiting:
                raise Busy(
                    f"the server is busy: {self._admitted} analyses are running or waiting; "
                    f"try again in {RETRY_AFTER_SECONDS} s"
                )
            if self._worker is None:
                self._worker = ThreadPoolExecutor(1, thread_name_prefix="corroborate-analyst")
            deadline = time.monotonic() + self.seconds
            future = self._worker.submit(work, deadline)
            self._admitted += 1
        future.add_done_callback(self._release)
        try:
            return future.result(timeout=self.seconds)
        except (TimeoutError, DeadlineExceeded):
            queued = future.cancel()
            LOGGER.warning("an analysis took longer than %s s (queued: %s)", self.seconds, queued)
            raise OutOfTime(
                f"the analysis did not finish within this server's time budget of "
                f"{self.seconds:g} s"
                + (" (it was still waiting for other analyses)" if queued else "")
                + ": compare fewer or shorter reports, or try again later"
            ) from None

    def _release(self, _: Future[Any]) -> None:
        with self._count_lock:
            self._admitted -= 1
