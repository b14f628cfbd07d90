"""``kg``: the command line (a thin layer over :mod:`kg.api`).

Heavy modules are imported inside the commands, so ``kg --help`` is fast.
Errors are one line on stderr, ``kg: error: <reason>``, never a traceback:
a :class:`~kg.errors.KgError` exits with its ``exit_code`` (2 = bad usage or bad
input), click's usage errors with 2, anything else with 1. Set ``KG_DEBUG=1`` to
see the traceback of an unexpected error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kg import __version__
from kg.executors import AUTO_CHARS_PER_PROCESS

OUT_HELP = "The build folder (what `kg build --out` wrote)."
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Jobs(click.ParamType):
    """``--jobs``: a whole number of at least 1, or ``auto``."""

    name = "jobs"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        text = str(value).strip().lower()
        if text == "auto":
            return "auto"
        if text.isdigit() and int(text) >= 1:
            return int(text)
        self.fail(f"{value!r} is not a whole number of at least 1 or 'auto'.", param, ctx)


JOBS = _Jobs()


def _out_option(f, help_text: str = OUT_HELP):
    return click.option("--out", "out", default="outputs", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path), help=help_text)(f)


def _build_out_option(f):
    return _out_option(f, "The build folder to write (replaced as a whole).")


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _counts_block(summary: dict) -> list[str]:
    rows: list[tuple[str, object, str]] = [
        ("documents", summary["documents"], ""),
        ("entities", summary["entities"], f"({summary.get('mentions', 0)} mentions)"),
        *((f"  {t}", n, "") for t, n in summary["entities_by_type"].items()),
        ("relations", summary["relations"], ""),
        *((f"  {p}", n, "") for p, n in summary["relations_by_predicate"].items()),
        ("figures", summary["figures"], ""),
    ]
    if "triples" in summary:
        rows.append(("triples", summary["triples"], ""))
    lw = max(len(r[0]) for r in rows)
    vw = max(len(str(r[1])) for r in rows)
    return [f"{k:<{lw}}  {v!s:>{vw}}{'  ' + note if note else ''}" for k, v, note in rows]


class _Progress:
    """A one-line progress display on stderr (only used when stderr is a terminal)."""

    LABELS = {"load": "loaded", "extract": "extracting", "resolve": "resolving entities",
              "rdf": "building the RDF graph", "write": "writing"}

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = self.LABELS.get(stage, stage)
        if stage in ("load", "extract"):
            text = f"{label} {done}/{total} document{'s' if total != 1 else ''}"
        else:
            text = f"{label}…"
        click.echo(f"\r\x1b[2K{text}", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[2K", nl=False, err=True)


class _Stop(Exception):
    """SIGTERM received: stop (kg serve, kg build --watch) and exit normally."""


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def cli() -> None:
    """industry-kg: Chinese industry news and policy articles → a knowledge graph.

    Build the graph once (`kg build`), then query, look up, export, score it.
    Every command reads the build folder given by --out (default: outputs/).
    """


# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option("--corpus", default="corpus", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder of *.txt documents (+ manifest.toml).")
@_build_out_option
@click.option("--jobs", "-j", default="auto", show_default=True, type=JOBS, metavar="N|auto",
              help="Extract documents in this many processes; auto: one per CPU, fewer for "
                   f"a small corpus (one per {AUTO_CHARS_PER_PROCESS:,} characters).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Format of the summary on stdout.")
@click.option("--strict", is_flag=True,
              help="Stop (exit 2) at the first bad document instead of skipping it with a warning.")
@click.option("--max-file-mb", default=2.0, show_default=True,
              type=click.FloatRange(min=0, max=1024 * 1024),
              help="Skip (or with --strict refuse) documents larger than this many MiB.")
@click.option("--cache", "cache_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Keep each document's extraction in DIR and re-extract only new or "
                   "changed documents (incremental build; same output bytes).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where to extract: local processes (--jobs) or a Dask cluster "
                   "(needs the dask extra).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the address of a running Dask scheduler "
                   "(default: a local cluster of --jobs workers).")
@click.option("--watch", is_flag=True,
              help="Stay running: rebuild whenever the corpus changes, re-extracting only "
                   "new or changed documents (until Ctrl-C).")
@click.option("--interval", default=None, type=click.FloatRange(min=0.05), metavar="SECONDS",
              help="With --watch: how often to look at the corpus folder [default: 1].")
def build(corpus: Path, out: Path, jobs: int | str, fmt: str, strict: bool, max_file_mb: float,
          cache_dir: Path | None, executor: str, scheduler: str | None, watch: bool,
          interval: float | None) -> None:
    """Build the graph from a corpus into a build folder.

    Writes graph.ttl (RDF, Turtle), graph.json (the JSON export) and build.json
    (counts, timing) into --out, replacing a previous build only once the new one
    is complete. Progress goes to stderr on a terminal; a summary to stdout.

    A bad document (empty, binary, not UTF-8/GB18030, unreadable, too large) is
    skipped with a one-line warning on stderr, also listed in build.json, unless
    --strict. GB18030/GBK and UTF-16 files are decoded (with a warning).

    With --watch the process stays running and rebuilds whenever a document or the
    manifest changes, keeping the pipeline loaded and every document's extraction in
    memory: a rebuild re-extracts only what changed (same output bytes as a full
    build). A corpus that cannot be built is reported and the watch goes on. With
    --format json each build's summary is one line (JSON Lines).

    \b
    Example: kg build --corpus corpus --out outputs --jobs 4
             kg build --watch --cache .kg-cache
    """
    from kg import api
    from kg.text.load import display_name

    progress = _Progress() if sys.stderr.isatty() else None

    def warn(message: str) -> None:
        if progress:
            progress.close()
        click.echo(f"kg: warning: {_one_line(message)}", err=True)

    def report(summary: dict) -> None:
        if progress:
            progress.close()
        if fmt == "json":
            data = {"out": display_name(str(out)), **summary}
            click.echo(json.dumps(data, ensure_ascii=False, indent=None if watch else 1))
            return
        lines = [f"built {display_name(str(out))}/ from {display_name(str(corpus))}/ "
                 f"in {summary['seconds']:.1f} s", *_counts_block(summary)]
        if "cache" in summary:
            c = summary["cache"]
            lines.append(f"{'cache':<20}{c['hits']:>7} reused, {c['misses']} extracted")
        click.echo("\n".join(lines))

    options = dict(jobs=jobs, progress=progress, strict=strict, warn=warn,
                   max_file_bytes=int(max_file_mb * 1024 * 1024), executor=executor,
                   scheduler=scheduler)
    if interval is not None and not watch:
        raise click.UsageError("--interval needs --watch")
    try:
        if watch:
            return _watch(corpus, out, interval or 1.0, cache_dir, report, options)
        summary = api.build(corpus, out, cache_dir=cache_dir, **options)
    finally:
        if progress:
            progress.close()
    report(summary)


def _watch(corpus: Path, out: Path, interval: float, cache_dir: Path | None,
           report, options: dict) -> None:
    """``kg build --watch``: build, then rebuild on every change until Ctrl-C or SIGTERM."""
    import signal

    from kg.text.load import display_name
    from kg.watch import watch

    def error(message: str) -> None:
        click.echo(f"kg: error: {_one_line(message)} (outputs unchanged; "
                   "watching for the next change)", err=True)

    announced = False

    def built(summary: dict) -> None:
        nonlocal announced
        report(summary)
        sys.stdout.flush()
        if not announced:
            click.echo(f"watching {display_name(str(corpus))}/ for changes every {interval:g} s "
                       "(Ctrl-C to stop)", err=True)
            announced = True

    def _term(signum, frame):  # noqa: ARG001
        raise _Stop()

    previous = signal.signal(signal.SIGTERM, _term)
    try:
        watch(corpus, out, interval=interval, cache_dir=cache_dir,
              on_build=built, on_error=error, **options)
    except (KeyboardInterrupt, _Stop):
        click.echo("stopped", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------------------
# query
# ---------------------------------------------------------------------------


def _read_query(arg: str) -> str:
    if os.path.isfile(arg):
        try:
            return Path(arg).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            from kg.errors import KgError

            raise KgError(f"cannot read query file {arg}: {_one_line(exc)}") from None
    stripped = arg.strip()
    if stripped and not any(c.isspace() for c in stripped) and stripped.lower().endswith(
        (".rq", ".sparql")
    ):
        from kg.errors import KgError

        raise KgError(f"query file {arg} does not exist")
    return arg


@cli.command(context_settings=CONTEXT)
@click.argument("query_or_file", metavar="QUERY_OR_FILE")
@_out_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table, SPARQL JSON results, or SPARQL CSV.")
def query(query_or_file: str, out: Path, fmt: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the build.

    QUERY_OR_FILE is the path of a query file (e.g. q.rq) or the query itself.
    The prefixes ikg: kgd: rdf: rdfs: owl: xsd: skos: dcterms: schema: org:
    prov: oa: are predeclared.

    \b
    Examples:
      kg query "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t"
      kg query queries/posts.rq --format csv
    """
    from kg import api
    from kg.query.sparql import format_result

    text = _read_query(query_or_file)
    result = api.query(out, text)
    click.echo(format_result(result, fmt), nl=fmt != "csv")


