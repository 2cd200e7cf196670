"""The incident card: the verdict rules over hand-built records, the counts read without a
number, slots and scope, stance and polarity, and the card through the whole pipeline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from corroborate import compare
from corroborate.align import _leads_linked
from corroborate.align.card import dated_scopes
from corroborate.align.context import person_key
from corroborate.align.incidents import linked_leads
from corroborate.align.judge import _weighed_figures
from corroborate.align.pairing import (
    SURE_REFERENT,
    MentionGroup,
    cluster_counts,
    group_within_reports,
    same_things_joined,
)
from corroborate.align.places import merge_contained
from corroborate.align.verdict import count_verdict, perpetrator_verdict
from corroborate.extract import _with_cut_start, extract_reports
from corroborate.extract.events import lead_event_type
from corroborate.extract.quantities import find_quantities
from corroborate.extract.slots import count_slot, sentence_scope, tells_where_some_died
from corroborate.extract.victims import find_implicit_counts
from corroborate.model import (
    PERPETRATOR,
    Category,
    CountKey,
    FactStatus,
    Mention,
    Polarity,
    Reason,
    Report,
    Scope,
    Slot,
    Stance,
)
from corroborate.nlp import load_pipeline


def _count(report: str, value: int | None, qualifier: str = "exact", **fields: Any) -> Mention:
    low = fields.pop("low", value)
    high = fields.pop("high", value if qualifier == "exact" else None)
    return Mention(
        report=report,
        kind="quantity",
        start=fields.pop("start", 0),
        end=fields.pop("end", 1),
        text=str(value),
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,  # type: ignore[arg-type]
        count_key=fields.pop("count_key", CountKey("killed", "person")),
        slot=fields.pop("slot", Slot.KILLED),
        **fields,
    )


SAME_DAY = {"a": date(2020, 1, 1), "b": date(2020, 1, 1)}
NEXT_DAY = {"a": date(2020, 1, 1), "b": date(2020, 1, 2)}


@pytest.mark.parametrize(
    ("stated", "published", "status", "reason"),
    [
        ([_count("a", 12)], SAME_DAY, FactStatus.SINGLE, Reason.ONE_REPORT),
        ([_count("a", 12), _count("b", 12)], SAME_DAY, FactStatus.AGREE, Reason.SAME_VALUE),
        (
            [_count("a", 12, "at least"), _count("b", 12)],
            SAME_DAY,
            FactStatus.AGREE,
            Reason.SAME_VALUE,
        ),
        (
            [_count("a", 12, "at least"), _count("b", 18)],
            SAME_DAY,
            FactStatus.COMPATIBLE,
            Reason.OVERLAPPING_BOUNDS,
        ),
        (
            [_count("a", 12), _count("b", 20)],
            SAME_DAY,
            FactStatus.CONFLICT,
            Reason.EXCLUSIVE_VALUES,
        ),
        ([_count("a", 12), _count("b", 14)], NEXT_DAY, FactStatus.COMPATIBLE, Reason.RISING_TOLL),
        # A report that tells of the dead one by one names all it knows of: fewer than
        # another report counts is a disagreement, unless the toll rose since; the wounded
        # told one by one stay a minimum.
        (
            [_count("a", 1, "at least", implicit=True), _count("b", 2)],
            SAME_DAY,
            FactStatus.CONFLICT,
            Reason.FEWER_DEAD_TOLD,
        ),
        (
            [_count("a", 2, "at least", implicit=True), _count("b", 2)],
            SAME_DAY,
            FactStatus.AGREE,
            Reason.SAME_VALUE,
        ),
        (
            [_count("a", 1, "at least", implicit=True), _count("b", 2)],
            NEXT_DAY,
            FactStatus.COMPATIBLE,
            Reason.RISING_TOLL,
        ),
        (
            [
                _count(
                    "a",
                    1,
                    "at least",
                    implicit=True,
                    slot=Slot.WOUNDED,
                    count_key=CountKey("wounded", "person"),
                ),
                _count("b", 2, slot=Slot.WOUNDED, count_key=CountKey("wounded", "person")),
            ],
            SAME_DAY,
            FactStatus.COMPATIBLE,
            Reason.LOWER_BOUND,
        ),
        (
            [_count("a", 1, "at least", implicit=True), _count("b", 2, "at least", implicit=True)],
            SAME_DAY,
            FactStatus.COMPATIBLE,
            Reason.LOWER_BOUND,
        ),
        (
            [
                _count("a", 20, category=Category.CIVILIANS),
                _count("b", 30, category=Category.PEOPLE),
            ],
            SAME_DAY,
            FactStatus.COMPATIBLE,
            Reason.NESTED_COUNT,
        ),
        # Broader figures that disagree are no nesting, whatever the narrower one.
        (
            [
                _count("a", 5, category=Category.CHILDREN),
                _count("b", 5, category=Category.PEOPLE),
                _count("c", 12, category=Category.PEOPLE),
            ],
            SAME_DAY,
            FactStatus.CONFLICT,
            Reason.EXCLUSIVE_VALUES,
        ),
        # A report that gives two figures for one count contradicts itself.
        ([_count("a", 4), _count("a", 7)], SAME_DAY, FactStatus.CONFLICT, Reason.EXCLUSIVE_VALUES),
    ],
)
def test_count_verdict(
    stated: list[Mention], published: dict[str, date], status: FactStatus, reason: Reason
) -> None:
    verdict = count_verdict(stated, published)
    assert (verdict.status, verdict.reason) == (status, reason)
    assert len(verdict.values) == len(stated)


@pytest.mark.parametrize(
    ("wounded", "status"),
    [
        # Two dead and five hurt may become four dead; two dead and no one else hurt, or
        # one hurt, may not; a report that tells of no wounded leaves the rise open.
        ({"a": 5.0}, FactStatus.COMPATIBLE),
        ({"a": 0.0}, FactStatus.CONFLICT),
        ({"a": 1.0}, FactStatus.CONFLICT),
        ({}, FactStatus.COMPATIBLE),
    ],
)
def test_a_killed_toll_rises_by_no_more_than_the_wounded_told_before(
    wounded: dict[str, float], status: FactStatus
) -> None:
    verdict = count_verdict([_count("a", 2), _count("b", 4)], NEXT_DAY, wounded=wounded)
    assert verdict.status is status


def test_unsure_alignment_is_never_a_conflict() -> None:
    links = {frozenset({"a", "b"}): 0.1}
    verdict = count_verdict([_count("a", 12), _count("b", 20)], SAME_DAY, links)
    assert verdict.status is FactStatus.COMPATIBLE
    assert verdict.reason is Reason.UNSURE_REFERENT


def _perpetrator(report: str, stance: Stance, polarity: Polarity) -> Mention:
    return Mention(
        report=report,
        kind="actor",
        start=0,
        end=6,
        text="Russia",
        value="Russia",
        event=PERPETRATOR,
        key="perpetrator|russia",
        stance=stance,
        polarity=polarity,
    )


@pytest.mark.parametrize(
    ("stances", "status"),
    [
        ([(Stance.ACCUSES, Polarity.AFFIRMED), (Stance.ASSERTS, Polarity.AFFIRMED)], "agree"),
        ([(Stance.ACCUSES, Polarity.AFFIRMED), (Stance.DENIES, Polarity.NEGATED)], "conflict"),
        ([(Stance.DENIES, Polarity.NEGATED), (Stance.DENIES, Polarity.NEGATED)], "agree"),
    ],
)
def test_perpetrator_verdict(stances: list[tuple[Stance, Polarity]], status: str) -> None:
    mentions = [_perpetrator(r, s, p) for r, (s, p) in zip("ab", stances, strict=True)]
    assert perpetrator_verdict(mentions).status == status


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_pipeline()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A man was shot and killed Saturday night in Lauderhill.", [("killed", 1, False)]),
        ("Antonio Neeley was shot and killed Saturday.", [("killed", 1, False)]),
        ("A man and a woman were found dead in their home.", [("killed", 2, False)]),
        ("No one else was injured.", [("wounded", 0, True)]),
        ("Police said nobody was hurt.", [("wounded", 0, True)]),
        ("There were no other injuries reported.", [("wounded", 0, True)]),
        ("Two brothers were wounded.", []),  # written as a number: the number finder reads it
        ("The robbery victim was not injured.", []),  # one person, not the toll
        ("People were killed in the blast.", []),  # a plural says no number
        # ... but victims named by a plural are two or more.
        ("The 17-year-olds were pronounced dead in the alley.", [("killed", 2, False)]),
        ("The teens were shot outside a store.", [("wounded", 2, False)]),
        ("He said they keep killing kids in this city.", []),
        ("A 17-year-old boy died after the shooting.", [("killed", 1, False)]),
        ("Police investigate the scene of a quadruple homicide.", [("killed", 4, True)]),
        # a multiple shooting counts those hit: wounded, unless the report tells of deaths
        (
            "Police are investigating a quintuple shooting in west Baltimore.",
            [("wounded", 5, True)],
        ),
        ("A double-shooting left a man hurt.", [("wounded", 2, True), ("wounded", 1, False)]),
        ("He was arrested in the shooting death of a 5-year-old boy.", [("killed", 1, False)]),
        ("Both were pronounced dead on scene.", [("killed", 2, False)]),
        ("A couple was shot and killed.", [("killed", 2, False)]),
        (
            "Police discovered Linda Hutton, 54, McKay Hutton, 22, and toddler Teagan Hutton "
            "-- all dead from apparent gunshot wounds.",
            [("killed", 3, False)],
        ),
        # Whom "leave" leaves dead or hurt, however the parser hangs the state.
        ("The shooting left a man dead.", [("killed", 1, False)]),
        ("The attack left a woman wounded.", [("wounded", 1, False)]),
        (
            "The shooting also left 16-year-old Monica Bates and her brother dead.",
            [("killed", 2, False)],
        ),
        ("The gunman left the scene.", []),
        ("Police found a man dead in his car.", [("killed", 1, False)]),
        ("He is charged with fatally shooting one of the teens.", [("killed", 1, False)]),
        ("A young couple and their baby were killed.", [("killed", 3, False)]),
        ("A police officer was wounded in the exchange.", [("wounded", 1, False)]),
        ("A wounded 12-year-old girl called 911.", [("wounded", 1, False)]),
        ("The gun went off, fatally wounding his younger step brother.", [("killed", 1, False)]),
        # Each verb its own victim: the brother wounded, the boy himself dead.
        (
            "The boy wounded his older brother in the leg and killed himself.",
            [("wounded", 1, False), ("killed", 1, False)],
        ),
        # Read from several written numbers: the dead among the shot leave the wounded, and
        # a count in parts is their sum.
        ("Six people were shot, two of them fatally.", [("wounded", 4, True)]),
        ("Six people were shot, two of them fatally, outside a bar.", [("wounded", 4, True)]),
        ("Three people were shot and one died at the hospital.", [("wounded", 2, True)]),
        ("Two juveniles and eight adults were wounded.", [("wounded", 10, True)]),
        ("He and six others were shot at the club.", [("wounded", 7, True)]),
        ("Two men and a woman were shot outside a bar.", [("wounded", 3, True)]),
        # Hurt, told by the wound: the limb says he lived; without it, the report says.
        ("His son accidentally shot himself in the hand.", [("wounded", 1, False)]),
        ("He then shot himself.", []),
        ("A 16-year-old girl suffered minor injuries.", [("wounded", 1, False)]),
        ("A teen was hospitalized after the shooting.", [("wounded", 1, False)]),
        ("The man who was shot and killed was 34.", [("killed", 1, False)]),
        ("Police said the slain boy was 13.", [("killed", 1, False)]),
        ("Authorities said he was pronounced dead at the hospital.", [("killed", 1, False)]),
        ("The second victim did not survive.", [("killed", 1, False)]),
        ("He was shot in the leg.", []),  # a pronoun: told of by name elsewhere
        # A coordinated verb with its own subject tells of someone else; a name the
        # recognizer misreads ("10 p.m. Bates" as a time) is still the person named before.
        (
            "Monica Bates and Malcolm Wallace were shot in a car at about 10 p.m. Bates, who "
            "was Wallace's sister, was pronounced dead at the scene.",
            [("wounded", 2, False), ("killed", 1, False)],
        ),
    ],
)
def test_counts_without_a_number(
    nlp: Any, sentence: str, expected: list[tuple[str, int, bool]]
) -> None:
    found = [
        (c.slot.value, c.value, c.exact)
        for s in nlp(sentence).sents
        for c in find_implicit_counts(s)
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("event", "counted_class", "sentence", "slot"),
    [
        ("killed", "person", "Five people were killed.", Slot.KILLED),
        ("wounded", None, "Twelve were wounded.", Slot.WOUNDED),
        ("held", "person", "Gunmen kidnapped ten villagers.", Slot.KIDNAPPED),
        ("held", "person", "Police detained ten protesters.", Slot.DETAINED),
        ("evacuated", "civilian", "Thousands of civilians fled the town.", Slot.DISPLACED),
        ("evacuated", "civilian", "Buses evacuated 300 civilians.", Slot.EVACUATED),
        ("destroyed", "building", "Strikes destroyed two homes.", None),
        ("killed", "lorry", "Strikes hit 18 lorries.", None),
    ],
)
def test_count_slot(
    event: str, counted_class: str | None, sentence: str, slot: Slot | None
) -> None:
    assert count_slot(event, counted_class, sentence) == slot


@pytest.mark.parametrize(
    ("sentence", "scope"),
    [
        ("The strike killed 12 people on Monday.", Scope.INCIDENT),
        ("The war has killed more than 320,000 people since 2011.", Scope.BACKGROUND),
        (
            "Aleppo was devastated by the civil war which has killed 300000 people.",
            Scope.BACKGROUND,
        ),
        ("More than 400 people have been shot in the city so far this year.", Scope.BACKGROUND),
        ("In a separate attack, three soldiers died.", Scope.BACKGROUND),
        ("It was the deadliest attack since March.", Scope.BACKGROUND),
        ("Eight others were wounded in separate shootings on Friday.", Scope.BACKGROUND),
        ("In Chicago, 39 people were shot across the city over the weekend.", Scope.BACKGROUND),
        (
            "A quarter of a million have been killed across the war-battered country.",
            Scope.BACKGROUND,
        ),
        ("A man was shot dead across the state line in Indiana.", Scope.INCIDENT),
        ("Eight other people were wounded in shootings from Friday to Saturday.", Scope.BACKGROUND),
        ("Three people were wounded in the shooting on Friday.", Scope.INCIDENT),
        ("A spate of three shootings on Friday night left two dead.", Scope.BACKGROUND),
        ("Police are investigating two shootings that left three wounded.", Scope.BACKGROUND),
        ("The regime carried out 13 attacks on the city.", Scope.INCIDENT),
        ("We've had two children hurt and killed by gun violence in one week.", Scope.BACKGROUND),
        ("In the past two weeks more than 200 civilians have been killed.", Scope.BACKGROUND),
        ("Over the last few months 30 people died in the district.", Scope.BACKGROUND),
        # A day's toll is the incident's.
        ("In the past 24 hours 12 people were killed in air strikes.", Scope.INCIDENT),
        ("Since the war erupted in 2011 280000 people have been killed.", Scope.BACKGROUND),
        ("280000 people have been killed since Syria's conflict began.", Scope.BACKGROUND),
        ("Five were killed since the attack began.", Scope.INCIDENT),
        ("Seven days of airstrikes had left more than 75 civilians dead.", Scope.BACKGROUND),
        ("Two days of fighting left 12 dead.", Scope.INCIDENT),  # may be the incident
        (
            "In initial reports, police said two had been killed and five wounded, but two "
            "more have since died.",
            Scope.BACKGROUND,  # the toll told before, not the report's
        ),
        ("Early reports said five people were killed.", Scope.INCIDENT),
        ("More than 100 civilians have been killed in August.", Scope.BACKGROUND),
        ("Two people have been killed in the shooting on March 3.", Scope.INCIDENT),
        ("Three people were killed in August.", Scope.INCIDENT),
        ("The man was initially taken to a hospital and later released.", Scope.INCIDENT),
    ],
)
def test_sentence_scope(sentence: str, scope: Scope) -> None:
    assert sentence_scope(sentence) is scope


def _pair(
    first: str, second: str, day: date = date(2016, 10, 19), days_later: int = 0
) -> list[Report]:
    """Two reports: the second published `days_later`."""
    later = date.fromordinal(day.toordinal() + days_later)
    return [
        Report(id="a", text=first, outlet="Outlet A", published=day),
        Report(id="b", text=second, outlet="Outlet B", published=later),
    ]


ACCUSATION = (
    "Air strikes killed six people in the village of Hassajik in Aleppo province on "
    "Tuesday. The opposition and US officials blamed Russia for the strikes."
)


@pytest.mark.parametrize(
    "denial",
    [
        "Russia denied carrying out the air strikes on the village in Aleppo province.",
        "Moscow rejected the accusations over the strikes on the village in Aleppo province.",
        "Planes of the Russian air force have not carried out any strikes on the village in "
        "Aleppo province, the defence ministry said.",
        "Russia refuted these allegations about the strikes on the village in Aleppo province.",
        "The strikes on the village in Aleppo province were used as a pretext for accusing "
        "Russia, the ministry said.",
    ],
)
def test_a_denial_makes_the_perpetrator_disputed(denial: str) -> None:
    comparison = compare(_pair(ACCUSATION, f"Six people were killed on Tuesday. {denial}"))
    (fact,) = [f for f in comparison.facts if f.mentions[0].event == PERPETRATOR]
    assert fact.status == "conflict", fact.explanation
    assert fact.verdict.reason is Reason.DISPUTED
    assert fact.explanation.startswith("Disputed:")
    (incident,) = comparison.incidents
    assert incident.slot_fact(Slot.PERPETRATOR) == fact.id  # on the card, as "who did it"


def test_card_reads_tolls_without_digits_and_ages_are_not_tolls() -> None:
    comparison = compare(
        _pair(
            "A man was shot and killed Saturday night in Lauderhill, Florida. No one else was "
            "injured, police said.",
            "John Smith, 42, was shot and killed in Lauderhill on Saturday night. Police said "
            "no one else was hurt.",
        )
    )
    (incident,) = comparison.incidents
    facts = {f.id: f for f in comparison.facts}
    killed = facts[incident.slot_fact(Slot.KILLED) or ""]
    assert {m.value for m in killed.mentions} == {1}
    assert all(m.implicit for m in killed.mentions)
    wounded = facts[incident.slot_fact(Slot.WOUNDED) or ""]
    assert {m.value for m in wounded.mentions} == {0}
    assert wounded.status == "agree"
    assert not any(m.value == 42 for f in comparison.facts for m in f.mentions)


def test_two_different_tolls_for_one_slot_are_one_conflicting_row() -> None:
    comparison = compare(
        _pair(
            "Twelve people were killed when a car bomb exploded at a market in Azaz on Monday.",
            "A car bomb exploded at a market in Azaz on Monday, killing 20 people.",
        )
    )
    killed = _slot_row(comparison, Slot.KILLED)
    assert sorted(m.value for m in killed.mentions) == [12, 20]  # type: ignore[type-var]
    assert killed.status == "conflict"
    assert comparison.incidents[0].event_type.value == "bombing"


def test_card_date_is_the_incident_day_not_the_war_start() -> None:
    comparison = compare(
        _pair(
            "Air strikes killed six people in Maarat al-Numan in Idlib province on Monday. "
            "Syria's war has killed more than 370,000 people since it began in 2011.",
            "Six people were killed by air strikes on Maarat al-Numan in Idlib on Monday. "
            "The conflict began in 2011.",
        )
    )
    (incident,) = comparison.incidents
    assert incident.date_start == incident.date_end == date(2016, 10, 17)


def _place(report: str, name: str) -> MentionGroup:
    mention = Mention(
        report=report, kind="place", start=0, end=len(name), text=name, value=name, key=name
    )
    return MentionGroup(report, (mention,))


def test_a_name_several_places_bear_is_the_one_beside_the_report_s_other_places() -> None:
    # Englewood, Colorado is the largest Englewood; in a report from Chicago it is Chicago's.
    comparison = compare(
        _pair(
            "CHICAGO -- Five teens were hospitalized after a shooting Monday night in "
            "Englewood, police said.",
            "A gunman has shot and wounded five teenagers in Chicago's Englewood "
            "neighborhood on Monday night.",
        )
    )
    (incident,) = comparison.incidents
    assert incident.place is not None
    assert (incident.place.name, incident.place.parents[0]) == ("Englewood", "Illinois")


def test_places_join_by_containment_without_losing_any() -> None:
    # A neighbourhood-level name, its city and its province, one report each: one fact that
    # keeps all three reports.
    clusters = [
        [_place("a", "Abu Kamal")],
        [_place("b", "Deir ez-Zor province")],
        [_place("c", "eastern Syria")],
    ]
    joined = merge_contained(clusters)
    reports = sorted(g.report for groups, _ in joined for g in groups)
    assert reports == ["a", "b", "c"]
    assert any(contained for _, contained in joined)
    # A report naming both a town and its province names two places: not joined.
    same_report = [[_place("a", "Abu Kamal")], [_place("a", "Deir ez-Zor province")]]
    assert len(merge_contained(same_report)) == 2


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        # "shot": hit; the wounded where the report tells of no death (`test_hit_...`)
        ("Three people were shot outside a bar.", "shot"),
        ("Four men were fatally shot in the car.", "killed"),
        ("Three people were shot and killed in the car.", "killed"),
        ("Five people were shot, one fatally.", "hit"),  # both the dead and the wounded
        ("It left six people wounded -- two mortally.", "hit"),
        ("Three people were shot and one died at the hospital.", None),
        # Told by their wounds or their care
        ("Four people are recovering from gunshot wounds.", "wounded"),
        ("Seven others were treated for injuries and released.", "wounded"),
        ("Three people suffered gunshot wounds.", "shot"),
        ("Officers rushed two victims to the hospital.", "shot"),
        ("Paramedics took two others to the morgue.", "killed"),
        ("Five other people were hit by bullets.", "shot"),
        ("Three bystanders were struck by gunfire.", "shot"),
        ("The death toll hit 16 on Monday.", "killed"),
        ("The two boys were shooting at crows near the river.", None),  # the shooters
        ("He could only confirm four deaths.", "killed"),
        ("Police found four people shot to death in the home.", "killed"),
        ("Two are dead after a shooting on Gherald Street.", "killed"),
        # The fragment's number counts the dead among the wounded, wherever it hangs.
        (
            "A funeral took a lethal turn Monday when a shootout erupted, leaving six people "
            "wounded -- two mortally, authorities said.",
            "hit",
        ),
        # "remain" is a verb here, not the dead's remains
        ("The other two remain in the hospital.", None),
        # A charge counts what one suspect is charged with, which may be part of the toll.
        ("Jimerson is accused of killing two men in a fight.", None),
        ("He was charged with wounding three people.", None),
    ],
)
def test_shootings_counted_as_killed_or_wounded(nlp: Any, sentence: str, event: str | None) -> None:
    (quantity,) = [q for s in nlp(sentence).sents for q in find_quantities(s)][:1]
    assert quantity.event == event


def _slot_row(comparison: Any, slot: Slot) -> Any:
    """The card row of `slot` of the comparison's one incident."""
    (incident,) = comparison.incidents
    return next(f for f in comparison.facts if f.id == incident.slot_fact(slot))


