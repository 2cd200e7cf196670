"""Published reliability ratings of news outlets and the state-media list, looked up by domain,
URL or outlet name; priors to show beside the analysis, never inputs to it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from corroborate.lexicon import data_rows

LIN_SOURCE = "Lin et al. 2023 (aggregate domain quality, 0-1)"
OPENSOURCES_SOURCE = "opensources.co"
MBFC_SOURCES = {"baly2018": "MBFC via Baly et al. 2018", "baly2020": "MBFC via Baly et al. 2020"}

# Mobile and www hosts serve the same outlet as the bare domain.
HOST_PREFIXES = ("www.", "m.", "mobile.")
# Hosts whose subdomains are other publishers (blogs and pages on a platform), so a subdomain
# never takes the platform's own rating.
SHARED_HOSTS = frozenset(
    {
        "altervista.org",
        "blogspot.com",
        "facebook.com",
        "github.io",
        "google.com",
        "livejournal.com",
        "medium.com",
        "substack.com",
        "tumblr.com",
        "twitter.com",
        "typepad.com",
        "weebly.com",
        "wixsite.com",
        "wordpress.com",
        "youtube.com",
    }
)
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_LOOKS_LIKE_DOMAIN = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:)?(?://)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#:].*)?"
)


@dataclass(frozen=True, slots=True)
class OutletPrior:
    """Published ratings of one outlet, kept apart from anything the analysis finds."""

    outlet: str | None  # as given
    domain: str | None  # the normalised domain looked up (from domain, url, or a name alias)
    matched_by: str | None  # "domain" | "url" | "name", None when nothing matched
    quality: float | None = None  # Lin et al. 2023 pc1, 0..1
    opensources: tuple[str, ...] = ()
    factuality: str | None = None  # MBFC via Baly et al.
    bias: str | None = None
    state_media: str | None = None  # the country when on the state-media list
    mbfc_page: str | None = None
    mbfc_source: str | None = None  # which Baly et al. corpus the MBFC rating comes from
    # (source, domain rated) per rating found: a subdomain without a rating of its own from
    # one source shows its parent's (edition.cnn.com: Lin rates it, MBFC rates cnn.com).
    rated_domains: tuple[tuple[str, str], ...] = ()

    @property
    def known(self) -> bool:
        """Whether any published rating was found."""
        return (
            self.quality is not None
            or bool(self.opensources)
            or self.factuality is not None
            or self.bias is not None
        )

    def to_dict(self) -> dict[str, Any]:
        """The prior as JSON-ready data, each rating with the source to cite."""
        domains = dict(self.rated_domains)
        ratings: list[dict[str, Any]] = []
        if self.quality is not None:
            ratings.append({"source": LIN_SOURCE, "value": self.quality, "domain": domains["lin"]})
        if self.opensources:
            ratings.append(
                {
                    "source": OPENSOURCES_SOURCE,
                    "value": list(self.opensources),
                    "domain": domains["opensources"],
                }
            )
        if self.factuality is not None or self.bias is not None:
            ratings.append(
                {
                    "source": self.mbfc_source,
                    "factuality": self.factuality,
                    "bias": self.bias,
                    "page": self.mbfc_page,
                    "domain": domains["mbfc"],
                }
            )
        return {
            "outlet": self.outlet,
            "domain": self.domain,
            "matched_by": self.matched_by,
            "rating": "known" if self.known else "unknown",
            "ratings": ratings,
            "state_media": self.state_media,
        }


@dataclass(frozen=True, slots=True)
class _Ratings:
    """One row of outlet_ratings.tsv."""

    quality: float | None
    opensources: tuple[str, ...]
    factuality: str | None
    bias: str | None
    mbfc_page: str | None
    mbfc_dataset: str | None


def url_host(text: str) -> str | None:
    """The host of a URL or bare domain: lowercase, without scheme, port, path, trailing dot
    or a www./m./mobile. prefix; None when the text holds no host. No parent fallback."""
    text = "".join(text.split()).lower()
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname
    except ValueError:
        return None
    host = (host or "").rstrip(".")
    stripped = True
    while stripped:
        stripped = False
        for prefix in HOST_PREFIXES:
            if host.startswith(prefix) and "." in host[len(prefix) :]:
                host, stripped = host[len(prefix) :], True
    return host if _HOST.fullmatch(host) else None


def normalise_domain(text: str) -> str | None:
    """The domain of a URL or bare domain, as the ratings tables key it.

    A subdomain that no table lists falls back to its nearest listed parent
    (news.sputniknews.com -> sputniknews.com), except under a shared host such as
    blogspot.com, whose subdomains are other publishers. A host no table lists is returned
    as it is.

    Args:
        text: a URL ("https://www.rt.com/news/1") or a domain ("RT.com").

    Returns:
        The domain, or None when the text holds no host.
    """
    host = url_host(text)
    if host is None:
        return None
    return next((candidate for candidate in _chain(host) if candidate in _listed()), host)


def outlet_prior(
    outlet: str | None = None, domain: str | None = None, url: str | None = None
) -> OutletPrior:
    """The published ratings of an outlet, looked up by the first of domain, url and outlet
    name that a table lists.

    Names match case-insensitively, ignoring a leading "The", punctuation and a trailing
    remark in parentheses ("The Duran (republishing Sputnik)" is The Duran); a name that is
    a domain ("rt.com") is looked up as one. A subdomain that a source does not rate shows
    that source's rating of its nearest rated parent (see `rated_domains`). Where Baly et al.
    2018 and 2020 both give a domain's MBFC rating, the newer 2020 one is used.

    Args:
        outlet: the outlet's name as a report gives it.
        domain: the outlet's domain.
        url: the URL of a report.

    Returns:
        The prior; with every rating None and matched_by None when nothing matched.
    """
    unmatched: str | None = None
    for matched_by, text in (("domain", domain), ("url", url)):
        host = normalise_domain(text) if text else None
        if host is not None and host in _listed():
            return _prior(outlet, host, matched_by)
        unmatched = unmatched or host
    host = _domain_for_name(outlet) if outlet else None
    if host is not None:
        return _prior(outlet, host, "name")
    return OutletPrior(outlet=outlet, domain=unmatched, matched_by=None)


def state_media_outlet(name_or_domain: str) -> str | None:
    """The country whose state media an outlet is, when it is on the state-media list.

    Args:
        name_or_domain: an outlet name ("Russia Today"), domain or URL.

    Returns:
        The country ("Russia"), or None when the outlet is not on the list.
    """
    if _is_domain_like(name_or_domain):
        host = url_host(name_or_domain)
        return _state_media_for_host(host) if host else None
    country = _state_media_by_name().get(_name_key(name_or_domain))
    if country is None:
        host = _name_index().get(_name_key(name_or_domain))
        country = _state_media_for_host(host) if host else None
    return country


def _prior(outlet: str | None, host: str, matched_by: str) -> OutletPrior:
    """The prior of a listed domain, each source's rating from the nearest host it rates."""
    rows = [(h, row) for h in _chain(host) if (row := _ratings().get(h)) is not None]
    lin = next(((h, r) for h, r in rows if r.quality is not None), None)
    opensources = next(((h, r) for h, r in rows if r.opensources), None)
    mbfc = next(((h, r) for h, r in rows if r.factuality or r.bias), None)
    state_media = _state_media_for_host(host)
    if state_media is None and matched_by == "name" and outlet:
        state_media = _state_media_by_name().get(_name_key(outlet))
    found = (("lin", lin), ("opensources", opensources), ("mbfc", mbfc))
    return OutletPrior(
        outlet=outlet,
        domain=host,
        matched_by=matched_by,
        quality=lin[1].quality if lin else None,
        opensources=opensources[1].opensources if opensources else (),
        factuality=mbfc[1].factuality if mbfc else None,
        bias=mbfc[1].bias if mbfc else None,
        state_media=state_media,
        mbfc_page=mbfc[1].mbfc_page if mbfc else None,
        mbfc_source=MBFC_SOURCES.get(mbfc[1].mbfc_dataset or "") if mbfc else None,
        rated_domains=tuple((source, pair[0]) for source, pair in found if pair is not None),
    )


