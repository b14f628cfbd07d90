"""Where the map step (``kg.pipeline.extract_document``, one Document → one
DocResult) runs: in this process, in a pool of local processes (``--jobs N``),
or on a Dask cluster (``--executor dask``, the optional extra ``industry-kg[dask]``).

The map is pure, so every executor returns the same results; the caller sorts
them by document id before the reduce (resolution), so the output is
byte-identical whatever ran the map and in what order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kg.errors import KgError

if TYPE_CHECKING:  # pragma: no cover
    from kg.models import DocResult, Document
    from kg.resolve.resolver import DocPart

EXECUTORS = ("local", "dask")
#: how long to wait for a Dask scheduler given by address
CONNECT_TIMEOUT = "10s"

#: with ``jobs="auto"``, one process per this many characters to extract at most. The
#: processes load spaCy and jieba (about 2 s) side by side, so a second one pays early:
#: measured on 2 cores, 134,000 characters (20 documents) took 3.2–3.4 s in two processes
#: and 3.8 s in one, but the five articles (33,000) 2.6 s against 2.7 s, not worth a
#: second pipeline's 300 MB.
AUTO_CHARS_PER_PROCESS = 50_000

#: the most characters a worker is sent at once (about half a second of extraction;
#: a chunk costs a few milliseconds to send and return). With chunks a quarter of
#: what was left, a worker still had 1.7 s of work queued when this process ran out
#: of documents at 100× (9.5 MB); with chunks this size both finish within 0.1 s.
CHUNK_CHARS = 50_000

#: the GIL switch interval (s) of this process while workers extract. Its pool threads
#: pickle the chunks to send and read the workers' results, each time waiting for the
#: GIL from the thread that extracts: with Python's default 5 ms, a worker sat idle for
#: 10–25 ms after each chunk until its results were read (0.7 s in all at 100×, 9.5 MB),
#: with 0.5 ms 2–4 ms (0.3 s).
SWITCH_INTERVAL = 0.0005


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_jobs(jobs: int | str, docs: list[Document] | None = None) -> int:
    """The number of processes for ``jobs``: a whole number of at least 1, or ``"auto"``:
    one per usable CPU, but no more than one per AUTO_CHARS_PER_PROCESS characters of
    ``docs`` (so a small corpus is built in one process) nor one per document. Raises
    KgError for anything else."""
    if jobs == "auto":
        docs = docs or []
        chars = sum(len(d.original) for d in docs)
        return max(1, min(usable_cpus(), chars // AUTO_CHARS_PER_PROCESS, len(docs)))
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise KgError(f"--jobs must be a whole number of at least 1 or 'auto' (got {jobs!r})")
    return jobs


#: ``done(result)`` is called once per finished document, in completion order
Done = Callable[["DocResult"], None]
#: document id → the within-document half of its resolution
#: (:func:`kg.resolve.resolver.document_part`), made where the document was extracted
Parts = dict


def _init_worker() -> None:
    """Load spaCy + jieba once per worker process, not once per document."""
    from kg.nlp.pipeline import shared_nlp

    shared_nlp()


#: what a worker sends back for one document: its DocResult without the Document
#: (the sender has it; the text would be most of the bytes to pickle), and its
#: DocPart if asked for
Facts = tuple


def _extract_chunk(docs: list[Document], parts: bool = False) -> list[tuple[Facts, DocPart | None]]:
    from kg.pipeline import extract_document
    from kg.resolve.resolver import document_part

    out = []
    for r in map(extract_document, docs):
        out.append(((r.mentions, r.aliases, r.relations, r.figures),
                    document_part(r) if parts else None))
    return out


def _results(docs: list[Document], returned: list[tuple[Facts, DocPart | None]],
             parts: Parts | None) -> Iterator[DocResult]:
    """The DocResults of a chunk, from the documents sent and what came back; the
    parts that came back go into ``parts``."""
    from kg.models import DocResult

    for doc, (facts, part) in zip(docs, returned, strict=True):
        _keep(parts, doc.id, part)
        yield DocResult(doc, *facts)


def _keep(parts: Parts | None, doc_id: str, part: DocPart | None) -> None:
    if parts is not None and part is not None:
        parts[doc_id] = part


def _chunks(docs: list[Document], n: int) -> list[list[Document]]:
    """``docs`` cut into about ``n`` chunks of similar size in characters, so that
    one chunk per worker is not held up by a long document while others idle."""
    order = sorted(docs, key=lambda d: -len(d.original))
    bins: list[list[Document]] = [[] for _ in range(n)]
    sizes = [0] * n
    for d in order:  # longest first into the lightest bin
        i = min(range(n), key=sizes.__getitem__)
        bins[i].append(d)
        sizes[i] += len(d.original) + 1
    return [b for b in bins if b]


def _take(pending: deque[Document], chars: int) -> list[Document]:
    """Documents from the front of ``pending`` up to about ``chars`` characters (one at least)."""
    chunk = [pending.popleft()]
    size = len(chunk[0].original)
    while pending and size + len(pending[0].original) <= chars:
        d = pending.popleft()
        chunk.append(d)
        size += len(d.original)
    return chunk


def run_local(docs: list[Document], jobs: int, done: Done, parts: Parts | None = None) -> None:
    """Extract ``docs`` in this process (``jobs`` = 1) or in ``jobs`` processes: this
    one and ``jobs`` - 1 workers.

    The documents go out longest first, so the last ones to finish are short. The
    workers get chunks of at most CHUNK_CHARS characters, fewer towards the end (the
    characters left over 2 × ``jobs``), two chunks each in flight; this process
    extracts one document at a time between collecting their results. So no process
    waits long for another at the end, and half the results (with two jobs) need not
    be pickled between processes; the others come back without their documents' text.
    Meanwhile this process's GIL switch interval is SWITCH_INTERVAL. With ``parts``,
    the processes also make each document's DocPart while they share the work (in one
    process, resolution makes them itself: no time to save)."""
    from kg.pipeline import extract_document

    if jobs <= 1 or len(docs) <= 1:
        for doc in docs:
            done(extract_document(doc))
        return
    workers = min(jobs, len(docs)) - 1
    pending = deque(sorted(docs, key=lambda d: (-len(d.original), d.id)))
    left = sum(len(d.original) for d in docs)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        _share(pending, left, jobs, workers, done, parts)
    finally:
        sys.setswitchinterval(switch)


def _share(pending: deque[Document], left: int, jobs: int, workers: int, done: Done,
           parts: Parts | None) -> None:
    """run_local's loop: this process and ``workers`` worker processes share ``pending``
    (``left`` characters in all)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from kg.pipeline import extract_document
    from kg.resolve.resolver import document_part

    inflight: dict = {}  # future → the documents of its chunk

    def collect(block: bool) -> None:
        if not inflight:
            return
        finished, _ = wait(inflight, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for fut in finished:
            for result in _results(inflight.pop(fut), fut.result(), parts):
                done(result)

    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        while pending or inflight:
            collect(block=not pending)
            while pending and len(inflight) < 2 * workers:
                chunk = _take(pending, min(CHUNK_CHARS, left // (2 * jobs)))
                left -= sum(len(d.original) for d in chunk)
                inflight[pool.submit(_extract_chunk, chunk, parts is not None)] = chunk
            if pending:  # this process extracts too, one document at a time
                doc = pending.popleft()
                left -= len(doc.original)
                result = extract_document(doc)
                if parts is not None:
                    _keep(parts, doc.id, document_part(result))
                done(result)


def run_dask(docs: list[Document], jobs: int, done: Done, scheduler: str | None = None,
             parts: Parts | None = None) -> None:
    """Extract ``docs`` on a Dask cluster: the one at ``scheduler`` (an address such
    as ``tcp://10.0.0.5:8786``), or a LocalCluster of ``jobs`` worker processes.
    The workers need industry-kg installed (the same version)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise KgError("--executor dask needs the dask extra: "
                      "pip install 'industry-kg[dask]'") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise KgError(f"cannot reach the Dask scheduler at {scheduler}: "
                              f"{' '.join(str(exc).split())[:200]}") from None
        else:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        with client:
            nworkers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
            chunks = _chunks(docs, min(len(docs), nworkers * 4)) if docs else []
            futures = client.map(_extract_chunk, chunks, [parts is not None] * len(chunks),
                                 pure=False)
            chunk_of = {fut.key: chunk for fut, chunk in zip(futures, chunks)}
            for fut in as_completed(futures):
                for result in _results(chunk_of[fut.key], fut.result(), parts):
                    done(result)
    finally:
        if cluster is not None:
            cluster.close()


def run(docs: list[Document], jobs: int, done: Done, executor: str = "local",
        scheduler: str | None = None, parts: Parts | None = None) -> None:
    """Extract ``docs`` with ``executor``, calling ``done`` with each result; with
    ``parts``, put there the DocParts made where the documents were extracted."""
    if executor == "local":
        if scheduler:
            raise KgError("--scheduler needs --executor dask")
        run_local(docs, jobs, done, parts)
    elif executor == "dask":
        run_dask(docs, jobs, done, scheduler, parts)
    else:
        raise KgError(f"unknown executor {executor!r} (choose one of {', '.join(EXECUTORS)})")
