"""`kg serve` (a read-only SPARQL endpoint, the oxigraph server) and `kg push` (Graph
Store Protocol PUT into a store), through the real entry point, on the corpus build.
Every server here listens on 127.0.0.1 on a free port and is stopped by the test."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.query.serve import oxigraph_binary

QUERIES = Path(__file__).resolve().parents[2] / "queries"
DEFAULT_GRAPH = "https://w3id.org/industry-kg/id/graph/corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


def port_is_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def sparql(base: str, query: str, *, method: str = "POST") -> dict:
    if method == "GET":
        req = urllib.request.Request(f"{base}/query?" + urllib.parse.urlencode({"query": query}))
    else:
        req = urllib.request.Request(f"{base}/query", data=query.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/sparql-query"})
    req.add_header("Accept", "application/sparql-results+json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def http_status(url: str, data: bytes, content_type: str, method: str = "POST") -> int:
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def count(base: str, graph: str | None = None) -> int:
    body = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    res = sparql(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}")
    return int(res["results"]["bindings"][0]["n"]["value"])


def kg_popen(*args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("KG_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "kg", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def assert_one_line_error(proc, code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


# ---------------------------------------------------------------- kg serve


@pytest.fixture(scope="module")
def served(corpus_build):
    """`kg serve` on a free port: (base URL, the kg process)."""
    port = free_port()
    proc = kg_popen("serve", "--out", corpus_build, "--port", port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base, proc, port
    finally:
        stop(proc)


def test_serve_answers_sparql_over_http(served, corpus_build):
    base, _, _ = served
    export = json.loads((corpus_build / "graph.json").read_text(encoding="utf-8"))
    info = json.loads((corpus_build / "build.json").read_text(encoding="utf-8"))
    assert count(base) == info["triples"]
    res = sparql(base, "PREFIX org: <http://www.w3.org/ns/org#> "
                       "SELECT (COUNT(?m) AS ?n) WHERE { ?m a org:Membership }", method="GET")
    posts = sum(r["predicate"] == "holdsPosition" for r in export["relations"])
    assert int(res["results"]["bindings"][0]["n"]["value"]) == posts


def test_serve_runs_the_cookbook(served):
    base, _, _ = served
    res = sparql(base, (QUERIES / "company-branches.rq").read_text(encoding="utf-8"))
    got = {(b["branch"]["value"], b["head"]["value"]) for b in res["results"]["bindings"]}
    assert ("瓦轴集团精密轴承分公司", "庞伟") in got


def test_serve_refuses_updates_and_uploads(served):
    base, _, _ = served
    before = count(base)
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert http_status(f"{base}/update", update.encode(), "application/sparql-update") == 403
    triple = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    assert http_status(f"{base}/store?default", triple, "text/turtle", "PUT") == 403
    assert http_status(f"{base}/store?default", triple, "text/turtle", "POST") == 403
    assert count(base) == before


def test_serve_says_where_it_listens(served):
    import select

    base, proc, _ = served
    # the first line is printed once the server answers
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready, "kg serve printed nothing"
    assert proc.stdout.readline().strip().endswith(f"read-only at {base}/query")


def test_serve_refuses_a_busy_port(served, corpus_build, run_kg):
    _, _, port = served
    proc = run_kg("serve", "--out", corpus_build, "--port", port, timeout=60)
    assert "already in use" in assert_one_line_error(proc, 1)


def test_serve_without_a_build(tmp_path, run_kg):
    proc = run_kg("serve", "--out", tmp_path / "nothing", "--port", free_port(), timeout=60)
    assert "no build" in assert_one_line_error(proc, 2)


def test_serve_stops_on_sigterm_and_cleans_up(corpus_build):
    import tempfile

    port = free_port()
    before = set(Path(tempfile.gettempdir()).glob("kg-serve-*"))
    proc = kg_popen("serve", "--out", corpus_build, "--port", port)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", proc)
        assert set(Path(tempfile.gettempdir()).glob("kg-serve-*")) - before  # the store
    finally:
        stop(proc)
    assert proc.returncode == 0, proc.stderr.read()
    assert port_is_closed(port)  # the oxigraph server went with it
    assert set(Path(tempfile.gettempdir()).glob("kg-serve-*")) - before == set()


# ---------------------------------------------------------------- kg push


@pytest.fixture(scope="module")
def store():
    """A read-write oxigraph server (in memory) on a free port: its base URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_push_puts_the_build_into_a_named_graph(store, corpus_build, run_kg):
    info = json.loads((corpus_build / "build.json").read_text(encoding="utf-8"))
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"{store}/store")
    assert proc.returncode == 0, proc.stderr
    assert f"<{DEFAULT_GRAPH}>" in proc.stdout
    assert count(store, DEFAULT_GRAPH) == info["triples"]
    # a second push replaces the graph instead of adding to it
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"{store}/store")
    assert proc.returncode == 0, proc.stderr
    assert count(store, DEFAULT_GRAPH) == info["triples"]
    # another graph leaves the first alone
    other = "http://example.org/graphs/kg-test"
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"{store}/store", "--graph", other)
    assert proc.returncode == 0, proc.stderr
    assert count(store, other) == count(store, DEFAULT_GRAPH) == info["triples"]
    # and the pushed data answers the cookbook's questions inside the graph
    res = sparql(store, "PREFIX ikg: <https://w3id.org/industry-kg/ontology#> "
                        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                        f"ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ ?p ikg:holdsPosition ?o ; "
                        'skos:prefLabel "刘军"@zh }}')
    assert res["boolean"] is True


