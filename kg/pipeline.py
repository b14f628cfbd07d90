"""The map step: one Document → its DocResult (mentions, aliases, relations, figures).

normalise → spaCy/jieba (kg.nlp) → extraction components (kg.extract) → records
whose offsets point into the *original* text. Pure per document, so it can run
in any process; spaCy objects do not leave this module.
"""

from __future__ import annotations

from kg.models import AliasDeclaration, DocResult, Document, Figure, Mention, NormalizedText, Relation


def extract_document(doc: Document, nlp=None) -> DocResult:
    from kg.nlp.pipeline import shared_nlp
    from kg.text.normalize import normalize

    nlp = nlp or shared_nlp()
    norm = normalize(doc.original)
    sdoc = nlp.make_doc(norm.text)
    sdoc._.kg_date = doc.date
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    return to_records(doc, norm, sdoc)


def to_records(doc: Document, norm: NormalizedText, sdoc) -> DocResult:
    text = norm.text
    sent_of = _sentence_index(sdoc)
    cache: dict = {}

    def mention(sp) -> Mention:
        key = (sp.start, sp.end, sp.type)
        if key not in cache:
            s, e = norm.to_original(sp.start, sp.end)
            ss, se = sent_of(sp.start)
            os_, oe = norm.to_original(ss, se) if se > ss else (s, e)
            cache[key] = Mention(doc.id, text[sp.start : sp.end], sp.type, s, e, os_, oe, sp.canonical)
        return cache[key]

    ents = sdoc._.kg_entities
    mentions = [mention(sp) for sp in ents.spans]
    aliases = [AliasDeclaration(doc.id, mention(a.full), mention(a.alias), a.how) for a in ents.aliases]
    relations = []
    for r in sdoc._.kg_relations:
        s, e = norm.to_original(r.start, r.end)
        relations.append(
            Relation(doc.id, mention(r.subject), r.predicate, mention(r.object) if r.object else None,
                     text[r.start : r.end], s, e, r.title, r.rule)
        )
    figures = []
    for f in sdoc._.kg_figures:
        s, e = norm.to_original(f.start, f.end)
        figures.append(
            Figure(doc.id, f.value, f.unit, text[f.ev_start : f.ev_end], s, e, f.metric,
                   mention(f.subject) if f.subject else None, f.period, f.period_normalized,
                   f.value_normalized, f.unit_normalized, f.qualifier, f.is_growth, f.value_text)
        )
    # mentions referenced by relations/figures are mentions too (a nested parent, say)
    seen = {m.key for m in mentions}
    for m in cache.values():
        if m.key not in seen:
            mentions.append(m)
            seen.add(m.key)
    mentions.sort(key=lambda m: (m.start, m.end, m.type.value))
    return DocResult(doc, tuple(mentions), tuple(aliases), tuple(relations), tuple(figures))


def _sentence_index(sdoc):
    from kg.nlp.pipeline import doc_sentences

    bounds = doc_sentences(sdoc)
    import bisect

    starts = [b[0] for b in bounds]

    def sent_of(pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, pos) - 1
        return bounds[i] if i >= 0 else (0, 0)

    return sent_of
