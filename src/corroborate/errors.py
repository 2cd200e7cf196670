"""The exceptions Corroborate raises; each says what went wrong and how to fix it."""

from __future__ import annotations

import time


class CorroborateError(Exception):
    """Base class: every error the package raises on purpose."""

    code = "corroborate"
    exit_code = 1


class InputError(CorroborateError):
    """An input could not be read as a report (missing, binary, undecodable, empty, too big)."""

    code = "input"
    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ArgumentError(CorroborateError, ValueError):
    """A Python API call was given an argument it cannot use: says which argument and why.

    Also a `ValueError`, so code that caught the built-in error before keeps working.
    """

    code = "argument"
    exit_code = 2

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(f"{argument}: {problem}")
        self.argument = argument
        self.problem = problem


class NoReportsError(CorroborateError):
    """None of the inputs gave a report to analyse."""

    code = "no-reports"
    exit_code = 2


class ModelMissingError(CorroborateError):
    """A model the pipeline needs (spaCy, sentence embeddings) is not installed."""

    code = "model-missing"
    exit_code = 3


class StoreError(CorroborateError):
    """The store could not be opened or does not hold what was asked for."""

    code = "store"
    exit_code = 4


class DeadlineExceeded(CorroborateError):
    """An analysis given a deadline (`compare(..., deadline=)`) did not finish before it; it
    stopped at the next point it could."""

    code = "deadline"
    exit_code = 5


def check_deadline(deadline: float | None, doing: str) -> None:
    """Stop work past its deadline (a `time.monotonic()` instant; None: no deadline).

    Raises:
        DeadlineExceeded: the deadline has passed.
    """
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlineExceeded(f"out of time while {doing}")
