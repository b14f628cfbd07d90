"""The RDF graph of a build: ``KnowledgeGraph`` → ``rdflib.Graph`` → Turtle.

Shape (see DESIGN.md "RDF model" and ``ontology/industry-kg.ttl``):

* documents: ``ikg:Document, schema:Article`` with ``dcterms:identifier`` (the
  file name), ``dcterms:title``, ``dcterms:date``, ``schema:publisher``, ...
* entities: one ikg class of the ten, ``rdfs:label``/``skos:prefLabel`` (the
  canonical name, @zh), ``skos:altLabel`` per alias; why an alias was merged
  in is an ``ikg:AliasAssertion`` node ``<entity>#alias-<hash>``.
* relations: the direct triple ``<s> ikg:<predicate> <o>`` plus an
  ``ikg:RelationStatement`` node (the relation IRI) with rdf:subject /
  rdf:predicate / rdf:object, ``ikg:title``, ``ikg:evidence``,
  ``prov:wasDerivedFrom`` the document and a Web Annotation target;
  ``holdsPosition`` also as ``org:Membership`` ``<rel>#membership`` with
  ``org:role`` a shared role concept ``kgd:role/<hash>``, ``prov:wasDerivedFrom``
  the statement and the document, and the statement's ``oa:hasTarget``.
* figures: ``ikg:Figure`` observation nodes.
* mentions: ``oa:Annotation, ikg:Mention`` nodes (``ikg:mentionOf`` the entity,
  ``ikg:inDocument``).
* every provenance target is ``<node>#target`` (``oa:SpecificResource``:
  ``oa:hasSource`` the document, ``oa:hasSelector`` ``<node>#pos``
  (``oa:TextPositionSelector``, code-point offsets into the original text) and
  ``<node>#quote`` (``oa:TextQuoteSelector``, ``oa:exact`` = the original
  characters at those offsets)).

No blank nodes: every node has an IRI derived from content, so the graph and
its Turtle (written by our own canonical, sorted writer) are deterministic.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.stores.memory import SimpleMemory

from kg.iri import DATA, document_iri, mention_iri
from kg.models import Document, Entity, KnowledgeGraph, ResolvedFigure, ResolvedRelation
from kg.rdf.namespace import IKG, OA, ORG, PREFIXES, QUDT_CUR, QUDT_UNIT, SCHEMA

__all__ = [
    "to_rdf",
    "write_turtle",
    "serialize_turtle",
    "iter_triples",
    "new_graph",
    "role_iri",
    "decimal_lexical",
    "QUDT_UNITS",
    "ENTITY_CLASSES",
]

LANG = "zh"

#: ikg class of each entity type name
ENTITY_CLASSES: dict[str, URIRef] = {
    name: IKG[name]
    for name in (
        "Company",
        "GovernmentBody",
        "ResearchInstitution",
        "Organization",
        "Person",
        "Place",
        "Product",
        "Industry",
        "Policy",
        "Project",
    )
}

#: unit code (ResolvedFigure.unit_normalized) -> QUDT IRI, when one is known
QUDT_UNITS: dict[str, URIRef] = {
    "CNY": QUDT_CUR["CNY"],
    "USD": QUDT_CUR["USD"],
    "EUR": QUDT_CUR["EUR"],
    "JPY": QUDT_CUR["JPY"],
    "HKD": QUDT_CUR["HKD"],
    "GBP": QUDT_CUR["GBP"],
    "%": QUDT_UNIT["PERCENT"],
    "W": QUDT_UNIT["W"],
    "kW": QUDT_UNIT["KiloW"],
    "MW": QUDT_UNIT["MegaW"],
    "GW": QUDT_UNIT["GigaW"],
    "kWh": QUDT_UNIT["KiloW-HR"],
    "kg": QUDT_UNIT["KiloGM"],
    "t": QUDT_UNIT["TONNE"],
    "m": QUDT_UNIT["M"],
    "km": QUDT_UNIT["KiloM"],
    "m2": QUDT_UNIT["M2"],
    "ha": QUDT_UNIT["HA"],
}

# namespace terms, made once (rdflib builds and validates a new URIRef on every Namespace attribute access)
_OA_HAS_TARGET = OA.hasTarget
_OA_SPECIFIC_RESOURCE = OA.SpecificResource
_OA_HAS_SOURCE = OA.hasSource
_OA_HAS_SELECTOR = OA.hasSelector
_OA_POS_SELECTOR = OA.TextPositionSelector
_OA_START = OA.start
_OA_END = OA.end
_OA_QUOTE_SELECTOR = OA.TextQuoteSelector
_OA_EXACT = OA.exact
_OA_ANNOTATION = OA.Annotation
_OA_MOTIVATED_BY = OA.motivatedBy
_OA_IDENTIFYING = OA.identifying
_SCHEMA_ARTICLE = SCHEMA.Article
_SCHEMA_PUBLISHER = SCHEMA.publisher
_SCHEMA_LOCATION_CREATED = SCHEMA.locationCreated
_ORG_MEMBERSHIP = ORG.Membership
_ORG_MEMBER = ORG.member
_ORG_ORGANIZATION = ORG.organization
_ORG_ROLE = ORG.role
_ORG_ROLE_CLASS = ORG.Role

_TRUE = Literal("true", datatype=XSD.boolean)
_FALSE = Literal("false", datatype=XSD.boolean)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _digest(*parts: str, n: int = 16) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:n]


def role_iri(title: str) -> str:
    """The shared role concept of a post title (董事长 → kgd:role/<hash>)."""
    return f"{DATA}role/{_digest('role', title)}"


def decimal_lexical(value: float | int | Decimal) -> str:
    """A canonical xsd:decimal lexical form: 136 → "136", 136.0 → "136", 7.3 → "7.3"."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        if value.is_integer():
            return str(int(value))
        d = Decimal(repr(value))
    else:
        d = Decimal(value)
        if not d.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        if d == d.to_integral_value():
            return str(int(d))
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def _dec(value: float | int) -> Literal:
    return Literal(decimal_lexical(value), datatype=XSD.decimal, normalize=False)


