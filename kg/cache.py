"""The extraction cache of incremental builds (``kg build --cache DIR``).

Each document's :class:`~kg.models.DocResult` (the output of the map step,
``kg.pipeline.extract_document``) is stored on disk under a key that hashes

* the pipeline version: the bytes of every source and resource file of the
  ``kg`` package (so any change to rules, lexicons or code invalidates it), and
* the document itself: its id, its text and its manifest metadata.

A rebuild re-extracts only the documents whose key is not in the cache; the
reduce steps (resolution, RDF, JSON) always run over all results, so the output
is byte-identical to a build without the cache.

Entries are pickles written atomically (temporary file + rename), one per
document, in ``DIR/<k[:2]>/<k>.pkl``. An unreadable entry counts as a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kg.models import DocResult, Document

_PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = {".py", ".txt", ".tsv", ".toml", ".json"}


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the kg package's source and resource files (paths and bytes)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
            h.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def document_key(doc: Document) -> str:
    """The cache key of ``doc``: pipeline version + everything extraction reads of it."""
    h = hashlib.sha256(pipeline_version().encode("ascii"))
    for value in (doc.id, doc.original, doc.title, doc.date, doc.date_basis, doc.publisher, doc.place):
        h.update(b"\1" if value is None else b"\2" + value.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class ExtractionCache:
    """DocResults on disk, keyed by :func:`document_key`."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, doc: Document) -> DocResult | None:
        from kg.models import DocResult

        try:
            with open(self._path(document_key(doc)), "rb") as fh:
                result = pickle.load(fh)
        except Exception:  # missing, truncated, or from an incompatible version
            self.misses += 1
            return None
        if not isinstance(result, DocResult) or (result.doc.id, result.doc.original) != (
                doc.id, doc.original):
            self.misses += 1
            return None
        self.hits += 1
        return dataclasses.replace(result, doc=doc)  # this run's Document (its path may differ)

    def put(self, result: DocResult) -> None:
        path = self._path(document_key(result.doc))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            with open(tmp, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
