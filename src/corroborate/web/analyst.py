"""The analyses the server runs: stored stories (kept in the store once compared) and
compare-now requests, one at a time, since each takes the CPU and the models for seconds."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from corroborate.jobs import StoryComparison, compare, compare_story, kept_story_comparison
from corroborate.model import InputProblem, Report
from corroborate.read import with_unique_ids
from corroborate.store import Store
from corroborate.web.schemas import MAX_REPORTS, MIN_REPORTS


class TooFewOrTooMany(ValueError):
    """A compare-now request that does not hold between MIN_REPORTS and MAX_REPORTS reports."""


class Analyst:
    """Runs analyses for the server, one at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()

    def story(self, story: int) -> StoryComparison:
        """A stored story's comparison; computed (and kept) only when none is kept.

        Raises:
            StoreError: there is no such story.
        """
        # Kept comparisons are read without waiting on an analysis; compare_story looks again
        # under the lock, so a story asked for twice at once is compared once.
        kept = kept_story_comparison(self.store, story)
        if kept is not None:
            return kept
        with self._lock:
            return compare_story(self.store, story)

    def compare_now(
        self, reports: Sequence[Report], problems: Sequence[InputProblem] = ()
    ) -> dict[str, Any]:
        """Compare reports given in a request, storing nothing; `problems` are inputs of the
        request that could not be read, listed in the result.

        Raises:
            TooFewOrTooMany: fewer than MIN_REPORTS or more than MAX_REPORTS reports.
        """
        count = len(reports)
        if not MIN_REPORTS <= count <= MAX_REPORTS:
            skipped = "".join(f"; skipped {p}" for p in problems)
            raise TooFewOrTooMany(
                f"give {MIN_REPORTS} to {MAX_REPORTS} reports to compare, not {count}{skipped}"
            )
        with self._lock:
            comparison = compare(with_unique_ids(reports))
        result = comparison.to_dict()
        result["problems"] += [{"input": p.source, "message": p.message} for p in problems]
        return result
