"""What surrounds each count: the words, places, dates and meaning of its sentence, and where
in its report it stands. Pairing compares these to tell one incident from another."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from corroborate.align.incidents import find_incidents
from corroborate.align.referents import count_key
from corroborate.embeddings import load_encoder
from corroborate.extract.dates import date_span
from corroborate.extract.events import LEAD_CHARS, lead_violent_event_types, violent_event_types
from corroborate.extract.numbers import find_numbers
from corroborate.gazetteer import Place, PlaceRelation, relation, resolve_place
from corroborate.lexicon import PLACE_KIND_WORDS, place_key, word_set
from corroborate.model import CountKey, EventType, Incident, Mention, Report

# A count's context is its sentence, cut to this many characters either side of it: FA-KES
# and scraped texts often run several sentences together without full stops.
WINDOW_CHARS = 160
# Days apart that two sentences' dates may be and still tell of one count: "late Saturday"
# and "early Sunday" are one night; reports resolve weekdays against different days.
DATE_SLACK_DAYS = 1
# Generic place words, as place keys: "Midan district" is Midan.
PLACE_KINDS = frozenset(place_key(word, use_table=False) for word in PLACE_KIND_WORDS)
STOPWORDS = word_set(
    "the a an and or of in on at to for from with by as that this is was were be been has have "
    "had it its their they he she said says also after before over into than which who"
)

Vector = npt.NDArray[np.float32]
NESTED = frozenset({PlaceRelation.SAME, PlaceRelation.CONTAINS, PlaceRelation.WITHIN})


class MentionContext:
    """Context of every mention of a set of reports, embedded once."""

    def __init__(self, mentions: Sequence[Mention], reports: dict[str, Report]) -> None:
        unknown = {m.report for m in mentions} - set(reports)
        if unknown:
            raise ValueError(f"mentions of reports not given: {', '.join(sorted(unknown))}")
        self._reports = reports
        self._texts = {rid: r.text for rid, r in reports.items()}
        self._places: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._gazetteer_places: dict[tuple[str, int], list[Place]] = defaultdict(list)
        self._dates: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Private people named in full (not in the actor table): "Antonio Neeley".
        people: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.kind == "actor" and m.key.startswith("person:") and len(str(m.value).split()) > 1:
                people[m.report].add(person_key(str(m.value)))
            elif m.kind == "place":
                self._places[(m.report, m.sentence_start)].add(_place_core(m.key))
            elif m.kind == "date":  # statement dates too: "said on Saturday"
                self._dates[(m.report, m.sentence_start)].add(str(m.value))
        self._people = {rid: frozenset(names) for rid, names in people.items()}
        self._read_places = read_places(mentions)
        for m in mentions:
            if m.kind == "place" and (place := self._read_places.get((m.report, m.start))):
                self._gazetteer_places[(m.report, m.sentence_start)].append(place)
        counts = [m for m in mentions if m.kind == "quantity"]
        # The first count of each event in a report is its headline toll.
        self._lead_counts: set[tuple[str, int, int]] = set()
        seen: set[tuple[str, str]] = set()
        for m in sorted(counts, key=lambda m: (m.report, m.start)):
            event, _, _ = count_key(m)
            if event is not None and (m.report, event) not in seen:
                seen.add((m.report, event))
                self._lead_counts.add(self._id(m))
        self._row = {self._id(m): i for i, m in enumerate(counts)}
        self._another_event: dict[tuple[str, int, int], bool] = {}
        # Each count's rank among its report's counts of the same key (0: the first).
        self._rank: dict[tuple[str, int, int], int] = {}
        ranks: dict[tuple[str, CountKey], int] = {}
        for m in sorted(counts, key=lambda m: (m.report, m.start)):
            self._rank[self._id(m)] = ranks.get((m.report, count_key(m)), 0)
            ranks[(m.report, count_key(m))] = self._rank[self._id(m)] + 1
        windows = [self.window(m) for m in counts]
        # Pairs compare the words of the same windows many times: split them once.
        self._words = [
            {w for w in re.findall(r"[a-z]{4,}", window.lower()) if w not in STOPWORDS}
            for window in windows
        ]
        leads = list(reports)
        self._lead_row = {rid: len(counts) + i for i, rid in enumerate(leads)}
        nouns = sorted({m.counted.lower() for m in counts if m.counted})
        self._noun_row = {noun: len(counts) + len(leads) + i for i, noun in enumerate(nouns)}
        # Figures are masked before embedding: identity is blind to them ("killed four" and
        # "killed eight" read alike), so a changed figure changes no pairing.
        texts = [mask_numbers(w) for w in windows] + [_lead(reports[rid]) for rid in leads]
        texts += nouns
        self._vectors: Vector = load_encoder().encode(texts)

    @property
    def reports(self) -> dict[str, Report]:
        """The reports, by id."""
        return self._reports

    @staticmethod
    def _id(m: Mention) -> tuple[str, int, int]:
        return (m.report, m.start, m.end)

    def window(self, m: Mention) -> str:
        text = self._texts[m.report]
        start = max(m.sentence_start, m.start - WINDOW_CHARS)
        end = min(m.sentence_end or len(text), m.end + WINDOW_CHARS)
        if start > m.sentence_start:  # cut at a word boundary, never past the count
            start = text.find(" ", start, m.start) + 1 or start
        if end < (m.sentence_end or len(text)):
            space = text.rfind(" ", m.end, end)
            end = space if space > 0 else end
        return text[start:end].strip()

    def window_cosine(self, a: Mention, b: Mention) -> float:
        return self._cosine(self._row[self._id(a)], self._row[self._id(b)])

    def lead_cosine(self, a: Mention, b: Mention) -> float:
        return self.report_lead_cosine(a.report, b.report)

    @property
    def places_read(self) -> Mapping[tuple[str, int], Place]:
        """The place each place mention names, read in its report (`read_places`)."""
        return self._read_places

    @property
    def people(self) -> dict[str, frozenset[str]]:
        """The full names of private people each report names, by report id."""
        return self._people

    @cached_property
    def incidents(self) -> tuple[Incident, ...]:
        """The reports grouped by the incident their leads tell of."""
        return find_incidents(list(self._reports.values()), self.report_lead_cosine, self.people)

    @cached_property
    def _incident_event_types(self) -> dict[str, frozenset[EventType]]:
        """Per report: every kind of violent incident the leads of its incident name."""
        kinds = {rid: lead_violent_event_types(r) for rid, r in self._reports.items()}
        out: dict[str, frozenset[EventType]] = {}
        for incident in self.incidents:
            named = frozenset().union(*(kinds[rid] for rid in incident.reports))
            out.update({rid: named for rid in incident.reports})
        return out

    @cached_property
    def _incident_of(self) -> dict[str, str]:
        return {rid: incident.id for incident in self.incidents for rid in incident.reports}

    def same_incident(self, a: Mention, b: Mention) -> bool:
        """Whether the two mentions' reports are mainly about one incident."""
        return self._incident_of[a.report] == self._incident_of[b.report]

    def report_lead_cosine(self, a: str, b: str) -> float:
        """How close in meaning two reports' leads are, by report id."""
        return self._cosine(self._lead_row[a], self._lead_row[b])

    def noun_cosine(self, a: Mention, b: Mention) -> float:
        if not a.counted or not b.counted:
            return 0.0
        return self._cosine(self._noun_row[a.counted.lower()], self._noun_row[b.counted.lower()])

    def _cosine(self, i: int, j: int) -> float:
        return float(self._vectors[i] @ self._vectors[j])

    def places(self, m: Mention) -> set[str]:
        return self._places.get((m.report, m.sentence_start), set())

    def place_relation(self, a: Mention, b: Mention) -> tuple[bool, bool]:
        """(share a place, clash): places named in both sentences that are one or lie one
        within the other ("Hassajik" and "Syria"); a clash when both name places the
        gazetteer knows and every pair lies apart ("Atareb" and "Manbij"). Names it does not
        know are compared as written."""
        known_a = self._gazetteer_places.get((a.report, a.sentence_start), [])
        known_b = self._gazetteer_places.get((b.report, b.sentence_start), [])
        relations = {relation(x, y) for x in known_a for y in known_b}
        shared = bool(self.places(a) & self.places(b)) or bool(relations & NESTED)
        clash = bool(relations) and relations == {PlaceRelation.DISJOINT}
        return shared, clash and not shared

    def dates(self, m: Mention) -> set[str]:
        return self._dates.get((m.report, m.sentence_start), set())

    def date_relation(self, a: Mention, b: Mention) -> tuple[bool, bool]:
        """(share a date, clash): both sentences name days, and none of a's overlaps b's
        ("October 2" is in "early October"; "Wednesday 11 October" is not)."""
        dates_a, dates_b = self.dates(a), self.dates(b)
        if not dates_a or not dates_b:
            return False, False
        spans_a = [s for s in map(date_span, dates_a) if s]
        spans_b = [s for s in map(date_span, dates_b) if s]
        slack = timedelta(days=DATE_SLACK_DAYS)
        overlap = any(
            x[0] - slack <= y[1] and y[0] - slack <= x[1] for x in spans_a for y in spans_b
        )
        return bool(dates_a & dates_b), bool(spans_a and spans_b and not overlap)

    def word_overlap(self, a: Mention, b: Mention) -> float:
        """Jaccard overlap of the content words of the two counts' windows."""
        words_a, words_b = self._words[self._row[self._id(a)]], self._words[self._row[self._id(b)]]
        if not words_a or not words_b:
            return 0.0
        return len(words_a & words_b) / len(words_a | words_b)

    def tells_another_event(self, m: Mention) -> bool:
        """Whether m's sentence tells of victims besides those already counted ("26 civilians
        were also killed yesterday", "another five fighters", "21 others died", "meanwhile"):
        more victims or another event, never the report's version of the toll it told
        first. A report's first count of its event is its toll, whatever its words."""
        if self.is_lead_count(m) or self._told_as_total(m):
            return False
        key = (m.report, m.sentence_start, m.sentence_end or m.end)
        if key not in self._another_event:  # a sentence is asked about once per count in it
            self._another_event[key] = self._sentence_adds_victims(*key)
        return self._another_event[key]

    def _told_as_total(self, m: Mention) -> bool:
        """ "35 people in total had died", "a total of 35": the whole toll, whatever else the
        sentence adds ("six teachers also died, while 35 people in total had died")."""
        text = self._texts[m.report]
        before = text[max(m.sentence_start, m.start - TOTAL_BEFORE) : m.start]
        after = text[m.end : min(m.sentence_end or m.end, m.end + TOTAL_AFTER)]
        return bool(TOTAL_BEFORE_COUNT.search(before) or TOTAL_AFTER_COUNT.match(after))

    def _sentence_adds_victims(self, report: str, start: int, end: int) -> bool:
        sentence = self._texts[report][start:end]
        if ANOTHER_EVENT.search(sentence) is not None:
            return True
        # "eight people killed when a barrel bomb hit a building" in a report of a suicide
        # bombing: told of another kind of incident than any its incident's leads name
        told_of = violent_event_types(sentence)
        return bool(told_of) and not told_of & self._incident_event_types[report]

    def is_lead_count(self, m: Mention) -> bool:
        """Whether m is its report's first count of its event (the headline toll)."""
        return self._id(m) in self._lead_counts

    def rank(self, m: Mention) -> int:
        """Where a count stands among its report's counts of the same key (0: first)."""
        return self._rank[self._id(m)]

    def position(self, m: Mention) -> float:
        """Where the mention stands in its report: 0 at the start, 1 at the end."""
        return m.start / max(1, len(self._texts[m.report]))


