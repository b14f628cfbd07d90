"""The library face of industry-kg: build a graph, then read, query and score it.

    from kg import api

    summary = api.build("corpus", "outputs", jobs=4)   # corpus/*.txt → outputs/
    G = api.networkx_graph("outputs")                  # networkx.MultiDiGraph
    res = api.query("outputs", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    hits = api.lookup("outputs", "瓦轴")

A build folder (``outputs/`` by default) holds:

``graph.ttl``
    the RDF graph (canonical Turtle, the source of truth of the build);
``graph.json``
    the JSON export of that graph (``spec/export-schema.md``);
``build.json``
    build metadata: kg version, counts, and when and how long the build took.

``graph.ttl`` and ``graph.json`` depend only on the corpus and the code: two
builds of the same corpus are byte-identical. Only ``build.json`` records time.

A build is written to a temporary folder next to ``out`` and then swapped into
place, so a failed build leaves the previous outputs as they were.

The CLI (``kg.cli``) is a thin layer over these functions. Heavy modules (spaCy,
rdflib, pyoxigraph, networkx) are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import __version__
from kg.errors import BuildNotFound, KgError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import rdflib

    from kg.evaluate import EvalReport
    from kg.models import DocResult, Document, KnowledgeGraph
    from kg.query.sparql import QueryResult
    from kg.rdf.stream import TurtlePart

__all__ = [
    "build",
    "load_graph",
    "load_export",
    "load_build_info",
    "networkx_graph",
    "query",
    "lookup",
    "evaluate",
    "stats",
    "export",
    "EXPORT_FORMATS",
    "SUPPORTED_EXPORTS",
    "GRAPH_TTL",
    "GRAPH_JSON",
    "BUILD_JSON",
]

__all__ += ["serve", "push"]

GRAPH_TTL = "graph.ttl"
GRAPH_JSON = "graph.json"
BUILD_JSON = "build.json"
BUILD_FILES = (GRAPH_TTL, GRAPH_JSON, BUILD_JSON)

#: every export format of the CLI contract, with its file extension
EXPORT_FORMATS: dict[str, str] = {
    "json": "json",
    "graphml": "graphml",
    "gexf": "gexf",
    "csv": "csv",
    "jsonld": "jsonld",
    "nt": "nt",
    "html": "html",
}
#: the formats :func:`export` can write today
SUPPORTED_EXPORTS = ("json", "graphml", "gexf", "csv", "jsonld", "nt", "html")

#: ``progress(stage, done, total)``: stage is "load", "extract", "resolve", "rdf" or "write"
Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------


def _extract_all(docs: list[Document], jobs: int | str, progress: Progress | None,
                 cache: Any = None, executor: str = "local",
                 scheduler: str | None = None) -> tuple[list[DocResult], dict]:
    """The map step over ``docs``: results from ``cache`` (a
    :class:`kg.cache.ExtractionCache`) where it has them, the rest extracted by
    ``executor`` (see :mod:`kg.executors`) and stored in the cache. ``jobs="auto"``
    counts only the documents the cache does not have. Also returns the within-document
    halves of resolution that the extracting processes made (document id → DocPart)."""
    from kg import executors

    total = len(docs)
    results: list[DocResult] = []
    if progress:
        progress("extract", 0, total)
    todo = docs
    if cache is not None:
        todo = []
        for doc in docs:
            hit = cache.get(doc)
            if hit is None:
                todo.append(doc)
            else:
                results.append(hit)
        if progress and results:
            progress("extract", len(results), total)

    def done(result: DocResult) -> None:
        results.append(result)
        if cache is not None:
            cache.put(result)
        if progress:
            progress("extract", len(results), total)

    parts: dict = {}
    if todo or executor != "local":
        executors.run(todo, executors.resolve_jobs(jobs, todo), done, executor, scheduler, parts)
    results.sort(key=lambda r: r.doc.id)
    if hasattr(cache, "part"):  # a cache that keeps parts too (kg.watch.MemoryCache)
        for r in results:
            part = cache.part(r, parts.get(r.doc.id))
            if part is not None:
                parts[r.doc.id] = part
    return results, parts


def _summary(export_data: dict) -> dict:
    """Counts of a build, from its JSON export (in guideline order)."""
    return _summary_of_counts(
        documents=len(export_data["documents"]),
        entities_by_type=Counter(e["type"] for e in export_data["entities"]),
        mentions=sum(len(e["mentions"]) for e in export_data["entities"]),
        relations_by_predicate=Counter(r["predicate"] for r in export_data["relations"]),
        figures=len(export_data["figures"]),
    )


def _summary_of_counts(*, documents: int, entities_by_type: Counter, mentions: int,
                       relations_by_predicate: Counter, figures: int) -> dict:
    """The summary counts (in guideline order) from the counts of the export,
    as :func:`kg.views.json_export.write_export` returns them."""
    from kg.models import EntityType, Predicate

    ent, rel = entities_by_type, relations_by_predicate
    entities = {t.value: ent.get(t.value, 0) for t in EntityType}
    entities.update({t: n for t, n in sorted(ent.items()) if t not in entities})
    relations = {p.value: rel.get(p.value, 0) for p in Predicate}
    relations.update({p: n for p, n in sorted(rel.items()) if p not in relations})
    return {
        "documents": documents,
        "entities": sum(entities.values()),
        "entities_by_type": entities,
        "mentions": mentions,
        "relations": sum(relations.values()),
        "relations_by_predicate": relations,
        "figures": figures,
    }


def _looks_like_build(folder: Path) -> bool:
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return False
    return not names or bool(names & set(BUILD_FILES))


def _check_out(corpus: Path, out: Path) -> None:
    """Refuse an ``out`` whose replacement would destroy something that is not a build."""
    c, o = corpus.resolve(), out.resolve()
    if c == o or o in c.parents:
        raise KgError(f"--out {out} holds the corpus {corpus}; refusing to replace it")
    if out.exists() and not out.is_dir():
        raise KgError(f"{out} exists and is not a folder")
    if out.is_dir() and not _looks_like_build(out):
        raise KgError(f"{out} is not empty and holds no kg build; refusing to replace it "
                      "(choose another --out)")


def _open_cache(folder: Path, corpus: Path, out: Path):
    """The extraction cache in ``folder``, which must lie outside ``out`` (replaced
    as a whole by every build) and the corpus."""
    from kg.cache import ExtractionCache

    f = folder.resolve()
    for name, other in (("--out", out.resolve()), ("--corpus", corpus.resolve())):
        if f == other or other in f.parents:
            raise KgError(f"--cache {folder} lies inside {name} {other}; choose a folder outside it")
    if folder.exists() and not folder.is_dir():
        raise KgError(f"--cache {folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot create --cache {folder}: {exc.strerror or exc}") from None
    return ExtractionCache(folder)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_stale(out: Path) -> None:
    """Remove temporary folders that builds of ``out`` killed midway left behind
    (and put back a previous build set aside by a build killed while swapping)."""
    for kind in ("old", "tmp"):
        for p in sorted(out.parent.glob(f".{out.name}.{kind}-*")):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                if kind == "old" and not out.exists():
                    os.rename(p, out)
                else:
                    shutil.rmtree(p, ignore_errors=True)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux ``renameat2(RENAME_EXCHANGE)``); False
    if the system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _debug_pause(stage: str) -> None:
    """``KG_DEBUG_PAUSE=<stage>:<seconds>`` says so on stderr and sleeps at that point
    of a build, a documented hook to kill a build midway. Stages: ``extract``
    (before extraction), ``write`` (graph.ttl written into the temporary folder),
    ``swap`` (all files written, before the swap), ``swapped`` (after the swap,
    before the old build is deleted)."""
    spec = os.environ.get("KG_DEBUG_PAUSE", "")
    name, _, secs = spec.partition(":")
    if name == stage:
        try:
            seconds = float(secs or 1)
        except ValueError:
            return
        print(f"kg: debug: pausing {seconds:g} s at {stage}", file=sys.stderr, flush=True)
        time.sleep(seconds)


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``.

    On Linux the two folders are exchanged in one atomic step, so at every moment
    ``out`` holds a complete build; the old one (now at ``tmp``) is then deleted.
    Elsewhere: rename the old ``out`` aside, rename ``tmp`` in, delete the old one;
    if the second rename fails the old outputs are put back (and a build killed
    between the two renames is put back by the next build, see _remove_stale)."""
    if out.is_dir() and _exchange(tmp, out):
        _debug_pause("swapped")
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    had_old = out.exists()
    if had_old:
        os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        if had_old:
            os.rename(old, out)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


