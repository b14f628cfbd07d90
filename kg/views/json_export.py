"""The JSON export (``spec/export-schema.md``): what the RDF graph says, as plain data.

Two ways to the same file. ``kg build`` writes it with :func:`write_export`,
straight from the resolved records, one item at a time (no RDF graph in memory).
``graph_to_json`` reads it back from an RDF graph (``to_rdf``'s, or a parsed
``graph.ttl``), indexing it in one pass over its triples and joining in Python
(an order of magnitude faster than rdflib's SPARQL engine); it is the reference
the streamed export is tested against.

Output (keys in this order; every list sorted, so the same graph gives the
same file)::

    documents  id, iri, title, date, publisher            (by id)
    entities   id, name, type, aliases, mentions[doc, text, start, end]
               (by type in guideline order, then name, then id;
                mentions by doc, start, end)
    relations  id, subject, predicate, object, title, doc, evidence, start, end
               (by doc, start, end, predicate, subject, object)
    figures    id, subject, metric, value, unit, value_normalized,
               unit_normalized, period, period_normalized, qualifier,
               is_growth, doc, evidence, start, end   (by doc, start, end, id)

Beyond the schema's example: ``publisher`` on documents, ``id`` (the
statement IRI) on relations, ``qualifier`` and ``is_growth`` on figures.
Unknown optional values are ``null``; numbers are ints when integral.
"""

from __future__ import annotations

import json
import math
import re
import os
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.atomic import replacing
from kg.gcpause import gc_paused
from kg.rdf.graph import ENTITY_CLASSES, iter_triples
from kg.rdf.namespace import IKG, OA, SCHEMA

__all__ = ["graph_to_json", "write_json", "extract", "number", "ENTITY_TYPE_ORDER"]

#: entity types in guideline order (the sort order of ``entities``)
ENTITY_TYPE_ORDER: dict[str, int] = {name: i for i, name in enumerate(ENTITY_CLASSES)}
_CLASS_TO_TYPE = {cls: name for name, cls in ENTITY_CLASSES.items()}
_IKG_NS = str(IKG)


def number(lit: Any) -> int | float | None:
    """An xsd:decimal literal → int when integral, else float."""
    if lit is None:
        return None
    try:
        d = Decimal(str(lit))
    except InvalidOperation:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _int(lit: Any) -> int | None:
    if lit is None:
        return None
    try:
        return int(str(lit))
    except ValueError:
        return None


# the terms read, as plain strings (the index is keyed by str: C-level hashing
# and comparison, several times faster than rdflib terms as dict keys)
_TYPE = str(RDF.type)
_DOCUMENT, _MENTION, _STATEMENT, _FIGURE = (str(IKG.Document), str(IKG.Mention),
                                            str(IKG.RelationStatement), str(IKG.Figure))
_CLASS_TYPES = {str(cls): name for cls, name in _CLASS_TO_TYPE.items()}
_IDENTIFIER, _TITLE, _DATE = str(DCTERMS.identifier), str(DCTERMS.title), str(DCTERMS.date)
_PUBLISHER = str(SCHEMA.publisher)
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = str(OA.hasTarget), str(OA.hasSource), str(OA.hasSelector)
_POS_SELECTOR, _START, _END = str(OA.TextPositionSelector), str(OA.start), str(OA.end)
_PREF_LABEL, _LABEL, _ALT_LABEL = str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel)
_MENTION_OF, _IN_DOCUMENT, _SURFACE = str(IKG.mentionOf), str(IKG.inDocument), str(IKG.surfaceForm)
_SUBJ, _PRED, _OBJ = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_DERIVED = str(PROV.wasDerivedFrom)
_F_SUBJECT, _F_TITLE, _F_EVIDENCE = str(IKG.subject), str(IKG.title), str(IKG.evidence)
_F = {name: str(IKG[name]) for name in (
    "metric", "value", "unit", "valueNormalized", "unitNormalized", "period", "periodNormalized",
    "qualifier", "isGrowthRate")}