# ---------------------------------------------------------------------------
# lookup
# ---------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("name")
@_out_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=0),
              help="At most this many entities (0: all).")
def lookup(name: str, out: Path, fmt: str, limit: int) -> None:
    """Find entities by name, alias or part of a name.

    Shows each entity's type, aliases, relations and figures with the sentences
    they come from. Exact name matches first, then aliases, then partial matches.

    Example: kg lookup 瓦轴
    """
    from kg import api
    from kg.query.lookup import format_lookup

    results = api.lookup(out, name, limit)
    if fmt == "json":
        _echo_json(results)
    else:
        click.echo(format_lookup(results))


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------

_EXPORT_NAMES = ["json", "graphml", "gexf", "csv", "jsonld", "nt", "html"]


@cli.command(context_settings=CONTEXT)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(_EXPORT_NAMES, case_sensitive=False))
@_out_option
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: <out>/graph.<ext>); for csv, a folder "
                   "(default: <out>/csv/).")
def export(fmt: str, out: Path, output: Path | None) -> None:
    """Export the build as FORMAT.

    \b
    json     the JSON export (spec/export-schema.md)
    graphml  entities and documents as nodes, relations as edges (Gephi, networkx)
    gexf     GEXF 1.2 with colours, sizes and a layout (Gephi opens it laid out)
    csv      a folder with nodes.csv and edges.csv (pandas, Neo4j admin import)
    nt       N-Triples, one sorted triple per line
    jsonld   JSON-LD with the project's prefixes as context
    html     one self-contained page: the graph, a search box, facts on click

    \b
    Examples:
      kg export graphml -o graph.graphml
      kg export csv -o csv/
      kg export html -o graph.html
    """
    from kg import api

    path = api.export(out, fmt, output)
    click.echo(f"wrote {path}")