def _wounded_row(comparison: Any) -> Any:
    return _slot_row(comparison, Slot.WOUNDED)


def test_a_toll_told_only_by_who_the_victims_are_is_the_report_s_whole_toll() -> None:
    # "Two teens injured" is its report's only count of the wounded: the wounded row,
    # beside the other report's "two people were shot".
    comparison = compare(
        _pair(
            "Two teens were injured in a shooting on the northwest side of Indianapolis on "
            "Friday night.",
            "Two people have been shot on the northwest side of Indianapolis on Friday "
            "evening, police said.",
        )
    )
    wounded = _wounded_row(comparison)
    assert {m.report for m in wounded.mentions} == {"a", "b"}
    assert wounded.status == "agree"


def test_hit_counts_are_wounded_only_where_no_one_died() -> None:
    # "Five people were shot" and "one died": five hit, not five wounded.
    comparison = compare(
        _pair(
            "Five people were shot in Dayton on Saturday night. One of them died at the "
            "hospital, police said.",
            "A man died and four people were wounded in a shooting in Dayton on Saturday night.",
        )
    )
    wounded = _wounded_row(comparison)
    assert {m.value for m in wounded.mentions} == {4}


def test_a_report_weighed_by_its_first_figure_and_any_higher_one() -> None:
    lead = "Five people were wounded in a shooting in Dayton on Saturday night."
    other = "Five people were wounded in a shooting at a bar in Dayton on Saturday night."
    # A lower figure later in a report counts part of the victims: no contradiction.
    part = compare(_pair(lead + " One man was critically wounded.", other))
    assert _wounded_row(part).status == "agree"
    # A higher figure later in the report is a second, different statement of the count.
    higher = compare(_pair(lead + " Police said nine people were wounded.", other))
    row = _wounded_row(higher)
    assert {m.value for m in row.mentions} == {5, 9}
    assert row.status == "conflict"


