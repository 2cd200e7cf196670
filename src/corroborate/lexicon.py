"""Name tables shipped with the package: actors (with their kind) and place aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Name:
    """A canonical name, its kind ("state media", "armed group", ...) and its aliases."""

    canonical: str
    kind: str
    aliases: tuple[str, ...]


def data_rows(filename: str) -> list[list[str]]:
    """The tab-separated rows of a table in `corroborate/data`, comment lines left out."""
    text = resources.files("corroborate.data").joinpath(filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def actor_names() -> tuple[Name, ...]:
    """The actors table (armed groups, agencies, monitors) and the state-media list."""
    actors = tuple(Name(row[0], row[1], _aliases(row, 2)) for row in data_rows("actors.tsv"))
    # state_media.tsv is the one editable list of state media; outlet priors read it too.
    # Where its short name is also a common word or place ("Petra", "Fars province", "CCTV
    # footage"), only its full names are matched in text.
    state_media = []
    for row in data_rows("state_media.tsv"):
        aliases = _aliases(row, 3)
        if len(row) > 5 and row[5].strip() == "aliases":
            if aliases:
                state_media.append(Name(aliases[0], "state media", aliases[1:]))
        else:
            state_media.append(Name(row[0], "state media", aliases))
    return actors + tuple(state_media)


def _aliases(row: list[str], column: int) -> tuple[str, ...]:
    return tuple(a for a in row[column].split("|") if a) if len(row) > column else ()


@cache
def place_names() -> tuple[Name, ...]:
    """The place alias table (names a spelling rule cannot join)."""
    return tuple(Name(row[0], "place", _aliases(row, 1)) for row in data_rows("places.tsv"))


@cache
def _actor_index() -> dict[str, Name]:
    index: dict[str, Name] = {}
    for name in actor_names():
        for alias in (name.canonical, *name.aliases):
            index[_fold(alias)] = name
    return index


def find_actor(text: str) -> Name | None:
    """The actor a name refers to, by canonical name or alias ("Daesh" -> ISIS)."""
    folded = _fold(text)
    found = _actor_index().get(folded)
    if found is None and folded.startswith("the "):
        found = _actor_index().get(folded[4:])
    return found


def actor_within(text: str) -> Name | None:
    """The actor named anywhere in a longer phrase ("Rami Abdel Rahman, head of the
    Observatory" -> SOHR), longest name first."""
    folded = _fold(text)
    for pattern, name in _actor_patterns():
        if pattern.search(text if pattern.flags & re.IGNORECASE == 0 else folded):
            return name
    return None


@cache
def _actor_patterns() -> tuple[tuple[re.Pattern[str], Name], ...]:
    aliases = [(alias, name) for name in actor_names() for alias in (name.canonical, *name.aliases)]
    aliases.sort(key=lambda pair: -len(pair[0]))
    patterns = []
    for alias, name in aliases:
        if len(alias) <= 3 and alias.isupper():  # "IS", "HTS": capitals only, as in the table
            patterns.append((re.compile(rf"\b{re.escape(alias)}\b"), name))
        else:
            patterns.append((re.compile(rf"\b{re.escape(_fold(alias))}\b", re.IGNORECASE), name))
    return tuple(patterns)


def actor_key(text: str) -> str:
    """A key that is equal for aliases of one actor."""
    found = find_actor(text)
    return _fold(found.canonical) if found else _fold(re.sub(r"^(?:the)\s+", "", text, flags=re.I))


@cache
def _place_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in place_names():
        for alias in (name.canonical, *name.aliases):
            index[place_key(alias, use_table=False)] = name.canonical
    return index


_DIRECTIONS = {
    "western": "west",
    "eastern": "east",
    "northern": "north",
    "southern": "south",
    "northwestern": "northwest",
    "northeastern": "northeast",
    "southwestern": "southwest",
    "southeastern": "southeast",
}


def place_key(text: str, *, use_table: bool = True) -> str:
    """A key equal for transliteration variants of a place name.

    Kalamun and Qalamoun, Hasaka and Hasakeh, Abu-Kemal and Abu Kamal give one key: the
    name is folded to ASCII, articles (al-, el-) and vowels dropped, q/k and doubled
    letters merged. Names in the alias table map to their canonical name first.
    """
    if use_table:
        canonical = _place_index().get(place_key(text, use_table=False))
        if canonical is not None:
            text = canonical
    words = [_DIRECTIONS.get(w, w) for w in re.findall(r"[a-z']+", _fold(text))]
    words = [w for w in words if w not in {"the", "al", "el", "ad", "ar", "as", "ash", "az", "an"}]
    skeleton = []
    for word in words:
        if word in _DIRECTIONS.values():
            skeleton.append(word)
            continue
        letters = word.replace("q", "k").replace("'", "")
        letters = re.sub(r"(?<=[aeiou])h$", "", letters)  # Hasakah / Hasaka
        letters = letters[0] + re.sub(r"[aeiouy]", "", letters[1:]) if letters else ""
        skeleton.append(re.sub(r"(.)\1+", r"\1", letters))
    return " ".join(s for s in skeleton if s)


def canonical_place(text: str) -> str:
    """The table's canonical spelling of a place, else the text as written."""
    return _place_index().get(place_key(text, use_table=False), text)


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-–]+", " ", ascii_text.lower().replace("’", "'")).strip()


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a table written as one string."""
    return frozenset(text.split())


# Words that name a kind of place: "the al Midan district", "the town of Hass".
PLACE_KIND_WORDS = word_set(
    "district neighbourhood neighborhood province governorate village town city suburb suburbs "
    "quarter camp countryside region area"
)
