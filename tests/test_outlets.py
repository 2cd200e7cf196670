"""Outlet priors: lookups by domain, URL and name, checked against the published ratings files
in ../shared/data/outlets, read here on their own."""

from __future__ import annotations

import csv
import importlib.util
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import ModuleType

import pytest

from corroborate.assess.outlets import (
    OutletPrior,
    normalise_domain,
    outlet_prior,
    state_media_outlet,
    url_host,
)
from tests.conftest import ROOT, SHARED

OUTLETS = SHARED / "data" / "outlets"
FA_KES = SHARED / "data" / "corpora" / "fa_kes.csv"
needs_sources = pytest.mark.skipif(not OUTLETS.is_dir(), reason=f"needs {OUTLETS}")
# URL paths that are a site's front page in these files (rt.com/news), not a section of it.
FRONT_PAGES = {"", "news", "en", "english", "index.html", "home"}
SAMPLE_SEED = 2023


@dataclass
class Expected:
    """What the source files say about one host, read without the package's code."""

    lin: float | None = None
    opensources: list[str] = field(default_factory=list)
    baly: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # year -> fact, bias, ref
    has_sections: bool = False  # some row rates only a section of the site (a path)
    variants: set[str] = field(default_factory=set)  # hosts as written, www./m. included


def _split(url: str) -> tuple[str, str, str]:
    """(host without www./m./mobile., host as written, path) of a URL from the files."""
    text = re.sub(r"^[a-z]+://", "", "".join(url.split()).lower())
    written, _, path = re.split(r"[?#]", text)[0].partition("/")
    written = written.rstrip(".")
    host = written
    while (prefix := re.match(r"(www|m|mobile)\.(?=.+\..+)", host)) is not None:
        host = host[prefix.end() :]
    return host, written, path.strip("/")