def _chain(host: str) -> list[str]:
    """The host and its parents down to two labels, stopping below a shared host."""
    labels = host.split(".")
    chain = [host]
    for start in range(1, len(labels) - 1):
        parent = ".".join(labels[start:])
        if parent in SHARED_HOSTS:
            break
        chain.append(parent)
    return chain


def _domain_for_name(name: str) -> str | None:
    """The domain an outlet name stands for: itself when it is a listed domain, else by the
    alias and state-media tables."""
    if _is_domain_like(name):
        host = normalise_domain(name)
        if host is not None and host in _listed():
            return host
    return _name_index().get(_name_key(name))


def _is_domain_like(text: str) -> bool:
    return _LOOKS_LIKE_DOMAIN.fullmatch(text.strip().lower()) is not None


def _name_key(name: str) -> str:
    """Equal for spellings of one name: "The Duran (republishing Sputnik)" and "duran"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^(?:the\s+)?(.+?)(?:\s*\([^()]*\))*\s*$", r"\1", text.strip())
    return re.sub(r"[^a-z0-9]", "", text)


def _state_media_for_host(host: str) -> str | None:
    by_domain = _state_media_by_domain()
    return next((by_domain[h] for h in _chain(host) if h in by_domain), None)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@cache
def _ratings() -> dict[str, _Ratings]:
    """outlet_ratings.tsv by domain (its header row skipped)."""
    table: dict[str, _Ratings] = {}
    for row in data_rows("outlet_ratings.tsv")[1:]:
        domain, quality, opensources, factuality, bias, page, dataset = row
        table[domain] = _Ratings(
            quality=float(quality) if quality else None,
            opensources=_split(opensources),
            factuality=factuality or None,
            bias=bias or None,
            mbfc_page=page or None,
            mbfc_dataset=dataset or None,
        )
    return table


@cache
def _aliases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """outlet_aliases.tsv: (domain, names)."""
    return tuple((row[0].strip(), _split(row[1])) for row in data_rows("outlet_aliases.tsv"))


@cache
def _state_media() -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """state_media.tsv: (name, country, domains, aliases)."""
    return tuple(
        (row[0].strip(), row[1].strip(), _split(row[2]), _split(row[3]))
        for row in data_rows("state_media.tsv")
    )


@cache
def _state_media_by_domain() -> dict[str, str]:
    return {domain: country for _, country, domains, _ in _state_media() for domain in domains}


@cache
def _state_media_by_name() -> dict[str, str]:
    return {
        _name_key(name): country
        for canonical, country, _, aliases in _state_media()
        for name in (canonical, *aliases)
    }


@cache
def _name_index() -> dict[str, str]:
    """Name key -> domain: the alias table first, then state-media names (first domain)."""
    index: dict[str, str] = {}
    for domain, names in _aliases():
        for name in names:
            index.setdefault(_name_key(name), domain)
    for canonical, _, domains, aliases in _state_media():
        for name in (canonical, *aliases):
            if domains:
                index.setdefault(_name_key(name), domains[0])
    return index


@cache
def _listed() -> frozenset[str]:
    """Every domain some table knows: rated, aliased or on the state-media list."""
    aliased = {domain for domain, _ in _aliases()}
    return frozenset(_ratings().keys() | aliased | _state_media_by_domain().keys())