def read_places(mentions: Sequence[Mention]) -> dict[tuple[str, int], Place]:
    """The place each place mention names, read near the other places its report names: a
    name several places bear is the one beside them ("Englewood" in a report from Chicago is
    Chicago's, not the city in Colorado); in a report that names no other place, the one
    beside the places the other reports name. Keyed by report and start."""
    alone: dict[str, list[tuple[Mention, Place]]] = defaultdict(list)
    for m in mentions:
        if m.kind == "place" and (place := resolve_place(str(m.value))) is not None:
            alone[m.report].append((m, place))
    everywhere = [p for found in alone.values() for _, p in found]
    out: dict[tuple[str, int], Place] = {}
    for found in alone.values():
        for m, place in found:
            near = [p for _, p in found if p.key != place.key]
            if not near:  # a report that names no other place: the places the others name
                near = [p for p in everywhere if p.key != place.key and p.name != place.name]
            read = resolve_place(str(m.value), near=tuple(dict.fromkeys(near)))
            out[(m.report, m.start)] = read or place
    return out


NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def person_key(name: str) -> str:
    """A person's full name as two reports may both write it: first and last name, without
    middle names or suffixes ("Manuel Anthony Talamantez" and "Manuel Talamantez, 28";
    "Jermaine Sims Jr." and "Jermaine Sims")."""
    words = [w for w in name.lower().replace(",", " ").split() if w not in NAME_SUFFIXES]
    return " ".join(words[:1] + words[-1:]) if len(words) > 1 else " ".join(words)