def test_a_later_figure_both_reports_give_is_no_self_contradiction() -> None:
    lead = "Four people were killed in a suicide bombing at a hospital in Qardaha on Sunday."
    roundup = " Troops killed 48 people in the village of Rityan, the monitor said."
    # Both reports give 48 after their lead's 4: a second count both tell of, no slip.
    both = compare(_pair(lead + roundup, lead + roundup))
    row = _slot_row(both, Slot.KILLED)
    assert row.status != "conflict"
    # Leading with different counts that each report gives is no contradiction either.
    other = "Troops killed 48 people in the village of Rityan, the monitor said."
    led = compare(_pair(lead + roundup, other + " " + lead))
    assert all(f.status != "conflict" for f in led.facts if f.slot is Slot.KILLED)
    # Where that reconciles them, the explanation names the report that gives both.
    leads_apart = compare(_pair(lead + roundup, other))
    reconciled = [f for f in leads_apart.facts if f.verdict.reason is Reason.ALSO_GIVEN]
    assert reconciled
    for fact in reconciled:
        assert "Outlet A also gives another report's figure" in fact.explanation


@pytest.mark.parametrize(
    ("stated", "also", "status", "reason"),
    [
        # A leads with 4 and later gives 48; B leads with 48: different counts, both told.
        ([_count("a", 4), _count("b", 48)], [_count("a", 48)], "compatible", Reason.ALSO_GIVEN),
        # Both give 48 later; their leads still differ: a conflict over the first count.
        (
            [_count("a", 4), _count("b", 7)],
            [_count("a", 48), _count("b", 48)],
            "conflict",
            Reason.EXCLUSIVE_VALUES,
        ),
        # A report contradicting itself where it first tells the count is never reconciled.
        (
            [_count("a", 4), _count("a", 7), _count("b", 4)],
            [_count("b", 7)],
            "conflict",
            Reason.EXCLUSIVE_VALUES,
        ),
    ],
)
def test_figures_given_later_reconcile_reports(
    stated: list[Mention], also: list[Mention], status: str, reason: Reason
) -> None:
    verdict = count_verdict(stated, SAME_DAY, also=also)
    assert (verdict.status, verdict.reason) == (status, reason)
    assert len(verdict.values) == len(stated) + len(also)


