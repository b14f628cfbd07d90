"""Node and edge lists as CSV, for pandas, spreadsheets and ``neo4j-admin
database import``.

``nodes.csv``: ``id:ID, name, :LABEL, aliases:string[], n_documents:int,
n_mentions:int, n_figures:int, figures:string[], doc, date`` — one row per entity
or document; ``:LABEL`` is the type (Company, …, Document).
``edges.csv``: ``:START_ID, :END_ID, :TYPE, id, title, doc, evidence, start:int,
end:int`` — one row per relation statement; ``:TYPE`` is the predicate.

The header names follow Neo4j's import conventions (``:ID``, ``:LABEL``,
``:START_ID``, ``:END_ID``, ``:TYPE``, typed columns ``name:int``, arrays
``name:string[]`` split on ``;``, Neo4j's default array delimiter); pandas reads
them as plain column names. UTF-8 without BOM, ``\\n`` line ends, fields quoted
when needed, line breaks and control characters inside values replaced by a
space (so no field spans lines), ``;`` inside list items replaced by ``；``.
Rows are sorted by id, so the same build gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import networkx as nx

__all__ = ["NODE_HEADER", "EDGE_HEADER", "csv_tables", "write_csv"]

NODE_HEADER = ["id:ID", "name", ":LABEL", "aliases:string[]", "n_documents:int",
               "n_mentions:int", "n_figures:int", "figures:string[]", "doc", "date"]
EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", "id", "title", "doc", "evidence",
               "start:int", "end:int"]

_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(" {2,}")


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return _SPACES.sub(" ", _CONTROL.sub(" ", str(v))).strip()


def _array(items) -> str:
    return ";".join(_text(x).replace(";", "；") for x in (items or ()) if _text(x))


def _table(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def csv_tables(G: nx.MultiDiGraph) -> tuple[str, str]:
    """(nodes.csv, edges.csv) of the NetworkX view, as text."""
    nodes = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        nodes.append([
            _text(n), _text(d.get("label")), _text(d.get("type") or "Unknown"),
            _array(d.get("aliases")), _text(d.get("n_documents", 0)),
            _text(d.get("n_mentions", 0)), _text(d.get("n_figures", 0)),
            _array(d.get("figures")), _text(d.get("doc")), _text(d.get("date")),
        ])
    edges = []
    for u, v, k, d in G.edges(keys=True, data=True):
        edges.append([
            _text(u), _text(v), _text(d.get("predicate")), _text(k), _text(d.get("title")),
            _text(d.get("doc")), _text(d.get("evidence")), _text(d.get("start")),
            _text(d.get("end")),
        ])
    edges.sort(key=lambda r: (r[3], r[0], r[1], r[2]))
    return _table(NODE_HEADER, nodes), _table(EDGE_HEADER, edges)


def write_csv(G: nx.MultiDiGraph, folder: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``folder`` (created if missing;
    its parent must exist). Both tables are made before either file is written."""
    folder = Path(folder)
    nodes_text, edges_text = csv_tables(G)
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in (("nodes.csv", nodes_text), ("edges.csv", edges_text)):
        target = folder / name
        tmp = folder / f".{name}.tmp-{os.getpid()}"
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        written.append(target)
    return written[0], written[1]
