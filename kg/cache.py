"""The extraction cache of incremental builds (``kg build --cache DIR``).

Each document's :class:`~kg.models.DocResult` (the output of the map step,
``kg.pipeline.extract_document``) is stored on disk under a key that hashes

* the pipeline version: the bytes of every file extraction reads, that is the
  source of the modules ``kg.pipeline.extract_document`` imports (the packages
  ``kg.extract``, ``kg.nlp``, ``kg.text`` and the modules in :data:`EXTRACTION_SOURCES`;
  a test checks this against the modules it loads) and every resource file, with the
  versions of jieba, spaCy and cn2an (so any change to rules, lexicons or extraction
  code invalidates it, and a change to resolution or the writers does not), and
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
_SUFFIXES = {".py", ".txt", ".tsv", ".toml", ".json", ".jsonld"}
#: what the extraction of a document reads, relative to the kg package: folders (all their
#: source and resource files) and modules; also this module, whose format the entries follow
EXTRACTION_SOURCES = ("__init__.py", "cache.py", "models.py", "pipeline.py",
                      "extract", "nlp", "text", "resources")
#: the distributions whose behaviour extraction depends on
EXTRACTION_DISTRIBUTIONS = ("jieba", "spacy", "cn2an")


def _extraction_files() -> list[Path]:
    files: list[Path] = []
    for part in EXTRACTION_SOURCES:
        path = _PACKAGE / part
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES
                         and "__pycache__" not in p.parts)
        elif path.is_file():
            files.append(path)
    return sorted(files)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the files extraction reads (paths and bytes) and of the versions of
    the libraries it uses."""
    from importlib import metadata

    h = hashlib.sha256()
    for path in _extraction_files():
        h.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    for dist in EXTRACTION_DISTRIBUTIONS:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{dist}={version}\0".encode())
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