@lru_cache(maxsize=1 << 16)
def _nni(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.nonNegativeInteger, normalize=False)


def _zh(text: str) -> Literal:
    return Literal(text, lang=LANG)


def _str(text: str) -> Literal:
    return Literal(text)


_DATE_TYPES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), XSD.gYear),
)


def _date(text: str) -> Literal:
    """YYYY-MM-DD → xsd:date, YYYY-MM → xsd:gYearMonth, YYYY → xsd:gYear; anything
    else (or an impossible date) stays a plain string."""
    for rx, dt in _DATE_TYPES:
        if rx.match(text):
            try:
                _dt.date.fromisoformat(text if dt == XSD.date else (text + "-01-01")[:10])
            except ValueError:
                break
            return Literal(text, datatype=dt, normalize=False)
    return Literal(text)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound (and nothing else).

    Backed by rdflib's ``SimpleMemory`` store (no named graphs, which we do not
    use): about twice as fast to fill and to iterate as the default ``Memory``."""
    g = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


class _Builder:
    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg
        self.triples: list[tuple] = []
        self.docs: dict[str, Document] = {d.id: d for d in kg.documents}
        self.doc_iris: dict[str, URIRef] = {}
        self.known_docs: set[str] = set()

    # -- primitives ---------------------------------------------------------
    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def doc(self, doc_id: str) -> URIRef:
        iri = self.doc_iris.get(doc_id)
        if iri is None:
            iri = self.doc_iris[doc_id] = URIRef(document_iri(doc_id))
        return iri

    def original_slice(self, doc_id: str, start: int, end: int) -> str | None:
        d = self.docs.get(doc_id)
        if d is None or not d.original or not (0 <= start <= end <= len(d.original)):
            return None
        return d.original[start:end]

    def anchor(self, node: str, doc_id: str, start: int, end: int, quote: str | None) -> None:
        """``node`` oa:hasTarget <node#target> with position and quote selectors."""
        add = self.add
        n = URIRef(node)
        target = URIRef(node + "#target")
        pos = URIRef(node + "#pos")
        add(n, _OA_HAS_TARGET, target)
        add(target, RDF.type, _OA_SPECIFIC_RESOURCE)
        add(target, _OA_HAS_SOURCE, self.doc(doc_id))
        add(target, _OA_HAS_SELECTOR, pos)
        add(pos, RDF.type, _OA_POS_SELECTOR)
        add(pos, _OA_START, _nni(start))
        add(pos, _OA_END, _nni(end))
        exact = self.original_slice(doc_id, start, end)
        if exact is None:
            exact = quote
        if exact is not None:
            q = URIRef(node + "#quote")
            add(target, _OA_HAS_SELECTOR, q)
            add(q, RDF.type, _OA_QUOTE_SELECTOR)
            add(q, _OA_EXACT, _str(exact))

    # -- records --------------------------------------------------------------
    def document(self, d: Document) -> None:
        add = self.add
        s = self.doc(d.id)
        self.known_docs.add(d.id)
        add(s, RDF.type, IKG.Document)
        add(s, RDF.type, _SCHEMA_ARTICLE)
        add(s, DCTERMS.identifier, _str(d.id))
        if d.title:
            add(s, DCTERMS.title, _zh(d.title))
        if d.date:
            add(s, DCTERMS.date, _date(d.date))
        if d.date_basis:
            add(s, IKG.dateBasis, _str(d.date_basis))
        if d.publisher:
            add(s, _SCHEMA_PUBLISHER, _zh(d.publisher))
        if d.place:
            add(s, _SCHEMA_LOCATION_CREATED, _zh(d.place))

    def entity(self, e: Entity) -> None:
        add = self.add
        s = URIRef(e.iri)
        add(s, RDF.type, ENTITY_CLASSES[e.type.value])
        name = _zh(e.name)
        add(s, RDFS.label, name)
        add(s, SKOS.prefLabel, name)
        for alias in e.aliases:
            if alias != e.name:
                add(s, SKOS.altLabel, _zh(alias))
        for alias, reason in e.merge_reasons:
            a = URIRef(f"{e.iri}#alias-{_digest(alias)}")
            add(a, RDF.type, IKG.AliasAssertion)
            add(a, IKG.aliasOf, s)
            add(a, IKG.aliasLabel, _zh(alias))
            if reason:
                add(a, IKG.mergeReason, _str(reason))
        for m in e.mentions:
            node = mention_iri(m.doc, m.start, m.end, m.type.value)
            n = URIRef(node)
            add(n, RDF.type, _OA_ANNOTATION)
            add(n, RDF.type, IKG.Mention)
            add(n, _OA_MOTIVATED_BY, _OA_IDENTIFYING)
            add(n, IKG.mentionOf, s)
            add(n, IKG.inDocument, self.doc(m.doc))
            add(n, IKG.surfaceForm, _str(m.text))
            self.anchor(node, m.doc, m.start, m.end, m.text)

    def relation(self, r: ResolvedRelation) -> None:
        add = self.add
        s, o = URIRef(r.subject), URIRef(r.object)
        pred = IKG[r.predicate.value]
        doc = self.doc(r.doc)
        add(s, pred, o)  # the truthy triple
        n = URIRef(r.iri)
        add(n, RDF.type, IKG.RelationStatement)
        add(n, RDF.subject, s)
        add(n, RDF.predicate, pred)
        add(n, RDF.object, o)
        if r.title:
            add(n, IKG.title, _str(r.title))
        add(n, IKG.evidence, _str(r.evidence))
        add(n, PROV.wasDerivedFrom, doc)
        self.anchor(r.iri, r.doc, r.start, r.end, r.evidence)
        if r.predicate.value == "holdsPosition":
            mb = URIRef(r.iri + "#membership")
            add(mb, RDF.type, _ORG_MEMBERSHIP)
            add(mb, _ORG_MEMBER, s)
            add(mb, _ORG_ORGANIZATION, o)
            # the post carries its own provenance: derived from the statement and
            # the document, anchored on the statement's text target
            add(mb, PROV.wasDerivedFrom, n)
            add(mb, PROV.wasDerivedFrom, doc)
            add(mb, _OA_HAS_TARGET, URIRef(r.iri + "#target"))
            if r.title:
                role = URIRef(role_iri(r.title))
                add(mb, _ORG_ROLE, role)
                add(role, RDF.type, _ORG_ROLE_CLASS)
                add(role, RDF.type, SKOS.Concept)
                add(role, RDFS.label, _zh(r.title))
                add(role, SKOS.prefLabel, _zh(r.title))

    def figure(self, f: ResolvedFigure) -> None:
        add = self.add
        n = URIRef(f.iri)
        add(n, RDF.type, IKG.Figure)
        if f.subject:
            add(n, IKG.subject, URIRef(f.subject))
        if f.metric:
            add(n, IKG.metric, _str(f.metric))
        add(n, IKG.value, _dec(f.value))
        add(n, IKG.unit, _str(f.unit))
        if f.value_normalized is not None:
            add(n, IKG.valueNormalized, _dec(f.value_normalized))
        if f.unit_normalized:
            add(n, IKG.unitNormalized, _str(f.unit_normalized))
            qudt = QUDT_UNITS.get(f.unit_normalized)
            if qudt is not None:
                add(n, IKG.qudtUnit, qudt)
        if f.period:
            add(n, IKG.period, _str(f.period))
        if f.period_normalized:
            add(n, IKG.periodNormalized, _str(f.period_normalized))
        if f.qualifier:
            add(n, IKG.qualifier, _str(f.qualifier))
        add(n, IKG.isGrowthRate, _TRUE if f.is_growth else _FALSE)
        add(n, IKG.evidence, _str(f.evidence))
        add(n, PROV.wasDerivedFrom, self.doc(f.doc))
        self.anchor(f.iri, f.doc, f.start, f.end, None)

    def build(self) -> Graph:
        kg = self.kg
        for d in kg.documents:
            self.document(d)
        for e in kg.entities:
            self.entity(e)
        for r in kg.relations:
            self.relation(r)
        for f in kg.figures:
            self.figure(f)
        # documents referred to but not listed: give them a minimal node
        for doc_id in sorted(set(self.doc_iris) - self.known_docs):
            s = self.doc(doc_id)
            self.add(s, RDF.type, IKG.Document)
            self.add(s, RDF.type, _SCHEMA_ARTICLE)
            self.add(s, DCTERMS.identifier, _str(doc_id))
        g = new_graph()
        # the terms were made here, so skip Graph.add's per-triple checks
        store_add = g.store.add
        for triple in self.triples:
            store_add(triple, g, False)
        return g


