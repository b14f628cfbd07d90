"""A NetworkX view of the RDF graph, and GraphML that Gephi opens.

Nodes are entities and documents (node id = IRI), with attributes
``label``, ``type``, ``aliases`` (list), ``n_documents`` (documents the entity
is mentioned in; 1 for a document), ``n_mentions``, ``n_figures`` and
``figures`` (one line per figure: "period metric: value unit [doc]").
Edges are relations: ``G[s][o][relation IRI]`` with ``predicate``, ``title``
(holdsPosition only), ``doc``, ``evidence``, ``start``, ``end`` and ``label``
(the title when there is one, else the predicate). ``authorOf`` edges point at
the document node.
"""

from __future__ import annotations

import os
import re
from typing import Any

import networkx as nx
from rdflib import Graph

from kg.views.json_export import extract

__all__ = ["to_networkx", "from_export", "write_graphml", "TYPE_COLOURS", "gephi_safe",
           "figure_summary", "graphml_id"]

#: node colour per type, (r, g, b)
TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    "Company": (31, 119, 180),
    "GovernmentBody": (214, 39, 40),
    "ResearchInstitution": (148, 103, 189),
    "Organization": (140, 86, 75),
    "Person": (255, 127, 14),
    "Place": (44, 160, 44),
    "Product": (23, 190, 207),
    "Industry": (188, 189, 34),
    "Policy": (227, 119, 194),
    "Project": (127, 127, 127),
    "Document": (199, 199, 199),
    "Unknown": (0, 0, 0),
}

# characters XML 1.0 does not allow (and DEL, which Gephi chokes on)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def from_export(data: dict) -> nx.MultiDiGraph:
    """Build the view from an export dict (``graph_to_json`` output)."""
    G = nx.MultiDiGraph()
    figures_of: dict[str, list[str]] = {}
    for f in data.get("figures", []):
        if f.get("subject"):
            figures_of.setdefault(f["subject"], []).append(figure_summary(f))
    for e in data["entities"]:
        docs = {m["doc"] for m in e["mentions"]}
        figs = figures_of.get(e["id"], [])
        G.add_node(
            e["id"],
            label=e["name"],
            type=e["type"],
            aliases=list(e["aliases"]),
            n_documents=len(docs),
            n_mentions=len(e["mentions"]),
            n_figures=len(figs),
            figures=figs,
        )
    for d in data["documents"]:
        G.add_node(
            d["iri"],
            label=d.get("title") or d["id"],
            type="Document",
            aliases=[],
            n_documents=1,
            n_mentions=0,
            n_figures=0,
            figures=[],
            doc=d["id"],
            date=d.get("date"),
        )
    for r in data["relations"]:
        for node in (r["subject"], r["object"]):
            if node is not None and node not in G:
                G.add_node(node, label=node.rsplit("/", 1)[-1], type="Unknown", aliases=[],
                           n_documents=0, n_mentions=0, n_figures=0, figures=[])
        attrs = {
            "predicate": r["predicate"],
            "label": r.get("title") or r["predicate"],
            "doc": r["doc"],
            "evidence": r["evidence"],
            "start": r["start"],
            "end": r["end"],
        }
        if r.get("title"):
            attrs["title"] = r["title"]
        G.add_edge(r["subject"], r["object"], key=r.get("id") or _edge_key(r), **attrs)
    return G


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v)


def figure_summary(f: dict) -> str:
    """One figure as a line: ``2023年 产值: 53.73亿元 (approx) [doc]``."""
    head = " ".join(x for x in (f.get("period") or "", f.get("metric") or "") if x)
    val = f"{_num(f.get('value'))}{f.get('unit') or ''}"
    if f.get("qualifier"):
        val += f" ({f['qualifier']})"
    return f"{head + ': ' if head else ''}{val} [{f.get('doc') or ''}]"


def _edge_key(r: dict) -> str:
    return f"{r['subject']}|{r['predicate']}|{r['object']}|{r['doc']}|{r['start']}|{r['end']}"


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """The entity/document multigraph of an RDF graph built by ``to_rdf``."""
    return from_export(extract(g))


