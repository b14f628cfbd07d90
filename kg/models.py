"""Frozen records that travel between the stages of a build.

spaCy objects never leave ``kg.nlp`` / ``kg.extract``; everything downstream
(resolution, RDF, views, evaluation) sees only these dataclasses.

Offsets: every ``start``/``end`` on a record is a pair of code-point offsets
into the document's *original* text (``Document.original``), end exclusive.
``text`` fields hold the *normalised* form (no line breaks, no stray spaces,
unified quotation marks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class EntityType(str, Enum):
    """The ten entity types of the annotation guideline."""

    Company = "Company"
    GovernmentBody = "GovernmentBody"
    ResearchInstitution = "ResearchInstitution"
    Organization = "Organization"
    Person = "Person"
    Place = "Place"
    Product = "Product"
    Industry = "Industry"
    Policy = "Policy"
    Project = "Project"


ORG_TYPES = frozenset(
    {
        EntityType.Company,
        EntityType.GovernmentBody,
        EntityType.ResearchInstitution,
        EntityType.Organization,
    }
)


class Predicate(str, Enum):
    """The seven relation predicates of the annotation guideline."""

    holdsPosition = "holdsPosition"
    subOrganizationOf = "subOrganizationOf"
    locatedIn = "locatedIn"
    produces = "produces"
    cooperatesWith = "cooperatesWith"
    investsIn = "investsIn"
    authorOf = "authorOf"


# Each member's value, looked up by member. On Python 3.11 ``Enum.value`` is a
# Python-level property, several times slower than a dict lookup, and resolution
# and the writers read it hundreds of thousands of times at scale (Mention.key,
# sort keys): the hot paths read it from here.
TYPE_NAME: dict[EntityType, str] = {t: t.value for t in EntityType}
PREDICATE_NAME: dict[Predicate, str] = {p: p.value for p in Predicate}


@dataclass(frozen=True)
class Document:
    """One corpus file as read from disk, with its manifest metadata."""

    id: str  # the file name, e.g. "000_9c23c85fa6d8a88a.txt"
    original: str  # the text exactly as read (decoded), never modified
    title: str | None = None
    date: str | None = None  # ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY
    date_basis: str | None = None  # how the date was determined
    publisher: str | None = None
    place: str | None = None
    path: str | None = None  # where it was read from (informational only)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for every character, its offset in the original.

    ``offsets[i]`` is the index in the original text of ``text[i]``
    (``len(offsets) == len(text)``); offsets are strictly increasing.
    """

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to an original span [s, e)."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.original_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in one document."""

    doc: str
    text: str  # normalised surface form
    type: EntityType
    start: int  # original offsets
    end: int
    sent_start: int = 0  # original offsets of the sentence holding the mention
    sent_end: int = 0
    # the fullest name this mention stands for, when the extractor knows it
    # (e.g. a 简称 declared in the same document); resolution may refine it
    canonical: str | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.doc, self.start, self.end, TYPE_NAME[self.type])


@dataclass(frozen=True)
class AliasDeclaration:
    """``X（简称Y）`` / ``以下简称“Y”``: Y is another name of X in this document."""

    doc: str
    full: Mention
    alias: Mention
    how: str  # e.g. "简称", "以下简称"


@dataclass(frozen=True)
class Relation:
    """A relation stated in one document, between two mentions.

    For ``authorOf`` the object is the document itself: ``object`` is None.
    """

    doc: str
    subject: Mention
    predicate: Predicate
    object: Mention | None
    evidence: str  # normalised text of the stretch that states the fact
    start: int  # original offsets of the evidence
    end: int
    title: str | None = None  # holdsPosition only: the post as written
    rule: str = ""  # which extraction rule produced it (for audit)


@dataclass(frozen=True)
class Figure:
    """A numeric statistic stated in one document."""

    doc: str
    value: float | int  # the number as written (136, 7.3, 53.73)
    unit: str  # as written (亿元, %, 家)
    evidence: str
    start: int  # original offsets of the number + unit
    end: int
    metric: str | None = None
    subject: Mention | None = None
    period: str | None = None  # as written (今年一季度)
    period_normalized: str | None = None  # 2022-Q1, 2021, 2022-05-31, 2021/2025
    value_normalized: float | int | None = None  # 13600000000 for 136亿元
    unit_normalized: str | None = None  # CNY, %, percentage-point, ...
    qualifier: str | None = None  # approx, more-than, less-than, at-least, ...
    is_growth: bool = False  # a rate of change (同比增长) rather than a level
    value_text: str = ""  # the number exactly as written in normalised text


@dataclass(frozen=True)
class DocResult:
    """Everything extracted from one document (the output of the map step)."""

    doc: Document
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[AliasDeclaration, ...] = ()
    relations: tuple[Relation, ...] = ()
    figures: tuple[Figure, ...] = ()


# ---------------------------------------------------------------------------
# After resolution: entities with stable IRIs, facts pointing at IRIs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    iri: str
    name: str  # canonical (fullest) name
    type: EntityType
    aliases: tuple[str, ...] = ()  # sorted, excludes name
    mentions: tuple[Mention, ...] = ()  # sorted by (doc, start)
    # why each alias was merged in: (alias, reason), e.g. ("华精集团", "declared 简称 in 001_….txt")
    merge_reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ResolvedRelation:
    iri: str
    subject: str  # entity IRI
    predicate: Predicate
    object: str  # entity IRI, or the document IRI for authorOf
    doc: str
    evidence: str
    start: int
    end: int
    title: str | None = None


@dataclass(frozen=True)
class ResolvedFigure:
    iri: str
    subject: str | None  # entity IRI
    doc: str
    value: float | int
    unit: str
    evidence: str
    start: int
    end: int
    metric: str | None = None
    period: str | None = None
    period_normalized: str | None = None
    value_normalized: float | int | None = None
    unit_normalized: str | None = None
    qualifier: str | None = None
    is_growth: bool = False


@dataclass(frozen=True)
class KnowledgeGraph:
    """The resolved result of a build: what the RDF graph is written from."""

    documents: tuple[Document, ...]
    entities: tuple[Entity, ...]
    relations: tuple[ResolvedRelation, ...]
    figures: tuple[ResolvedFigure, ...]
    stats: dict = field(default_factory=dict, compare=False)