def to_rdf(kg: KnowledgeGraph) -> Graph:
    """The RDF graph of a build (deterministic, no blank nodes)."""
    return _Builder(kg).build()


# ---------------------------------------------------------------------------
# canonical Turtle
# ---------------------------------------------------------------------------

# a conservative PN_LOCAL: what needs no escaping and cannot end with '.'
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_RELATIVE = re.compile(r"^[A-Za-z0-9_\-]+/")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# _RELATIVE followed by nothing _IRI_ESCAPE would escape: written as is
_PLAIN_RELATIVE = re.compile(r'[A-Za-z0-9_\-]+/[^\x00-\x20<>"{}|^`\\]*')
_STR_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\\ud800-\udfff]')
_STR_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _esc_char(m: re.Match) -> str:
    c = m.group(0)
    if c in _STR_ESCAPES:
        return _STR_ESCAPES[c]
    if 0xD800 <= ord(c) <= 0xDFFF:  # a lone surrogate cannot be written in UTF-8
        return "\\uFFFD"
    return f"\\u{ord(c):04X}"


def _iri_esc(m: re.Match) -> str:
    return f"\\u{ord(m.group(0)):04X}"


class _TurtleWriter:
    def __init__(self, prefixes: dict[str, str], base: str | None):
        self.ns_map = {ns: p for p, ns in prefixes.items()}
        self.base = base
        self.cache: dict[str, str] = {}
        self.used: set[str] = set()
        # The shortcut of iri_uncached for ``base`` + a plain relative path (every IRI
        # the resolver mints: <company/…>, <mention/…#target>). Such an IRI has a "/"
        # after ``base``, so the namespace iri_uncached looks up for it is longer than
        # ``base`` and starts with it: with no such prefix namespace, the IRI is not
        # written as a prefixed name but relative to ``base``, here unescaped.
        self._plain_relative = bool(base) and not any(
            ns.startswith(base) and ns != base for ns in self.ns_map)

    def iri(self, iri: str) -> str:
        out = self.cache.get(iri)
        if out is None:
            out = self.cache[iri] = self.iri_uncached(iri)
        return out

    def iri_uncached(self, iri: str) -> str:
        """The written form of ``iri`` (prefixed name, relative or absolute), not
        remembered: for IRIs written once or twice, which a cache would only hold on to."""
        if self._plain_relative and iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if _PLAIN_RELATIVE.fullmatch(rest):
                return f"<{rest}>"
        out = None
        cut = max(iri.rfind("#"), iri.rfind("/"))
        if cut >= 0:
            prefix = self.ns_map.get(iri[: cut + 1])
            local = iri[cut + 1 :]
            if prefix is not None and _SAFE_LOCAL.match(local):
                out = f"{prefix}:{local}"
                self.used.add(prefix)
        if out is None and self.base and iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if _RELATIVE.match(rest):
                out = f"<{_IRI_ESCAPE.sub(_iri_esc, rest)}>"
        if out is None:
            out = f"<{_IRI_ESCAPE.sub(_iri_esc, iri)}>"
        return out

    def literal(self, lit: Literal) -> str:
        text = '"' + _STR_ESCAPE.sub(_esc_char, str(lit)) + '"'
        if lit.language:
            return f"{text}@{lit.language}"
        if lit.datatype is not None and lit.datatype != XSD.string:
            return f"{text}^^{self.iri(str(lit.datatype))}"
        return text

    def term(self, t) -> str:
        if isinstance(t, URIRef):
            return self.iri(str(t))
        if isinstance(t, Literal):
            return self.literal(t)
        if isinstance(t, BNode):
            raise ValueError("blank nodes are not allowed in the graph")
        raise TypeError(f"cannot write {t!r} in Turtle")


