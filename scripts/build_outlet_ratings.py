"""Build src/corroborate/data/outlet_ratings.tsv, one row per domain, from the published outlet
ratings in ../shared/data/outlets (Lin et al. 2023, opensources.co, MBFC via Baly et al.).

Every file's URLs are reduced to a host the way `corroborate.assess.outlets.url_host` does it
(lowercase; no scheme, `www.`/`m.`/`mobile.`, path or trailing dot). Some rows rate a section
of a site rather than the site (newyorker.com/humor, twitter.com/capnews, rt.com/news), so:

1. A row for the bare host (or its front page: /, /en, /news, /index.html, ...) wins over
   section rows for that host in the same rating set.
2. Without one, a section row stands for its host when it is the only section of that host in
   its rating set (several are accounts on a platform, such as twitter.com/...) and it is not
   in SEPARATE_SECTIONS, sections that are a different outlet (The Observer on
   theguardian.com, the Borowitz Report on newyorker.com).
3. Several rows for one host: the one without a `www.`/`m.` prefix wins (Lin rates yahoo.com,
   m.yahoo.com and mobile.yahoo.com apart); opensources categories are joined in file order.
4. MBFC via Baly et al.: the two corpora are one rating set for rule 1, and where both rate a
   domain the 2020 row wins, being newer (MBFC re-rated 16 of the 505 shared domains, and
   the 2020 corpus folds extreme-left/-right into left/right).

    python scripts/build_outlet_ratings.py [SOURCE_DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from corroborate.assess.outlets import url_host

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT.parent / "shared" / "data" / "outlets"
TARGET = ROOT / "src" / "corroborate" / "data" / "outlet_ratings.tsv"

# Paths that are a site's front page, not a section of it.
FRONT_PAGE = re.compile(
    r"(?:(?:en|english|news|home|h)/?)?(?:(?:index|home|main_page)(?:\.\w+)?)?", re.IGNORECASE
)
# Section rows that rate another outlet than the site they are on, checked by hand.
SEPARATE_SECTIONS = frozenset(
    {
        "aidc.org.za/amandla-media",  # Amandla magazine, on its publisher's site
        "cambridge.org/core/journals/international-organization",  # one journal
        "cato.org/regulation",  # Regulation magazine
        "cc.com/indecision",  # a Comedy Central blog
        "indymedia.org/or/index.shtml",  # Portland Indymedia
        "newyorker.com/humor",  # satire (opensources), the magazine is rated elsewhere
        "newyorker.com/humor/borowitz-report",
        "spin.com/death-and-taxes",
        "theguardian.com/observer",  # The Observer
        "themaven.net/beingliberal",  # a page on a publishing platform
        "westernjournalism.com/thepoint",  # Tea Party News Network
    }
)
HEADER = """\
# Published reliability ratings of news domains, built by scripts/build_outlet_ratings.py from
# ../shared/data/outlets; regenerate rather than edit. Columns:
# domain: lowercase host without scheme, www./m./mobile. prefix, path or trailing dot.
# lin_quality: Lin et al. 2023, "High level of correspondence across different news domain
#   quality rating sets", PNAS Nexus: aggregate domain quality (pc1), 0 (low) to 1 (high),
#   rounded to 3 decimals (lin2023_domain_pc1.csv).
# opensources: opensources.co categories (fake, bias, conspiracy, satire, state, reliable,
#   ...), |-separated (opensources_websites.csv: type, 2nd_type, 3rd_type).
# mbfc_factuality, mbfc_bias, mbfc_page: Media Bias/Fact Check factuality (low, mixed, high),
#   bias and rating page, as collected by Baly et al. 2018, "Predicting Factuality of
#   Reporting and Bias of News Media Sources", EMNLP (baly2018_corpus.tsv, seven-point bias)
#   and Baly et al. 2020, "What Was Written vs. Who Read It", ACL (baly2020_corpus.tsv,
#   left/center/right); mbfc_dataset says which. Where both rate a domain, 2020 wins.
domain\tlin_quality\topensources\tmbfc_factuality\tmbfc_bias\tmbfc_page\tmbfc_dataset
"""


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of a ratings file, reduced to its host."""

    host: str
    section: str  # host/path when the row rates part of a site, else ""
    rank: int  # lower wins: Baly et al. 2020 before 2018, then a host without www./m.
    values: tuple[str, ...]