_EMPTY: dict = {}


def _index(g: Graph) -> dict[str, dict[str, list[str]]]:
    """subject → predicate → [objects], all as plain strings (IRIs, or the
    lexical form of literals), built in one pass over the triples."""
    props: dict[str, dict[str, list[str]]] = {}
    for s, p, o in iter_triples(g):
        s = str(s)
        po = props.get(s)
        if po is None:
            po = props[s] = {}
        p = str(p)
        objs = po.get(p)
        if objs is None:
            po[p] = [str(o)]
        else:
            objs.append(str(o))
    return props


def extract(g: Graph) -> dict:
    """The export as a dict (see the module docstring)."""
    props = _index(g)

    def one(po: dict, p: str) -> str | None:
        vals = po.get(p)
        if not vals:
            return None
        if len(vals) == 1:
            return vals[0]
        return min(vals)  # deterministic if a value was asserted twice

    documents: dict[str, dict] = {}
    entity_nodes: list[tuple[str, dict]] = []
    mention_nodes: list[dict] = []
    statement_nodes: list[tuple[str, dict]] = []
    figure_nodes: list[tuple[str, dict]] = []
    for s, po in props.items():
        types = po.get(_TYPE)
        if not types:
            continue
        for t in types:
            if t == _DOCUMENT:
                documents[s] = po
            elif t in _CLASS_TYPES:
                entity_nodes.append((s, po))
                break
            elif t == _MENTION:
                mention_nodes.append(po)
            elif t == _STATEMENT:
                statement_nodes.append((s, po))
            elif t == _FIGURE:
                figure_nodes.append((s, po))

    # documents ------------------------------------------------------------
    doc_ids: dict[str, str] = {}
    docs = []
    for d, po in documents.items():
        doc_id = one(po, _IDENTIFIER) or unquote(d.rsplit("/", 1)[-1])
        doc_ids[d] = doc_id
        docs.append({
            "id": doc_id,
            "iri": d,
            "title": one(po, _TITLE),
            "date": one(po, _DATE),
            "publisher": one(po, _PUBLISHER),
        })
    docs.sort(key=lambda d: (d["id"], d["iri"]))

    def doc_id_of(d: str | None) -> str | None:
        if d is None:
            return None
        got = doc_ids.get(d)
        if got is None:
            got = doc_ids[d] = unquote(d.rsplit("/", 1)[-1])
        return got

    def anchor(po: dict) -> tuple[str | None, int | None, int | None]:
        """(source document, start, end) of a node's oa:hasTarget."""
        target = one(po, _HAS_TARGET)
        if target is None:
            return None, None, None
        tpo = props.get(target, _EMPTY)
        src = one(tpo, _HAS_SOURCE)
        for sel in tpo.get(_HAS_SELECTOR, ()):
            spo = props.get(sel, _EMPTY)
            if _POS_SELECTOR in spo.get(_TYPE, ()):
                return src, _int(one(spo, _START)), _int(one(spo, _END))
        return src, None, None

    # entities + mentions ----------------------------------------------------
    mentions_of: dict[str, list] = defaultdict(list)
    for po in mention_nodes:
        src, start, end = anchor(po)
        mention = {
            "doc": doc_id_of(one(po, _IN_DOCUMENT) or src),
            "text": one(po, _SURFACE),
            "start": start,
            "end": end,
        }
        for e in po.get(_MENTION_OF, ()):
            mentions_of[e].append(mention)

    def mkey(m: dict) -> tuple:
        return (m["doc"] or "", m["start"] if m["start"] is not None else -1,
                m["end"] if m["end"] is not None else -1, m["text"] or "")

    entities = []
    for e, po in entity_nodes:
        # one type per entity; should a node carry two, keep the first in guideline order
        type_name = min((_CLASS_TYPES[t] for t in po[_TYPE] if t in _CLASS_TYPES),
                        key=ENTITY_TYPE_ORDER.__getitem__)
        name = one(po, _PREF_LABEL) or one(po, _LABEL) or ""
        aliases = sorted(set(po.get(_ALT_LABEL, ())) - {name})
        entities.append({
            "id": e,
            "name": name,
            "type": type_name,
            "aliases": aliases,
            "mentions": sorted(mentions_of.get(e, ()), key=mkey),
        })
    entities.sort(key=lambda x: (ENTITY_TYPE_ORDER[x["type"]], x["name"], x["id"]))

    # relations ---------------------------------------------------------------
    relations = []
    for n, po in statement_nodes:
        pred = one(po, _PRED) or ""
        if pred.startswith(_IKG_NS):
            pred = pred[len(_IKG_NS):]
        src, start, end = anchor(po)
        relations.append({
            "id": n,
            "subject": one(po, _SUBJ),
            "predicate": pred,
            "object": one(po, _OBJ),
            "title": one(po, _F_TITLE),
            "doc": doc_id_of(one(po, _DERIVED) or src),
            "evidence": one(po, _F_EVIDENCE),
            "start": start,
            "end": end,
        })
    relations.sort(
        key=lambda r: (r["doc"] or "", r["start"] or 0, r["end"] or 0, r["predicate"],
                       r["subject"] or "", r["object"] or "", r["id"])
    )

    # figures -------------------------------------------------------------------
    figures = []
    F = _F
    for n, po in figure_nodes:
        src, start, end = anchor(po)
        growth = one(po, F["isGrowthRate"])
        figures.append({
            "id": n,
            "subject": one(po, _F_SUBJECT),
            "metric": one(po, F["metric"]),
            "value": number(one(po, F["value"])),
            "unit": one(po, F["unit"]),
            "value_normalized": number(one(po, F["valueNormalized"])),
            "unit_normalized": one(po, F["unitNormalized"]),
            "period": one(po, F["period"]),
            "period_normalized": one(po, F["periodNormalized"]),
            "qualifier": one(po, F["qualifier"]),
            "is_growth": growth in ("true", "1"),
            "doc": doc_id_of(one(po, _DERIVED) or src),
            "evidence": one(po, _F_EVIDENCE),
            "start": start,
            "end": end,
        })
    figures.sort(key=lambda f: (f["doc"] or "", f["start"] or 0, f["end"] or 0, f["id"]))

    return {"documents": docs, "entities": entities, "relations": relations, "figures": figures}


