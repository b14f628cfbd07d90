"""Deterministic IRIs for everything a build emits.

IRIs are derived from content only (type + canonical key, document id +
offsets), never from random numbers or processing order, so the same corpus
always yields the same IRIs.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

BASE = "https://w3id.org/industry-kg/"
ONTOLOGY = BASE + "ontology#"  # prefix ikg:
DATA = BASE + "id/"  # prefix kgd:


def _digest(*parts: str, n: int = 16) -> str:
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return h[:n]


def document_iri(doc_id: str) -> str:
    return f"{DATA}doc/{quote(doc_id, safe='')}"


def entity_iri(type_name: str, key: str) -> str:
    """An entity's IRI from its type and identity key (its canonical name)."""
    return f"{DATA}{type_name.lower()}/{_digest(type_name, key)}"


def mention_iri(doc_id: str, start: int, end: int, type_name: str) -> str:
    return f"{DATA}mention/{_digest(doc_id, str(start), str(end), type_name)}"


def relation_iri(subject: str, predicate: str, obj: str, doc_id: str, start: int, end: int) -> str:
    return f"{DATA}rel/{_digest(subject, predicate, obj, doc_id, str(start), str(end))}"


def figure_iri(doc_id: str, start: int, end: int, metric: str | None) -> str:
    return f"{DATA}fig/{_digest(doc_id, str(start), str(end), metric or '')}"
