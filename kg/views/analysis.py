"""Helpers researchers use on the NetworkX view (``kg.views.nx_view``).

    from kg import api
    from kg.views import analysis as A

    G = api.networkx_graph("outputs")
    A.find_node(G, "瓦轴")                       # IRI of the entity named or aliased 瓦轴
    A.neighbours(G, "瓦轴", predicate="holdsPosition")
    A.ego_graph(G, "瓦轴", radius=1)             # sub-MultiDiGraph around the entity
    A.shortest_path(G, "刘军", "瓦房店市")        # [IRI, …], edges taken in either direction
    A.ranking(G, by="degree", type="Company", top=5)
    A.communities(G)                            # [[IRI, …], …], largest first

Entities are given by IRI, canonical name or alias (NFKC, case and spaces
ignored); a name that fits none, or fits several entities equally, raises
:class:`kg.errors.KgError`. Every result is sorted, so it is the same on every run.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

import networkx as nx

from kg.errors import KgError

__all__ = ["find_node", "neighbours", "ego_graph", "shortest_path", "ranking", "communities",
           "RANKINGS"]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def find_node(G: nx.MultiDiGraph, name_or_iri: str) -> str:
    """The node id of an entity given by IRI, canonical name or alias.

    A canonical name wins over an alias; if several entities still fit, the one
    with most mentions is taken only when it is the sole one with that count.
    """
    if name_or_iri in G:
        return name_or_iri
    q = _norm(name_or_iri)
    if not q:
        raise KgError("empty entity name")
    by_name = [n for n, d in G.nodes(data=True) if _norm(d.get("label", "")) == q]
    hits = by_name or [n for n, d in G.nodes(data=True)
                       if q in {_norm(a) for a in d.get("aliases", ())}]
    if not hits:
        raise KgError(f"no entity named {name_or_iri!r} in the graph")
    if len(hits) == 1:
        return hits[0]
    hits.sort(key=lambda n: (-G.nodes[n].get("n_mentions", 0), n))
    first, second = hits[0], hits[1]
    if G.nodes[first].get("n_mentions", 0) > G.nodes[second].get("n_mentions", 0):
        return first
    raise KgError(f"{name_or_iri!r} names {len(hits)} entities; give an IRI: "
                  + ", ".join(hits[:3]) + (" …" if len(hits) > 3 else ""))


def neighbours(G: nx.MultiDiGraph, node: str, predicate: str | Iterable[str] | None = None,
               direction: str = "both") -> list[dict]:
    """The entities linked to ``node``, one row per edge: ``{"node", "label", "type",
    "predicate", "direction" ("out" or "in"), "title", "doc", "evidence"}``.

    ``predicate`` keeps only edges with that predicate (or one of several);
    ``direction`` is "out", "in" or "both". Sorted by predicate, label, node, doc.
    """
    if direction not in ("out", "in", "both"):
        raise KgError(f"direction must be out, in or both (got {direction!r})")
    node = find_node(G, node)
    preds = None if predicate is None else ({predicate} if isinstance(predicate, str)
                                            else set(predicate))
    rows = []
    edges = []
    if direction in ("out", "both"):
        edges += [("out", v, d) for _, v, d in G.out_edges(node, data=True)]
    if direction in ("in", "both"):
        edges += [("in", u, d) for u, _, d in G.in_edges(node, data=True)]
    for how, other, d in edges:
        if preds is not None and d.get("predicate") not in preds:
            continue
        rows.append({
            "node": other,
            "label": G.nodes[other].get("label", other),
            "type": G.nodes[other].get("type"),
            "predicate": d.get("predicate"),
            "direction": how,
            "title": d.get("title"),
            "doc": d.get("doc"),
            "evidence": d.get("evidence"),
        })
    rows.sort(key=lambda r: (r["predicate"] or "", r["label"], r["node"], r["direction"],
                             r["doc"] or "", r["evidence"] or ""))
    return rows


def ego_graph(G: nx.MultiDiGraph, node: str, radius: int = 1,
              include_documents: bool = True) -> nx.MultiDiGraph:
    """The entities within ``radius`` hops of ``node`` (edges followed in either
    direction) and every edge among them, as a new MultiDiGraph."""
    node = find_node(G, node)
    H = G if include_documents else G.subgraph(
        [n for n, d in G.nodes(data=True) if d.get("type") != "Document" or n == node])
    return nx.ego_graph(H, node, radius=radius, undirected=True).copy()


def shortest_path(G: nx.MultiDiGraph, source: str, target: str,
                  include_documents: bool = False) -> list[str]:
    """The node ids on a shortest path from ``source`` to ``target``, edges taken
    in either direction. Document nodes are left out unless ``include_documents``
    (otherwise every author would be two hops from everything in their article).
    Among paths of equal length the one whose node ids sort first is returned.
    Raises :class:`KgError` if there is none."""
    s, t = find_node(G, source), find_node(G, target)
    U = _undirected(G, include_documents, keep={s, t})
    try:
        paths = nx.all_shortest_paths(U, s, t)
        return min(paths)
    except nx.NetworkXNoPath:
        raise KgError(f"no path between {G.nodes[s].get('label', s)} and "
                      f"{G.nodes[t].get('label', t)}") from None


def _undirected(G: nx.MultiDiGraph, include_documents: bool, keep: set[str] = frozenset()
                ) -> nx.Graph:
    """A simple undirected graph on sorted nodes (edge weight = number of edges)."""
    U = nx.Graph()
    for n in sorted(G.nodes):
        if include_documents or G.nodes[n].get("type") != "Document" or n in keep:
            U.add_node(n)
    for u, v in sorted((u, v) for u, v in G.edges()):
        if u in U and v in U and u != v:
            if U.has_edge(u, v):
                U[u][v]["weight"] += 1
            else:
                U.add_edge(u, v, weight=1)
    return U


#: what :func:`ranking` can rank by
RANKINGS = ("degree", "betweenness", "closeness", "eigenvector")


def ranking(G: nx.MultiDiGraph, by: str = "degree", type: str | None = None, top: int = 10,
            include_documents: bool = False) -> list[tuple[str, str, float]]:
    """The ``top`` entities by ``by`` (degree = number of relation edges; the
    others are networkx centralities on the undirected simple graph), as
    ``(node id, label, score)``, highest first, ties by label then id.
    ``type`` keeps one entity type (for example "Company")."""
    if by not in RANKINGS:
        raise KgError(f"unknown ranking {by!r} (choose one of {', '.join(RANKINGS)})")
    U = _undirected(G, include_documents)
    if by == "degree":
        scores = {n: float(G.degree(n)) for n in U}
    elif by == "closeness":
        scores = nx.closeness_centrality(U)
    elif by == "betweenness":
        scores = nx.betweenness_centrality(U)
    else:
        scores = nx.eigenvector_centrality(U, max_iter=1000, weight="weight")
    rows = [(n, G.nodes[n].get("label", n), round(float(s), 10)) for n, s in scores.items()
            if type is None or G.nodes[n].get("type") == type]
    rows.sort(key=lambda r: (-r[2], r[1], r[0]))
    return rows[:top] if top and top > 0 else rows


def communities(G: nx.MultiDiGraph, seed: int = 7, include_documents: bool = False,
                min_size: int = 2) -> list[list[str]]:
    """Communities of the undirected relation graph (Louvain, fixed ``seed``):
    lists of node ids, each sorted, largest community first (ties by first id);
    communities smaller than ``min_size`` (isolated entities) are left out."""
    from networkx.algorithms.community import louvain_communities

    U = _undirected(G, include_documents)
    parts = louvain_communities(U, weight="weight", seed=seed)
    out = [sorted(p) for p in parts if len(p) >= min_size]
    out.sort(key=lambda c: (-len(c), c[0]))
    return out