@pytest.mark.parametrize(
    ("sentence", "part"),
    [
        ("One victim, 23, was pronounced dead on the scene.", True),
        ("Two people died at the scene.", True),
        (
            "One victim died upon arrival at the hospital, while the other two remain in "
            "critical condition.",
            True,
        ),
        ("A third man died at an area hospital.", True),
        ("Three people were killed in the shooting.", False),
        ("Two men were found dead in the apartment.", False),
    ],
)
def test_those_who_died_in_one_place_are_part_of_the_toll(sentence: str, part: bool) -> None:
    assert tells_where_some_died(sentence) is part


def test_a_count_of_those_who_died_at_the_scene_is_a_minimum() -> None:
    comparison = compare(
        _pair(
            "Two people died at the scene of a shooting in Rochester on Wednesday night.",
            "Three people were killed in a shooting in Rochester on Wednesday night.",
        )
    )
    row = next(f for f in comparison.facts if f.slot is Slot.KILLED)
    assert row.status == "compatible"


def test_a_headline_joins_the_body_s_first_count_not_a_later_restatement() -> None:
    # "kills 4" over "killed seven people", and only later "two women and two soldiers were
    # killed" (4): the headline restates the lead, so the report contradicts itself.
    headline = _count("a", 4, start=10, end=11)
    lead = _count("a", 7, start=60, end=65)
    later = _count("a", 4, start=150, end=190)
    groups = group_within_reports([headline, lead, later], {"a": 46})
    told = [sorted(m.value for m in g.mentions if isinstance(m.value, int)) for g in groups]
    assert [4, 4, 7] in told
    # A body that first gives the headline's figure restates it: nothing else joins.
    first = _count("a", 4, start=60, end=65)
    groups = group_within_reports([headline, first, _count("a", 7, start=150, end=155)], {"a": 46})
    told = [sorted(m.value for m in g.mentions if isinstance(m.value, int)) for g in groups]
    assert sorted(told) == [[4, 4], [7]]
    # A body whose first count is another incident's ("In August, three members of a family
    # were found dead") does not restate the headline.
    earlier = _count("a", 3, start=60, end=65, scope=Scope.BACKGROUND)
    groups = group_within_reports(
        [_count("a", 2, start=10, end=11, scope=Scope.INCIDENT), earlier], {"a": 46}
    )
    assert sorted(len(g.mentions) for g in groups) == [1, 1]


def _told(groups: list[MentionGroup]) -> list[list[str]]:
    return sorted(sorted(f"{m.value} {m.counted}" for m in g.mentions) for g in groups)


