"""The ``kg`` command line, through the real entry point (``python -m kg``), on a
build of the real ``corpus/`` made once per session."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest


def _support():
    """tests/cli/__init__.py, loaded by path (whatever pytest's import mode)."""
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().with_name("__init__.py")
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


S = _support()
run_kg, CORPUS, REPO = S.run_kg, S.CORPUS, S.REPO
COMMANDS = ["build", "query", "lookup", "export", "stats", "eval"]
# the example: 瓦轴 is the 简称 of this company (see shared/gold)
WAZHOU = "瓦房店轴承集团有限责任公司"


@pytest.fixture(scope="session")
def out(tmp_path_factory) -> Path:
    return S.shared_build(tmp_path_factory)


@pytest.fixture(scope="session")
def export(out) -> dict:
    return json.loads((out / "graph.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def originals() -> dict[str, str]:
    # decoded exactly as kg.text.load does (UTF-8, leading BOM removed)
    return {p.name: p.read_bytes().decode("utf-8").removeprefix("\ufeff")
            for p in CORPUS.glob("*.txt")}


def assert_one_line_error(proc, code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    return lines[0]


# ---------------------------------------------------------------- help


def test_help_lists_every_command():
    proc = run_kg("--help")
    assert proc.returncode == 0
    for cmd in COMMANDS:
        assert cmd in proc.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help(cmd):
    proc = run_kg(cmd, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Usage: kg {cmd}")
    assert proc.stderr == ""


def test_version():
    from kg import __version__

    proc = run_kg("--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


# ---------------------------------------------------------------- build


def test_build_writes_turtle_that_rdflib_parses(out):
    import rdflib

    g = rdflib.Graph()
    g.parse(out / "graph.ttl", format="turtle")
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert len(g) == info["triples"] > 0


def test_build_prints_a_summary(tmp_path_factory, export):
    stdout, stderr = S.build_output(tmp_path_factory)
    assert stderr == "", stderr  # no progress when stderr is not a terminal
    lines = stdout.splitlines()
    assert re.fullmatch(r"built .+/ from .+/ in \d+\.\d s", lines[0]), lines[0]
    assert re.fullmatch(rf"documents +{len(export['documents'])}", lines[1]), lines[1]
    for word in ("entities", "relations", "figures", "Company", "holdsPosition"):
        assert word in stdout


def test_export_lists_every_document(export):
    assert sorted(d["id"] for d in export["documents"]) == sorted(p.name for p in CORPUS.glob("*.txt"))
    for d in export["documents"]:
        assert d["iri"] and d["title"] and d["date"]


def test_every_entity_type_occurs(export):
    types = {e["type"] for e in export["entities"]}
    assert types == S.TEN_TYPES


def test_entities_have_names_and_mentions(export):
    ids = [e["id"] for e in export["entities"]]
    assert len(ids) == len(set(ids))
    for e in export["entities"]:
        assert e["name"] and e["type"] in S.TEN_TYPES
        assert e["name"] not in e["aliases"]
        assert e["mentions"], e["name"]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_mention_offsets_point_into_the_original(export, originals):
    from kg.text.normalize import fold

    n = 0
    for e in export["entities"]:
        for m in e["mentions"]:
            original = originals[m["doc"]]
            assert 0 <= m["start"] < m["end"] <= len(original)
            assert _squeeze(fold(original[m["start"]:m["end"]])) == _squeeze(m["text"]), (e["name"], m)
            assert "\n" not in m["text"]
            n += 1
    assert n > 0


def test_relations_point_at_entities_or_documents(export, originals):
    from kg.text.normalize import fold

    entity_ids = {e["id"] for e in export["entities"]}
    doc_iris = {d["iri"] for d in export["documents"]}
    assert export["relations"]
    for r in export["relations"]:
        assert r["predicate"] in S.SEVEN_PREDICATES
        assert r["subject"] in entity_ids
        if r["predicate"] == "authorOf":
            assert r["object"] in doc_iris
        else:
            assert r["object"] in entity_ids
        original = originals[r["doc"]]
        assert 0 <= r["start"] < r["end"] <= len(original)
        assert _squeeze(fold(original[r["start"]:r["end"]])) == _squeeze(r["evidence"])
    assert {r["predicate"] for r in export["relations"]} >= {"holdsPosition", "authorOf"}
    assert all(r["title"] for r in export["relations"] if r["predicate"] == "holdsPosition")


def test_figures_carry_value_and_unit(export, originals):
    from kg.text.normalize import fold

    entity_ids = {e["id"] for e in export["entities"]}
    assert export["figures"]
    for f in export["figures"]:
        assert isinstance(f["value"], (int, float)) and not isinstance(f["value"], bool), f
        # a fraction written in words (三分之一) has no unit as written
        assert f["unit"] or f["unit_normalized"] == "fraction", f
        assert f["subject"] is None or f["subject"] in entity_ids
        where = _squeeze(fold(originals[f["doc"]][f["start"]:f["end"]]))
        # the unit is written at the figure (4.8万余件: with 余/多 inside it), or (an item of a
        # list: 2个、1.5个百分点) at the list's end
        assert _squeeze(f["unit"]) in re.sub("[余多]", "", where) or _squeeze(f["unit"]) in _squeeze(f["evidence"]), f
    assert any(f["unit"] == "亿元" and f["value_normalized"] == f["value"] * 10**8
               and f["unit_normalized"] == "CNY" for f in export["figures"])


def test_rebuild_is_byte_identical_and_replaces_the_previous_build(out, tmp_path):
    # rebuild over a copy of the first build, in two processes: parallel extraction
    # must not change a byte, and the old folder is replaced as a whole
    target = tmp_path / "outputs"
    shutil.copytree(out, target)
    (target / "graph.graphml").write_text("stale", encoding="utf-8")
    proc = run_kg("build", "--corpus", CORPUS, "--out", target, "--jobs", "2", "--format", "json",
                  cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["jobs"] == 2
    for name in ("graph.ttl", "graph.json"):
        assert (target / name).read_bytes() == (out / name).read_bytes(), name
    assert sorted(p.name for p in target.iterdir()) == ["build.json", "graph.json", "graph.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]  # no temporary folder left


def test_build_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = run_kg("build", "--corpus", CORPUS, "--out", precious, cwd=tmp_path)
    assert "not empty" in assert_one_line_error(proc, 2)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_build_missing_corpus(tmp_path):
    proc = run_kg("build", "--corpus", tmp_path / "nope", "--out", tmp_path / "out", cwd=tmp_path)
    assert "nope" in assert_one_line_error(proc, 2)
    assert not (tmp_path / "out").exists()


def test_build_bad_manifest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("该公司董事长介绍。", encoding="utf-8")
    (corpus / "manifest.toml").write_text("[[document]]\nid = 'a.txt'\ncolour = 'red'\n", encoding="utf-8")
    proc = run_kg("build", "--corpus", corpus, "--out", tmp_path / "out", cwd=tmp_path)
    assert "manifest.toml" in assert_one_line_error(proc, 2)


def test_build_bad_jobs_is_a_usage_error(tmp_path):
    proc = run_kg("build", "--jobs", "0", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("jobs,failing", [
    (1, "write_export"),  # once the new graph.ttl is written
    (2, "write_export"),  # in the second process, which writes graph.json
    (2, "write_part"),  # in the second process, writing the end of graph.ttl
    (2, "write_turtle"),  # in this process, while the second one writes
])
def test_failed_build_leaves_previous_outputs_intact(out, tmp_path, monkeypatch, jobs, failing):
    """In process: make writing graph.json or graph.ttl fail.
    (Extraction is stubbed out: this is about the writing, and it keeps the test fast.)"""
    import kg.pipeline
    import kg.views.json_export as json_export
    from kg import api
    from kg.models import DocResult
    from kg.rdf.stream import StreamedGraph

    if jobs > 1 and not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    monkeypatch.setattr(kg.pipeline, "extract_document", lambda doc: DocResult(doc=doc))

    target = tmp_path / "outputs"
    shutil.copytree(out, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(json_export if failing == "write_export" else StreamedGraph, failing, boom)
    with pytest.raises(OSError, match="disk full"):
        api.build(CORPUS, target, jobs=jobs)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]  # temporary folder removed


# ---------------------------------------------------------------- query


def test_query_count_json(out):
    proc = run_kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--out", out,
                  "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert int(data["results"]["bindings"][0]["n"]["value"]) > 0


def test_query_from_file_table_and_csv(out, tmp_path):
    rq = tmp_path / "types.rq"
    rq.write_text("SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type . ?e skos:prefLabel ?l }\n"
                  "GROUP BY ?type ORDER BY ?type\n", encoding="utf-8")
    proc = run_kg("query", rq, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "ikg:Company" in proc.stdout and "rows)" in proc.stdout
    proc = run_kg("query", rq, "--out", out, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "type,n"


def test_query_ask(out):
    proc = run_kg("query", f'ASK {{ ?c skos:altLabel "瓦轴集团"@zh }}', "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "true"


def test_query_without_build(tmp_path):
    proc = run_kg("query", "SELECT * WHERE { ?s ?p ?o }", "--out", tmp_path / "outputs", cwd=tmp_path)
    assert "kg build" in assert_one_line_error(proc, 2)


def test_query_bad_sparql(out):
    proc = run_kg("query", "SELECT ?x WHERE { ?s ?p }", "--out", out)
    assert "SPARQL" in assert_one_line_error(proc, 2)


def test_query_update_is_refused(out):
    proc = run_kg("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--out", out)
    assert_one_line_error(proc, 2)


def test_query_missing_file(out, tmp_path):
    proc = run_kg("query", tmp_path / "missing.rq", "--out", out)
    assert "missing.rq" in assert_one_line_error(proc, 2)


def test_query_unknown_format_is_a_usage_error(out):
    proc = run_kg("query", "ASK {}", "--out", out, "--format", "xml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- lookup


def test_lookup_wazhou_json(out):
    proc = run_kg("lookup", "瓦轴", "--out", out, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    companies = [r for r in results if r["type"] == "Company"
                 and ("瓦轴" in r["name"] or any("瓦轴" in a for a in r["aliases"]))]
    assert companies
    # the requirement (depends on extraction + resolution, not on the CLI):
    best = results[0]
    assert best["type"] == "Company"
    assert best["name"] == WAZHOU
    assert "瓦轴集团" in best["aliases"]
    assert best["relations"] and best["documents"]


def test_lookup_table_and_limit(out):
    proc = run_kg("lookup", "瓦轴", "--out", out, "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("  id: ") == 1
    assert "[Company]" in proc.stdout


def test_lookup_nothing_found(out):
    proc = run_kg("lookup", "不存在的名字", "--out", out, "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_lookup_broken_build(tmp_path):
    broken = tmp_path / "outputs"
    broken.mkdir()
    (broken / "graph.json").write_text("{not json", encoding="utf-8")
    proc = run_kg("lookup", "瓦轴", "--out", broken)
    assert "graph.json" in assert_one_line_error(proc, 2)


# ---------------------------------------------------------------- export


def test_export_graphml_reads_back(out, export, tmp_path):
    import networkx as nx

    proc = run_kg("export", "graphml", "--out", out, "-o", "g.graphml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    G = nx.read_graphml(tmp_path / "g.graphml")
    assert G.number_of_nodes() == len(export["entities"]) + len(export["documents"])
    assert G.number_of_edges() == len(export["relations"])
    by_iri = {d["iri"]: d for _, d in G.nodes(data=True)}  # GraphML ids are NMTOKENs, not IRIs
    assert by_iri[export["entities"][0]["id"]]["label"] == export["entities"][0]["name"]


def test_export_json_default_path(out, tmp_path):
    target = tmp_path / "outputs"
    shutil.copytree(out, target)
    proc = run_kg("export", "json", "--out", target)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {target / 'graph.json'}"
    assert (target / "graph.json").read_bytes() == (out / "graph.json").read_bytes()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
def test_export_nt_and_jsonld_are_the_graph(out, tmp_path):
    import rdflib

    ttl = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    for fmt, parser in (("nt", "nt"), ("jsonld", "json-ld")):
        proc = run_kg("export", fmt, "--out", out, "-o", tmp_path / f"g.{fmt}")
        assert proc.returncode == 0, proc.stderr
        g = rdflib.Graph().parse(tmp_path / f"g.{fmt}", format=parser)
        assert set(g) == set(ttl), fmt  # no blank nodes: equal graphs are equal sets


def test_export_gexf_reads_back(out, export, tmp_path):
    import networkx as nx

    proc = run_kg("export", "gexf", "--out", out, "-o", tmp_path / "g.gexf")
    assert proc.returncode == 0, proc.stderr
    G = nx.read_gexf(tmp_path / "g.gexf")
    assert G.number_of_nodes() == len(export["entities"]) + len(export["documents"])
    assert G.number_of_edges() == len(export["relations"])
    assert all("viz" in d and "position" in d["viz"] for _, d in G.nodes(data=True))


def test_export_csv_writes_a_folder(out, export, tmp_path):
    import csv

    proc = run_kg("export", "csv", "--out", out, "-o", tmp_path / "tables")
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "tables" / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(tmp_path / "tables" / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == len(export["entities"]) + len(export["documents"])
    assert len(edges) == len(export["relations"])
    wazhou = next(n for n in nodes if n["name"] == WAZHOU)
    assert wazhou[":LABEL"] == "Company" and "瓦轴" in wazhou["aliases:string[]"].split(";")


def test_export_csv_onto_a_file_is_refused(out, tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep me", encoding="utf-8")
    proc = run_kg("export", "csv", "--out", out, "-o", target)
    assert "it is a file" in assert_one_line_error(proc, 2)
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("fmt", ["gexf", "csv", "html"])
def test_new_exports_without_build_write_nothing(tmp_path, fmt):
    proc = run_kg("export", fmt, "--out", tmp_path / "nothing", "-o", tmp_path / f"g.{fmt}")
    assert_one_line_error(proc, 2)
    assert not (tmp_path / f"g.{fmt}").exists()


def test_export_file_onto_a_folder_is_refused(out, tmp_path):
    proc = run_kg("export", "gexf", "--out", out, "-o", tmp_path)
    assert "is a folder" in assert_one_line_error(proc, 2)


def test_export_unknown_format_is_a_usage_error(out):
    proc = run_kg("export", "pdf", "--out", out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_export_without_build(tmp_path):
    proc = run_kg("export", "graphml", "--out", tmp_path / "nothing", "-o", tmp_path / "g.graphml")
    assert_one_line_error(proc, 2)
    assert not (tmp_path / "g.graphml").exists()


# ---------------------------------------------------------------- stats, eval


def test_stats(out, export):
    proc = run_kg("stats", "--out", out, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["documents"] == len(export["documents"])
    assert s["entities"] == len(export["entities"]) == sum(s["entities_by_type"].values())
    assert s["relations"] == len(export["relations"])
    assert s["figures"] == len(export["figures"])
    assert s["seconds"] >= 0 and s["built_at"]
    proc = run_kg("stats", "--out", out)
    assert proc.returncode == 0 and "Company" in proc.stdout and "built at" in proc.stdout


def test_stats_without_build(tmp_path):
    proc = run_kg("stats", "--out", tmp_path / "outputs")
    assert_one_line_error(proc, 2)


@pytest.fixture()
def gold(tmp_path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    doc = "000_9c23c85fa6d8a88a.txt"
    data = {"doc": doc,
            "entities": [{"id": "c1", "name": WAZHOU, "type": "Company", "aliases": ["瓦轴集团"]},
                         {"id": "x1", "name": "不存在的公司", "type": "Company", "aliases": []}],
            "relations": [], "figures": []}
    (folder / f"{doc}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_eval(out, gold):
    proc = run_kg("eval", "--gold", gold, "--out", out, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"]["scored"] == ["000_9c23c85fa6d8a88a.txt"]
    company = report["entities"]["by_type"]["Company"]
    assert company["tp"] >= 1 and company["fn"] >= 1
    assert "misses" not in report
    proc = run_kg("eval", "--gold", gold, "--out", out, "--misses")
    assert proc.returncode == 0, proc.stderr
    assert "entity Company" in proc.stdout and "不存在的公司" in proc.stdout


def test_eval_missing_gold(out, tmp_path):
    proc = run_kg("eval", "--gold", tmp_path / "nope", "--out", out)
    assert_one_line_error(proc, 2)


def test_eval_requires_gold(out):
    proc = run_kg("eval", "--out", out)
    assert proc.returncode == 2 and "--gold" in proc.stderr


# ---------------------------------------------------------------- entry point


def test_unknown_command_is_a_usage_error():
    proc = run_kg("frobnicate")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_unexpected_error_is_one_line_exit_1(tmp_path, monkeypatch, capsys):
    """Anything that is not a KgError: one line, exit 1, no traceback (in process)."""
    from kg import api, cli

    def broken(*a, **k):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(api, "stats", broken)
    monkeypatch.delenv("KG_DEBUG", raising=False)
    assert cli.run(["stats", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == "kg: error: RuntimeError: something broke\n"


# ---------------------------------------------------------------- README


def _readme_commands(prefix: str) -> list[list[str]]:
    import shlex

    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [shlex.split(line[2:])[1:] for line in text.splitlines() if line.startswith(f"$ kg {prefix}")]


def test_readme_sparql_examples_run(out):
    """Every `$ kg query …` of the README runs and returns rows (not the exact
    numbers: they move as extraction improves)."""
    commands = _readme_commands("query ")
    assert len(commands) >= 5
    for args in commands:
        proc = run_kg(*args, "--out", out, "--format", "json")
        assert proc.returncode == 0, (args, proc.stderr)
        assert json.loads(proc.stdout)["results"]["bindings"], args
