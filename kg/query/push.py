"""``kg push``: load a build into an existing SPARQL store with the SPARQL 1.1 Graph
Store Protocol: one HTTP ``PUT`` of ``graph.ttl`` (``text/turtle``) to
``ENDPOINT?graph=IRI``, which replaces that named graph and nothing else.

ENDPOINT is the store's Graph Store Protocol URL, for example

* Oxigraph: ``http://host:7878/store``
* Apache Jena Fuseki: ``http://host:3030/DATASET/data``
* GraphDB: ``http://host:7200/repositories/REPO/rdf-graphs/service``

The default graph IRI is derived from the build's corpus folder name
(``https://w3id.org/industry-kg/id/graph/corpus``), so pushing a rebuild of the
same corpus replaces the previous upload. Credentials, when the store needs them,
are read from the environment (``KG_PUSH_USER``, ``KG_PUSH_PASSWORD``: HTTP basic
authentication), never from the command line.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import KgError
from kg.iri import DATA

__all__ = ["push", "default_graph_iri", "gsp_url"]


def default_graph_iri(corpus: str | None) -> str:
    name = Path(corpus).name if corpus else ""
    return DATA + "graph/" + urllib.parse.quote(name or "corpus", safe="")


def _check_endpoint(endpoint: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"--endpoint must be an http(s) URL of a Graph Store Protocol service "
                      f"(got {endpoint!r})")
    if parts.username or parts.password:
        raise KgError("put no credentials in --endpoint; set KG_PUSH_USER and KG_PUSH_PASSWORD")
    return parts


def _check_graph(graph: str) -> None:
    parts = urllib.parse.urlsplit(graph)
    if not parts.scheme or any(c in graph for c in ' <>"{}|\\^`') or not (parts.netloc or parts.path):
        raise KgError(f"--graph must be an absolute IRI (got {graph!r})")


def gsp_url(endpoint: str, graph: str) -> str:
    """``endpoint`` with ``graph=IRI`` added to its query string."""
    parts = _check_endpoint(endpoint)
    query = urllib.parse.urlencode({"graph": graph})
    query = f"{parts.query}&{query}" if parts.query else query
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def push(ttl: str | os.PathLike, endpoint: str, graph: str | None = None, *,
         timeout: float = 300.0, corpus: str | None = None) -> dict:
    """PUT the Turtle file ``ttl`` into ``graph`` at the Graph Store ``endpoint``."""
    graph = graph or default_graph_iri(corpus)
    _check_graph(graph)
    url = gsp_url(endpoint, graph)
    try:
        data = Path(ttl).read_bytes()
    except OSError as exc:
        raise KgError(f"cannot read {ttl}: {exc.strerror or exc}", exit_code=1) from None
    req = urllib.request.Request(url, data=data, method="PUT", headers={
        "Content-Type": "text/turtle; charset=utf-8",
        "Content-Length": str(len(data)),
    })
    user = os.environ.get("KG_PUSH_USER")
    if user:
        token = f"{user}:{os.environ.get('KG_PUSH_PASSWORD', '')}".encode("utf-8")
        req.add_header("Authorization", "Basic " + base64.b64encode(token).decode("ascii"))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read().decode("utf-8", "replace")
        except OSError:
            body = ""
        detail = f": {_one_line(body)}" if body.strip() else ""
        raise KgError(f"{endpoint} refused the upload: HTTP {exc.code} {exc.reason}{detail}",
                      exit_code=1) from None
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise KgError(f"cannot reach {endpoint}: {reason}", exit_code=1) from None
    except (OSError, ValueError) as exc:  # timeouts, resets, bad ports
        raise KgError(f"cannot reach {endpoint}: {_one_line(str(exc)) or type(exc).__name__}",
                      exit_code=1) from None
    return {"endpoint": endpoint, "graph": graph, "url": url, "bytes": len(data), "status": status}
