"""kg.api, in process, on the build of the real corpus (made once per session by
the helpers in tests/cli/__init__.py) and on small builds with a stub extractor."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from kg import api
from kg.errors import BuildNotFound, KgError
from kg.models import DocResult, EntityType, Mention


def _support():
    """tests/cli/__init__.py, loaded by path (whatever pytest's import mode)."""
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parent / "cli" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


S = _support()


@pytest.fixture(scope="session")
def out(tmp_path_factory) -> Path:
    return S.shared_build(tmp_path_factory)


@pytest.fixture(scope="session")
def export(out) -> dict:
    return api.load_export(out)


# ---------------------------------------------------------------- reading a build


def test_load_export(export):
    assert set(export) == {"documents", "entities", "relations", "figures"}
    assert len(export["documents"]) == len(list(S.CORPUS.glob("*.txt")))


def test_load_graph_is_the_turtle(out, export):
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.rdf.namespace import IKG

    g = api.load_graph(out)
    assert len(g) == api.load_build_info(out)["triples"]
    companies = set(g.subjects(RDF.type, IKG.Company))
    assert {URIRef(e["id"]) for e in export["entities"] if e["type"] == "Company"} == companies


def test_networkx_graph(out, export):
    G = api.networkx_graph(out)
    assert G.number_of_nodes() == len(export["entities"]) + len(export["documents"])
    assert G.number_of_edges() == len(export["relations"])
    e = export["entities"][0]
    assert G.nodes[e["id"]]["type"] == e["type"]


def test_query_select_and_ask(out, export):
    res = api.query(out, "SELECT ?e WHERE { ?e a ikg:Company }")
    assert res.kind == "select"
    assert len(res) == sum(1 for e in export["entities"] if e["type"] == "Company")
    assert api.query(out, "ASK { ?s ikg:holdsPosition ?o }").boolean is True


def test_query_errors(out, tmp_path):
    from kg.errors import QueryError

    with pytest.raises(QueryError):
        api.query(out, "SELECT WHERE {")
    with pytest.raises(BuildNotFound):
        api.query(tmp_path, "ASK {}")


def test_lookup(out):
    hits = api.lookup(out, "瓦轴", limit=3)
    assert 1 <= len(hits) <= 3
    assert hits[0]["type"] == "Company"
    assert any("瓦轴" in a for a in hits[0]["aliases"]) or "瓦轴" in hits[0]["name"]


def test_stats_agree_with_build_json(out, export):
    s = api.stats(out)
    info = api.load_build_info(out)
    for key in ("documents", "entities", "entities_by_type", "relations",
                "relations_by_predicate", "figures", "triples", "seconds", "kg_version"):
        assert s[key] == info[key], key
    assert s["entities_by_type"] == {
        t.value: sum(1 for e in export["entities"] if e["type"] == t.value) for t in EntityType
    }
    assert list(s["entities_by_type"]) == [t.value for t in EntityType]


def test_evaluate(out, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    doc = "000_9c23c85fa6d8a88a.txt"
    (gold / f"{doc}.json").write_text(json.dumps(
        {"doc": doc, "entities": [{"id": "p", "name": "瓦房店市", "type": "Place", "aliases": []}],
         "relations": [], "figures": []}, ensure_ascii=False), encoding="utf-8")
    report = api.evaluate(out, gold)
    assert report.scored == [doc]
    assert report.untyped.tp == 1


@pytest.mark.parametrize("fmt", ["json", "graphml", "nt", "gexf", "html"])
def test_export_writes_files(out, tmp_path, fmt):
    path = api.export(out, fmt, tmp_path / f"x.{fmt}")
    assert path == tmp_path / f"x.{fmt}"
    assert path.stat().st_size > 0


def test_export_unknown(out, tmp_path):
    with pytest.raises(KgError, match="unknown export format"):
        api.export(out, "pdf")


@pytest.mark.parametrize("setup", ["missing", "empty", "no-json", "bad-json", "not-export"])
def test_missing_or_broken_build(tmp_path, setup):
    out = tmp_path / "outputs"
    if setup != "missing":
        out.mkdir()
    if setup == "no-json":
        (out / "graph.ttl").write_text("", encoding="utf-8")
    if setup == "bad-json":
        (out / "graph.json").write_text("{", encoding="utf-8")
    if setup == "not-export":
        (out / "graph.json").write_text("[]", encoding="utf-8")
    with pytest.raises(BuildNotFound) as err:
        api.load_export(out)
    msg = str(err.value)
    assert "\n" not in msg and "kg build" in msg and str(out) in msg
    assert err.value.exit_code == 2


def test_broken_turtle(tmp_path):
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "graph.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(BuildNotFound, match="graph.ttl"):
        api.load_graph(out)


# ---------------------------------------------------------------- build (stub extraction)


def _stub_extract(doc):
    """One Company mention wherever 华精集团 occurs (enough to exercise the build)."""
    mentions = []
    i = doc.original.find("华精集团")
    while i >= 0:
        mentions.append(Mention(doc.id, "华精集团", EntityType.Company, i, i + 4))
        i = doc.original.find("华精集团", i + 1)
    return DocResult(doc=doc, mentions=tuple(mentions))


@pytest.fixture()
def stub(monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract_document", _stub_extract)


def _corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("华精集团董事长介绍。", encoding="utf-8")
    (corpus / "b.txt").write_text("华精\n集团今年一季度产值13.1亿元。", encoding="utf-8")
    return corpus


def test_build_summary_progress_and_files(tmp_path, stub):
    events = []
    summary = api.build(_corpus(tmp_path), tmp_path / "out",
                        progress=lambda stage, done, total: events.append((stage, done, total)))
    assert summary["documents"] == 2
    assert summary["entities_by_type"]["Company"] == 1 and summary["entities"] == 1
    assert summary["mentions"] == 1  # "华精\n集团" is not found by the stub
    assert summary["seconds"] >= 0 and summary["kg_version"]
    assert ("extract", 2, 2) in events and events[-1] == ("write", 1, 1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "build.json", "graph.json", "graph.ttl"]
    assert json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))["documents"] == 2
    assert "seconds" not in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_build_removes_stale_temporary_folders(tmp_path, stub):
    import subprocess

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    stale = tmp_path / f".out.tmp-{dead.pid}"
    stale.mkdir()
    (stale / "graph.ttl").write_text("half written", encoding="utf-8")
    mine = tmp_path / f".out.tmp-{os.getppid()}"  # a live process: left alone
    mine.mkdir()
    api.build(_corpus(tmp_path), tmp_path / "out")
    assert not stale.exists() and mine.exists()


def test_build_out_in_a_new_nested_folder(tmp_path, stub):
    api.build(_corpus(tmp_path), tmp_path / "a" / "b" / "out")
    assert (tmp_path / "a" / "b" / "out" / "graph.ttl").is_file()
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["out"]


def test_build_bad_arguments(tmp_path, stub):
    with pytest.raises(KgError, match="jobs"):
        api.build(_corpus(tmp_path), tmp_path / "out", jobs=0)
    with pytest.raises(KgError, match="does not exist"):
        api.build(tmp_path / "nope", tmp_path / "out")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(KgError, match="not a folder"):
        api.build(tmp_path / "corpus", tmp_path / "file")
    with pytest.raises(KgError, match="corpus"):
        api.build(tmp_path / "corpus", tmp_path)  # would replace the folder holding the corpus


def test_failed_swap_puts_the_old_build_back(tmp_path, stub, monkeypatch):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    api.build(corpus, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_rename = os.rename

    def rename(src, dst):
        if ".tmp-" in str(src):
            raise OSError("rename failed")
        return real_rename(src, dst)

    monkeypatch.setattr(api.os, "rename", rename)
    monkeypatch.setattr(api, "_exchange", lambda a, b: False)  # the two-rename fallback
    with pytest.raises(OSError, match="rename failed"):
        api.build(corpus, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_build_failure_before_writing_keeps_outputs(tmp_path, stub, monkeypatch):
    import kg.resolve.resolver as resolver

    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    api.build(corpus, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(results, parts=None):
        raise RuntimeError("resolution failed")

    monkeypatch.setattr(resolver, "resolve", boom)
    with pytest.raises(RuntimeError):
        api.build(corpus, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_build_with_jobs_matches_serial(tmp_path):
    """Real extraction in two processes gives the same bytes as in one (small corpus)."""
    corpus = _corpus(tmp_path)
    api.build(corpus, tmp_path / "one", jobs=1)
    api.build(corpus, tmp_path / "two", jobs=2)
    for name in ("graph.ttl", "graph.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    shutil.rmtree(tmp_path / "two")