def test_push_to_an_unreachable_endpoint(corpus_build, run_kg):
    port = free_port()  # nothing listens there
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"http://127.0.0.1:{port}/store")
    assert "cannot reach" in assert_one_line_error(proc, 1)


def test_push_reports_http_errors(store, served, corpus_build, run_kg):
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"{store}/no-such-service")
    assert "HTTP 404" in assert_one_line_error(proc, 1)
    base, _, _ = served  # kg serve is read-only
    proc = run_kg("push", "--out", corpus_build, "--endpoint", f"{base}/store")
    assert "HTTP 403" in assert_one_line_error(proc, 1)


@pytest.mark.parametrize("args, needle", [
    (["--endpoint", "ftp://example.org/store"], "http(s) URL"),
    (["--endpoint", "http://127.0.0.1:1/store", "--graph", "not an iri"], "absolute IRI"),
    (["--endpoint", "http://user:secret@127.0.0.1:1/store"], "no credentials"),
])
def test_push_rejects_bad_arguments(corpus_build, run_kg, args, needle):
    proc = run_kg("push", "--out", corpus_build, *args)
    assert needle in assert_one_line_error(proc, 2)


def test_push_without_a_build(tmp_path, run_kg):
    proc = run_kg("push", "--out", tmp_path / "nothing", "--endpoint", "http://127.0.0.1:1/store")
    assert "no build" in assert_one_line_error(proc, 2)


@pytest.mark.parametrize("cmd", ["serve", "push"])
def test_commands_are_listed_and_have_help(run_kg, cmd):
    listing = run_kg("--help")
    assert listing.returncode == 0 and f"  {cmd} " in listing.stdout
    proc = run_kg(cmd, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Usage: kg {cmd}")


def test_serve_a_broken_graph(tmp_path, run_kg):
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "graph.ttl").write_text("<a> <b> this is not Turtle .\n", encoding="utf-8")
    (out / "build.json").write_text("{}\n", encoding="utf-8")
    proc = run_kg("serve", "--out", out, "--port", free_port(), timeout=60)
    assert "could not load" in assert_one_line_error(proc, 2)


def test_no_oxigraph_binary_is_a_clear_error(monkeypatch, tmp_path):
    from kg.errors import KgError

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(KgError, match="pip install oxigraph") as err:
        oxigraph_binary()
    assert err.value.exit_code == 1