def graph_to_json(g: Graph) -> dict:
    """The JSON export of an RDF graph built by :func:`kg.rdf.graph.to_rdf`."""
    return extract(g)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def write_json(data: dict, path: str | os.PathLike) -> None:
    """Write the export: UTF-8, CJK as is, indent 1, trailing newline. A lone
    surrogate (which UTF-8 cannot hold) is written as U+FFFD, as in the Turtle."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.write("\n")



# ---------------------------------------------------------------------------
# the export written straight from the resolved records
# ---------------------------------------------------------------------------
#
# ``write_export`` writes the same file as ``write_json(graph_to_json(to_rdf(kg)))``
# (``tests/views/test_json_export.py`` compares the bytes) without the RDF graph:
# each field is what ``extract`` reads back from the triples ``to_rdf`` makes of
# the records. Where several records make one node (the same IRI twice), the
# graph holds the union of their values and ``extract`` keeps the least, as
# ``_least`` does here. Items are made one at a time, in order, and written.


def _least(values) -> Any:
    """``one()`` of ``extract``: the least value (as the graph's lexical forms)."""
    vals = [v for v in values if v is not None]
    return min(vals) if vals else None


def _group(records, key) -> list[list]:
    """Records grouped by ``key`` (most groups hold one record)."""
    groups: dict[Any, list] = {}
    for r in records:
        k = key(r)
        g = groups.get(k)
        if g is None:
            groups[k] = [r]
        else:
            g.append(r)
    return list(groups.values())


# json.dumps(..., indent=n) runs the json module's pure-Python encoder (its C encoder
# only writes without indentation): a chain of generators, a third of the export's time
# at scale. _indented writes the same text for the plain values an item is made of,
# with the json module's own string encoder (what json.dumps uses for a str when
# ensure_ascii=False; in C).
_json_str = json.encoder.encode_basestring


def _indented(value: Any, newline: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` with every line break
    followed by ``newline`` (``"\n"`` plus the indentation ``value`` starts at).

    Dicts with str keys, lists and tuples are laid out here; strings, ints, None,
    booleans and finite floats are written as the json module writes them; anything
    else goes to ``json.dumps`` itself. ``tests/views/test_json_export.py`` compares
    the two."""
    if isinstance(value, str):
        return _json_str(value)
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    # (the members' strings, the most common values, are written without a call)
    inner = newline + " "
    if kind is dict and {str}.issuperset(map(type, value)):
        if not value:
            return "{}"
        items = [f"{_json_str(k)}: {_json_str(v) if type(v) is str else _indented(v, inner)}"
                 for k, v in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        items = [_json_str(v) if type(v) is str else _indented(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)


def _decimal_lexical(value) -> str:
    from kg.rdf.graph import decimal_lexical

    return decimal_lexical(value)


def export_items(kg, mention_texts: dict | None = None):
    """(section, items) of the export of ``kg`` (a :class:`~kg.models.KnowledgeGraph`):
    each ``items`` an iterator of dicts, in file order, made one at a time.

    ``mention_texts``: the texts of mention nodes shared by several records
    (:meth:`kg.rdf.stream.StreamedGraph.mention_texts`); computed if not given."""
    from kg.iri import document_iri

    if mention_texts is None:
        from kg.rdf.stream import StreamedGraph

        mention_texts = StreamedGraph(kg).mention_texts()

    # documents: every listed one, plus the minimal node of one only referred to
    referenced = {f.doc for f in kg.figures} | {r.doc for r in kg.relations}
    for e in kg.entities:
        referenced.update(m.doc for m in e.mentions)
    doc_groups = _group(kg.documents, lambda d: d.id)
    listed = {g[0].id for g in doc_groups}
    doc_groups += [[doc_id] for doc_id in sorted(referenced - listed)]

    def document_item(group) -> dict:
        if isinstance(group[0], str):  # referred to, not listed
            doc_id = group[0]
            return {"id": doc_id, "iri": document_iri(doc_id), "title": None, "date": None,
                    "publisher": None}
        doc_id = group[0].id
        return {
            "id": doc_id,
            "iri": document_iri(doc_id),
            "title": _least(d.title or None for d in group),
            "date": _least(d.date or None for d in group),
            "publisher": _least(d.publisher or None for d in group),
        }

    def doc_key(group) -> tuple:
        doc_id = group[0] if isinstance(group[0], str) else group[0].id
        return (doc_id, document_iri(doc_id))

    doc_groups.sort(key=doc_key)

    # entities
    order = ENTITY_TYPE_ORDER
    ent_groups = []
    for group in _group(kg.entities, lambda e: e.iri):
        type_name = min((e.type.value for e in group), key=order.__getitem__)
        name = _least(e.name for e in group) or ""
        ent_groups.append(((order[type_name], name, group[0].iri), type_name, group))
    ent_groups.sort(key=lambda t: t[0])

    def entity_item(item) -> dict:
        (_, name, iri), type_name, group = item
        aliases = {a for e in group for a in e.aliases if a != e.name}
        mentions: dict[tuple, dict] = {}
        for e in group:
            for m in e.mentions:
                k = m.key
                if k not in mentions:
                    mentions[k] = {"doc": m.doc, "text": mention_texts.get(k, m.text),
                                   "start": m.start, "end": m.end}
        return {
            "id": iri,
            "name": name,
            "type": type_name,
            "aliases": sorted(aliases - {name}),
            "mentions": sorted(mentions.values(),
                               key=lambda m: (m["doc"] or "", m["start"], m["end"], m["text"] or "")),
        }

    # relations
    rel_groups = []
    for group in _group(kg.relations, lambda r: r.iri):
        r = group[0]
        pred = _least(g.predicate.value for g in group)
        subj, obj = _least(g.subject for g in group), _least(g.object for g in group)
        rel_groups.append(((r.doc or "", r.start or 0, r.end or 0, pred, subj or "", obj or "",
                            r.iri), pred, subj, obj, group))
    rel_groups.sort(key=lambda t: t[0])

    def relation_item(item) -> dict:
        _, pred, subj, obj, group = item
        r = group[0]
        return {
            "id": r.iri,
            "subject": subj,
            "predicate": pred,
            "object": obj,
            "title": _least(g.title or None for g in group),
            "doc": r.doc,
            "evidence": _least(g.evidence for g in group),
            "start": r.start,
            "end": r.end,
        }

    # figures
    fig_groups = _group(kg.figures, lambda f: f.iri)
    fig_groups.sort(key=lambda g: (g[0].doc or "", g[0].start or 0, g[0].end or 0, g[0].iri))

    def figure_item(group) -> dict:
        f = group[0]
        vn = _least(_decimal_lexical(g.value_normalized) for g in group
                    if g.value_normalized is not None)
        return {
            "id": f.iri,
            "subject": _least(g.subject or None for g in group),
            "metric": _least(g.metric or None for g in group),
            "value": number(_least(_decimal_lexical(g.value) for g in group)),
            "unit": _least(g.unit for g in group),
            "value_normalized": number(vn),
            "unit_normalized": _least(g.unit_normalized or None for g in group),
            "period": _least(g.period or None for g in group),
            "period_normalized": _least(g.period_normalized or None for g in group),
            "qualifier": _least(g.qualifier or None for g in group),
            "is_growth": _least("true" if g.is_growth else "false" for g in group) == "true",
            "doc": f.doc,
            "evidence": _least(g.evidence for g in group),
            "start": f.start,
            "end": f.end,
        }

    return [
        ("documents", map(document_item, doc_groups)),
        ("entities", map(entity_item, ent_groups)),
        ("relations", map(relation_item, rel_groups)),
        ("figures", map(figure_item, fig_groups)),
    ]


def kg_to_json(kg, mention_texts: dict | None = None) -> dict:
    """The export of ``kg`` as one dict (what :func:`write_export` writes)."""
    return {name: list(items) for name, items in export_items(kg, mention_texts)}


@gc_paused()
def write_export(kg, path: str | os.PathLike, mention_texts: dict | None = None) -> dict:
    """Write the export of ``kg`` to ``path`` item by item, the same bytes as
    ``write_json(graph_to_json(to_rdf(kg)), path)``, through ``path.tmp``; return
    the counts of a build summary: ``documents``, ``entities_by_type`` (a
    Counter), ``mentions``, ``relations_by_predicate`` (a Counter), ``figures``."""
    from collections import Counter

    counts: dict[str, Any] = {"documents": 0, "entities_by_type": Counter(), "mentions": 0,
                              "relations_by_predicate": Counter(), "figures": 0}
    sub = _LONE_SURROGATE.sub
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("{")
        for i, (section, items) in enumerate(export_items(kg, mention_texts)):
            fh.write(("," if i else "") + f'\n "{section}": [')
            n = size = 0
            chunk: list[str] = []
            for item in items:
                if section == "entities":
                    counts["entities_by_type"][item["type"]] += 1
                    counts["mentions"] += len(item["mentions"])
                elif section == "relations":
                    counts["relations_by_predicate"][item["predicate"]] += 1
                text = _indented(item, "\n  ")
                if _LONE_SURROGATE.search(text):
                    text = sub("\ufffd", text)
                chunk.append(("," if n else "") + "\n  " + text)
                n += 1
                size += len(text)
                if size > 1 << 18:  # by size: one entity may hold thousands of mentions
                    fh.write("".join(chunk))
                    chunk, size = [], 0
            fh.write("".join(chunk))
            fh.write("\n ]" if n else "]")
            if section in ("documents", "figures"):
                counts[section] = n
        fh.write("\n}\n")
    return counts