def test_a_repeated_figure_for_another_group_is_another_count() -> None:
    children = _count(
        "a", 6, "at least", start=10, count_key=CountKey("killed", "child"), counted="children"
    )
    # civilians named by what they do are not the children of the same figure
    teachers = _count(
        "a", 6, start=90, count_key=CountKey("killed", "civilian"), counted="teachers"
    )
    assert len(group_within_reports([children, teachers])) == 2
    # nor are a report's 15 dead children its "15 injured" told again
    injured = _count("a", 15, start=10, slot=Slot.WOUNDED, count_key=CountKey("wounded", "person"))
    dead_children = _count("a", 15, start=90, count_key=CountKey("killed", "child"))
    assert len(group_within_reports([injured, dead_children])) == 2
    # while "five teens were injured" and then "four of the five victims" are one count
    teens = _count("a", 5, start=10, count_key=CountKey("wounded", "child"), counted="teens")
    victims = _count("a", 5, start=90, count_key=CountKey("wounded", "person"), counted="victims")
    assert len(group_within_reports([teens, victims])) == 1
    # while a toll of everyone told again as civilians is one count
    people = _count("a", 31, start=10, counted="people")
    civilians = _count(
        "a", 31, start=90, count_key=CountKey("killed", "civilian"), counted="civilians"
    )
    assert len(group_within_reports([people, civilians])) == 1


def test_counts_told_beside_one_other_count_are_one_referent_whatever_their_figures() -> None:
    # "executed 48 people ..., among them 10 children" and later "16 children and 13 rebels
    # were among 48 people executed": the report contradicts itself about one group.
    def told(value: int, start: int, sentence: int, **fields: Any) -> Mention:
        return _count("a", value, start=start, end=start + 2, sentence_start=sentence, **fields)

    children = {"count_key": CountKey("killed", "child"), "counted": "children"}
    mentions = [
        told(48, 10, 0, counted="people"),
        told(10, 40, 0, **children),
        told(16, 100, 90, **children),
        told(48, 130, 90, counted="people"),
    ]
    assert _told(group_within_reports(mentions)) == [
        ["10 children", "16 children"],
        ["48 people", "48 people"],
    ]
    # A figure under 4 beside each ("two dead" in two incidents) ties nothing.
    mentions = [
        told(2, 10, 0, counted="people"),
        told(10, 40, 0, **children),
        told(16, 100, 90, **children),
        told(2, 130, 90, counted="people"),
    ]
    assert len(group_within_reports(mentions)) == 3


def test_a_count_joins_its_likeliest_free_partner() -> None:
    # b's "34 others" is likeliest a's "Ten civilians", which a likelier partner took: it
    # joins a's "21 others", its next best.
    groups = [
        _group("a", 10, start=0),
        _group("a", 21, start=50),
        _group("b", 10, start=0),
        _group("b", 34, start=50),
    ]
    probabilities = {(0, 2): 0.77, (0, 3): 0.52, (1, 3): 0.51, (1, 2): 0.2}
    facts = cluster_counts(groups, probabilities, pair_min=0.3)
    joined = sorted(sorted(g.first.value for g in members) for members, _ in facts)
    assert joined == [[10, 10], [21, 34]]


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # those hit are the wounded where no one died, or where the report says nobody died
        ("Five people were shot on Friday. Nobody died.", {Slot.WOUNDED: 5, Slot.KILLED: 0}),
        ("Police investigate a double shooting. Nobody died.", {Slot.WOUNDED: 2, Slot.KILLED: 0}),
        # and count the dead too where some died: no wounded figure
        ("A triple shooting in Chicago left one man dead.", {Slot.KILLED: 1}),
    ],
)
def test_those_hit_are_the_wounded_unless_some_died(text: str, slots: dict[Slot, int]) -> None:
    (extraction,) = extract_reports([Report(id="a", text=text)])
    told = {m.slot: m.value for m in extraction.mentions if m.kind == "quantity" and m.slot}
    assert told == slots


def test_one_person_told_of_is_one_of_the_count_not_a_second_figure() -> None:
    title = "Four people were hurt in a shooting outside a baby shower in Brooklyn"
    body = (
        f"{title}\nFour people were hurt in a shooting outside a baby shower in Brooklyn on "
        "Sunday night, police say. One man was shot in the chest, one man was shot in the "
        "leg and the woman was shot in the arm. All four people are expected to survive."
    )
    other = "The gunman shot and wounded four people in front of a Brooklyn baby shower."
    day = date(2016, 6, 5)
    comparison = compare(
        [
            Report(id="a", text=body, title=title, outlet="Outlet A", published=day),
            Report(id="b", text=other, outlet="Outlet B", published=day),
        ]
    )
    row = _slot_row(comparison, Slot.WOUNDED)
    assert row.status == "agree"


def test_a_count_in_another_city_stays_out_of_the_card_row() -> None:
    comparison = compare(
        _pair(
            "Four people were wounded in a shooting in Houston on Monday night. "
            "In Miami, eight people were wounded on Monday.",
            "Four people were wounded in a shooting in Houston on Monday night.",
        )
    )
    wounded = _wounded_row(comparison)
    assert {m.value for m in wounded.mentions} == {4}
    assert wounded.status == "agree"


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # The attacker beside those he killed is one more; relatives of two kinds are two.
        ("Smith killed his wife and her mother before he killed himself.", 3),
        ("Police say John Hernandez was shot and killed. The gunman later killed himself.", 2),
        # A person described and a person named may be one victim.
        ("A man was shot and killed. The victim, John Smith, died at the scene.", 1),
        # "shot himself" beside one death told of no one else: most likely that death.
        ("The death of a teenager is under investigation. He shot himself and died.", 1),
        # People described by different ages are two.
        ("A 58-year-old man was shot and killed. A 23-year-old man was shot and killed.", 2),
        # The attacker who died by his own hand is one more.
        (
            "He died of a self-inflicted gunshot wound after shooting and killing John Smith "
            "and Mark Jones.",
            3,
        ),
        # One relative told twice.
        ("She killed her father and daughter. Her father died at the scene.", 2),
    ],
)
def test_victims_told_one_by_one_are_tallied(text: str, killed: int) -> None:
    (extraction,) = extract_reports([Report(id="a", text=text)])
    told = [m for m in extraction.mentions if m.slot is Slot.KILLED and m.implicit]
    assert told
    assert {m.value for m in told} == {killed}
    assert all(m.qualifier == "at least" for m in told)


def test_victims_of_different_ages_are_not_one_victim() -> None:
    # "7-year-old" and "12-year-old" share no word that tells a victim: the wounded boy is
    # no one told of as killed.
    (extraction,) = extract_reports(
        [
            Report(
                id="a",
                text="A 7-year-old boy was struck and wounded by a bullet on Monday. It "
                "happened near a shooting that left a 12-year-old girl dead.",
            )
        ]
    )
    wounded = [m for m in extraction.mentions if m.slot is Slot.WOUNDED and m.implicit]
    assert [m.text for m in wounded] == ["A 7-year-old boy was struck and wounded"]


def test_a_row_of_several_reports_is_never_single() -> None:
    # One report's figure fills no slot ("taken to the hospital" in a report of a death is
    # everyone hit); joined to the row by the pairing, it is still weighed.
    comparison = compare(
        _pair(
            "A man was killed and three others were wounded in a shooting in Dayton on "
            "Tuesday night.",
            "Police said a man died and three other people were taken to the hospital after "
            "a shooting in Dayton on Tuesday night.",
        )
    )
    for fact in comparison.facts:
        assert (fact.status == "single") == (len(fact.reports) == 1), fact.explanation


