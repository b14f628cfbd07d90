"""Thin spaCy components over the pure extraction functions.

Results live on the Doc as extensions (character offsets in the normalised
text, since entity edges need not fall on jieba token edges):
``doc._.kg_entities`` (EntityResult), ``doc._.kg_relations`` (list[RelSpan]),
``doc._.kg_figures`` (list[FigureSpan]). ``doc._.kg_date`` (ISO date of the
document, or None) lets figures resolve 今年/去年. Entity spans are also put in
``doc.spans["kg"]`` (expanded to token edges) for spaCy users.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.entities import extract_entities
from kg.extract.figures import extract_figures
from kg.extract.relations import extract_relations
from kg.models import ORG_TYPES
from kg.nlp.pipeline import doc_text

for _name in ("kg_entities", "kg_relations", "kg_figures", "kg_date"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("kg_entities")
def kg_entities(doc: Doc) -> Doc:
    result = extract_entities(doc)
    doc._.kg_entities = result
    spans = []
    for sp in result.spans:
        span = doc.char_span(sp.start, sp.end, label=sp.type.value, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["kg"] = spans
    return doc


@Language.component("kg_relations")
def kg_relations(doc: Doc) -> Doc:
    doc._.kg_relations = extract_relations(doc, doc._.kg_entities)
    return doc


def posts_of(text: str, relations) -> dict:
    """person name → the organization the document gives them a post in (the first one)."""
    out: dict = {}
    for r in relations:
        if r.predicate.value == "holdsPosition" and r.object is not None and r.object.type in ORG_TYPES:
            out.setdefault(text[r.subject.start : r.subject.end], r.object)
    return out


@Language.component("kg_figures")
def kg_figures(doc: Doc) -> Doc:
    doc._.kg_figures = extract_figures(doc, doc._.kg_entities, doc._.kg_date, posts_of(doc_text(doc), doc._.kg_relations))
    return doc
