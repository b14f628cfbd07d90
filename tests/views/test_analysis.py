"""kg.views.analysis: helpers on the NetworkX view, on the sample graph."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import KgError
from kg.iri import document_iri
from kg.views import analysis as A
from kg.views.nx_view import to_networkx


@pytest.fixture(scope="module")
def G(graph):
    return to_networkx(graph)


def test_nodes_summarise_figures(G, sample):
    n = G.nodes[sample.HUAJING]
    assert n["n_figures"] == 2
    assert "今年一季度 营业收入: 136亿元 [001_test.txt]" in n["figures"]
    assert G.nodes[sample.BRANCH]["figures"] == ["年产值: 5亿元 (more-than) [002_test.txt]"]
    assert G.nodes[sample.ZHANG]["n_figures"] == 0


@pytest.mark.parametrize("name", ["华东精工机械有限公司", "华精", "华 精", "华东精工"])
def test_find_node_by_name_alias_or_iri(G, sample, name):
    assert A.find_node(G, name) == sample.HUAJING
    assert A.find_node(G, sample.HUAJING) == sample.HUAJING


def test_find_node_unknown_or_empty(G):
    with pytest.raises(KgError, match="no entity named"):
        A.find_node(G, "不存在的公司")
    with pytest.raises(KgError, match="empty"):
        A.find_node(G, "  ")


def test_find_node_ambiguous_alias():
    G = nx.MultiDiGraph()
    G.add_node("a", label="甲公司", aliases=["甲"], n_mentions=2)
    G.add_node("b", label="甲集团", aliases=["甲"], n_mentions=2)
    with pytest.raises(KgError, match="names 2 entities"):
        A.find_node(G, "甲")
    G.nodes["b"]["n_mentions"] = 3
    assert A.find_node(G, "甲") == "b"


def test_neighbours_by_predicate_and_direction(G, sample):
    posts = A.neighbours(G, "华精", predicate="holdsPosition")
    assert [(r["label"], r["direction"], r["title"]) for r in posts] == [
        ("张伟", "in", "董事长"), ("张伟", "in", "董事长")]
    assert {r["doc"] for r in posts} == {sample.D1, sample.D2}
    out = A.neighbours(G, sample.HUAJING, direction="out")
    assert [(r["predicate"], r["label"]) for r in out] == [
        ("cooperatesWith", "江北大学"), ("locatedIn", "江州市"), ("produces", "风电主轴轴承")]
    both = A.neighbours(G, "华精", predicate=["subOrganizationOf", "locatedIn"])
    assert [(r["predicate"], r["label"], r["direction"]) for r in both] == [
        ("locatedIn", "江州市", "out"), ("subOrganizationOf", "华精精密轴承分公司", "in")]
    with pytest.raises(KgError, match="direction"):
        A.neighbours(G, "华精", direction="sideways")


def test_ego_graph(G, sample):
    E = A.ego_graph(G, "江州市", radius=1)
    assert set(E) == {sample.JIANGZHOU, sample.HUAJING, sample.JIANGBEI}
    assert E.number_of_edges() == 2  # the two locatedIn edges; not 华精's other edges
    E2 = A.ego_graph(G, "江州市", radius=2)
    assert sample.ZHANG in E2 and sample.PRODUCT in E2 and sample.LI not in E2
    assert E2.nodes[sample.ZHANG]["label"] == "张伟"


def test_shortest_path(G, sample):
    assert A.shortest_path(G, "张伟", "江北省") == [
        sample.ZHANG, sample.HUAJING, sample.JIANGZHOU, sample.JIANGBEI]
    assert A.shortest_path(G, "江北省", "张伟")[::-1] == A.shortest_path(G, "张伟", "江北省")
    # 李明 is linked only to the document node: no path unless documents count
    with pytest.raises(KgError, match="no path between 李明 and 张伟"):
        A.shortest_path(G, "李明", "张伟")


def test_shortest_path_through_documents():
    G = nx.MultiDiGraph()
    for n, t in (("p", "Person"), ("d", "Document"), ("q", "Person")):
        G.add_node(n, label=n, type=t)
    G.add_edge("p", "d", predicate="authorOf")
    G.add_edge("q", "d", predicate="authorOf")
    assert A.shortest_path(G, "p", "q", include_documents=True) == ["p", "d", "q"]
    with pytest.raises(KgError):
        A.shortest_path(G, "p", "q")


def test_ranking(G, sample):
    top = A.ranking(G, by="degree", top=2)
    assert top[0] == (sample.HUAJING, "华东精工机械有限公司", 6.0)
    assert top[1] == (sample.ZHANG, "张伟", 2.0)  # tied with 江州市 (2): label order
    people = A.ranking(G, by="degree", type="Person", top=0)
    assert [r[1] for r in people] == ["张伟", "李明"]
    btw = A.ranking(G, by="betweenness", top=1)
    assert btw[0][0] == sample.HUAJING
    for by in A.RANKINGS:
        rows = A.ranking(G, by=by, top=0)
        assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    with pytest.raises(KgError, match="unknown ranking"):
        A.ranking(G, by="charisma")


def test_communities_are_deterministic_and_cover_linked_entities(G, sample):
    parts = A.communities(G)
    assert parts == A.communities(G)
    flat = [n for c in parts for n in c]
    assert len(flat) == len(set(flat))
    assert sample.HUAJING in flat and sample.JIANGBEI in flat
    assert sample.LI not in flat  # alone once documents are left out
    assert all(len(c) >= 2 and c == sorted(c) for c in parts)
    assert [len(c) for c in parts] == sorted((len(c) for c in parts), reverse=True)


def test_communities_split_two_cliques():
    G = nx.MultiDiGraph()
    for group in ("abcd", "wxyz"):
        for u in group:
            G.add_node(u, label=u, type="Company")
        for i, u in enumerate(group):
            for v in group[i + 1:]:
                G.add_edge(u, v, predicate="cooperatesWith")
    G.add_edge("a", "w", predicate="cooperatesWith")
    assert A.communities(G) == [list("abcd"), list("wxyz")]


def test_document_nodes_kept_by_ego_graph(G, sample):
    E = A.ego_graph(G, "李明")
    assert document_iri(sample.D1) in E
    assert document_iri(sample.D1) not in A.ego_graph(G, "李明", include_documents=False)