@pytest.mark.parametrize(
    ("lead", "kind"),
    [
        ("A suicide car bomb killed 12 people in Azaz.", "suicide bombing"),
        ("Four suicide bombers blew themselves up in Damascus.", "suicide bombing"),
        ("Police say the deaths were a murder-suicide; he shot his wife.", "shooting"),
        ("A car pulled up and discharged a single shotgun blast.", "shooting"),
        ("A blast tore through the market on Monday.", "bombing"),
        # A gun battle in a street is a shooting before it is clashes.
        ("A gun battle on the streets of Oakland left eight people wounded.", "shooting"),
    ],
)
def test_event_type_of_a_lead(lead: str, kind: str) -> None:
    assert lead_event_type(Report(id="a", text=lead)).value == kind


def test_leads_of_different_kinds_of_violence_must_be_closer_to_be_one_incident() -> None:
    # An air strike and a rocket attack on one city's day: two incidents unless the leads
    # are very close; the same kind links at a lower closeness.
    fairly_close = 0.7
    assert not linked_leads(fairly_close, False, different_kinds=True, same_people=False)
    assert linked_leads(fairly_close, False, different_kinds=False, same_people=False)
    assert linked_leads(0.45, True, different_kinds=False, same_people=False)
    assert linked_leads(0.8, False, different_kinds=True, same_people=False)
    # The same victim or suspect named in full still links a follow-up.
    assert linked_leads(0.35, False, different_kinds=True, same_people=True)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Manuel Anthony Talamantez", "Manuel Talamantez", True),  # a middle name
        ("Jermaine Sims Jr.", "Jermaine Sims", True),  # a suffix
        ("John Smith", "Jane Smith", False),
        ("Antonio Neeley", "Antonio Moore", False),
    ],
)
def test_a_person_named_with_or_without_a_middle_name_is_one_person(
    one: str, other: str, same: bool
) -> None:
    assert (person_key(one) == person_key(other)) is same


def test_the_wounded_worked_out_from_the_shot_and_the_dead_agree_with_a_stated_figure() -> None:
    comparison = compare(
        _pair(
            "Six people were shot, two of them fatally, outside a bar in Dayton on Saturday "
            "night. Police said John Smith, 34, and Mark Jones, 28, died at the scene.",
            "Two men were killed and four other people were wounded in a shooting outside a "
            "Dayton bar on Saturday night, police said.",
        )
    )
    (incident,) = comparison.incidents
    facts = {f.id: f for f in comparison.facts}
    wounded = facts[incident.slot_fact(Slot.WOUNDED) or ""]
    killed = facts[incident.slot_fact(Slot.KILLED) or ""]
    assert (wounded.status, {m.value for m in wounded.mentions}) == ("agree", {4})
    assert (killed.status, {m.value for m in killed.mentions}) == ("agree", {2})


@pytest.mark.parametrize(
    "more",
    [
        "Twenty-six civilians were also killed in air strikes on the village of Tal Rifaat.",
        "Another 26 civilians died when shells hit a market in the east of the city.",
        "Meanwhile, 26 civilians were killed by shelling in the countryside.",
        "26 others were killed in strikes on the Castello road.",
    ],
)
def test_victims_told_besides_the_toll_are_not_the_report_s_version_of_it(more: str) -> None:
    # "also", "another", "others", "meanwhile": more victims or another event, never a
    # second figure for the toll the report told first.
    lead = "At least 12 civilians were killed in air strikes on Aleppo on Wednesday."
    comparison = compare(_pair(f"{lead} {more}", lead))
    killed = _slot_row(comparison, Slot.KILLED)
    assert {m.value for m in killed.mentions} == {12}
    assert killed.status == "agree"


@pytest.mark.parametrize(
    ("told", "stated"),
    [
        # A headline drops the qualifier its lead gives: the report holds to at least 19.
        ([_count("a", 19), _count("a", 19, "at least")], (19, None)),
        ([_count("a", 19, "at least"), _count("a", 19)], (19, None)),
        # Different figures: the first statement is the report's.
        ([_count("a", 19), _count("a", 31, "at least")], (19, 19)),
        # A count read without a number yields to a figure.
        ([_count("a", 1, "at least", implicit=True), _count("a", 2)], (2, 2)),
    ],
)
def test_what_a_report_states_for_a_count(told: list[Mention], stated: tuple[Any, Any]) -> None:
    group = MentionGroup("a", tuple(told))
    assert (group.stated.low, group.stated.high) == stated


def test_a_toll_of_another_kind_of_incident_stays_out_of_the_card_row() -> None:
    lead = (
        "A suicide bomber killed four people at a hospital in Qardaha on Sunday. The "
        "attacker drove an ambulance to the gate of the hospital and blew himself up, the "
        "governor told state television. It was the first such attack in the town, the home "
        "of the ruling family, since the war began, and residents said security at the "
        "checkpoints around it had been tightened in recent weeks."
    )
    more = "Eight people were killed when a barrel bomb hit a building in Aleppo on Sunday."
    comparison = compare(_pair(f"{lead} {more}", lead))
    killed = _slot_row(comparison, Slot.KILLED)
    assert {m.value for m in killed.mentions} == {4}
    assert killed.status == "agree"


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        # One picked out of a group the event befell is no toll of the group.
        ("Tabitha Cruz, 20, was one of the women killed when gunfire erupted.", []),
        ("One of the men killed was a soldier.", []),
        # The figure's own verb: a toll.
        ("Two of the victims died at the hospital.", [2]),
        ("Dozens of people were killed in the attack.", [None]),
    ],
)
def test_one_of_a_group_is_no_toll(nlp: Any, sentence: str, killed: list[int | None]) -> None:
    (extraction,) = extract_reports([Report(id="a", text=sentence)])
    tolls = [m.value for m in extraction.mentions if m.slot is Slot.KILLED and not m.implicit]
    assert tolls == killed


@pytest.mark.parametrize(
    "sentence",
    ["Wainwright was pronounced dead at 5 at the scene.", "The victim died at 85."],
)
def test_a_point_in_time_or_an_age_after_at_is_no_count(nlp: Any, sentence: str) -> None:
    (extraction,) = extract_reports([Report(id="a", text=sentence)])
    assert [m.value for m in extraction.mentions if m.kind == "quantity" and not m.implicit] == []


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        # A count of strikes names its event, whatever verb carries it.
        ("The regime carried out 13 raids on the city.", CountKey("attacked", "strike")),
        ("Russian jets dealt 182 strikes against the militants.", CountKey("attacked", "strike")),
        # What an attack fires is counted apart from the attacks ("two car bombs" are no
        # count of the "300 shells" another report tells of).
        (
            "Rebels fired at least 300 shells into the west of the city.",
            CountKey("attacked", "projectile"),
        ),
        ("Rebels attacked the base with two suicide car bombs.", CountKey("attacked", "bomb")),
        # A count told per span of time is a rate.
        (
            "The forces carry out up to 150 strikes per day.",
            CountKey("attacked", "strike", "per day"),
        ),
        ("The war kills 20 people a day.", CountKey("killed", "person", "per day")),
        ("Five people were killed a day after the attack.", CountKey("killed", "person")),
        # Military reports' words for killing.
        (
            "The ministry confirmed the elimination of 34 terrorists.",
            CountKey("killed", "militant"),
        ),
        ("Troops neutralised 20 militants near the town.", CountKey("killed", "militant")),
        # "left" counts the state it leaves people in; people who leave are evacuated.
        (
            "Clashes rocked the city, leaving 23 civilians - mostly women - dead.",
            CountKey("killed", "civilian"),
        ),
        (
            "The gun battle left eight people, including themselves, wounded.",
            CountKey("wounded", "person"),
        ),
        ("About 3,000 people left the town on Friday.", CountKey("evacuated", "person")),
        # What things do ("carrying") is not what befell them; what people do may be.
        (
            "The airstrike destroyed at least 18 trucks carrying aid.",
            CountKey("destroyed", "truck"),
        ),
        (
            "Some 3,000 civilians fleeing the fighting reached the border.",
            CountKey("evacuated", "civilian"),
        ),
    ],
)
def test_counts_of_strikes_and_rates(nlp: Any, sentence: str, key: CountKey) -> None:
    (extraction,) = extract_reports([Report(id="a", text=sentence)])
    keys = [m.count_key for m in extraction.mentions if m.kind == "quantity" and not m.implicit]
    assert keys == [key]


