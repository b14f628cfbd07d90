"""The rules' data: general lexicons shipped in ``kg/resources`` (package data).

Everything here is general knowledge (titles, suffixes, surnames, administrative
divisions, units, product head words, function words), never names taken from
the corpus. Loaded once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.models import EntityType


def _lines(name: str) -> list[str]:
    text = resources.files("kg.resources").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _words(name: str) -> list[str]:
    return [w for ln in _lines(name) for w in ln.split()]


@dataclass(frozen=True)
class OrgSuffix:
    suffix: str
    type: EntityType
    kind: str  # legal | branch | head


@dataclass(frozen=True)
class Unit:
    text: str
    normalized: str
    factor: float
    kind: str


@dataclass(frozen=True)
class Division:
    name: str
    level: str  # province | city | county
    parent: str


class Lexicon:
    """All lexicons, with the derived lookup structures the extractors use."""

    def __init__(self) -> None:
        self.titles: frozenset[str] = frozenset(_lines("titles.txt"))
        self.surnames: frozenset[str] = frozenset(_words("surnames.txt"))
        self.stopwords: frozenset[str] = frozenset(_words("stopwords.txt"))
        self.speech_verbs: tuple[str, ...] = tuple(sorted(set(_words("speech_verbs.txt")), key=len, reverse=True))
        self.product_heads: tuple[str, ...] = tuple(sorted(set(_lines("product_heads.txt")), key=len, reverse=True))
        self.product_head_set: frozenset[str] = frozenset(self.product_heads)
        self.product_head_lengths: tuple[int, ...] = tuple(sorted({len(h) for h in self.product_heads}, reverse=True))
        self.product_head_last_chars: frozenset[str] = frozenset(h[-1] for h in self.product_heads)
        self.org_suffixes: tuple[OrgSuffix, ...] = tuple(
            sorted(
                (OrgSuffix(s, EntityType(t), k) for s, t, k in (ln.split("\t") for ln in _lines("org_suffixes.tsv"))),
                key=lambda o: len(o.suffix),
                reverse=True,
            )
        )
        self.units: tuple[Unit, ...] = tuple(
            sorted(
                (Unit(u, n, float(f), k) for u, n, f, k in (ln.split("\t") for ln in _lines("units.tsv"))),
                key=lambda u: len(u.text),
                reverse=True,
            )
        )
        self.divisions: dict[str, Division] = {}
        for ln in _lines("admin_divisions.tsv"):
            name, level, *rest = ln.split("\t")
            parent = rest[0] if rest else ""
            self.divisions.setdefault(name, Division(name, level, parent))
        self.regions: dict[str, str] = dict(ln.split("\t") for ln in _lines("regions.txt"))
        # national bodies: every form → the full name; local department short forms → full words
        self.gov_bodies: dict[str, str] = {}
        for ln in _lines("gov_bodies.tsv"):
            full, _, shorts = ln.partition("\t")
            self.gov_bodies[full] = full
            for short in filter(None, shorts.split(",")):
                self.gov_bodies.setdefault(short.strip(), full)
        # national news organizations: every form → the full name
        self.national_media: dict[str, str] = {}
        for ln in _lines("national_media.tsv"):
            full, _, shorts = ln.partition("\t")
            self.national_media[full] = full
            for short in filter(None, shorts.split(",")):
                self.national_media.setdefault(short.strip(), full)
        self.gov_abbreviations: tuple[tuple[str, str], ...] = tuple(
            tuple(ln.split("\t")) for ln in _lines("gov_abbreviations.tsv"))  # type: ignore[misc]
        self.sectors: frozenset[str] = frozenset(_lines("sectors.txt"))
        self.unit_by_text = {u.text: u for u in self.units}
        self.suffix_by_text = {o.suffix: o for o in self.org_suffixes}

    # -- compiled patterns -------------------------------------------------
    @staticmethod
    def alternation(words) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Literals:
    """Finds a set of literal words in texts: at each position the longest word that
    starts there, then on after it (leftmost, longest, not overlapping). That is what
    ``re.finditer(Lexicon.alternation(words), text)`` finds, without compiling a regular
    expression, which costs more than the search for a set made anew for each document
    (the names one document has found). Empty words are ignored."""

    def __init__(self, words):
        self.words = frozenset(w for w in words if w)
        by_first: dict[str, set[int]] = {}
        for w in self.words:
            by_first.setdefault(w[0], set()).add(len(w))
        # first character → the lengths of the words that start with it, longest first
        self._lengths = {c: sorted(ns, reverse=True) for c, ns in by_first.items()}
        self._first = re.compile("[" + re.escape("".join(sorted(by_first))) + "]") if by_first else None

    def finditer(self, text: str):
        """(start, end) of each match in ``text``, left to right."""
        lengths, words = self._lengths, self.words
        if self._first is None:
            return
        done = 0  # the end of the last match: no match starts before it
        size = len(text)
        for i in [m.start() for m in self._first.finditer(text)]:
            if i < done:
                continue
            for n in lengths[text[i]]:
                if i + n <= size and text[i : i + n] in words:
                    yield i, i + n
                    done = i + n
                    break


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()