# ---------------------------------------------------------------------------
# stats
# ---------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@_out_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def stats(out: Path, fmt: str) -> None:
    """Counts of a build: documents, entities by type, relations by predicate,
    figures, triples, and when and how long it was built.

    Example: kg stats --format json
    """
    from kg import api

    s = api.stats(out)
    if fmt == "json":
        _echo_json(s)
        return
    lines = [f"build       {out}/ (kg {s.get('kg_version')})"]
    if s.get("built_at"):
        secs = s.get("seconds")
        lines.append(f"built at    {s['built_at']}" + (f" in {secs:.1f} s" if secs is not None else ""))
    lines += _counts_block(s)
    click.echo("\n".join(lines))


# ---------------------------------------------------------------------------
# eval
# ---------------------------------------------------------------------------


@cli.command("eval", context_settings=CONTEXT)
@click.option("--gold", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of gold files <doc id>.json.")
@_out_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--misses", is_flag=True, help="Also list missed and spurious items per document.")
def eval_(gold: Path, out: Path, fmt: str, misses: bool) -> None:
    """Score the build against gold annotations: precision, recall and F1 of
    entities (by type), relations (by predicate) and figures.

    Example: kg eval --gold path/to/gold --misses
    """
    from kg import api
    from kg.evaluate import format_table

    report = api.evaluate(out, gold)
    if fmt == "json":
        data = report.to_dict()
        if not misses:
            data.pop("misses", None)
        _echo_json(data)
    else:
        click.echo(format_table(report, misses=misses))


# ---------------------------------------------------------------------------
# serve, push
# ---------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@_out_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(min=0),
              help="Stop a query after this many seconds (0: no limit).")