def source_row(url: str, values: Iterable[str], newer: bool = True) -> SourceRow | None:
    """A ratings row keyed by the host of its URL; None for a URL without a host."""
    host = url_host(url)
    if host is None:
        return None
    text = "".join(url.split())
    parts = urlsplit(text if "//" in text else "//" + text)
    path = parts.path.strip("/").lower()
    section = "" if FRONT_PAGE.fullmatch(path) else f"{host}/{path}"
    prefixed = (parts.hostname or "").rstrip(".") != host
    rank = (0 if newer else 2) + int(prefixed)
    return SourceRow(host, section, rank, tuple(v.strip() for v in values))


def rows_by_host(rows: Iterable[SourceRow | None]) -> dict[str, list[SourceRow]]:
    """The rows that stand for each host (rules 1-3 of the module docstring), best first."""
    grouped: dict[str, list[SourceRow]] = defaultdict(list)
    for row in rows:
        if row is not None:
            grouped[row.host].append(row)
    chosen: dict[str, list[SourceRow]] = {}
    for host, group in grouped.items():
        site = [row for row in group if not row.section]
        if not site:
            sections = {row.section for row in group}
            if len(sections) > 1 or sections & SEPARATE_SECTIONS:
                continue
            site = group
        chosen[host] = sorted(site, key=lambda row: row.rank)  # stable: file order among equals
    return chosen


def read_lin(source_dir: Path) -> dict[str, str]:
    """Lin et al. 2023 pc1 per host, rounded to 3 decimals."""
    with (source_dir / "lin2023_domain_pc1.csv").open(encoding="utf-8", newline="") as handle:
        rows = [source_row(r["domain"], [r["pc1"]]) for r in csv.DictReader(handle)]
    return {host: _decimal(float(best[0].values[0])) for host, best in rows_by_host(rows).items()}


def read_opensources(source_dir: Path) -> dict[str, str]:
    """opensources.co categories per host, |-joined, each once, in file order."""
    path = source_dir / "opensources_websites.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            source_row(r["url"], [r["type"], r["2nd_type"], r["3rd_type"]])
            for r in csv.DictReader(handle)
        ]
    categories: dict[str, str] = {}
    for host, group in rows_by_host(rows).items():
        found = dict.fromkeys(v.lower() for row in group for v in row.values if v)
        if found:
            categories[host] = "|".join(found)
    return categories


def read_baly(source_dir: Path) -> dict[str, tuple[str, str, str, str]]:
    """MBFC (factuality, bias, page, dataset) per host, Baly et al. 2020 before 2018."""
    rows: list[SourceRow | None] = []
    for dataset in ("baly2020", "baly2018"):
        path = source_dir / f"{dataset}_corpus.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle, delimiter="\t"):
                values = [r["fact"], r["bias"], r["ref"], dataset]
                rows.append(source_row(r["source_url"], values, newer=dataset == "baly2020"))
    return {
        host: (best[0].values[0], best[0].values[1], best[0].values[2], best[0].values[3])
        for host, best in rows_by_host(rows).items()
    }


def table_lines(source_dir: Path) -> Iterator[str]:
    """The lines of outlet_ratings.tsv, header first, rows sorted by domain."""
    lin = read_lin(source_dir)
    opensources = read_opensources(source_dir)
    baly = read_baly(source_dir)
    yield from HEADER.splitlines()
    for host in sorted(lin.keys() | opensources.keys() | baly.keys()):
        mbfc = baly.get(host, ("", "", "", ""))
        yield "\t".join((host, lin.get(host, ""), opensources.get(host, ""), *mbfc))


def _decimal(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source_dir", nargs="?", type=Path, default=SOURCE_DIR)
    args = parser.parse_args()
    lines = list(table_lines(args.source_dir))
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = sum(1 for line in lines if not line.startswith("#")) - 1
    print(f"wrote {rows} domains, {TARGET.stat().st_size:,} bytes, to {TARGET}")


if __name__ == "__main__":
    main()