def test_counts_of_one_known_thing_each_the_other_s_likeliest_partner_are_one_fact() -> None:
    # "182 strikes" and "182 airstrikes" in sentences worded apart: the same event and thing,
    # each the other's best partner, are surely one count whatever the pairing model's doubt.
    strikes = [
        MentionGroup(r, (_count(r, 182, count_key=CountKey("attacked", "strike"), slot=None),))
        for r in "ab"
    ]
    joined = same_things_joined(strikes, {(0, 1): 0.1})
    assert joined == {(0, 1): 1.0}
    assert len(cluster_counts(strikes, joined, pair_min=0.3)) == 1
    # Counts of people fill the card's rows by slot; the pairing model alone joins them.
    killed = [MentionGroup(r, (_count(r, 12),)) for r in "ab"]
    joined = same_things_joined(killed, {(0, 1): 0.1})
    assert joined == {(0, 1): 0.1}
    assert len(cluster_counts(killed, joined, pair_min=0.3)) == 2


def _group(report: str, *values: int, start: int = 0) -> MentionGroup:
    return MentionGroup(
        report,
        tuple(_count(report, v, start=start + n, end=start + n + 1) for n, v in enumerate(values)),
    )


@pytest.mark.parametrize(
    ("judged", "later", "weighed", "also"),
    [
        # A later, higher figure no other report gives: the report contradicts itself.
        ([("a", 2, 0), ("a", 5, 50), ("b", 2, 0)], [("a", 5, 50)], [2, 5, 2], []),
        # A later, higher figure another report gives too is a count both tell of (the
        # province's toll after the village's).
        ([("a", 4, 0), ("a", 48, 50), ("b", 48, 0)], [("a", 48, 50)], [4, 48], [48]),
        # A later, lower figure of the same people after an exact lead is that count told
        # again with another number: it reconciles nothing, and the leads disagree.
        ([("a", 15, 0), ("b", 14, 0)], [("a", 14, 50)], [15, 14], []),
        # A later, lower figure no other report gives is a part of the count: left out.
        ([("a", 6, 0), ("b", 6, 0)], [("a", 1, 50)], [6, 6], []),
    ],
)
def test_which_figures_a_count_s_verdict_weighs(
    judged: list[tuple[str, int, int]],
    later: list[tuple[str, int, int]],
    weighed: list[int],
    also: list[int],
) -> None:
    groups = {spec: _group(spec[0], spec[1], start=spec[2]) for spec in {*judged, *later}}
    got_weighed, got_also = _weighed_figures(
        [groups[s] for s in judged], [groups[s] for s in later]
    )
    assert [m.value for m in got_weighed] == weighed
    assert [m.value for m in got_also] == also


def test_people_and_civilians_are_one_headline_toll() -> None:
    # Outlets call the same dead "people" or "civilians": one row, judged on the figures.
    def killed_row(people: str, civilians: str) -> Any:
        comparison = compare(
            _pair(
                f"Regime air strikes killed {people} people in Aleppo on Friday, a monitor said.",
                f"Regime air strikes killed {civilians} civilians in Aleppo on Friday, a monitor "
                "said.",
            )
        )
        return _slot_row(comparison, Slot.KILLED)

    fewer = killed_row("31", "24")  # the civilians among the dead
    assert {m.value for m in fewer.mentions} == {31, 24}
    assert (fewer.status, fewer.verdict.reason) == ("compatible", Reason.NESTED_COUNT)
    more = killed_row("31", "40")  # more civilians than dead: both cannot be true
    assert {m.value for m in more.mentions} == {31, 40}
    assert more.status == "conflict"


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        # A part of a counted group ("including ...") is told of by what the group is.
        (
            "Clashes rocked the city leaving 23 civilians - including nine children - and 16 "
            "fighters dead.",
            [("23", "killed"), ("nine", "killed"), ("16", "killed")],
        ),
        (
            "Air strikes killed 31 civilians, including 10 children, in Aleppo.",
            [("31", "killed"), ("10", "killed")],
        ),
        # Each object of "left" takes the state told after it.
        (
            "A shooting left two men dead and four others injured outside a church.",
            [("two", "killed"), ("four", "wounded")],
        ),
        # The level a toll reached, told as the number of the dead.
        (
            "A wounded woman has died, bringing the number of fatalities to three.",
            [("three", "killed")],
        ),
        ("The number of people killed has risen to 12.", [("12", "killed")]),
        # What might have happened is no toll.
        (
            "His gunfire could have resulted in serious injuries to any of the hundreds of "
            "bystanders.",
            [("hundreds", None)],
        ),
        # ... and one left in care after the dead is alive.
        (
            "A shooting left two women dead and two others in the hospital.",
            [("two", "killed"), ("two", "wounded")],
        ),
        (
            "The blast left one man dead and three others in critical condition.",
            [("one", "killed"), ("three", "wounded")],
        ),
        # A part told after "among them", in a scrape that lost its comma, is of the count
        # before it, as is a count joined to it by "and".
        (
            "The Observatory gave a toll of 36 dead among them 15 children and four teachers.",
            [("36", "killed"), ("15", "killed"), ("four", "killed")],
        ),
        # A scrape that lost its comma: "29" parsed under "attack" is still the lorries the
        # clause's verb destroyed (the convoy's 31 were attacked).
        (
            "In the attack 29 of the 31 lorries were destroyed and 20 civilians were killed.",
            [("29", "destroyed"), ("31", "attacked"), ("20", "killed")],
        ),
    ],
)
def test_a_part_of_a_counted_group_shares_its_event(
    nlp: Any, sentence: str, counts: list[tuple[str, str]]
) -> None:
    found = [(q.number.text, q.event) for s in nlp(sentence).sents for q in find_quantities(s)]
    assert found == counts


def test_a_count_since_a_day_before_the_incident_is_still_the_incident_s() -> None:
    # "Since Wednesday ... leaving 23 civilians dead" runs up to Friday's report: the toll
    # of the fighting it tells of, not of an earlier day.
    comparison = compare(
        _pair(
            "Regime jets bombed Hasakeh on Friday. Clashes have rocked the city leaving 23 "
            "civilians dead, a monitor said.",
            "Regime jets bombed Hasakeh on Friday. Since Wednesday clashes have rocked the city "
            "leaving 23 civilians dead, the monitor said.",
            day=date(2016, 8, 19),
        )
    )
    killed = _slot_row(comparison, Slot.KILLED)
    assert {m.report for m in killed.mentions} == {"a", "b"}
    assert killed.scope is Scope.INCIDENT