class _Forked:
    """``fn()`` run in a forked child process (POSIX), while this one goes on;
    :meth:`result` waits for it and returns its value, or raises its exception (and
    again on later calls, without waiting). The child dies with this process (Linux),
    and never returns into the caller."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        import gc

        r, w = os.pipe()
        gc.freeze()  # the child's collector leaves the parent's objects (their pages) alone
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(r)
            os.close(w)
            raise
        if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow it)
            os.close(r)
            code = 0
            try:
                _die_with_parent()
                payload = _pickle((True, fn()))
            except BaseException as exc:
                code = 1
                payload = _pickle((False, exc))
            try:
                with os.fdopen(w, "wb") as fh:
                    fh.write(payload)
            finally:
                os._exit(code)
        gc.unfreeze()
        os.close(w)
        self.pid, self.fd = pid, r
        self._outcome: tuple[bool, Any] | None = None  # (ok, value or exception) once waited for

    def result(self) -> Any:
        import pickle

        if self._outcome is None:
            fd, self.fd = self.fd, None
            with os.fdopen(fd, "rb") as fh:
                data = fh.read()
            _, status = os.waitpid(self.pid, 0)
            try:
                self._outcome = pickle.loads(data)
            except Exception:
                self._outcome = (False, KgError(
                    f"the process writing the outputs died (wait status {status})"))
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def kill(self) -> None:
        """Kill the child, unless :meth:`result` has waited for it."""
        import signal

        if self._outcome is not None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _pickle(value: Any) -> bytes:
    import pickle

    try:
        return pickle.dumps(value)
    except Exception:  # an exception that cannot be pickled: its type and message
        exc = value[1] if isinstance(value, tuple) and len(value) == 2 else value
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _die_with_parent() -> None:
    """Linux: have this (child) process killed when its parent dies (prctl PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


#: about how long graph.json takes per record in a forked process (µs of CPU, its
#: copy-on-write faults included, measured at 500 documents; as kg.rdf.stream.WORK_US)
_EXPORT_US = {"document": 14, "entity": 14, "mention": 11, "relation": 15, "figure": 25}


def _export_work(knowledge: KnowledgeGraph) -> float:
    """About how long writing graph.json takes (µs, as kg.rdf.stream.WORK_US)."""
    us = _EXPORT_US
    return (us["document"] * len(knowledge.documents) + us["entity"] * len(knowledge.entities)
            + us["mention"] * sum(len(e.mentions) for e in knowledge.entities)
            + us["relation"] * len(knowledge.relations) + us["figure"] * len(knowledge.figures))


def _write_graph(knowledge: KnowledgeGraph, tmp: Path, fork: bool) -> tuple[int, dict]:
    """Write graph.ttl and graph.json into the folder ``tmp``, straight from the resolved
    records, one subject (one item) at a time, never as a whole rdflib graph
    (:mod:`kg.rdf.stream`); return the number of triples and the counts of the export.

    With ``fork``, a second process writes graph.json and then the end of graph.ttl
    (from ``StreamedGraph.cut``, so that both finish together) into a part file, which
    this one, having written the beginning, appends and removes."""
    from kg.rdf.stream import StreamedGraph
    from kg.views import json_export

    graph = StreamedGraph(knowledge)
    mention_texts = graph.mention_texts()
    if not fork:
        triples = graph.write_turtle(tmp / GRAPH_TTL)
        del graph  # its sorted index of the records is not needed for graph.json
        _debug_pause("write")
        return triples, json_export.write_export(knowledge, tmp / GRAPH_JSON, mention_texts)
    cut = graph.cut(ahead=_export_work(knowledge))

    def second() -> tuple[dict, TurtlePart]:
        counts = json_export.write_export(knowledge, tmp / GRAPH_JSON, mention_texts)
        return counts, graph.write_part(tmp / f".{GRAPH_TTL}.part", cut)

    helper = _Forked(second)
    try:
        triples = graph.write_turtle(tmp / GRAPH_TTL, stop=cut, rest=lambda: helper.result()[1])
    except BaseException:
        helper.kill()
        raise
    _debug_pause("write")
    return triples, helper.result()[0]


def build(
    corpus: str | os.PathLike = "corpus",
    out: str | os.PathLike = "outputs",
    *,
    jobs: int | str = 1,
    progress: Progress | None = None,
    strict: bool = False,
    max_file_bytes: int | None = None,
    warn: Callable[[str], None] | None = None,
    cache_dir: str | os.PathLike | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    cache: Any = None,
) -> dict:
    """Build the knowledge graph of ``corpus`` into the folder ``out``.

    load_corpus → extract_document per document (``jobs`` > 1: in that many
    processes; ``"auto"``: one per CPU, fewer for a small corpus, see
    :func:`kg.executors.resolve_jobs`) → resolve → RDF → ``graph.ttl``,
    ``graph.json`` (in two processes when there are several), ``build.json``, whose
    ``jobs`` is the number of processes for the whole corpus. With a cache, ``"auto"``
    counts only the documents to extract for their processes.
    ``out`` is replaced atomically; on failure the previous outputs stay intact.
    A bad document (empty, binary, undecodable, unreadable, over
    ``max_file_bytes``, default ``kg.text.load.MAX_FILE_BYTES``) is skipped with a
    warning — passed to ``warn`` and listed under ``warnings`` in the summary —
    unless ``strict``, where it raises :class:`~kg.errors.CorpusError`.
    ``cache_dir``: keep each document's extraction there (:mod:`kg.cache`) and
    re-extract only new or changed documents; ``executor`` ("local" or "dask",
    with ``scheduler`` the address of a Dask cluster) runs the extraction (see
    :mod:`kg.executors`). ``cache``, instead of ``cache_dir``: an open cache with
    the same ``get``/``put``/``hits``/``misses`` (``kg.watch`` keeps one in memory).
    Returns the summary also written to ``build.json``.
    """
    from kg import executors
    from kg.resolve.resolver import resolve
    from kg.text.load import MAX_FILE_BYTES, display_name, load_corpus

    t0 = time.perf_counter()
    corpus, out = Path(corpus), Path(out)
    executors.resolve_jobs(jobs, [])  # a bad value fails before the corpus is read
    warnings: list[str] = []
    try:
        docs = load_corpus(corpus, strict=strict, warnings=warnings,
                           max_bytes=MAX_FILE_BYTES if max_file_bytes is None else max_file_bytes)
    finally:  # the warnings so far are said even when loading fails
        if warn:
            for w in warnings:
                warn(w)
    _check_out(corpus, out)
    procs = executors.resolve_jobs(jobs, docs)
    if executor not in ("local", "dask"):
        raise KgError(f"unknown executor {executor!r} (choose one of local, dask)")
    if cache_dir is not None:
        if cache is not None:
            raise KgError("give cache_dir or cache, not both")
        cache = _open_cache(Path(cache_dir), corpus, out)
    if progress:
        progress("load", len(docs), len(docs))

    _debug_pause("extract")
    results, parts = _extract_all(docs, jobs, progress, cache, executor, scheduler)
    if progress:
        progress("resolve", 0, 1)
    knowledge = resolve(results, parts)
    del results, parts  # the knowledge graph keeps what the outputs need
    if progress:
        progress("rdf", 0, 1)
        progress("write", 0, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        triples, counts = _write_graph(knowledge, tmp, procs > 1 and hasattr(os, "fork"))
        summary: dict[str, Any] = {"kg_version": __version__, **_summary_of_counts(**counts),
                                   "triples": triples}
        summary["seconds"] = round(time.perf_counter() - t0, 2)
        summary["built_at"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        summary["corpus"] = display_name(str(corpus))  # UTF-8 even if the folder's name is not
        summary["jobs"] = procs
        if executor != "local":
            summary["executor"] = executor
        if cache is not None:
            summary["cache"] = {"hits": cache.hits, "misses": cache.misses}
        summary["warnings"] = warnings
        (tmp / BUILD_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
        _debug_pause("swap")
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if progress:
        progress("write", 1, 1)
    return summary


# ---------------------------------------------------------------------------
# reading a build
# ---------------------------------------------------------------------------


def _no_build(out: Path, why: str = "") -> BuildNotFound:
    reason = f" ({why})" if why else ""
    return BuildNotFound(f"no build in {out}/{reason}: run `kg build` first")


def _build_file(out: str | os.PathLike, name: str) -> Path:
    out = Path(out)
    if not out.is_dir():
        raise _no_build(out)
    path = out / name
    if not path.is_file():
        if not any((out / f).is_file() for f in BUILD_FILES):
            raise _no_build(out)
        raise _no_build(out, f"{name} is missing")
    return path


def _read_json(out: str | os.PathLike, name: str):
    """A JSON file of the build, or BuildNotFound saying why it cannot be read."""
    path = _build_file(out, name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _no_build(Path(out), f"{name} is unreadable: {_first_line(exc)}") from None


def load_export(out: str | os.PathLike = "outputs") -> dict:
    """The build's ``graph.json`` as a dict."""
    data = _read_json(out, GRAPH_JSON)
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), list) for k in ("documents", "entities", "relations", "figures")
    ):
        raise _no_build(Path(out), f"{GRAPH_JSON} is not a kg export")
    return data


def load_graph(out: str | os.PathLike = "outputs") -> rdflib.Graph:
    """The build's ``graph.ttl`` parsed into an rdflib Graph."""
    from kg.rdf.graph import new_graph

    path = _build_file(out, GRAPH_TTL)
    g = new_graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises assorted parser errors
        raise _no_build(Path(out), f"{GRAPH_TTL} is unreadable: {_first_line(exc)}") from None
    return g


def load_build_info(out: str | os.PathLike = "outputs") -> dict:
    """The build's ``build.json`` (metadata and counts)."""
    data = _read_json(out, BUILD_JSON)
    if not isinstance(data, dict):
        raise _no_build(Path(out), f"{BUILD_JSON} is not a JSON object")
    return data


def networkx_graph(out: str | os.PathLike = "outputs") -> nx.MultiDiGraph:
    """The entity/document multigraph of a build (see ``kg.views.nx_view``)."""
    from kg.views.nx_view import from_export

    return from_export(load_export(out))


def query(out: str | os.PathLike, sparql: str) -> QueryResult:
    """Run a SPARQL SELECT/ASK/CONSTRUCT/DESCRIBE over the build (pyoxigraph)."""
    from kg.query.sparql import open_store, run_query

    store = open_store(_build_file(out, GRAPH_TTL))
    return run_query(store, sparql)


def lookup(out: str | os.PathLike, name: str, limit: int = 10) -> list[dict]:
    """Entities whose name or alias equals or contains ``name`` (best first)."""
    from kg.query.lookup import lookup as _lookup

    return _lookup(load_export(out), name, limit)


def serve(out: str | os.PathLike = "outputs", *, host: str = "127.0.0.1", port: int = 7878,
          timeout: float | None = 60.0):
    """A read-only SPARQL endpoint over the build (``kg.query.serve.Endpoint``, not yet
    started: use it as a context manager, or call ``start()`` and ``stop()``)."""
    from kg.query.serve import Endpoint

    return Endpoint(_build_file(out, GRAPH_TTL), host=host, port=port, timeout=timeout)


def push(out: str | os.PathLike, endpoint: str, graph: str | None = None, *,
         timeout: float = 300.0) -> dict:
    """Upload the build's graph.ttl into a named graph of a SPARQL store (Graph Store
    Protocol PUT, replacing that graph); return what was sent where."""
    from kg.query.push import push as _push

    return _push(_build_file(out, GRAPH_TTL), endpoint, graph, timeout=timeout,
                 corpus=load_build_info(out).get("corpus"))


def evaluate(out: str | os.PathLike, gold_dir: str | os.PathLike) -> EvalReport:
    """Score the build against the gold files in ``gold_dir``."""
    from kg.evaluate import evaluate as _evaluate

    export_data = load_export(out)
    return _evaluate(export_data, gold_dir)


def stats(out: str | os.PathLike = "outputs") -> dict:
    """Counts of a build (from ``graph.json``) plus its metadata (``build.json``)."""
    info = load_build_info(out)
    counts = _summary(load_export(out))
    result = {"out": str(out), "kg_version": info.get("kg_version"), **counts}
    for key in ("triples", "seconds", "built_at", "corpus", "jobs"):
        if key in info:
            result[key] = info[key]
    return result


# ---------------------------------------------------------------------------
# exports
# ---------------------------------------------------------------------------


def export(out: str | os.PathLike, fmt: str, path: str | os.PathLike | None = None) -> Path:
    """Write the build in ``fmt`` to ``path`` (default ``<out>/graph.<ext>``); return the path."""
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise KgError(f"unknown export format {fmt!r} (choose one of {', '.join(EXPORT_FORMATS)})")
    if fmt not in SUPPORTED_EXPORTS:
        raise KgError(f"export format {fmt!r} is not supported yet "
                      f"(supported: {', '.join(SUPPORTED_EXPORTS)})")
    if path is not None:
        target = Path(path)
    elif fmt == "csv":  # a folder: nodes.csv + edges.csv
        target = Path(out) / "csv"
    else:
        target = Path(out) / f"graph.{EXPORT_FORMATS[fmt]}"
    if fmt != "csv" and target.is_dir():
        raise KgError(f"cannot write {target}: it is a folder")
    # read the build first: a missing build must not leave an empty file behind
    if fmt == "json":
        from kg.views.json_export import write_json

        data = load_export(out)
        _parent(target)
        write_json(data, target)
    elif fmt == "graphml":
        from kg.views.nx_view import write_graphml

        G = networkx_graph(out)
        _parent(target)
        write_graphml(G, target)
    elif fmt == "gexf":
        from kg.views.gexf import write_gexf

        G = networkx_graph(out)
        _parent(target)
        write_gexf(G, target)
    elif fmt == "csv":
        from kg.views.csv_export import write_csv

        if target.exists() and not target.is_dir():
            raise KgError(f"cannot write CSV into {target}: it is a file (csv writes a folder)")
        G = networkx_graph(out)
        _parent(target)
        write_csv(G, target)
    elif fmt == "html":
        from kg.views.html import write_html

        data = load_export(out)
        _parent(target)
        write_html(data, target)
    elif fmt == "nt":
        g = load_graph(out)
        # split on \n only: str.splitlines() also splits on \v, \f, \x1c-\x1e, \x85, \u2028,
        # which N-Triples literals may hold raw
        lines = sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")))
        _parent(target)
        _write_text(target, "".join(f"{line}\n" for line in lines if line.strip()))
    elif fmt == "jsonld":
        g = load_graph(out)
        doc = json.loads(g.serialize(format="json-ld", context=jsonld_context()))
        text = json.dumps(_sorted_jsonld(doc), ensure_ascii=False, indent=1, sort_keys=True)
        _parent(target)
        _write_text(target, text + "\n")
    return target


#: the JSON-LD context of the exports (also ontology/context.jsonld)
JSONLD_CONTEXT_FILE = Path(__file__).resolve().parent / "resources" / "context.jsonld"


def jsonld_context() -> dict:
    """The ``@context`` of ``kg export jsonld``: the prefixes plus short terms (``name``,
    ``aliases``, ``holdsPosition``, ``start``, ``exact``, …) with their datatypes."""
    return json.loads(JSONLD_CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _sorted_jsonld(node: Any) -> Any:
    """JSON-LD with every array sorted (node arrays by @id): arrays without @list
    are unordered in JSON-LD, and rdflib writes them in hash order."""
    if isinstance(node, dict):
        return {k: ([_sorted_jsonld(x) for x in v] if k == "@list" and isinstance(v, list)
                    else _sorted_jsonld(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: (str(v.get("@id", "")) if isinstance(v, dict) else "",
                                            json.dumps(v, ensure_ascii=False, sort_keys=True)))
    return node


def _parent(target: Path) -> None:
    if target.parent and not target.parent.is_dir():
        raise KgError(f"cannot write {target}: folder {target.parent} does not exist")


def _write_text(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
