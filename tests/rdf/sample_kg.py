"""A small hand-made KnowledgeGraph (invented names) shared by the rdf, views
and query tests. Offsets are computed from the texts, so they are right by
construction; one mention (江北\\n省) spans a line break of the original."""

from __future__ import annotations

from kg.iri import document_iri, entity_iri, figure_iri, mention_iri, relation_iri
from kg.models import (
    Document,
    Entity,
    EntityType,
    KnowledgeGraph,
    Mention,
    Predicate,
    ResolvedFigure,
    ResolvedRelation,
)

D1 = "001_test.txt"
D2 = "002_test.txt"

TEXT1 = (
    "本报记者 李明\n"
    "华东精工机械有限公司（简称“华精”）董事长张伟介绍，今年一季度，华精实现营业收入136亿元，"
    "同比增长12.5%。华东精工位于江北\n省江州市。华东精工与江北大学合作研发风电主轴轴承。"
)
TEXT2 = "华精董事长张伟表示，华精精密轴承分公司年产值超过5亿元，园区年产能约7.3万吨。"

DOCS = {D1: TEXT1, D2: TEXT2}


def span(doc: str, needle: str, nth: int = 0) -> tuple[int, int]:
    text = DOCS[doc]
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def mention(doc: str, text: str, etype: EntityType, nth: int = 0, original: str | None = None) -> Mention:
    s, e = span(doc, original or text, nth)
    return Mention(doc=doc, text=text, type=etype, start=s, end=e)


C, P, L = EntityType.Company, EntityType.Person, EntityType.Place

HUAJING = entity_iri("Company", "华东精工机械有限公司")
BRANCH = entity_iri("Company", "华精精密轴承分公司")
ZHANG = entity_iri("Person", "张伟")
LI = entity_iri("Person", "李明")
JIANGBEI = entity_iri("Place", "江北省")
JIANGZHOU = entity_iri("Place", "江州市")
UNIV = entity_iri("ResearchInstitution", "江北大学")
PRODUCT = entity_iri("Product", "风电主轴轴承")


def _rel(subject, predicate, obj, doc, evidence, title=None):
    s, e = span(doc, evidence)
    return ResolvedRelation(
        iri=relation_iri(subject, predicate.value, obj, doc, s, e),
        subject=subject, predicate=predicate, object=obj, doc=doc,
        evidence=evidence.replace("\n", ""), start=s, end=e, title=title,
    )


def _fig(doc, written, evidence, value, unit, **kw):
    s, e = span(doc, written)
    return ResolvedFigure(
        iri=figure_iri(doc, s, e, kw.get("metric")), doc=doc, value=value, unit=unit,
        evidence=evidence, start=s, end=e, **kw,
    )


def build() -> KnowledgeGraph:
    documents = (
        Document(id=D1, original=TEXT1, title="华东精工一季度营收136亿元", date="2022-04-20",
                 publisher="江北日报"),
        Document(id=D2, original=TEXT2, title="华精分公司产值", date="2022-05"),
    )
    entities = (
        Entity(
            iri=HUAJING, name="华东精工机械有限公司", type=C, aliases=("华东精工", "华精"),
            mentions=tuple(sorted([
                mention(D1, "华东精工机械有限公司", C),
                mention(D1, "华精", C, 0),
                mention(D1, "华精", C, 1),
                mention(D1, "华东精工", C, 1),
                mention(D1, "华东精工", C, 2),
                mention(D2, "华精", C, 0),
            ], key=lambda m: (m.doc, m.start))),
            merge_reasons=(("华东精工", "legal suffix stripped"), ("华精", f"declared 简称 in {D1}")),
        ),
        Entity(iri=BRANCH, name="华精精密轴承分公司", type=C,
               mentions=(mention(D2, "华精精密轴承分公司", C),)),
        Entity(iri=ZHANG, name="张伟", type=P,
               mentions=(mention(D1, "张伟", P), mention(D2, "张伟", P))),
        Entity(iri=LI, name="李明", type=P, mentions=(mention(D1, "李明", P),)),
        Entity(iri=JIANGBEI, name="江北省", type=L, aliases=("江北",),
               mentions=(mention(D1, "江北省", L, original="江北\n省"),)),
        Entity(iri=JIANGZHOU, name="江州市", type=L, mentions=(mention(D1, "江州市", L),)),
        Entity(iri=UNIV, name="江北大学", type=EntityType.ResearchInstitution,
               mentions=(mention(D1, "江北大学", EntityType.ResearchInstitution),)),
        Entity(iri=PRODUCT, name="风电主轴轴承", type=EntityType.Product,
               mentions=(mention(D1, "风电主轴轴承", EntityType.Product),)),
    )
    relations = (
        _rel(ZHANG, Predicate.holdsPosition, HUAJING, D1, "华东精工机械有限公司（简称“华精”）董事长张伟介绍", "董事长"),
        _rel(ZHANG, Predicate.holdsPosition, HUAJING, D2, "华精董事长张伟表示", "董事长"),
        _rel(HUAJING, Predicate.locatedIn, JIANGZHOU, D1, "华东精工位于江北\n省江州市"),
        _rel(JIANGZHOU, Predicate.locatedIn, JIANGBEI, D1, "江北\n省江州市"),
        _rel(HUAJING, Predicate.cooperatesWith, UNIV, D1, "华东精工与江北大学合作研发"),
        _rel(HUAJING, Predicate.produces, PRODUCT, D1, "华东精工与江北大学合作研发风电主轴轴承"),
        _rel(BRANCH, Predicate.subOrganizationOf, HUAJING, D2, "华精精密轴承分公司"),
        _rel(LI, Predicate.authorOf, document_iri(D1), D1, "本报记者 李明"),
    )
    figures = (
        _fig(D1, "136亿元", "今年一季度，华精实现营业收入136亿元", 136, "亿元", subject=HUAJING,
             metric="营业收入", period="今年一季度", period_normalized="2022-Q1",
             value_normalized=13600000000, unit_normalized="CNY"),
        _fig(D1, "12.5%", "同比增长12.5%", 12.5, "%", subject=HUAJING, metric="营业收入同比增长",
             period="今年一季度", period_normalized="2022-Q1", value_normalized=12.5,
             unit_normalized="%", is_growth=True),
        _fig(D2, "5亿元", "华精精密轴承分公司年产值超过5亿元", 5, "亿元", subject=BRANCH,
             metric="年产值", value_normalized=500000000.0, unit_normalized="CNY",
             qualifier="more-than"),
        _fig(D2, "7.3万吨", "园区年产能约7.3万吨", 7.3, "万吨", subject=None, metric="年产能",
             value_normalized=73000, unit_normalized="t", qualifier="approx"),
    )
    return KnowledgeGraph(documents=documents, entities=entities, relations=relations, figures=figures)


def all_mention_iris(kg: KnowledgeGraph) -> set[str]:
    return {mention_iri(m.doc, m.start, m.end, m.type.value) for e in kg.entities for m in e.mentions}



def shuffled(kg: KnowledgeGraph, seed: int) -> KnowledgeGraph:
    """``kg`` with every record list in another (seeded random) order."""
    import dataclasses
    import random

    rnd = random.Random(seed)
    return dataclasses.replace(kg, **{
        name: tuple(rnd.sample(getattr(kg, name), len(getattr(kg, name))))
        for name in ("documents", "entities", "relations", "figures")})