@cache
def source_hosts() -> dict[str, Expected]:
    """Every host in the four ratings files, with what each file says about it."""
    hosts: dict[str, Expected] = defaultdict(Expected)
    lin_rows: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def row_host(url: str) -> tuple[str, str] | None:
        host, written, path = _split(url)
        hosts[host].variants.add(written)
        if path not in FRONT_PAGES:
            hosts[host].has_sections = True
            return None
        return host, written

    with (OUTLETS / "lin2023_domain_pc1.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if found := row_host(row["domain"]):
                lin_rows[found[0]].append((found[1], float(row["pc1"])))
    for host, rows in lin_rows.items():
        # The host as the table keys it wins over its www./m. variants.
        hosts[host].lin = next((pc1 for written, pc1 in rows if written == host), rows[0][1])
    with (OUTLETS / "opensources_websites.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if found := row_host(row["url"]):
                for column in ("type", "2nd_type", "3rd_type"):
                    category = row[column].strip().lower()
                    if category and category not in hosts[found[0]].opensources:
                        hosts[found[0]].opensources.append(category)
    for year in ("2018", "2020"):
        with (OUTLETS / f"baly{year}_corpus.tsv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if found := row_host(row["source_url"]):
                    ratings = hosts[found[0]].baly
                    ratings.setdefault(year, (row["fact"], row["bias"], row["ref"]))
    return dict(hosts)


def check_against_sources(host: str) -> None:
    """The prior of a host agrees with the files: its own ratings, or a parent's for a
    source that does not rate the host itself."""
    expected = source_hosts()[host]
    prior = outlet_prior(domain=host)
    assert prior.domain == host and prior.matched_by == "domain"
    rated = dict(prior.rated_domains)

    def from_parent(source: str) -> bool:
        return source not in rated or (rated[source] != host and host.endswith("." + rated[source]))

    if expected.lin is None:
        assert from_parent("lin"), (host, prior)
    else:
        assert rated["lin"] == host and prior.quality == pytest.approx(expected.lin, abs=0.001)
    if not expected.opensources:
        assert from_parent("opensources"), (host, prior)
    else:
        assert rated["opensources"] == host and list(prior.opensources) == expected.opensources
    year = "2020" if "2020" in expected.baly else "2018" if expected.baly else None
    if year is None:
        assert from_parent("mbfc"), (host, prior)
    else:
        assert rated["mbfc"] == host, (host, prior)
        fact, bias, page = expected.baly[year]
        assert (prior.factuality, prior.bias, prior.mbfc_page) == (fact, bias, page), host
        assert prior.mbfc_source == f"MBFC via Baly et al. {year}"


@needs_sources
@pytest.mark.parametrize("domain", ["theduran.com", "cnn.com", "sputniknews.com", "rt.com"])
def test_prior_of_known_domain_matches_the_files(domain: str) -> None:
    check_against_sources(domain)
    data = outlet_prior(domain=domain).to_dict()
    assert data["rating"] == "known"
    sources = [rating["source"].split(" via ")[0] for rating in data["ratings"]]
    assert sources[0] == "Lin et al. 2023 (aggregate domain quality, 0-1)" and sources[-1] == "MBFC"


@needs_sources
def test_sample_of_domains_matches_the_files() -> None:
    """50 hosts drawn with a fixed seed: 20 of any kind, 15 that opensources rates and 15 that
    Baly et al. rate, leaving out hosts the files rate only in part (a path)."""
    hosts = {host: e for host, e in source_hosts().items() if not e.has_sections}
    rng = random.Random(SAMPLE_SEED)
    pools = [
        (sorted(hosts), 20),
        (sorted(h for h, e in hosts.items() if e.opensources), 15),
        (sorted(h for h, e in hosts.items() if e.baly), 15),
    ]
    sample = [host for pool, k in pools for host in rng.sample(pool, k)]
    assert len(sample) == 50
    for host in sample:
        check_against_sources(host)


@needs_sources
def test_2020_rating_wins_where_baly_corpora_disagree() -> None:
    disagree = [
        host
        for host, e in source_hosts().items()
        if len(e.baly) == 2 and e.baly["2018"][:2] != e.baly["2020"][:2] and not e.has_sections
    ]
    assert len(disagree) > 100  # 2020 folds extreme-right into right, besides re-ratings
    for host in disagree:
        prior = outlet_prior(domain=host)
        assert (prior.factuality, prior.bias) == source_hosts()[host].baly["2020"][:2], host
        assert prior.mbfc_source == "MBFC via Baly et al. 2020"


@needs_sources
@pytest.mark.parametrize(
    ("domain", "absent"),
    [
        ("newyorker.com", "opensources"),  # only newyorker.com/humor is satire
        ("twitter.com", "lin"),  # Lin rates five accounts, not the platform
        ("theguardian.com", "mbfc"),  # Baly's theguardian.com/observer is The Observer
    ],
)
def test_a_section_does_not_rate_its_site(domain: str, absent: str) -> None:
    prior = outlet_prior(domain=domain)
    assert absent not in dict(prior.rated_domains)


@needs_sources
def test_package_table_is_the_build_of_the_files() -> None:
    """outlet_ratings.tsv is what scripts/build_outlet_ratings.py makes of the files now."""
    built = "\n".join(_build_script().table_lines(OUTLETS)) + "\n"
    shipped = resources.files("corroborate.data").joinpath("outlet_ratings.tsv")
    assert shipped.read_text(encoding="utf-8") == built


def test_package_table_is_sorted_and_small() -> None:
    text = resources.files("corroborate.data").joinpath("outlet_ratings.tsv").read_text("utf-8")
    assert len(text.encode()) < 1_000_000
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0].split("\t") == [
        "domain",
        "lin_quality",
        "opensources",
        "mbfc_factuality",
        "mbfc_bias",
        "mbfc_page",
        "mbfc_dataset",
    ]
    domains = [line.split("\t")[0] for line in lines[1:]]
    assert domains == sorted(set(domains)) and len(domains) > 11_000
    assert all(url_host(domain) == domain for domain in domains)


@pytest.mark.parametrize(
    ("outlet", "domain"),
    [
        ("The Duran", "theduran.com"),
        ("the duran", "theduran.com"),
        ("The Duran (republishing Sputnik)", "theduran.com"),
        ("Sputnik", "sputniknews.com"),
        ("Sputnik News", "sputniknews.com"),
        ("Russia Today", "rt.com"),
        ("rt.com", "rt.com"),
        ("https://www.rt.com/", "rt.com"),
        ("Fox News (Online News)", "foxnews.com"),
        ("Asharq Al-Awsat", "aawsat.com"),
        ("asharqalawsat", "aawsat.com"),
        ("Al-Masdar News", "almasdarnews.com"),
        ("Xinhua", "xinhuanet.com"),
        ("Anadolu Agency", "aa.com.tr"),  # from the state-media table alone
    ],
)
def test_name_without_domain_resolves(outlet: str, domain: str) -> None:
    prior = outlet_prior(outlet=outlet)
    assert (prior.domain, prior.matched_by, prior.outlet) == (domain, "name", outlet)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.theduran.com/some-article/", "theduran.com"),
        ("http://m.cnn.com/en/article", "cnn.com"),
        ("HTTPS://WWW.RT.COM./news/123?utm=x#top", "rt.com"),
        ("https://news.sputniknews.com/world/1.html", "sputniknews.com"),
        ("https://english.sana.sy/en/?p=1", "sana.sy"),
        ("https://edition.cnn.com/2017/04/05/middleeast/x/index.html", "edition.cnn.com"),
        ("someone.blogspot.com/2017/04/post.html", "someone.blogspot.com"),
    ],
)
def test_url_resolves_to_domain(url: str, domain: str) -> None:
    assert normalise_domain(url) == domain
    assert outlet_prior(url=url).domain == domain