def test_a_part_of_the_toll_that_several_reports_tell_is_a_row_of_its_own() -> None:
    # Both reports give the day's toll, then the bus's: the bus's ten are a part of the
    # toll both tell apart, not either report's version of the toll.
    comparison = compare(
        _pair(
            "At least 31 people were killed by regime air raids on Aleppo on Friday, the civil "
            "defence said. Ten people were killed when a strike hit a bus on the Castello "
            "road.",
            "Regime air raids on Aleppo killed 31 people on Friday, the civil defence said. Ten "
            "people died when a strike hit a bus travelling on the Castello road.",
        )
    )
    killed = _slot_row(comparison, Slot.KILLED)
    assert {m.value for m in killed.mentions} == {31}
    bus = next(f for f in comparison.facts if any(m.value == 10 for m in f.mentions))
    assert {m.report for m in bus.mentions} == {"a", "b"}
    assert bus.slot is None and bus.id != killed.id


def test_two_reports_headline_tolls_that_cannot_both_be_true_are_a_conflict() -> None:
    # Each report's first count of the incident's dead is its headline toll: one count
    # however differently worded, so 50 or more and 31 contradict each other.
    comparison = compare(
        _pair(
            "At least 50 people have been killed by regime raids in and around Aleppo on "
            "Friday, the civil defence said.",
            "Regime bombing raids on Aleppo killed 31 people on Friday, a monitor said.",
        )
    )
    killed = _slot_row(comparison, Slot.KILLED)
    assert {m.value for m in killed.mentions} == {50, 31}
    assert killed.status == "conflict"


ROW = ("i1", Slot.KILLED, Category.PEOPLE)


@pytest.mark.parametrize(
    ("groups", "firsts", "linked"),
    [
        # Each report's first count of the row: their headline tolls, surely one count.
        ([("a", 0), ("b", 0)], {"a": 0, "b": 0}, {frozenset("ab")}),
        # A report's later count in the row ("ten died on the bus") says nothing sure.
        ([("a", 0), ("b", 40)], {"a": 0, "b": 0}, set()),
        ([("a", 0), ("b", 0), ("c", 9)], {"a": 0, "b": 0, "c": 0}, {frozenset("ab")}),
        (
            [("a", 0), ("b", 0), ("c", 0)],
            {"a": 0, "b": 0, "c": 0},
            {frozenset("ab"), frozenset("ac"), frozenset("bc")},
        ),
    ],
)
def test_headline_tolls_of_a_card_row_are_surely_one_count(
    groups: list[tuple[str, int]], firsts: dict[str, int], linked: set[frozenset[str]]
) -> None:
    members = [_group(report, 5, start=start) for report, start in groups]
    at = {(report, ROW): start for report, start in firsts.items()}
    links = _leads_linked(members, ROW, at)
    assert set(links) == linked
    assert all(p == SURE_REFERENT for p in links.values())
    assert _leads_linked(members, None, at) == {}  # not a card row: nothing sure


def test_a_count_told_as_the_total_is_the_toll_whatever_else_its_sentence_adds() -> None:
    # "also" tells of more victims, but "35 people in total" is the whole toll.
    comparison = compare(
        _pair(
            "Air strikes on a school in Idlib killed 35 people on Wednesday, a monitor said.",
            "Air strikes on a school in Idlib killed 22 children on Wednesday, UNICEF said. Six "
            "teachers also died, while the monitor said that 35 people in total had died.",
        )
    )
    killed = _slot_row(comparison, Slot.KILLED)
    assert {(m.report, m.value) for m in killed.mentions} >= {("a", 35), ("b", 35)}


def _date(
    value: str, precision: str, sentence: int, qualifier: str | None = None, event: str = "kill"
) -> Mention:
    return Mention(
        report="a",
        kind="date",
        start=sentence + 1,
        end=sentence + 2,
        text=value,
        value=value,
        key=value,
        precision=precision,
        qualifier=qualifier,  # type: ignore[arg-type]
        event=event,
        sentence_start=sentence,
    )


@pytest.mark.parametrize(
    ("dates", "scope"),
    [
        ([], Scope.INCIDENT),
        ([("2016-04-09", "day", None)], Scope.INCIDENT),  # the incident's day
        ([("2016-04-02", "day", None)], Scope.BACKGROUND),  # a week before
        ([("2015-08", "month", None)], Scope.BACKGROUND),  # "In August, three were found dead"
        ([("2016-04-07", "day", "at least")], Scope.INCIDENT),  # "since Thursday"
        ([("2005", "year", None, "murder")], Scope.BACKGROUND),  # "murdered ... in 2005"
        # A year dates a clause: "the bodies of two soldiers abducted in 2014", "abducted in
        # 2014, they were killed on Saturday"
        ([("2014", "year", None, "abduct")], Scope.INCIDENT),
        ([("2014", "year", None, "kill"), ("2016-04-09", "day", None, "kill")], Scope.INCIDENT),
        ([("2016", "year", None, "kill")], Scope.INCIDENT),  # this year holds the incident's
    ],
)
def test_a_sentence_dated_before_the_incident_tells_of_an_earlier_one(
    dates: list[tuple[str, ...]], scope: Scope
) -> None:
    anchor = _date("2016-04-09", "day", 0)  # the incident's day, told in its lead
    count = _count("a", 2, start=105, end=106, sentence_start=100, scope=Scope.INCIDENT)
    told = [_date(value, precision, 100, *rest) for value, precision, *rest in dates]
    (scoped,) = [
        m for m in dated_scopes([anchor, *told, count], {"a": "i1"}) if m.kind == "quantity"
    ]
    assert scoped.scope is scope


def test_a_date_in_an_adverbial_clause_dates_its_verb_s_event() -> None:
    # "murdered while working as a bouncer in 2005": the murder was in 2005, so the year
    # dates the killing (`dated_scopes` makes it background).
    text = (
        "She said her husband, Michael Teasley, was murdered while working as a bouncer at "
        "Club 502 in 2005."
    )
    (extraction,) = extract_reports([Report(id="a", text=text, published=date(2015, 6, 20))])
    (year,) = [m for m in extraction.mentions if m.kind == "date"]
    assert str(year.event).split()[0] == "murder"


@pytest.mark.parametrize(("days_later", "wounded_slot"), [(1, False), (0, True)])
def test_the_wounded_of_early_reports_who_died_later_are_not_the_wounded(
    days_later: int, wounded_slot: bool
) -> None:
    # The toddler "critically injured" on Tuesday "has died" by Wednesday: the card's dead
    # hold the child, and no wounded remain. Told on the same day, the two victims may be
    # two children.
    comparison = compare(
        _pair(
            "A 3-year-old child was critically injured in an accidental shooting in Marion "
            "County on Tuesday, deputies said.",
            "A 3-year-old child was shot and killed in an accidental shooting in Marion County "
            "on Tuesday, deputies said.",
            day=date(2016, 7, 12),
            days_later=days_later,
        )
    )
    (incident,) = comparison.incidents
    assert incident.slot_fact(Slot.KILLED) is not None
    assert (incident.slot_fact(Slot.WOUNDED) is not None) is wounded_slot


@pytest.mark.parametrize(
    ("text", "sentence_from", "told"),
    [
        # A scrape glues two sentences; the splitter cut "Last" off the second.
        (
            'This is about human life."Last year, a musician was killed.',
            "year,",
            "Last year, a musician was killed.",
        ),
        ("He was killed last year. Three people were shot.", "Three", "Three people were shot."),
        ("Man killed last year\nThree people were shot.", "Three", "Three people were shot."),
    ],
)
def test_a_sentence_s_scope_is_read_with_words_the_splitter_cut_off(
    text: str, sentence_from: str, told: str
) -> None:
    start = text.index(sentence_from)
    assert _with_cut_start(text, (start, len(text))) == told
