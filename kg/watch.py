"""``kg build --watch``: one resident process that rebuilds when the corpus changes.

A build in a fresh process pays for Python, spaCy and jieba's dictionaries (about
2 s) before it extracts anything, and a ``--cache`` rebuild after one changed
document still pays all of it. A watch pays it once: the pipeline stays loaded,
each document's extraction is kept in memory under the key of :mod:`kg.cache`
(and on disk too with ``--cache``), and a change to the corpus re-extracts only
the new or changed documents, then resolves and writes as any build does. So the
outputs are byte-identical to those of a full build of the same corpus.

The corpus folder is polled: the names, sizes and modification times of its
``*.txt`` files and its manifest. A change is built once the folder has stayed
the same for one more poll, so a file being copied or saved in steps is not
built half-written. A corpus that cannot be built (no usable document, a bad
document with ``strict``) is reported and the watch goes on; the previous
outputs stay as they were, and the next change is built.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import CorpusError
from kg.text.load import MANIFEST, display_name

if TYPE_CHECKING:  # pragma: no cover
    from kg.models import DocResult, Document
    from kg.resolve.resolver import DocPart


class MemoryCache:
    """Extraction results kept in this process from one build to the next, keyed by
    :func:`kg.cache.document_key`, over an optional :class:`kg.cache.ExtractionCache`
    on disk. It keeps only the documents of the last build, so its size follows the
    corpus. ``hits``/``misses`` count the current build (see :meth:`begin`)."""

    def __init__(self, disk: Any = None) -> None:
        self.disk = disk
        self.hits = 0
        self.misses = 0
        self._kept: dict[str, DocResult] = {}
        self._used: dict[str, DocResult] = {}
        # the within-document half of each document's resolution (kg.resolve.resolver.
        # DocPart), kept the same way: a rebuild makes only the changed documents' parts
        self._kept_parts: dict[str, DocPart] = {}
        self._used_parts: dict[str, DocPart] = {}

    def begin(self) -> None:
        """A build starts."""
        self.hits = self.misses = 0
        self._used = {}
        self._used_parts = {}

    def end(self) -> None:
        """The build finished: forget the documents it did not use."""
        self._kept, self._used = self._used, {}
        self._kept_parts, self._used_parts = self._used_parts, {}

    def part(self, result: DocResult, made: DocPart | None = None) -> DocPart | None:
        """The DocPart of ``result``: ``made`` (by the process that extracted it), kept
        from an earlier build, or made now; kept for the next build."""
        from kg.cache import document_key
        from kg.resolve.resolver import document_part

        key = document_key(result.doc)
        part = made or self._used_parts.get(key) or self._kept_parts.get(key)
        if part is None or part.doc != result.doc.id:
            part = document_part(result)
        if part is not None:
            self._used_parts[key] = part
        return part

    def get(self, doc: Document) -> DocResult | None:
        from kg.cache import document_key

        key = document_key(doc)
        result = self._used.get(key)
        if result is None:
            result = self._kept.get(key)
        if result is None and self.disk is not None:
            result = self.disk.get(doc)
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = result
        return result if result.doc == doc else dataclasses.replace(result, doc=doc)

    def put(self, result: DocResult) -> None:
        from kg.cache import document_key

        self._used[document_key(result.doc)] = result
        if self.disk is not None:
            self.disk.put(result)


def corpus_state(corpus: Path) -> tuple:
    """What a change of the corpus changes: the name, size and modification time of
    each ``*.txt`` file and of the manifest (None if the folder cannot be read)."""
    try:
        entries = sorted(os.scandir(corpus), key=lambda e: e.name)
    except OSError:
        return ()
    state = []
    for e in entries:
        if e.name.endswith(".txt") or e.name == MANIFEST:
            try:
                st = e.stat()
            except OSError:  # deleted meanwhile
                continue
            state.append((e.name, st.st_size, st.st_mtime_ns))
    return tuple(state)


def watch(
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    *,
    interval: float = 1.0,
    on_build: Callable[[dict], None],
    on_error: Callable[[str], None],
    cache_dir: str | os.PathLike | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
    **build_options: Any,
) -> None:
    """Build ``corpus`` into ``out`` now and again after each change, until
    ``should_stop()`` (checked after every poll) or KeyboardInterrupt.

    ``on_build(summary)`` is called after each build, ``on_error(message)`` when the
    corpus cannot be built (a :class:`~kg.errors.CorpusError`); any other error (a
    bad ``out`` or cache folder, for instance) ends the watch, and so does a corpus
    folder that does not exist when it starts. ``build_options`` go
    to :func:`kg.api.build` (``jobs``, ``strict``, ``max_file_bytes``, ``warn``,
    ``progress``, ``executor``, ``scheduler``).
    """
    from kg import api

    corpus, out = Path(corpus), Path(out)
    if not corpus.is_dir():  # a mistyped folder: said at once, not watched for
        raise CorpusError(f"{display_name(str(corpus))}: corpus folder does not exist")
    disk = api._open_cache(Path(cache_dir), corpus, out) if cache_dir is not None else None
    memo = MemoryCache(disk)
    built = None  # the corpus state of the last build (or failed attempt)
    seen, settled = corpus_state(corpus), True
    while True:
        if settled and seen != built:
            built = seen
            memo.begin()
            try:
                summary = api.build(corpus, out, cache=memo, **build_options)
            except CorpusError as err:
                on_error(str(err))
            else:
                memo.end()
                on_build(summary)
        if should_stop():
            return
        sleep(interval)
        now = corpus_state(corpus)
        settled, seen = now == seen, now  # built once unchanged for one more poll