def test_subdomain_takes_parent_ratings_it_lacks() -> None:
    prior = outlet_prior(url="https://edition.cnn.com/2017/04/05/middleeast/x/index.html")
    rated = dict(prior.rated_domains)
    assert rated["lin"] == "edition.cnn.com" and rated["mbfc"] == "cnn.com"
    assert outlet_prior(domain="cnn.com").factuality == prior.factuality is not None
    mbfc = next(r for r in prior.to_dict()["ratings"] if r["source"].startswith("MBFC"))
    assert mbfc["domain"] == "cnn.com"


def test_platform_subdomain_does_not_take_the_platform_rating() -> None:
    assert outlet_prior(domain="blogspot.com").known
    prior = outlet_prior(domain="someone.blogspot.com")
    assert not prior.known and prior.matched_by is None


def test_lookup_order_is_domain_then_url_then_name() -> None:
    prior = outlet_prior(outlet="Sputnik", domain="rt.com", url="https://theduran.com/a")
    assert (prior.domain, prior.matched_by) == ("rt.com", "domain")
    prior = outlet_prior(outlet="Sputnik", url="https://theduran.com/a")
    assert (prior.domain, prior.matched_by) == ("theduran.com", "url")
    prior = outlet_prior(outlet="Sputnik", domain="no-such-outlet.example")
    assert (prior.domain, prior.matched_by) == ("sputniknews.com", "name")


def test_sana_is_state_media_without_a_rating() -> None:
    for prior in (outlet_prior(domain="sana.sy"), outlet_prior(outlet="SANA")):
        assert prior.domain == "sana.sy" and prior.matched_by is not None
        assert not prior.known and prior.state_media == "Syria"
        data = prior.to_dict()
        assert data["rating"] == "unknown" and data["ratings"] == []
        assert data["state_media"] == "Syria"


@pytest.mark.parametrize(
    ("outlet", "country"),
    [
        ("Russia Today", "Russia"),
        ("https://www.rt.com/news/1", "Russia"),
        ("news.sputniknews.com", "Russia"),
        ("english.sana.sy", "Syria"),
        ("Xinhua", "China"),
        ("PressTV", "Iran"),
        ("Al-Manar", "Hezbollah (party media)"),
        ("TRT World", "Turkey"),
        ("CNN", None),
        ("The Duran", None),
        ("Daily Sabah", None),
    ],
)
def test_state_media_outlet(outlet: str, country: str | None) -> None:
    assert state_media_outlet(outlet) == country


@pytest.mark.parametrize(
    ("kwargs", "domain"),
    [
        ({"outlet": "The Totally Unknown Gazette"}, None),
        ({"domain": "totally-unknown-gazette.example"}, "totally-unknown-gazette.example"),
        ({"url": "https://Unknown-Gazette.example/2017/a.html"}, "unknown-gazette.example"),
        ({}, None),
    ],
)
def test_unknown_outlet_says_unknown(kwargs: dict[str, str], domain: str | None) -> None:
    prior = outlet_prior(**kwargs)
    assert prior == OutletPrior(outlet=kwargs.get("outlet"), domain=domain, matched_by=None)
    assert not prior.known
    assert prior.to_dict() == {
        "outlet": kwargs.get("outlet"),
        "domain": domain,
        "matched_by": None,
        "rating": "unknown",
        "ratings": [],
        "state_media": None,
    }


def test_alias_tables_are_consistent() -> None:
    """Each alias names one domain; a domain both tables list has one country."""
    rows = _table("outlet_aliases.tsv")
    seen: dict[str, str] = {}
    for domain, names in rows:
        assert url_host(domain) == domain
        for name in names.split("|"):
            assert seen.setdefault(name.lower(), domain) == domain, name
            assert outlet_prior(outlet=name).domain == domain, name
    for name, country, domains, *_ in _table("state_media.tsv"):
        for domain in domains.split("|"):
            assert url_host(domain) == domain
            assert state_media_outlet(domain) == country
        assert state_media_outlet(name) == country, name


@pytest.mark.skipif(not FA_KES.is_file(), reason=f"needs {FA_KES}")
def test_every_fa_kes_source_resolves() -> None:
    with FA_KES.open(encoding="utf-8", errors="replace", newline="") as handle:
        sources = {row["source"] for row in csv.DictReader(handle) if row["source"]}
    assert len(sources) >= 10
    for source in sources:
        assert outlet_prior(outlet=source).matched_by == "name", source


def _table(filename: str) -> list[list[str]]:
    text = resources.files("corroborate.data").joinpath(filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _build_script() -> ModuleType:
    path = ROOT / "scripts" / "build_outlet_ratings.py"
    spec = importlib.util.spec_from_file_location("build_outlet_ratings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module
