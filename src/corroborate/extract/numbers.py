"""Numbers as news writes them, read as values with bounds, a qualifier and a change.

"at least 16" -> low 16; "70 to 80" -> range 70..80; "around 600" -> about 600;
"dozens" -> vague, 24..120; "twenty-one" -> 21; "$1.2bn" -> 1200000000 dollars;
"up 2.1%" -> 2.1 percent, change up. Conventions (shared with the gold data): "more than N"
/ "over N" = at least N, "up to N" = at most N; a vague plural is at least two of its unit and
fewer than ten (dozens 24..120, hundreds 200..1000, tens of thousands 20000..100000).

The finder is lexical: it reads numbers, their qualifiers and the units written against them.
What a number counts, and whether it is a year or a name ("Game 2"), needs the parse
(`quantities`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from corroborate.lexicon import word_set
from corroborate.model import Change, Qualifier
from corroborate.units import canonical_unit, known_units

__all__ = ["NumberExpression", "find_numbers", "parse_number"]

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Magnitudes written as abbreviations: "$1.2bn", "25k", "PS2.7m", "4.3M".
MAGNITUDE_ABBREVIATIONS = {
    "k": 1_000,
    "K": 1_000,
    "m": 1_000_000,
    "M": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "mil": 1_000_000,
    "b": 1_000_000_000,
    "B": 1_000_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
}
# "m" and "b" alone mean metres and bytes unless money is being counted.
MONEY_ONLY_ABBREVIATIONS = frozenset({"m", "b"})
DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}
# A vague plural's unit: "hundreds" counts in hundreds, "tens of thousands" in ten thousands.
VAGUE_SCALES = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "millions": 1_000_000,
    "billions": 1_000_000_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "tens of millions": 10_000_000,
    "hundreds of millions": 100_000_000,
    "tens of billions": 10_000_000_000,
    "hundreds of billions": 100_000_000_000,
}
# Words written before a number that bound or soften it, with the qualifier and change.
PREFIXES: dict[str, tuple[Qualifier, Change]] = {
    **dict.fromkeys(
        [
            "at least",
            "more than",
            "over",
            "over than",
            "well over",
            "just over",
            "slightly more than",
            "upwards of",
            "in excess of",
            "no fewer than",
            "no less than",
            "above",
            "exceeding",
            "at minimum",
            "a minimum of",
        ],
        ("at least", ">"),
    ),
    **dict.fromkeys(
        [
            "at most",
            "up to",
            "less than",
            "fewer than",
            "under",
            "just under",
            "slightly less than",
            "below",
            "no more than",
            "a maximum of",
            "sub",
        ],
        ("at most", "<"),
    ),
    **dict.fromkeys(
        [
            "about",
            "around",
            "approximately",
            "nearly",
            "almost",
            "roughly",
            "some",
            "an estimated",
            "estimated",
            "close to",
            "circa",
            "approx.",
            "approx",
            "barely",
            "about a",
            "around a",
            "nearly a",
            "almost a",
            "~",
            "c.",
            "ca.",
            "averaging",
            "averaged",
            "on average",
        ],
        ("about", "~"),
    ),
    # Emphasis, not a bound: "as many as 14 players left" reports 14.
    **dict.fromkeys(
        ["as many as", "as much as", "a total of", "exactly", "just", "only"], ("exact", "=")
    ),
}
SUFFIXES: dict[str, tuple[Qualifier, Change]] = {
    "or more": ("at least", ">"),
    "and more": ("at least", ">"),
    "or above": ("at least", ">"),
    "plus": ("at least", ">"),
    "+": ("at least", ">"),
    "or so": ("about", "~"),
    "or less": ("at most", "<"),
    "or fewer": ("at most", "<"),
}
# Verbs and adverbs that make the number the size of a change: "rose 2%", "down 19 cents".
UP_WORDS = word_set(
    "up higher rise rises rising rose risen gain gains gaining gained jump jumps jumping "
    "jumped climb climbs climbing climbed advance advances advancing advanced added "
    "increase increases increasing increased grow grows growing grew grown surge surges "
    "surging surged soar soars soaring soared rally rallies rallying rallied hike hikes "
    "hiking hiked spike spiked spiking"
)
DOWN_WORDS = word_set(
    "down lower fall falls falling fell fallen drop drops dropping dropped decline declines "
    "declining declined slide slides sliding slid slip slips slipping slipped lose loses "
    "losing lost shed sheds shedding plunge plunges plunging plunged plummet plummets "
    "plummeting plummeted tumble tumbles tumbling tumbled sink sinks sinking sank sunk dip "
    "dips dipping dipped ease eases easing eased decrease decreases decreasing decreased "
    "retreat retreated retreating slump slumped slumping shrink shrank shrinking shrunk"
)
# Verbs that take "up" or "down" as a particle, not as a change: "gave up 517 yards".
PHRASAL_VERBS = word_set(
    "give gives gave given giving set sets setting put puts putting pick picks picked "
    "picking sign signs signed signing break breaks broke broken breaking shut shuts "
    "shutting turn turns turned turning take takes took taken taking make makes made making "
    "back backed lock locked step stepped sum summed wind wound tot totted rack racks "
    "racked racking rake raked chalk chalked"
)
# Between a change word and its number: "rose by about 2%", "fell a further 3%".
CHANGE_FILLERS = word_set("by further another some estimated just only")

_WORD_VALUES = {**UNITS, **TENS}
_WORD = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion|trillion"
_AFTER_SCALE = "(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))"
_WORD_RUN = (
    rf"(?:(?:an?|one)\s+(?:{_SCALE_WORD}|dozen)|(?:{_WORD}))"
    rf"(?:(?:{_AFTER_SCALE}\s+and\s+|[\s-]+)(?:{_WORD}|{_SCALE_WORD}))*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CURRENCY = (
    r"(?:US\s?\$|\$\s?US|\$(?:A|AU|NZ|C|CA|HK|S)(?=\d)|(?:A|NZ|AU|R)\$|(?:C|S|HK)\s?\$"
    r"|[$€£¥₹₽₺]|Y=|RM|Rs\.?\s?"
    r"|(?:USD|EUR|GBP|AUD|CAD|INR|JPY|CHF|EGP|SYP|LBP)\s?)"
)
_DENOMINATOR = "|".join(DENOMINATORS)
_VAGUE = (
    r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
    r"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million|billion)"
    r"|dozens|hundreds|thousands|millions|billions|scores(?=\s+of\b))"
)

ATOM = re.compile(
    rf"""(?x)
    (?<![\w.,/:])
    (?:
      (?P<scientific>\d+(?:\.\d+)?)\s?[×x]\s?10\s?(?P<exponent>[-−]?\d+)(?![\d])
    | (?P<ratio>(?:{_WORD}|\d+)(?:\s+out\s+of\s+|\s?[/⁄]\s?)(?:{_WORD}|\d+))(?=\s+(?:of\b|[A-Za-z]))
    | (?P<half>half)(?=\s+(?:of|the|a|an)\b)
    | (?P<fraction>(?:a|an|one|two|three|four|five|seven|nine)
        (?:-(?:{_DENOMINATOR})|\s(?:{_DENOMINATOR})(?=\s+of\b)))(?![\w-])
    | (?P<vague>{_VAGUE})(?![\w-])
    | (?P<fold>(?:{_WORD}|\d+)-?fold)(?![\w-])
    | (?P<currency>{_CURRENCY})?\s?(?P<sign>[-−+])?
      (?P<digits>{_DIGITS})(?![\d])
      (?P<attached>[A-Za-zμµ°%²³/]+(?:/[A-Za-z]+)?)?
      (?P<scale>(?:\s+(?:{_SCALE_WORD}))+|\s(?:bn|mn|mln|tn|B)\b)?
    | (?P<words>{_WORD_RUN})(?![\w])
    )
    """,
    re.IGNORECASE,
)
# Times, clock readings and calendar dates: never quantities, and blanked out before reading.
_NOT_QUANTITIES = re.compile(
    r"""(?ix)
      \b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])
    | \b\d{1,2}\s*(?:a\.m\.|p\.m\.|am|pm)(?![a-z])
    | \b\d{3,4}\s*(?:a\.m\.|p\.m\.)
    | \b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\b
    | \b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?
    | \b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)  # "28.04.2017Get short URL": page furniture
    | \b\d+(?:st|nd|rd|th)\b
    | \b(?:19|20)\d{2}s\b
    | \b\d{4}\s?(?:GMT|UTC|EDT|EST|BST|CET|CEST|PST|PDT)\b
    | \[\d{1,3}\](?::\d+(?:[-–]\d+)?)?  # a reference mark, "[18]", "[9]:7" (encyclopedia pages)
    | \b(?:image|photo|picture|slide|page)\s+\d+\s+of\s+(?:/\s*)?\d+\b  # a gallery's counter
    """
)
_PREFIX_BEFORE = re.compile(
    r"(?i)(?:(?:^|(?<=[\s(]))(?P<prefix>"
    + "|".join(re.escape(p) for p in sorted(PREFIXES, key=len, reverse=True) if p != "sub")
    + r")\s*|(?P<sub>\bsub-))$"
)
_MINUS_BEFORE = re.compile(r"(?i)\bminus[\s-]?$")
# "lost 190 points, or 0.6%": the second figure restates the first's change; a conversion
# in brackets, "more than 100 kilometers (60 miles)", restates its bound as well.
_RESTATED = re.compile(r"(?i)^\s*(?:[a-z]+\s*)?,?\s*or\s*$")
_CONVERTED = re.compile(r"^\s*(?:\(|/)\s*$")
_SUFFIX_AFTER = re.compile(
    r"(?i)^(?:\s*(?P<suffix>or\s+more|and\s+more|or\s+above|or\s+so|or\s+less|or\s+fewer)\b"
    r"|(?P<plus>\+|-plus\b))"
)
_PERCENT_AFTER = re.compile(r"(?i)^\s*(?:%|per\s?cent\b|percent\b|pct\b|pc\b)")
_RANGE_GAP = re.compile(r"(?i)^\s*(?:to-?|-|–|—|and|or)\s*$")
_WORD_AFTER = re.compile(r"^\s*([A-Za-zμµ°$£€/.²'-]+(?:\s+[A-Za-z/.²-]+){0,2})")
# A second unit after "per" / "a": "$58.24 per barrel", "40 hours a week".
_PLURAL_NOUN_AFTER = re.compile(r"^\s+(?:[a-z]+\s+){0,2}[a-z]+s\b")
_PER_AFTER = re.compile(r"(?i)^\s+(?P<per>(?:per|a|an)\s+(?:square\s+|cubic\s+)?[a-z]+)\b")
_PER_NOUNS = word_set(
    "barrel share gallon ounce gram kilogram kilo pound head person capita unit year day "
    "week month hour minute second night foot metre meter mile kilometre kilometer tonne "
    "ton litre liter night game season"
)


@dataclass(frozen=True, slots=True)
class NumberExpression:
    """A number expression found in text: where it is and the value it gives.

    `unit` is the unit written against the number ("%", "$", "km/h", "GB"), if any;
    `change` is NewsQuant's: = exact, ~ about, > more than, < less than, up, down.
    """

    start: int
    end: int
    text: str
    value: float | int | None
    low: float | int | None
    high: float | int | None
    qualifier: Qualifier
    unit: str | None
    change: Change = "="
    written_in_words: bool = False
    prefixed: bool = False  # a qualifier word came first: "more than 3200", "about 5"


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float | int
    unit: str | None
    currency: str | None
    words: bool
    vague_scale: int | None = None
    has_scale: bool = False


def parse_number(text: str) -> float | int | None:
    """The value of one number written in digits or words, or None if it is not one.

    >>> parse_number("twenty-one"), parse_number("1,200"), parse_number("1.5 million")
    (21, 1200, 1500000)
    """
    words = re.sub(rf"^{_CURRENCY}", "", text.strip().lower()).replace("-", " ").split()
    words = [w for w in words if w != "and"]
    if words and words[0] in {"a", "an"}:
        words = ["one", *words[1:]]
    if not words:
        return None
    if words == ["one", "dozen"]:
        return 12
    total: float = 0
    current: float = 0
    previous = ""  # "unit" or "tens": "one two" and "twenty thirty" are lists, not numbers
    for word in words:
        kind = "unit" if word in UNITS else "tens" if word in TENS else ""
        if kind and (previous == "unit" or (previous == "tens" and kind == "tens")):
            return None
        previous = kind
        if re.fullmatch(_DIGITS, word):
            current += float(word.replace(",", ""))
        elif word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
    return _tidy(total + current)


def find_numbers(text: str) -> Iterator[NumberExpression]:
    """Every number expression in `text`, with value, bounds, qualifier, change and unit."""
    masked = _NOT_QUANTITIES.sub(lambda m: " " * len(m.group(0)), text)
    atoms: list[_Atom] = []
    for match in ATOM.finditer(masked):
        atom = _read_atom(match, masked)
        # an atom that read on past its match ("half a million") holds what follows
        if atom is not None and (not atoms or atom.start >= atoms[-1].end):
            atoms.append(atom)
    previous: NumberExpression | None = None
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        following = atoms[i + 1] if i + 1 < len(atoms) else None
        if following is not None and _is_score(atom, following, masked):
            i += 2  # "2-1", "ISO 3888-2": a score or a code, not two quantities
            continue
        in_range = following is not None and _is_range(atom, following, masked)
        group = [atom, following] if in_range and following is not None else [atom]
        number = _expression(masked, text, group)
        gap = masked[previous.end : number.start] if previous is not None else ""
        value = number.value
        if (
            previous is not None
            and value is not None
            and number.change == "="
            and number.qualifier == "exact"
        ):
            if previous.change in {"up", "down"} and _RESTATED.match(gap):
                number = replace(number, change=previous.change)
            elif previous.change != "=" and _CONVERTED.match(gap):
                qualifier, low, high = _bounded(previous.qualifier, value)
                number = replace(
                    number, change=previous.change, qualifier=qualifier, low=low, high=high
                )
        yield number
        previous = number
        i += len(group)


def _read_atom(match: re.Match[str], text: str) -> _Atom | None:
    start, end = match.start(), match.end()
    if match.group("scientific"):
        exponent = int(match.group("exponent").replace("−", "-"))
        return _Atom(
            start, end, float(match.group("scientific")) * 10.0**exponent, None, None, False
        )
    if match.group("ratio"):
        # "one out of three Germans", "1/16 of a pint": a share
        parts = re.split(r"\s+out\s+of\s+|\s?[/⁄]\s?", match.group("ratio").lower())
        numerator, denominator = (parse_number(p) for p in parts)
        if not numerator or not denominator or numerator >= denominator:
            return None
        return _Atom(start, end, numerator / denominator, None, None, True)
    if match.group("half"):
        return _read_half(match, text)
    if match.group("fraction"):
        # "two-thirds", "a third of": a share; "a third time", "two quarters" are not
        top, bottom = re.split(r"[\s-]", match.group("fraction").lower(), maxsplit=1)
        share = (1 if top in {"a", "an"} else UNITS[top]) / DENOMINATORS[bottom]
        scaled = re.match(r"\s+of\s+an?\s+(thousand|million|billion)\b", text[end:])
        if scaled:  # "a quarter of a million": a number, not a share
            value = round(share * SCALES[scaled.group(1)])
            return _Atom(start, end + scaled.end(), value, None, None, True, has_scale=True)
        return _Atom(start, end, share, None, None, True)
    if match.group("vague"):
        phrase = re.sub(r"\s+", " ", match.group("vague").lower())
        scale = VAGUE_SCALES.get(phrase) or _few_scale(phrase)
        return _Atom(start, end, 2 * scale, None, None, True, vague_scale=scale)
    if match.group("fold"):
        times = parse_number(match.group("fold").lower().removesuffix("fold").rstrip("-"))
        return None if times is None else _Atom(start, end, times, "fold", None, True)
    if match.group("words"):
        return _read_words(match, text)
    return _read_digits(match, text)


def _read_half(match: re.Match[str], text: str) -> _Atom | None:
    start, end = match.start(), match.end()
    scaled = re.match(r"\s+an?\s+(dozen|hundred|thousand|million|billion)\b", text[end:])
    if scaled:  # "half a million"
        scale = 12 if scaled.group(1) == "dozen" else SCALES[scaled.group(1)]
        return _Atom(start, end + scaled.end(), scale // 2, None, None, True, has_scale=True)
    previous = re.search(r"(\w+)\s*$", text[:start])
    if previous and previous.group(1).lower() in {"first", "second", "the", "a", "in", "one"}:
        return None  # "the second half of", "a half", "in half": not a share of a count
    if re.match(r"\s+an?\b", text[end:]):
        return None  # "half an hour": a time
    return _Atom(start, end, 0.5, None, None, True)


def _read_words(match: re.Match[str], text: str) -> _Atom | None:
    phrase = match.group("words")
    # A trailing "and" or hyphen belongs to the sentence, not the number.
    phrase = re.sub(r"(?:\s+and|[\s-]+)$", "", phrase)
    value = parse_number(phrase)
    if value is None:
        return None
    start = match.start()
    end = start + len(phrase)
    lowered = phrase.lower()
    if lowered in {"a", "an"}:
        return None
    if re.match(r"-[a-z]+\s+[a-z]", text[end:]) and not re.match(r"-year-old", text[end:]):
        return None  # "a five-year award", "a three-bed flat": part of an adjective
    atom = _Atom(start, end, value, None, None, True, has_scale=_has_scale(lowered))
    return _with_percent(atom, text)


def _with_percent(atom: _Atom, text: str) -> _Atom:
    """Take in a percent sign or word written after the number: "5 per cent", "20%"."""
    if atom.unit is None:
        percent = _PERCENT_AFTER.match(text[atom.end :])
        if percent:
            atom.unit = percent.group(0).strip()
            atom.end += percent.end()
    return atom


def _read_digits(match: re.Match[str], text: str) -> _Atom | None:
    start, end = match.start(), match.end()
    digits = match.group("digits")
    attached = match.group("attached") or ""
    currency = match.group("currency")
    value: float = float(digits.replace(",", ""))
    sign = match.group("sign")
    if sign:
        before = text[start - 1] if start else " "
        # "-1.3%" and "was -5 yards" are signed; "COVID -19" and "Stoxx 50 -1" are not
        # (a currency before the sign always makes it one: "$-50.8bn")
        if currency is None:
            previous_word = re.search(r"(\w+)\W*$", text[max(0, start - 40) : start])
            lowercase_before = previous_word is not None and previous_word.group(1).islower()
            signed = before in " (\t\n" and (
                "." in digits
                or lowercase_before
                or _PERCENT_AFTER.match(text[match.end("digits") :]) is not None
            )
            if not signed:
                start, sign = match.start("digits"), None
    if sign in {"-", "−"}:
        value = -value
    unit: str | None = None
    if attached in {"s", "S"}:
        return None  # "Model 3s", "Channel 5s": a name in the plural
    if attached:
        magnitude = MAGNITUDE_ABBREVIATIONS.get(attached)
        if attached in MONEY_ONLY_ABBREVIATIONS and _PLURAL_NOUN_AFTER.match(text[end:]):
            currency_or_plural = True  # "1.2m tons", "2.7m combined sales": millions
        else:
            currency_or_plural = currency is not None
        if magnitude is None and attached.lower() in {"mil", "mn", "mln", "bn", "bln", "tn", "trn"}:
            magnitude = MAGNITUDE_ABBREVIATIONS[attached.lower()]
        if magnitude is not None and (
            attached not in MONEY_ONLY_ABBREVIATIONS or currency_or_plural
        ):
            value *= magnitude
        elif attached == "%":
            unit = "%"
        elif canonical_unit(attached) in known_units() or attached in {"G", "p"}:
            unit = attached
        else:
            return None  # "S23", "3D", "4K TV": a name, not a quantity
    scale_text = (match.group("scale") or "").strip()
    for word in scale_text.split():
        value *= (
            SCALES.get(word.lower())
            or MAGNITUDE_ABBREVIATIONS[word if word == "B" else word.lower()]
        )
    if currency:
        unit = _currency_symbol(currency)
    atom = _Atom(start, end, _tidy(value), unit, currency, False, has_scale=bool(scale_text))
    return _with_percent(atom, text)


def _is_range(first: _Atom, second: _Atom, text: str) -> bool:
    gap = text[first.end : second.start]
    connector = _RANGE_GAP.match(gap)
    if connector is None or first.vague_scale or second.vague_scale:
        return False
    word = gap.strip().lower()
    before = text[: first.start].rstrip().lower()
    if word == "and":
        return before.endswith("between")
    if before.endswith("by") and word.startswith("to") and (first.unit or first.currency):
        return False  # "increased by $43.6bn to $419.2bn": a change and a level
    if _looks_like_year(first) and second.has_scale:
        return False  # "rose 60% in 2018 to 3.9 million"
    if first.unit and second.unit and canonical_unit(first.unit) != canonical_unit(second.unit):
        return False
    if first.unit and not second.unit and not first.currency:
        return False  # "rose 8.1 percent to 99.20": two quantities
    low, high = _scaled_low(first, second), second.value
    if word == "or":
        # "two or three houses" is a range; "eight or $9" and "2 or 5" are alternatives
        return first.words and second.words and high == low + 1
    if word in {"-", "–", "—"} and (first.words or second.words):
        return False
    # "from $2,415 to $2,315": a range written from the first value, as NewsQuant has it
    return low < high or (word.startswith("to") and before.endswith("from"))


def _looks_like_year(atom: _Atom) -> bool:
    return (
        not atom.words
        and atom.unit is None
        and isinstance(atom.value, int)
        and 1000 <= atom.value <= 2100
    )


def _looks_like_phone(first: _Atom, second: _Atom, text: str) -> bool:
    low_digits = re.sub(r"\D", "", text[first.start : first.end])
    high_digits = re.sub(r"\D", "", text[second.start : second.end])
    return len(low_digits) >= 3 and len(low_digits) != len(high_digits)


def _is_score(first: _Atom, second: _Atom, text: str) -> bool:
    """ "2-1", "ISO 3888-2", "555-1234": a score, a code or a phone number."""
    gap = text[first.end : second.start]
    if gap not in {"-", "–"} or first.words or second.words or first.unit is not None:
        return False
    return first.value >= second.value or _looks_like_phone(first, second, text)


def _scaled_low(first: _Atom, second: _Atom) -> float:
    # "1 to 2 thousand", "33-35 billion euros": the scale of the high bound applies to both
    both_written = first.currency is not None and second.currency is not None
    if (
        second.has_scale
        and not first.has_scale
        and not both_written
        and first.value < min(1000, second.value / 10)
    ):
        for scale in sorted(SCALES.values(), reverse=True):
            if second.value >= scale and first.value * scale <= second.value:
                return _tidy(first.value * scale)
    return first.value


def _expression(masked: str, text: str, atoms: list[_Atom]) -> NumberExpression:
    first, last = atoms[0], atoms[-1]
    start, end = first.start, last.end
    qualifier: Qualifier
    change: Change = "="
    value: float | int | None
    low: float | int | None
    high: float | int | None
    if len(atoms) == 2:
        low, high = _scaled_low(first, last), last.value
        value, qualifier = None, "range"
    elif first.vague_scale:
        value, low, high, qualifier = None, first.value, 10 * first.vague_scale, "vague"
    else:
        value = low = high = first.value
        qualifier = "exact"
    unit = last.unit or first.unit
    after = masked[end:]
    percent = _PERCENT_AFTER.match(after)
    if percent and not unit:
        unit = percent.group(0).strip()
        end += percent.end()
        after = masked[end:]
    if unit is None:
        unit, end = _unit_after(masked, end)
        after = masked[end:]
    if unit and (first.currency or canonical_unit(unit) in _RATE_BASES):
        per = _PER_AFTER.match(after)
        if per and per.group("per").split()[-1].lower().rstrip("s") in _PER_NOUNS:
            unit = f"{unit} {per.group('per')}"
            end += per.end()
    before = masked[:start]
    minus = _MINUS_BEFORE.search(before[-8:])
    if minus is not None:
        start -= len(minus.group(0))
        before = masked[:start]
        value, low, high = (None if v is None else -v for v in (value, low, high))
        low, high = (high, low) if len(atoms) == 2 else (low, high)
    prefix = _PREFIX_BEFORE.search(before[-40:])
    if prefix is not None:
        key = "sub" if prefix.group("sub") else re.sub(r"\s+", " ", prefix.group("prefix").lower())
        bound, change = PREFIXES[key]
        if key != "sub":
            start = len(before) - len(before[-40:]) + prefix.start("prefix")
        before = masked[:start]
        if value is not None:
            qualifier, low, high = _bounded(bound, value)
    suffix = _SUFFIX_AFTER.match(masked[end:])
    if suffix is not None and value is not None:
        key = "+" if suffix.group("plus") else re.sub(r"\s+", " ", suffix.group("suffix").lower())
        bound, change = SUFFIXES.get(key, SUFFIXES["plus"])
        qualifier, low, high = _bounded(bound, value)
        end += suffix.end()
    if change in {"=", "~"}:
        direction = _direction(masked, first, before)
        if direction is not None:
            change = direction
    return NumberExpression(
        start=start,
        end=end,
        text=text[start:end],
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit,
        change=change,
        written_in_words=first.words,
        prefixed=start < first.start,
    )


def _bounded(
    bound: Qualifier, value: float | int
) -> tuple[Qualifier, float | int | None, float | int | None]:
    if bound == "at least":
        return bound, value, None
    if bound == "at most":
        return bound, None, value
    if bound == "about":
        return bound, None, None
    return "exact", value, value


def _direction(text: str, first: _Atom, before: str) -> Change | None:
    """Up or down when the number is the size of a change: "rose 2%", "-1.3%", "down 19 cents"."""
    raw = text[first.start : first.start + 2]
    if raw.startswith("+") or (first.currency is None and raw.startswith(("-", "−"))):
        return "up" if raw.startswith("+") else "down"
    words = re.findall(r"[A-Za-z]+|[^\sA-Za-z]", before[-60:])
    by = False
    while words and words[-1].lower() in CHANGE_FILLERS:
        by = by or words[-1].lower() == "by"
        words.pop()
        if words and words[-1].lower() in {"a", "an"} and by is False:
            words.pop()  # "fell a further 3%"
    # "rose 2%"; "grow sales by 35 per cent": the verb may stand a few words before "by"
    particle = not by and len(words) >= 2 and words[-1].lower() in {"up", "down"}
    if particle and words[-2].lower() in PHRASAL_VERBS:
        return None  # "gave up 517 yards", "broke down 3 times"
    for word in reversed(words[-4:] if by else words[-1:]):
        lower = word.lower()
        if lower in UP_WORDS:
            return "up"
        if lower in DOWN_WORDS:
            return "down"
    return None


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """A unit from the table written after the number: "300 Hz", "450 sq ft", "5 km/h"."""
    match = _WORD_AFTER.match(text[end:])
    if match is None:
        return None, end
    words = match.group(1).split()
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n]).rstrip(".,")
        if candidate.lower() in _AMBIGUOUS_UNIT_WORDS and n == 1:
            continue
        if candidate and canonical_unit(candidate) in known_units():
            offset = text.index(candidate, end)
            return candidate, offset + len(candidate)
    return None, end


# Short words that are units only in context ("in", "a", "m"): the parse decides those.
_AMBIGUOUS_UNIT_WORDS = word_set(
    "in a an s h m g l t k c f p b v w x mo time times day days week weeks month months "
    "year years point points"
)
_RATE_BASES = frozenset(
    ["percentage", "dollar", "euro", "pound sterling", "penny", "cent", "mile", "kilometre"]
)


def _currency_symbol(currency: str) -> str:
    symbol = re.sub(r"\s+", "", currency)
    if re.fullmatch(r"\$[A-Z]{1,2}", symbol):
        return symbol[1:] + "$"  # "$A82m": Australian dollars
    return {"USD": "$", "Y=": "¥", "Rs.": "Rs"}.get(symbol, symbol)


def _few_scale(phrase: str) -> int:
    # "several hundred", "a few thousand": a few of the round number
    for word, scale in SCALES.items():
        if phrase.endswith(word):
            return scale
    return 12


def _has_scale(phrase: str) -> bool:
    return any(word in phrase for word in ("thousand", "million", "billion", "trillion"))


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 10)