# Words that make a count the whole toll: "a total of 35", "35 people in total", "in all".
# The windows are the few words such a phrase takes beside its count (chosen by hand).
TOTAL_BEFORE = 16
TOTAL_AFTER = 30
TOTAL_BEFORE_COUNT = re.compile(r"(?i)\b(?:a\s+total\s+of|in\s+all,?|in\s+total,?)\s*$")
TOTAL_AFTER_COUNT = re.compile(r"(?i)^(?:\s+\w+){0,2}\s+(?:in\s+total|in\s+all|overall)\b")
# Words telling that a sentence adds victims or events to those told before it.
ANOTHER_EVENT = re.compile(
    r"(?i)\b(?:also|another|others|meanwhile|elsewhere|separately|in addition|additional)\b"
)


def _place_core(key: str) -> str:
    """A place key without its kind: "Midan district" and "Midan" are one place here."""
    words = [w for w in key.split() if w not in PLACE_KINDS]
    return " ".join(words) or key


# A first line this short, without a full stop, is a headline scraped above the body.
HEADLINE_MAX_CHARS = 160


def headline_end(report: Report) -> int:
    """Where the report's headline ends in its text (0 when the text has none): the title
    when the text opens with it, else a short first line that is not a sentence."""
    text = report.text
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    title = (report.title or "").strip()
    if title and stripped.startswith(title):
        return offset + len(title)
    first_line = stripped.split("\n", 1)[0]
    if (
        "\n" in stripped
        and len(first_line) <= HEADLINE_MAX_CHARS
        and not first_line.rstrip().endswith(".")
    ):
        return offset + len(first_line)
    return 0


def mask_numbers(text: str) -> str:
    """`text` with every number the number finder reads ("four", "1,200", "at least 12")
    written as "N"."""
    out, last = [], 0
    for number in find_numbers(text):
        out += [text[last : number.start], "N"]
        last = number.end
    out.append(text[last:])
    return "".join(out)


def _lead(report: Report) -> str:
    """The title and opening, figures masked before the cut so that a changed figure moves
    nothing ("four" and "eight" are both "N")."""
    opening = mask_numbers(report.text[: 2 * LEAD_CHARS])[:LEAD_CHARS]
    return f"{mask_numbers(report.title)}. {opening}" if report.title else opening