def gephi_safe(value: Any) -> str | int | float | bool | None:
    """A scalar GraphML can hold: lists joined with "|", strings cleaned; None stays None."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return _XML_INVALID.sub("", "|".join(str(v) for v in items if v is not None))
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    return _XML_INVALID.sub("", str(value))


def _clean_attrs(attrs: dict) -> dict:
    out = {}
    for k, v in attrs.items():
        v = gephi_safe(v)
        if v is not None and v != "":  # an empty list or string: leave the attribute out
            out[_XML_INVALID.sub("", str(k))] = v
    return out


def write_graphml(G: nx.MultiGraph | nx.MultiDiGraph | nx.Graph, path: str | os.PathLike) -> None:
    """GraphML for Gephi: unique edge ids, scalar attributes only (lists joined
    with "|"; None and empty values left out), ``label`` on nodes and edges, ``r``/``g``/``b`` colour per
    node type, XML-invalid characters stripped. Read back by ``nx.read_graphml``."""
    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    node_ids: dict[Any, str] = {}
    for n, attrs in G.nodes(data=True):
        a = _clean_attrs(attrs)
        a.setdefault("label", _XML_INVALID.sub("", str(n)))
        r, g_, b = TYPE_COLOURS.get(str(attrs.get("type")), TYPE_COLOURS["Unknown"])
        a.update(r=r, g=g_, b=b)
        nid = _unique(graphml_id(n), node_ids)
        node_ids[n] = nid
        if nid != str(n):
            a["iri"] = _XML_INVALID.sub("", str(n))
        H.add_node(nid, **a)
    used: set[str] = set()
    if G.is_multigraph():
        edges = ((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        edges = ((u, v, None, d) for u, v, d in G.edges(data=True))
    for i, (u, v, k, attrs) in enumerate(edges):
        eid = graphml_id(k) if k is not None else f"e{i}"
        if eid in used:  # edge ids must be unique in the whole file
            j = 1
            while f"{eid}-{j}" in used:
                j += 1
            eid = f"{eid}-{j}"
        used.add(eid)
        a = _clean_attrs(attrs)
        a.setdefault("label", str(attrs.get("predicate", "")))
        if k is not None and eid != str(k):
            a["iri"] = _XML_INVALID.sub("", str(k))
        H.add_edge(node_ids[u], node_ids[v], key=eid, **a)
    _unify_types(H)
    nx.write_graphml(H, os.fspath(path), encoding="utf-8", prettyprint=True)


#: IRIs of the data namespace are written as short GraphML ids (company:…, rel:…)
DATA_NS = "https://w3id.org/industry-kg/id/"


def graphml_id(node: Any) -> str:
    """The GraphML id of a node or edge: an XML NMTOKEN, as the GraphML schema
    requires (an IRI is not one: "/" is not allowed). ``kgd:`` IRIs lose their
    namespace and "/" becomes ":" (``company:8429095f5deb5ab0``,
    ``doc:001_x.txt``); any other character outside letters, digits and
    ``. - _ :`` becomes "_". The full IRI is kept in the ``iri`` attribute."""
    text = _XML_INVALID.sub("", str(node))
    if text.startswith(DATA_NS):
        text = text[len(DATA_NS):].replace("/", ":")
    out = "".join(ch if ch.isalnum() or ch in ".-_:" else "_" for ch in text)
    return out or "_"


def _unique(nid: str, taken: dict) -> str:
    values = set(taken.values())
    if nid not in values:
        return nid
    j = 1
    while f"{nid}-{j}" in values:
        j += 1
    return f"{nid}-{j}"


def _unify_types(H: nx.MultiDiGraph | nx.MultiGraph) -> None:
    """One GraphML type per attribute name: if an attribute is a string on some
    elements and a number on others, make it a string everywhere."""
    for items in (
        [d for _, d in H.nodes(data=True)],
        [d for _, _, _, d in H.edges(keys=True, data=True)],
    ):
        kinds: dict[str, set] = {}
        for d in items:
            for k, v in d.items():
                kinds.setdefault(k, set()).add(type(v))
        for k, ts in kinds.items():
            if len(ts) > 1:
                for d in items:
                    if k in d:
                        d[k] = str(d[k])
