"""SPARQL over a build's ``graph.ttl`` with pyoxigraph (read-only).

    store = open_store("outputs/graph.ttl")
    result = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a ikg:Company }")
    print(format_result(result, "table"))

The project's common prefixes (``COMMON_PREFIXES``) are pre-declared; a query's
own ``PREFIX`` declarations take precedence. Updates are refused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import BuildNotFound, KgError, QueryError
from kg.rdf.namespace import PREFIXES

__all__ = [
    "COMMON_PREFIXES",
    "QueryResult",
    "open_store",
    "run_query",
    "format_result",
    "FORMATS",
]

COMMON_PREFIXES: dict[str, str] = {
    p: PREFIXES[p]
    for p in ("ikg", "kgd", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "schema", "org",
              "prov", "oa")
}
FORMATS = ("table", "json", "csv")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class QueryResult:
    """A materialised query result.

    ``kind`` is "select" (``variables`` + ``rows`` of pyoxigraph terms or None),
    "ask" (``boolean``) or "graph" (CONSTRUCT/DESCRIBE: ``triples``).
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1


def open_store(ttl_path: str | os.PathLike) -> ox.Store:
    """An in-memory pyoxigraph store loaded from a Turtle file."""
    path = os.fspath(ttl_path)
    if not os.path.isfile(path):
        raise BuildNotFound(f"no graph at {path} (run `kg build` first)")
    store = ox.Store()
    try:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise KgError(f"{path} is not valid Turtle: {_one_line(str(exc))}") from None
    except OSError as exc:
        raise KgError(f"cannot read {path}: {exc}", exit_code=1) from None
    return store


# ---------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
)
_COMMENT = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.\-]*)?:", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w:?$<])([A-Za-z][\w.\-]*)?:(?=[\w%\\]|\s|[;,.)\]}]|$)")


def _strip_noise(text: str) -> str:
    """The query without IRIs, strings and comments (for keyword checks)."""
    text = _IRIREF.sub("<>", text)
    text = _STRING.sub('""', text)
    return _COMMENT.sub(" ", text)


def _one_line(msg: str, limit: int = 200) -> str:
    msg = " ".join(msg.split())
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def _syntax_message(query: str, exc: SyntaxError) -> str:
    msg = str(exc)
    bare = _strip_noise(query)
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(bare)}
    unknown = sorted(
        {m.group(1) or "" for m in _PNAME.finditer(bare)} - declared - set(COMMON_PREFIXES)
    )
    if unknown and "Prefix not found" in msg:
        return f"SPARQL error: unknown prefix '{unknown[0]}:' (declare it with PREFIX {unknown[0]}: <...>)"
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", msg, re.S)
    if m:
        line, col, rest = m.groups()
        rest = rest.replace(", Prefix not found", "")
        return _one_line(f"SPARQL syntax error at line {line}, column {col}: {rest}")
    return _one_line(f"SPARQL syntax error: {msg}")


def run_query(store: ox.Store, query_text: str) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; raise QueryError on bad
    syntax or on an update."""
    if not query_text or not query_text.strip():
        raise QueryError("empty SPARQL query")
    bare = _strip_noise(query_text)
    prologue = _PROLOGUE.match(bare)
    if _UPDATE.match(bare, prologue.end() if prologue else 0):
        raise QueryError("SPARQL updates are refused: the graph is read-only (use SELECT, ASK, CONSTRUCT or DESCRIBE)")
    try:
        res = store.query(query_text, prefixes=COMMON_PREFIXES)
    except SyntaxError as exc:
        raise QueryError(_syntax_message(query_text, exc)) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(_one_line(f"SPARQL query failed: {exc}"), exit_code=1) from None
    try:
        if isinstance(res, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(sol[i] for i in range(len(variables))) for sol in res]
            return QueryResult(kind="select", variables=variables, rows=rows)
        triples = sorted(res, key=lambda t: (_sort_key(t.subject), _sort_key(t.predicate), _sort_key(t.object)))
        return QueryResult(kind="graph", triples=triples)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(_one_line(f"SPARQL query failed: {exc}"), exit_code=1) from None


def _sort_key(t) -> tuple:
    return (type(t).__name__, str(t))


# ---------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------


def _compact(iri: str) -> str:
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (p, ns)
    if best is None:
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]):]}"


def _plain(term) -> str:
    """A term as shown in a table: literals plainly, IRIs compacted."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.Triple):
        return f"<< {_plain(term.subject)} {_plain(term.predicate)} {_plain(term.object)} >>"
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value not in (_XSD_STRING, _RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    raise TypeError(f"unexpected term {term!r}")


def _csv_term(term) -> str:
    """SPARQL 1.1 CSV: IRIs and literals as their plain text, blank nodes _:x."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _cell(text: str) -> str:
    return " ".join(text.split()) if ("\n" in text or "\r" in text or "\t" in text) else text


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))
    sep = "  "
    lines = [sep.join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines.append(sep.join("-" * w for w in widths))
    for row in rows:
        lines.append(sep.join(_pad(c, w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


_SPO = ["subject", "predicate", "object"]


def _to_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value if term.datatype is not None else None
    if dt == _XSD_STRING:
        dt = None
    return Literal(term.value, datatype=dt, normalize=False)


def _turtle(triples: list) -> str:
    """A graph result as compact sorted Turtle (pyoxigraph's writer when it holds blank nodes)."""
    from kg.rdf.graph import new_graph, serialize_turtle

    if any(isinstance(t, ox.BlankNode) for tr in triples for t in (tr.subject, tr.object)) or any(
        isinstance(t, ox.Triple) for tr in triples for t in (tr.subject, tr.object)
    ):
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return (data or b"").decode("utf-8").rstrip("\n")
    g = new_graph()
    for tr in triples:
        g.add((_to_rdflib(tr.subject), _to_rdflib(tr.predicate), _to_rdflib(tr.object)))
    return serialize_turtle(g, only_used_prefixes=True).rstrip("\n")


def _graph_rows(result: QueryResult) -> list[tuple]:
    return [(t.subject, t.predicate, t.object) for t in result.triples]


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Format a result: ``table`` (aligned columns; a CONSTRUCT/DESCRIBE result as
    Turtle), ``json`` (SPARQL 1.1 Query Results JSON; a graph result as the
    bindings of ?subject ?predicate ?object) or ``csv`` (SPARQL 1.1 CSV)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (choose one of {', '.join(FORMATS)})")
    if result.kind == "ask":
        value = bool(result.boolean)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value})
        if fmt == "csv":
            return f"boolean\r\n{'true' if value else 'false'}\r\n"
        return "true" if value else "false"

    if result.kind == "graph":
        if fmt == "table":
            return _turtle(result.triples)
        variables, rows = _SPO, _graph_rows(result)
    else:
        variables, rows = result.variables, result.rows

    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows
        ]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_term(t) for t in row])
        return buf.getvalue()
    table_rows = [[_cell(_plain(t)) for t in row] for row in rows]
    n = len(rows)
    return _table(list(variables), table_rows) + f"\n({n} row{'s' if n != 1 else ''})"
