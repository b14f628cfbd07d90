"""GEXF (1.2) for Gephi, ready to read: every node has ``viz:color`` (its type's
colour), ``viz:size`` (grows with its degree) and ``viz:position`` (a spring
layout with a fixed seed), so Gephi shows the graph laid out without running a
layout first. Attributes are the GraphML ones (scalars, lists joined with "|").

The same graph gives the same bytes: the layout is seeded and rounded, and the
``lastmodifieddate`` networkx would stamp on the file is left out.
"""

from __future__ import annotations

import io
import math
import os
import re

import networkx as nx

from kg import __version__
from kg.views.nx_view import TYPE_COLOURS, _XML_INVALID, _clean_attrs
from kg.views import write_text_atomically

__all__ = ["layout", "node_size", "write_gexf", "LAYOUT_SCALE"]

#: positions lie in [-LAYOUT_SCALE, LAYOUT_SCALE]
LAYOUT_SCALE = 1000.0
_SEED = 42


def layout(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions: networkx's spring layout (Fruchterman-Reingold)
    of the undirected simple graph, seeded, on nodes in sorted order, rounded to
    0.1. Components of a single node are spread by the layout like the rest."""
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    if U.number_of_nodes() == 0:
        return {}
    n = U.number_of_nodes()
    pos = nx.spring_layout(U, seed=_SEED, k=2.0 / math.sqrt(n), iterations=100,
                           scale=LAYOUT_SCALE)
    return {node: (round(float(x), 1) + 0.0, round(float(y), 1) + 0.0)
            for node, (x, y) in pos.items()}


def node_size(degree: int) -> float:
    """viz:size of a node: 4 for an isolated node, growing with √degree."""
    return round(4.0 + 3.0 * math.sqrt(degree), 2)


def _colour(type_name: str | None) -> tuple[int, int, int]:
    return TYPE_COLOURS.get(type_name or "Unknown", TYPE_COLOURS["Unknown"])


_META = re.compile(r"<meta lastmodifieddate=\"[^\"]*\">\s*<creator>[^<]*</creator>", re.S)


def gexf_text(G: nx.MultiDiGraph) -> str:
    """The GEXF document of the view, as text (see the module docstring)."""
    pos = layout(G)
    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    for n in G.nodes:
        attrs = _clean_attrs(G.nodes[n])
        attrs.setdefault("label", _XML_INVALID.sub("", str(n)))
        r, g, b = _colour(G.nodes[n].get("type"))
        x, y = pos[n]
        attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                        "size": node_size(G.degree(n)),
                        "position": {"x": x, "y": y, "z": 0.0}}
        H.add_node(_XML_INVALID.sub("", str(n)), **attrs)
    used: set[str] = set()
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        eid = _XML_INVALID.sub("", str(k)) if k is not None else f"e{i}"
        while eid in used:
            eid += "~"
        used.add(eid)
        # GEXF reads "start"/"end" as time bounds: the character offsets get other names
        d = {("char_" + k if k in ("start", "end") else k): x for k, x in d.items()}
        attrs = _clean_attrs(d)
        attrs.setdefault("label", str(d.get("predicate", "")))
        attrs["id"] = eid
        H.add_edge(_XML_INVALID.sub("", str(u)), _XML_INVALID.sub("", str(v)), key=eid, **attrs)
    _unify(H)
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(H)
    buf = io.BytesIO()
    writer.write(buf)  # characters as they are (generate_gexf would write &#…; references)
    text = buf.getvalue().decode("utf-8")
    text = _META.sub(f"<meta>\n    <creator>industry-kg {__version__}</creator>", text, count=1)
    return text if text.endswith("\n") else text + "\n"


def _unify(H: nx.MultiDiGraph) -> None:
    """One type per attribute (networkx declares the type from the first value seen)."""
    from kg.views.nx_view import _unify_types

    viz = {n: H.nodes[n].pop("viz") for n in H.nodes}
    ids = {(u, v, k): d.pop("id") for u, v, k, d in H.edges(keys=True, data=True)}
    _unify_types(H)
    for n, z in viz.items():
        H.nodes[n]["viz"] = z
    for (u, v, k), eid in ids.items():
        H[u][v][k]["id"] = eid
    # networkx would write the key again as a "networkx_key" attribute: the id says it
    for _, _, d in H.edges(data=True):
        d.pop("networkx_key", None)


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write :func:`gexf_text` to ``path`` (UTF-8), through a temporary file."""
    write_text_atomically(gexf_text(G), path)
