"""Corroborate: line up the facts of several news reports of one event, traceably."""

from __future__ import annotations

import logging

from corroborate.errors import ArgumentError, CorroborateError, InputError, NoReportsError
from corroborate.jobs import compare, extract_mentions
from corroborate.model import Comparison, Fact, Mention, Removed, Report, Source
from corroborate.read import read_reports

__all__ = [
    "ArgumentError",
    "Comparison",
    "CorroborateError",
    "Fact",
    "InputError",
    "Mention",
    "NoReportsError",
    "Removed",
    "Report",
    "Source",
    "compare",
    "extract_mentions",
    "read_reports",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