def serve(out: Path, host: str, port: int, timeout: int) -> None:
    """Serve the build as a read-only SPARQL 1.1 endpoint (the oxigraph server).

    Queries go to http://HOST:PORT/query (GET ?query=... or POST), a query page is
    at http://HOST:PORT/, the graph can be read at /store. Updates and uploads
    are refused (HTTP 403). Runs until Ctrl-C.

    \b
    Example:
      kg serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/query
    """
    import signal

    from kg import api

    ep = api.serve(out, host=host, port=port, timeout=timeout or None)

    def _term(signum, frame):  # noqa: ARG001
        raise _Stop()

    previous = signal.signal(signal.SIGTERM, _term)
    try:
        ep.start()
        triples = api.load_build_info(out).get("triples")
        size = f" ({triples} triples)" if triples is not None else ""
        click.echo(f"serving {out}/{size} read-only at {ep.query_url}")
        click.echo(f"query page: {ep.base_url}/ · press Ctrl-C to stop")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"kg: warning: listening on {host}: other machines can query this graph",
                       err=True)
        sys.stdout.flush()
        code = ep.wait()
        if code != 0:
            from kg.errors import KgError

            raise KgError(f"the oxigraph server stopped (exit {code})", exit_code=1)
    except (KeyboardInterrupt, _Stop):
        click.echo("stopped", err=True)
    finally:
        ep.stop()
        signal.signal(signal.SIGTERM, previous)


@cli.command(context_settings=CONTEXT)
@_out_option
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL of the store (e.g. http://host:7878/store).")
@click.option("--graph", "graph", default=None, metavar="IRI",
              help="Named graph to replace [default: https://w3id.org/industry-kg/id/graph/"
                   "<corpus folder name>].")
@click.option("--timeout", default=300, show_default=True, type=click.IntRange(min=1),
              help="Give up after this many seconds.")
def push(out: Path, endpoint: str, graph: str | None, timeout: int) -> None:
    """Load the build into an existing SPARQL store (Graph Store Protocol PUT).

    Replaces the named graph --graph in the store with the build's graph.ttl;
    other graphs are left alone. For a store that needs a login, set KG_PUSH_USER
    and KG_PUSH_PASSWORD (HTTP basic authentication).

    \b
    Endpoints:
      Oxigraph  http://host:7878/store
      Fuseki    http://host:3030/DATASET/data
      GraphDB   http://host:7200/repositories/REPO/rdf-graphs/service

    Example: kg push --endpoint http://127.0.0.1:7878/store
    """
    from kg import api

    res = api.push(out, endpoint, graph, timeout=timeout)
    click.echo(f"pushed {out}/graph.ttl ({res['bytes']} bytes) to <{res['graph']}> "
               f"at {endpoint} (HTTP {res['status']})")


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------


def _error(message: str, code: int) -> int:
    try:
        click.echo(f"kg: error: {_one_line(message)}", err=True)
    except Exception:  # stderr gone: nothing more to say
        pass
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (never raises, never prints a traceback)."""
    from kg.errors import KgError

    try:
        rv = cli.main(args=argv, prog_name="kg", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # usage errors and the like: click's own message
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        return _error("aborted", 1)
    except KgError as exc:
        return _error(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _error("interrupted", 130)
    except BrokenPipeError:  # e.g. `kg query … | head`: not an error worth reporting
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except Exception as exc:
        if os.environ.get("KG_DEBUG"):
            raise
        text = _one_line(exc)
        return _error(f"{type(exc).__name__}: {text}" if text else type(exc).__name__, 1)


def main(argv: list[str] | None = None) -> None:
    """The ``kg`` console script."""
    sys.exit(run(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