def iter_triples(graph: Graph) -> Iterator[tuple]:
    """Every (s, p, o) of ``graph``, fast.

    For rdflib's ``SimpleMemory`` store (what :func:`new_graph` uses) this walks
    the store's subject index directly, about 3x faster than ``Graph.triples``
    (which wraps every triple with its contexts); any other store takes the
    public path. ``tests/rdf/test_graph.py`` checks both give the same triples."""
    store = graph.store
    spo = getattr(store, "_SimpleMemory__spo", None) if type(store) is SimpleMemory else None
    if isinstance(spo, dict):
        for s, po in spo.items():
            for p, objs in po.items():
                for o in objs:
                    yield s, p, o
    else:
        yield from graph.triples((None, None, None))


def serialize_turtle(graph: Graph, *, base: str | None = DATA, only_used_prefixes: bool = False) -> str:
    """Canonical Turtle: prefixes, then one block per subject, ``a`` first;
    subjects, predicates and objects sorted by their written form. Same graph →
    same string.

    IRIs under ``base`` (the data namespace) are written relative to it
    (``<company/…>``), as their local parts are not valid prefixed names."""
    w = _TurtleWriter(PREFIXES, base)
    iri, literal = w.iri, w.literal
    spo: dict[str, dict[str, list[str]]] = {}
    rdf_type = str(RDF.type)
    for s, p, o in iter_triples(graph):
        if type(s) is not URIRef and not isinstance(s, URIRef):
            raise ValueError("blank nodes are not allowed in the graph" if isinstance(s, BNode)
                             else f"cannot write subject {s!r} in Turtle")
        to = type(o)
        if to is Literal:
            ot = literal(o)
        elif to is URIRef:
            ot = iri(str(o))
        else:
            ot = w.term(o)
        ps = str(p)
        pt = "a" if ps == rdf_type else iri(ps)
        st = iri(str(s))
        po = spo.get(st)
        if po is None:
            po = spo[st] = {}
        objs = po.get(pt)
        if objs is None:
            po[pt] = [ot]
        else:
            objs.append(ot)
    out: list[str] = []
    # sort on the IRI inside <…>, so <x> comes before its fragments <x#pos>
    for st in sorted(spo, key=lambda k: k[1:-1] if k[:1] == "<" else k):
        preds = spo[st]
        out.append(st)
        keys = sorted(preds, key=lambda k: (k != "a", k))
        last = len(keys) - 1
        for i, pt in enumerate(keys):
            body = " , ".join(sorted(set(preds[pt])))
            out.append(f"    {pt} {body} {'.' if i == last else ';'}")
        out.append("")
    prefixes = [p for p in PREFIXES if p in w.used] if only_used_prefixes else list(PREFIXES)
    width = max((len(p) for p in prefixes), default=0)
    head = [f"@prefix {p + ':':<{width + 1}} <{PREFIXES[p]}> ." for p in prefixes]
    if base:
        head.append(f"@base <{base}> .")
    head.append("")
    return "\n".join(head + out)


def write_turtle(graph: Graph, path: str | os.PathLike) -> None:
    """Write ``graph`` as canonical Turtle (UTF-8, LF). Byte-identical for equal graphs."""
    data = serialize_turtle(graph).encode("utf-8")
    from kg.atomic import replacing

    with replacing(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)

