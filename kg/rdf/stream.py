"""``graph.ttl`` written straight from the resolved records, without an rdflib Graph.

:func:`kg.rdf.graph.to_rdf` + :func:`kg.rdf.graph.write_turtle` build the whole
graph as rdflib triples (16 per mention) and then sort it; at 100× the
corpus that is two million triples and most of a build's memory.
:class:`StreamedGraph` writes the same canonical Turtle, byte for byte, from the
:class:`~kg.models.KnowledgeGraph`:

* every record is a *unit* that owns one subject IRI (a document, an entity, a
  mention, a relation statement, the subject of a relation's direct triple, a
  role, a figure) plus the fragment nodes ``<iri#target>``, ``<iri#pos>``,
  ``<iri#quote>``, ``<iri#membership>``, ``<iri#alias-…>`` hanging off it;
* the units are sorted by the written form of their IRI (the order of the
  canonical writer), units with the same IRI are merged, and each group's
  triples are made, written and dropped before the next group.

The fragments of ``<x>`` sort right after ``<x>`` for every IRI the resolver
mints (``<kind/hash>``), so the file comes out sorted with only one group in
memory at a time. Should some other IRI break that (a subject written out of
order), the writer notices and starts again the slow way: every triple held,
then sorted — the same result, at the old memory cost.

Two processes can share the writing (``kg build --jobs 2``): :meth:`StreamedGraph.cut`
chooses a subject by a measure of the work of each unit; one writer writes the prefixes
and the subjects before it, the other the rest into a part file
(:meth:`~StreamedGraph.write_part`), which the first appends if the two parts follow
each other in order (else it sorts the whole file at once, as above).

The triples are exactly those of ``to_rdf`` (``tests/rdf/test_stream.py`` checks
the files are the same bytes and the graphs isomorphic). Terms are written by
the canonical writer's own escaping (:class:`kg.rdf.graph._TurtleWriter`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.atomic import replacing
from kg.gcpause import gc_paused
from kg.iri import DATA, document_iri, mention_iri
from kg.models import (
    TYPE_NAME,
    Document,
    Entity,
    KnowledgeGraph,
    Predicate,
    ResolvedFigure,
    ResolvedRelation,
)
from kg.rdf.graph import (
    ENTITY_CLASSES,
    QUDT_UNITS,
    _STR_ESCAPE,
    _TurtleWriter,
    _date,
    _digest,
    _esc_char,
    decimal_lexical,
    role_iri,
)
from kg.rdf.namespace import IKG, OA, ORG, PREFIXES, SCHEMA

__all__ = ["StreamedGraph", "TurtlePart", "write_turtle_records"]

# unit kinds
_DOC, _DOC_MIN, _ENTITY, _MENTION, _DIRECT, _STATEMENT, _ROLE, _FIGURE = range(8)

#: about how long writing a unit of each kind takes (µs of CPU, measured at 500 documents):
#: the measure by which :meth:`StreamedGraph.cut` shares the file between two writers
WORK_US = {_DOC: 40, _DOC_MIN: 15, _ENTITY: 12, _MENTION: 24, _DIRECT: 4, _STATEMENT: 47,
           _ROLE: 7, _FIGURE: 51}

_Add = Callable[[str, str, str], None]


class _Unordered(Exception):
    """A subject came out of sort order: write the file the slow way."""


def _plain(text: str) -> str:
    return '"' + _STR_ESCAPE.sub(_esc_char, text) + '"'


def _zh(text: str) -> str:
    return '"' + _STR_ESCAPE.sub(_esc_char, text) + '"@zh'


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _format(po: dict[str, set[str]]) -> tuple[str, int]:
    """The predicate lines of a subject's block (``a`` first, then the predicates by
    written form, objects sorted) and its number of triples."""
    keys = sorted(po)
    if "a" in po:
        keys.remove("a")
        keys.insert(0, "a")
    lines = []
    n = 0
    for p in keys:
        objs = po[p]
        if len(objs) == 1:
            lines.append(f"    {p} {next(iter(objs))} ;")
            n += 1
        else:
            lines.append(f"    {p} {' , '.join(sorted(objs))} ;")
            n += len(objs)
    lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines), n


def _key(written: str) -> str:
    """The sort key of a written subject (the canonical writer's): the IRI inside <…>."""
    return written[1:-1] if written[:1] == "<" else written


@dataclass(frozen=True)
class TurtlePart:
    """The subject blocks of the units from a :meth:`StreamedGraph.cut` on, written by
    :meth:`StreamedGraph.write_part` to a file of their own for
    :meth:`StreamedGraph.write_turtle` to append."""

    path: str
    triples: int = 0
    first: str | None = None  # the sort keys of its first and last subjects
    last: str | None = None
    ordered: bool = True  # False: its subjects came out of order (not all were written)


class StreamedGraph:
    """The RDF graph of a :class:`KnowledgeGraph`, written as canonical Turtle
    one subject group at a time (see the module docstring)."""

    def __init__(self, kg: KnowledgeGraph, *, base: str | None = DATA):
        self.kg = kg
        self.base = base
        self.w = w = _TurtleWriter(PREFIXES, base)
        self.docs: dict[str, Document] = {d.id: d for d in kg.documents}
        self._units: list[tuple] | None = None
        t = w.iri  # the vocabulary: few terms, cached
        self.t = {
            name: t(str(term)) for name, term in {
                "Document": IKG.Document, "Article": SCHEMA.Article, "identifier": DCTERMS.identifier,
                "dtitle": DCTERMS.title, "date": DCTERMS.date, "dateBasis": IKG.dateBasis,
                "publisher": SCHEMA.publisher, "locationCreated": SCHEMA.locationCreated,
                "label": RDFS.label, "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
                "AliasAssertion": IKG.AliasAssertion, "aliasOf": IKG.aliasOf,
                "aliasLabel": IKG.aliasLabel, "mergeReason": IKG.mergeReason,
                "Annotation": OA.Annotation, "Mention": IKG.Mention, "motivatedBy": OA.motivatedBy,
                "identifying": OA.identifying, "mentionOf": IKG.mentionOf,
                "inDocument": IKG.inDocument, "surfaceForm": IKG.surfaceForm,
                "hasTarget": OA.hasTarget, "SpecificResource": OA.SpecificResource,
                "hasSource": OA.hasSource, "hasSelector": OA.hasSelector,
                "TextPositionSelector": OA.TextPositionSelector, "start": OA.start, "end": OA.end,
                "TextQuoteSelector": OA.TextQuoteSelector, "exact": OA.exact,
                "RelationStatement": IKG.RelationStatement, "subject": RDF.subject,
                "predicate": RDF.predicate, "object": RDF.object, "title": IKG.title,
                "evidence": IKG.evidence, "wasDerivedFrom": PROV.wasDerivedFrom,
                "Membership": ORG.Membership, "member": ORG.member,
                "organization": ORG.organization, "role": ORG.role, "Role": ORG.Role,
                "Concept": SKOS.Concept, "Figure": IKG.Figure, "fsubject": IKG.subject,
                "metric": IKG.metric, "value": IKG.value, "unit": IKG.unit,
                "valueNormalized": IKG.valueNormalized, "unitNormalized": IKG.unitNormalized,
                "qudtUnit": IKG.qudtUnit, "period": IKG.period,
                "periodNormalized": IKG.periodNormalized, "qualifier": IKG.qualifier,
                "isGrowthRate": IKG.isGrowthRate, "decimal": XSD.decimal,
                "nni": XSD.nonNegativeInteger, "boolean": XSD.boolean,
            }.items()
        }
        self.classes = {name: t(str(cls)) for name, cls in ENTITY_CLASSES.items()}
        self.nni = "^^" + self.t["nni"]
        self.dec = "^^" + self.t["decimal"]
        self.true = '"true"^^' + self.t["boolean"]
        self.false = '"false"^^' + self.t["boolean"]
        # the blocks of a mention (the bulk of the graph), their predicates in written order
        t = self.t
        self._tpl_node = self._template({
            "a": " , ".join(sorted([t["Annotation"], t["Mention"]])),
            t["motivatedBy"]: t["identifying"], t["mentionOf"]: "{ent}", t["inDocument"]: "{doc}",
            t["surfaceForm"]: "{text}", t["hasTarget"]: "{target}"})
        self._tpl_target = self._template({
            "a": t["SpecificResource"], t["hasSource"]: "{doc}", t["hasSelector"]: "{selectors}"})
        self._tpl_pos = self._template({
            "a": t["TextPositionSelector"], t["start"]: "{start}", t["end"]: "{end}"})
        self._tpl_quote = self._template({"a": t["TextQuoteSelector"], t["exact"]: "{exact}"})
        self.triples = 0
        self._first: str | None = None  # the keys of the first and last subjects written
        self._last: str | None = None
        self._memo: dict[str, str] = {}  # written IRIs of the group being written
        self._doc_w: dict[str, str] = {}  # written IRIs of documents (few, used often)
        self._ent_w: dict[str, str] = {}  # written IRIs of entities (the objects of mentions)
        self.preds = {p: w.iri(str(IKG[p.value])) for p in Predicate}

    # -- terms ------------------------------------------------------------------
    def iri(self, iri: str) -> str:
        """The written form of ``iri``, remembered only while its subject group is written
        (a fragment IRI is written as an object and then as a subject)."""
        out = self._memo.get(iri)
        if out is None:
            out = self._memo[iri] = self.w.iri_uncached(iri)
        return out

    def doc(self, doc_id: str) -> str:
        out = self._doc_w.get(doc_id)
        if out is None:
            out = self._doc_w[doc_id] = self.w.iri_uncached(document_iri(doc_id))
        return out

    def original_slice(self, doc_id: str, start: int, end: int) -> str | None:
        d = self.docs.get(doc_id)
        if d is None or not d.original or not (0 <= start <= end <= len(d.original)):
            return None
        return d.original[start:end]

    # -- units -----------------------------------------------------------------------
    @gc_paused()
    def units(self) -> list[tuple]:
        """(sort key, kind, record, extra) of every record, sorted by key; ``extra`` is
        (entity IRI, mention IRI) for a mention, else None."""
        if self._units is not None:
            return self._units
        kg, iri = self.kg, self.w.iri_uncached
        ent_w = self._ent_w
        units: list[tuple] = []
        add = units.append
        referenced: set[str] = set()
        for d in kg.documents:
            add((_key(self.doc(d.id)), _DOC, d, None))
        for e in kg.entities:
            written = ent_w[e.iri] = iri(e.iri)
            add((_key(written), _ENTITY, e, None))
            for m in e.mentions:
                referenced.add(m.doc)
                node = mention_iri(m.doc, m.start, m.end, TYPE_NAME[m.type])
                add((_key(iri(node)), _MENTION, m, (e.iri, node)))
        for r in kg.relations:
            referenced.add(r.doc)
            add((_key(iri(r.iri)), _STATEMENT, r, None))
            add((_key(iri(r.subject)), _DIRECT, r, None))
            if r.predicate is Predicate.holdsPosition and r.title:
                add((_key(iri(role_iri(r.title))), _ROLE, r.title, None))
        for f in kg.figures:
            referenced.add(f.doc)
            add((_key(iri(f.iri)), _FIGURE, f, None))
        # documents referred to but not listed: a minimal node (as to_rdf)
        for doc_id in sorted(referenced - {d.id for d in kg.documents}):
            add((_key(self.doc(doc_id)), _DOC_MIN, doc_id, None))
        units.sort(key=lambda u: u[0])
        self._units = units
        return units

    def groups(self, start: int = 0, stop: int | None = None) -> Iterator[list[tuple]]:
        """The units (``units()[start:stop]``), grouped by subject (consecutive units with
        the same key)."""
        group: list[tuple] = []
        for u in islice(self.units(), start, stop):
            if group and u[0] != group[0][0]:
                yield group
                group = []
            group.append(u)
        if group:
            yield group

    # -- triples of a unit ------------------------------------------------------------
    def emit(self, unit: tuple, add: _Add) -> None:
        """Add the triples of ``unit`` as (subject IRI, written predicate, written object)."""
        kind, rec, extra = unit[1], unit[2], unit[3]
        if kind == _MENTION:
            self._mention(rec, extra, add)
        elif kind == _ENTITY:
            self._entity(rec, add)
        elif kind == _STATEMENT:
            self._statement(rec, add)
        elif kind == _DIRECT:
            add(rec.subject, self.preds[rec.predicate], self.iri(rec.object))
        elif kind == _ROLE:
            t, role = self.t, role_iri(rec)
            add(role, "a", t["Role"])
            add(role, "a", t["Concept"])
            add(role, t["label"], _zh(rec))
            add(role, t["prefLabel"], _zh(rec))
        elif kind == _FIGURE:
            self._figure(rec, add)
        elif kind == _DOC:
            self._document(rec, add)
        elif kind == _DOC_MIN:
            t, s = self.t, document_iri(rec)
            add(s, "a", t["Document"])
            add(s, "a", t["Article"])
            add(s, t["identifier"], _plain(rec))
        else:  # pragma: no cover
            raise ValueError(f"unknown unit kind {kind!r}")

    def _anchor(self, node: str, doc_id: str, start: int, end: int, quote: str | None,
                add: _Add) -> None:
        t = self.t
        target, pos = node + "#target", node + "#pos"
        add(node, t["hasTarget"], self.iri(target))
        add(target, "a", t["SpecificResource"])
        add(target, t["hasSource"], self.doc(doc_id))
        add(target, t["hasSelector"], self.iri(pos))
        add(pos, "a", t["TextPositionSelector"])
        add(pos, t["start"], f'"{int(start)}"{self.nni}')
        add(pos, t["end"], f'"{int(end)}"{self.nni}')
        exact = self.original_slice(doc_id, start, end)
        if exact is None:
            exact = quote
        if exact is not None:
            q = node + "#quote"
            add(target, t["hasSelector"], self.iri(q))
            add(q, "a", t["TextQuoteSelector"])
            add(q, t["exact"], _plain(exact))

    def _document(self, d: Document, add: _Add) -> None:
        t, s = self.t, document_iri(d.id)
        add(s, "a", t["Document"])
        add(s, "a", t["Article"])
        add(s, t["identifier"], _plain(d.id))
        if d.title:
            add(s, t["dtitle"], _zh(d.title))
        if d.date:
            add(s, t["date"], self.w.literal(_date(d.date)))
        if d.date_basis:
            add(s, t["dateBasis"], _plain(d.date_basis))
        if d.publisher:
            add(s, t["publisher"], _zh(d.publisher))
        if d.place:
            add(s, t["locationCreated"], _zh(d.place))

    def _entity(self, e: Entity, add: _Add) -> None:
        t, s = self.t, e.iri
        add(s, "a", self.classes[TYPE_NAME[e.type]])
        name = _zh(e.name)
        add(s, t["label"], name)
        add(s, t["prefLabel"], name)
        for alias in e.aliases:
            if alias != e.name:
                add(s, t["altLabel"], _zh(alias))
        written = None
        for alias, reason in e.merge_reasons:
            if written is None:
                written = self.iri(s)
            a = f"{e.iri}#alias-{_digest(alias)}"
            add(a, "a", t["AliasAssertion"])
            add(a, t["aliasOf"], written)
            add(a, t["aliasLabel"], _zh(alias))
            if reason:
                add(a, t["mergeReason"], _plain(reason))

    def _mention(self, m, extra: tuple[str, str], add: _Add) -> None:
        t = self.t
        entity_iri, node = extra
        add(node, "a", t["Annotation"])
        add(node, "a", t["Mention"])
        add(node, t["motivatedBy"], t["identifying"])
        add(node, t["mentionOf"], self._ent_w.get(entity_iri) or self.iri(entity_iri))
        add(node, t["inDocument"], self.doc(m.doc))
        add(node, t["surfaceForm"], _plain(m.text))
        self._anchor(node, m.doc, m.start, m.end, m.text, add)

    def _statement(self, r: ResolvedRelation, add: _Add) -> None:
        t, iri = self.t, self.iri
        s, o = iri(r.subject), iri(r.object)
        pred = self.preds[r.predicate]
        doc = self.doc(r.doc)
        n = r.iri
        add(n, "a", t["RelationStatement"])
        add(n, t["subject"], s)
        add(n, t["predicate"], pred)
        add(n, t["object"], o)
        if r.title:
            add(n, t["title"], _plain(r.title))
        add(n, t["evidence"], _plain(r.evidence))
        add(n, t["wasDerivedFrom"], doc)
        self._anchor(n, r.doc, r.start, r.end, r.evidence, add)
        if r.predicate is Predicate.holdsPosition:
            mb = n + "#membership"
            add(mb, "a", t["Membership"])
            add(mb, t["member"], s)
            add(mb, t["organization"], o)
            add(mb, t["wasDerivedFrom"], iri(n))
            add(mb, t["wasDerivedFrom"], doc)
            add(mb, t["hasTarget"], iri(n + "#target"))
            if r.title:
                add(mb, t["role"], iri(role_iri(r.title)))
            # the role node itself is a unit of its own (shared by every post of that title)

    def _figure(self, f: ResolvedFigure, add: _Add) -> None:
        t, n = self.t, f.iri
        add(n, "a", t["Figure"])
        if f.subject:
            add(n, t["fsubject"], self.iri(f.subject))
        if f.metric:
            add(n, t["metric"], _plain(f.metric))
        add(n, t["value"], f'"{decimal_lexical(f.value)}"{self.dec}')
        add(n, t["unit"], _plain(f.unit))
        if f.value_normalized is not None:
            add(n, t["valueNormalized"], f'"{decimal_lexical(f.value_normalized)}"{self.dec}')
        if f.unit_normalized:
            add(n, t["unitNormalized"], _plain(f.unit_normalized))
            qudt = QUDT_UNITS.get(f.unit_normalized)
            if qudt is not None:
                add(n, t["qudtUnit"], self.w.iri(str(qudt)))
        if f.period:
            add(n, t["period"], _plain(f.period))
        if f.period_normalized:
            add(n, t["periodNormalized"], _plain(f.period_normalized))
        if f.qualifier:
            add(n, t["qualifier"], _plain(f.qualifier))
        add(n, t["isGrowthRate"], self.true if f.is_growth else self.false)
        add(n, t["evidence"], _plain(f.evidence))
        add(n, t["wasDerivedFrom"], self.doc(f.doc))
        self._anchor(n, f.doc, f.start, f.end, None, add)

    # -- writing ---------------------------------------------------------------------
    @staticmethod
    def _template(po: dict[str, str]) -> str:
        """The predicate lines of a block as a ``str.format`` template: ``po`` maps each
        written predicate to its one object (a constant, or ``{field}``), in the order of
        :func:`_format`."""
        keys = sorted(po)
        if "a" in po:
            keys.remove("a")
            keys.insert(0, "a")
        lines = []
        for p in keys:
            o = po[p]
            const = not (o.startswith("{") and o.endswith("}"))
            lines.append(f"    {_brace(p)} {_brace(o) if const else o} ;")
        lines[-1] = lines[-1][:-1] + "."
        return "\n".join(lines)

    def _mention_blocks(self, m, extra: tuple[str, str]) -> list[tuple[str, str, str, int]]:
        """The blocks of one mention unit alone in its group: the triples of
        :meth:`_mention`, formatted through fixed templates."""
        iri = self.w.iri_uncached
        entity_iri, node = extra
        wn, wt, wp = iri(node), iri(node + "#target"), iri(node + "#pos")
        doc = self.doc(m.doc)
        exact = self.original_slice(m.doc, m.start, m.end)
        if exact is None:
            exact = m.text
        blocks = [
            (_key(wn), wn, self._tpl_node.format(
                ent=self._ent_w.get(entity_iri) or iri(entity_iri), doc=doc,
                text=_plain(m.text), target=wt), 7),
            (_key(wp), wp, self._tpl_pos.format(start=f'"{int(m.start)}"{self.nni}',
                                                end=f'"{int(m.end)}"{self.nni}'), 3),
        ]
        if exact is None:
            blocks.append((_key(wt), wt, self._tpl_target.format(doc=doc, selectors=wp), 3))
        else:
            wq = iri(node + "#quote")
            selectors = f"{wp} , {wq}" if wp < wq else f"{wq} , {wp}"
            blocks.append((_key(wt), wt, self._tpl_target.format(doc=doc, selectors=selectors), 4))
            blocks.append((_key(wq), wq, self._tpl_quote.format(exact=_plain(exact)), 2))
        blocks.sort(key=lambda b: b[0])
        return blocks

    def _blocks(self, units: list[tuple]) -> list[tuple[str, str, str, int]]:
        """(sort key, written subject, predicate lines, triples) of the subjects of
        ``units``, sorted as the canonical writer sorts them."""
        if len(units) == 1 and units[0][1] == _MENTION:
            return self._mention_blocks(units[0][2], units[0][3])
        spo: dict[str, dict[str, set[str]]] = {}

        def add(s: str, p: str, o: str) -> None:
            po = spo.get(s)
            if po is None:
                po = spo[s] = {}
            objs = po.get(p)
            if objs is None:
                po[p] = {o}
            else:
                objs.add(o)

        self._memo.clear()
        for u in units:
            self.emit(u, add)
        blocks = []
        for s, po in spo.items():
            written = self.iri(s)
            blocks.append((_key(written), written, *_format(po)))
        self._memo.clear()
        blocks.sort(key=lambda b: b[0])
        return blocks

    def _body(self, groups, strict: bool) -> Iterator[str]:
        """The subject blocks of the file, one string per group (most hold several
        blocks); if ``strict``, raises _Unordered should they come out of order. At the
        end ``triples`` counts their triples, ``_first`` and ``_last`` are the keys of
        the first and last subjects."""
        first: str | None = None
        last: str | None = None
        triples = 0
        for units in groups:
            text = []
            for key, written, body, n in self._blocks(units):
                if last is None:
                    first = key
                elif strict and not key > last:
                    raise _Unordered(key)
                last = key
                triples += n
                text.append(f"\n{written}\n{body}\n")
            yield "".join(text)
        self.triples, self._first, self._last = triples, first, last

    def _head(self) -> str:
        prefixes = list(PREFIXES)
        width = max((len(p) for p in prefixes), default=0)
        head = [f"@prefix {p + ':':<{width + 1}} <{PREFIXES[p]}> ." for p in prefixes]
        if self.base:
            head.append(f"@base <{self.base}> .")
        head.append("")
        return "\n".join(head)

    def write_turtle(self, path: str | os.PathLike, *, stop: int | None = None,
                     rest: Callable[[], TurtlePart] | None = None) -> int:
        """Write canonical Turtle to ``path`` (through ``path.tmp``, then renamed into
        place); return the number of triples. The bytes are those of
        ``write_turtle(to_rdf(kg), path)``.

        Two writers (see :meth:`cut`): this one writes the units up to ``stop``, then
        ``rest()`` waits for the :class:`TurtlePart` of the units from ``stop`` on
        (``write_part(part_path, stop)``, by another process meanwhile), which is
        appended and its file removed."""
        with replacing(path) as tmp:
            try:
                self._write(tmp, self.groups(0, stop), True)
                ordered = True
            except _Unordered:
                ordered = False
            if rest is not None:
                ordered = self._append(tmp, rest(), ordered)
            if not ordered:  # some IRI outside the usual shapes: all subjects at once
                self._write(tmp, [self.units()], False)
        return self.triples

    def write_part(self, path: str | os.PathLike, start: int) -> TurtlePart:
        """Write the subject blocks of the units from ``start`` on (no prefixes) to
        ``path``, the second part of a file shared by two writers (:meth:`write_turtle`)."""
        try:
            self._write(path, self.groups(start), True, head=False)
        except _Unordered:
            return TurtlePart(os.fspath(path), ordered=False)
        return TurtlePart(os.fspath(path), self.triples, self._first, self._last)

    def _append(self, tmp: str, part: TurtlePart, ordered: bool) -> bool:
        """Append ``part`` to the file ``tmp`` (whose subjects were written in order if
        ``ordered``) when its first subject follows the file's last; remove the part's
        file. False, and nothing appended, if the two are not in order."""
        try:
            ordered = ordered and part.ordered and (
                part.first is None or self._last is None or part.first > self._last)
            if ordered:
                with open(part.path, "rb") as src, open(tmp, "ab") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                self.triples += part.triples
            return ordered
        finally:
            os.unlink(part.path)

    def cut(self, ahead: float = 0.0) -> int:
        """Where to share the units between two writers (:meth:`write_turtle` up to it,
        :meth:`write_part` from it) so they finish together, the second having ``ahead``
        µs of other work to do as well (in the measure of ``WORK_US``): an index of
        :meth:`units` at the start of a subject."""
        units = self.units()
        kinds = [u[1] for u in units]
        share = (sum(WORK_US[k] for k in kinds) - ahead) / 2  # the second writer's
        i, work = len(units), 0.0
        while i > 0 and work < share:
            i -= 1
            work += WORK_US[kinds[i]]
        while 0 < i < len(units) and units[i - 1][0] == units[i][0]:
            i -= 1
        return i

    def _write(self, tmp: str | os.PathLike, groups, strict: bool, head: bool = True) -> None:
        self.triples, self._first, self._last = 0, None, None
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            if head:
                fh.write(self._head())
            chunk: list[str] = []
            size = 0
            for text in self._body(groups, strict):
                chunk.append(text)
                size += len(text)
                if size > 1 << 20:
                    fh.write("".join(chunk))
                    chunk, size = [], 0
            fh.write("".join(chunk))

    def mention_texts(self) -> dict[tuple, str]:
        """Mentions whose node is shared by several units (the same document, span and
        type in two entities, say): key → the text the graph's one node carries
        (the least surface form). Empty for anything the resolver makes."""
        out: dict[tuple, str] = {}
        for group in self.groups():
            if len(group) > 1:
                ms = [u[2] for u in group if u[1] == _MENTION]
                if len(ms) > 1:
                    text = min(m.text for m in ms)
                    for m in ms:
                        out[m.key] = text
        return out


def write_turtle_records(kg: KnowledgeGraph, path: str | os.PathLike) -> int:
    """Write the canonical Turtle of ``kg`` to ``path``; return the number of triples."""
    return StreamedGraph(kg).write_turtle(path)

