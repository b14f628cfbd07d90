"""Entity resolution: mentions of several documents → entities with stable IRIs.

All names below are invented; the documents are built directly as DocResult records.
"""

from __future__ import annotations

import random

import pytest

from kg.iri import document_iri, entity_iri
from kg.models import (
    AliasDeclaration,
    Document,
    DocResult,
    EntityType,
    Figure,
    KnowledgeGraph,
    Mention,
    Predicate,
    Relation,
)
from kg.resolve.resolver import analyze_form, legal_suffixes, resolve

C = EntityType.Company
P = EntityType.Place
PER = EntityType.Person
GOV = EntityType.GovernmentBody
ORGN = EntityType.Organization
PROD = EntityType.Product


# ---------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------


class Doc:
    """Builds one DocResult: every mention is appended to a synthetic original text."""

    def __init__(self, doc_id: str):
        self.id = doc_id
        self.text = "记者报道："
        self.mentions: list[Mention] = []
        self.aliases: list[AliasDeclaration] = []
        self.relations: list[Relation] = []
        self.figures: list[Figure] = []

    def m(self, text: str, type: EntityType = C, canonical: str | None = None, *, listed: bool = True) -> Mention:
        start = len(self.text)
        self.text += text + "，"
        mention = Mention(
            doc=self.id, text=text, type=type, start=start, end=start + len(text), canonical=canonical
        )
        if listed:
            self.mentions.append(mention)
        return mention

    def declare(self, full: str, alias: str, type: EntityType = C, how: str = "简称") -> tuple[Mention, Mention]:
        f = self.m(full, type)
        self.text += "（" + how
        a = self.m(alias, type)
        self.aliases.append(AliasDeclaration(doc=self.id, full=f, alias=a, how=how))
        return f, a

    def rel(self, subject: Mention, predicate: Predicate, obj: Mention | None, title: str | None = None) -> Relation:
        start = min(subject.start, obj.start if obj else subject.start)
        end = max(subject.end, obj.end if obj else subject.end)
        r = Relation(
            doc=self.id,
            subject=subject,
            predicate=predicate,
            object=obj,
            evidence=self.text[start:end],
            start=start,
            end=end,
            title=title,
        )
        self.relations.append(r)
        return r

    def fig(self, value, unit: str, subject: Mention | None = None, metric: str | None = "营业收入") -> Figure:
        start = len(self.text)
        written = f"{value}{unit}"
        self.text += written + "。"
        f = Figure(
            doc=self.id,
            value=value,
            unit=unit,
            evidence=written,
            start=start,
            end=start + len(written),
            metric=metric,
            subject=subject,
        )
        self.figures.append(f)
        return f

    def build(self) -> DocResult:
        return DocResult(
            doc=Document(id=self.id, original=self.text),
            mentions=tuple(self.mentions),
            aliases=tuple(self.aliases),
            relations=tuple(self.relations),
            figures=tuple(self.figures),
        )


def docs_with(*specs: tuple[str, list[tuple[str, EntityType]]]) -> list[DocResult]:
    out = []
    for doc_id, items in specs:
        d = Doc(doc_id)
        for text, t in items:
            d.m(text, t)
        out.append(d.build())
    return out


def entity(kg: KnowledgeGraph, name: str, type: EntityType | None = None):
    found = [e for e in kg.entities if e.name == name and (type is None or e.type is type)]
    assert len(found) == 1, (name, [(e.name, e.type.value, e.aliases) for e in kg.entities])
    return found[0]


def holding(kg: KnowledgeGraph, form: str):
    """The entities whose name or alias is ``form``."""
    return [e for e in kg.entities if e.name == form or form in e.aliases]


def same_entity(kg: KnowledgeGraph, *forms: str) -> bool:
    owners = {id(e) for f in forms for e in holding(kg, f)}
    return len(owners) == 1 and all(holding(kg, f) for f in forms)


# ---------------------------------------------------------------------------
# form analysis
# ---------------------------------------------------------------------------


def test_legal_suffixes_resource_longest_first():
    sufs = legal_suffixes()
    assert "有限公司" in sufs and "股份有限公司" in sufs and "公司" in sufs
    assert [len(s) for s in sufs] == sorted((len(s) for s in sufs), reverse=True)


@pytest.mark.parametrize(
    "cls,name,base,family,key",
    [
        ("ORG", "华东精工机械有限公司", "华东精工机械", "P", "华东精工机械"),
        ("ORG", "华东精工机械有限责任公司", "华东精工机械", "P", "华东精工机械"),
        ("ORG", "华东重工集团有限公司", "华东重工", "G", "华东重工集团"),
        ("ORG", "华东重工集团", "华东重工", "G", "华东重工集团"),
        ("ORG", "华东重工股份有限公司", "华东重工", "S", "华东重工股份"),
        ("ORG", "华东重工集团股份有限公司", "华东重工", "G", "华东重工集团"),
        ("ORG", "华精公司", "华精", None, "华精"),
        ("ORG", "江北银行临川分行", "江北银行临川分行", None, "江北银行临川分行"),
        ("Place", "江北省", "江北", "省", "江北"),
        ("Place", "临川市", "临川", "市", "临川"),
        ("Place", "南岭壮族自治区", "南岭", "自治区", "南岭"),
        ("Place", "江北滨湖高新区", "江北滨湖高新区", None, "江北滨湖高新区"),
        ("Place", "泽市", "泽市", None, "泽市"),  # stripped form would be one character
    ],
)
def test_analyze_form(cls, name, base, family, key):
    info = analyze_form(cls, name)
    assert (info.base, info.family, info.iri_key) == (base, family, key)


# ---------------------------------------------------------------------------
# rule 1: within one document
# ---------------------------------------------------------------------------


def test_declared_alias_merges_within_document():
    d = Doc("001_a.txt")
    d.declare("华东精工机械有限公司", "华精")
    d.m("华精")
    d.m("张伟", PER)
    kg = resolve([d.build()])
    e = entity(kg, "华东精工机械有限公司", C)
    assert e.aliases == ("华精",)
    assert ("华精", "declared 简称 in 001_a.txt") in e.merge_reasons
    assert len(e.mentions) == 3
    assert [m.start for m in e.mentions] == sorted(m.start for m in e.mentions)


def test_same_text_same_type_is_one_entity_in_a_document():
    d = Doc("001_a.txt")
    d.m("张伟", PER)
    d.m("张伟", PER)
    d.m("江北省", P)
    d.m("江北省", P)
    kg = resolve([d.build()])
    assert len(kg.entities) == 2
    assert len(entity(kg, "张伟").mentions) == 2


def test_mention_canonical_merges_into_that_name():
    d = Doc("001_a.txt")
    d.m("华东精工机械有限公司")
    d.m("精工机械", C, canonical="华东精工机械有限公司")
    kg = resolve([d.build()])
    e = entity(kg, "华东精工机械有限公司")
    assert e.aliases == ("精工机械",)
    assert dict(e.merge_reasons)["精工机械"].startswith("canonical name 华东精工机械有限公司")


def test_canonical_name_not_mentioned_still_names_the_entity():
    d = Doc("001_a.txt")
    d.m("精工机械", C, canonical="华东精工机械有限公司")
    kg = resolve([d.build()])
    e = entity(kg, "华东精工机械有限公司")
    assert e.aliases == ("精工机械",)
    assert len(e.mentions) == 1


def test_short_form_next_to_its_full_name_merges_without_declaration():
    d = Doc("001_a.txt")
    d.m("华东精工机械有限公司")
    d.m("华精")
    kg = resolve([d.build()])
    assert same_entity(kg, "华东精工机械有限公司", "华精")


# ---------------------------------------------------------------------------
# rule 2: across documents
# ---------------------------------------------------------------------------


def test_cross_document_exact_merge():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C), ("张伟", PER)]),
            ("002_b.txt", [("华东精工机械有限公司", C), ("张伟", PER)]),
        )
    )
    assert len(kg.entities) == 2
    e = entity(kg, "华东精工机械有限公司")
    assert {m.doc for m in e.mentions} == {"001_a.txt", "002_b.txt"}
    assert e.aliases == ()


def test_org_types_with_the_same_name_merge_by_majority_type():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("江北精密制造联盟", ORGN)]),
            ("002_b.txt", [("江北精密制造联盟", ORGN)]),
            ("003_c.txt", [("江北精密制造联盟", C)]),
        )
    )
    assert len(kg.entities) == 1
    assert kg.entities[0].type is ORGN


def test_place_administrative_suffix_merge():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("江北", P), ("临川市", P)]),
            ("002_b.txt", [("江北省", P), ("临川", P)]),
        )
    )
    jb = entity(kg, "江北省", P)
    assert jb.aliases == ("江北",)
    assert ("江北", "administrative suffix 省") in jb.merge_reasons
    lc = entity(kg, "临川市", P)
    assert lc.aliases == ("临川",)
    assert len(kg.entities) == 2


def test_place_suffix_merge_within_one_document():
    d = Doc("001_a.txt")
    d.m("江北省", P)
    d.m("江北", P)
    kg = resolve([d.build()])
    assert entity(kg, "江北省").aliases == ("江北",)


def test_bare_place_with_two_suffixed_namesakes_is_ambiguous():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("南陵省", P)]),
            ("002_b.txt", [("南陵市", P)]),
            ("003_c.txt", [("南陵", P)]),
        )
    )
    assert len(kg.entities) == 3
    assert len({e.iri for e in kg.entities}) == 3
    assert kg.stats["ambiguous_short_forms"] == 1


def test_bare_place_prefers_the_namesake_in_its_own_document():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("南陵省", P)]),
            ("002_b.txt", [("南陵市", P), ("南陵", P)]),
        )
    )
    assert entity(kg, "南陵市").aliases == ("南陵",)
    assert entity(kg, "南陵省").aliases == ()


def test_legal_suffix_merge():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("华东精工机械有限责任公司", C)]),
            ("003_c.txt", [("华东精工机械", C)]),
            ("004_d.txt", [("华东精工机械公司", C)]),
        )
    )
    assert len(kg.entities) == 1
    e = kg.entities[0]
    assert e.name == "华东精工机械有限责任公司"  # legal suffix, then the longest
    assert e.aliases == ("华东精工机械", "华东精工机械公司", "华东精工机械有限公司")
    reasons = dict(e.merge_reasons)
    assert reasons["华东精工机械有限公司"] == "legal-suffix variant of 华东精工机械有限责任公司"
    assert "short form of" in reasons["华东精工机械"]


def test_group_short_form_merges_with_group_full_name():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东重工集团有限公司", C)]),
            ("002_b.txt", [("华东重工集团", C)]),
            ("003_c.txt", [("华东重工", C)]),
        )
    )
    assert len(kg.entities) == 1
    assert kg.entities[0].name == "华东重工集团有限公司"
    assert kg.entities[0].aliases == ("华东重工", "华东重工集团")


def test_abbreviation_merge_across_documents():
    a = Doc("001_a.txt")
    a.m("华东精工机械有限公司")
    a.m("江北省", P)
    b = Doc("002_b.txt")
    b.m("华精")
    c = Doc("003_c.txt")
    c.m("东海重型装备集团有限责任公司")
    d = Doc("004_d.txt")
    d.m("东重集团")
    d.m("东重")
    kg = resolve([a.build(), b.build(), c.build(), d.build()])
    e = entity(kg, "华东精工机械有限公司")
    assert e.aliases == ("华精",)
    assert ("华精", "abbreviation of 华东精工机械有限公司") in e.merge_reasons
    assert {m.doc for m in e.mentions} == {"001_a.txt", "002_b.txt"}
    g = entity(kg, "东海重型装备集团有限责任公司")
    assert g.aliases == ("东重", "东重集团")
    assert dict(g.merge_reasons)["东重集团"] == "abbreviation of 东海重型装备集团有限责任公司"


def test_group_short_form_does_not_abbreviate_a_non_group_name():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("华精集团", C)]),
        )
    )
    assert len(kg.entities) == 2


def test_bare_short_form_between_group_form_and_abbreviation_is_ambiguous():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("华精集团", C)]),
            ("003_c.txt", [("华精", C)]),
        )
    )
    assert len(kg.entities) == 3
    assert kg.stats["ambiguous_short_forms"] == 1


def test_bare_short_form_follows_its_group_form_to_the_full_name():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("东海重型装备集团有限责任公司", C)]),
            ("002_b.txt", [("东重集团", C)]),
            ("003_c.txt", [("东重", C)]),
        )
    )
    assert len(kg.entities) == 1
    reasons = dict(kg.entities[0].merge_reasons)
    assert reasons == {
        "东重": "short form of 东重集团",
        "东重集团": "abbreviation of 东海重型装备集团有限责任公司",
    }


def test_ambiguous_abbreviation_not_merged():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("华南精密仪器有限公司", C)]),
            ("003_c.txt", [("华精", C)]),
        )
    )
    assert len(kg.entities) == 3
    assert entity(kg, "华精").aliases == ()
    assert entity(kg, "华东精工机械有限公司").aliases == ()
    assert entity(kg, "华南精密仪器有限公司").aliases == ()
    assert kg.stats["ambiguous_short_forms"] == 1


def test_abbreviation_needs_first_character_and_order():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("精华", C), ("东华", C)]),
        )
    )
    assert len(kg.entities) == 3


def test_abbreviation_only_for_companies():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东精工机械有限公司", C)]),
            ("002_b.txt", [("华精", GOV), ("华精", PROD)]),
        )
    )
    assert entity(kg, "华东精工机械有限公司").aliases == ()


def test_short_form_known_as_declared_alias_elsewhere():
    a = Doc("001_a.txt")
    a.declare("江北云帆无人机科技有限公司", "飞帆科技")  # not an in-order abbreviation
    b = Doc("002_b.txt")
    b.m("飞帆科技")
    kg = resolve([a.build(), b.build()])
    e = entity(kg, "江北云帆无人机科技有限公司")
    assert {m.doc for m in e.mentions} == {"001_a.txt", "002_b.txt"}
    assert e.aliases == ("飞帆科技",)


# ---------------------------------------------------------------------------
# rule 3: keep apart
# ---------------------------------------------------------------------------


def test_group_and_listed_subsidiary_kept_apart():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("华东重工集团", C), ("华东重工股份有限公司", C)]),
            ("002_b.txt", [("华东重工集团有限公司", C)]),
            ("003_c.txt", [("华东重工股份", C)]),
            ("004_d.txt", [("华东重工", C)]),
        )
    )
    group = entity(kg, "华东重工集团有限公司")
    listed = entity(kg, "华东重工股份有限公司")
    assert group.iri != listed.iri
    assert group.aliases == ("华东重工集团",)
    assert listed.aliases == ("华东重工股份",)
    # the bare name could be either: its own entity
    assert entity(kg, "华东重工").aliases == ()
    assert len(kg.entities) == 3


def test_bank_and_branch_kept_apart():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("江北银行", C), ("江北银行临川分行", C)]),
            ("002_b.txt", [("江北银行股份有限公司", C), ("江北银行临川支行", C)]),
            ("003_c.txt", [("华东精工机械有限公司", C), ("华东精工机械有限公司数控刀具分公司", C)]),
            ("004_d.txt", [("华东精工机械研究院", EntityType.ResearchInstitution)]),
        )
    )
    bank = entity(kg, "江北银行股份有限公司")
    assert bank.aliases == ("江北银行",)
    assert entity(kg, "江北银行临川分行").aliases == ()
    assert entity(kg, "江北银行临川支行").aliases == ()
    assert entity(kg, "华东精工机械有限公司数控刀具分公司").aliases == ()
    assert entity(kg, "华东精工机械有限公司").aliases == ()
    assert entity(kg, "华东精工机械研究院").aliases == ()
    assert len(kg.entities) == 6


def test_same_surname_persons_kept_apart():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("张伟", PER), ("张强", PER), ("张", PER)]),
            ("002_b.txt", [("张伟", PER)]),
        )
    )
    assert len(kg.entities) == 3
    assert entity(kg, "张伟").aliases == ()
    assert len(entity(kg, "张伟").mentions) == 2


def test_place_and_company_never_merge():
    d = Doc("001_a.txt")
    d.m("江北", P)
    d.m("江北有限公司", C)
    d.m("江北集团", C)
    full = d.m("江北省", P)
    alias = d.m("江北集团", C)
    # a declaration between a Place and a Company is ignored
    d.aliases.append(AliasDeclaration(doc=d.id, full=full, alias=alias, how="简称"))
    kg = resolve([d.build()])
    place = entity(kg, "江北省", P)
    assert place.aliases == ("江北",)
    assert {e.type for e in kg.entities} == {P, C}
    assert all(e.type is C for e in kg.entities if "公司" in e.name or "集团" in e.name)
    assert kg.stats["declarations_ignored_type_conflict"] == 1


def test_place_and_company_with_same_text_are_two_entities():
    kg = resolve(docs_with(("001_a.txt", [("江北", P), ("江北", C)])))
    assert len(kg.entities) == 2
    assert kg.entities[0].iri != kg.entities[1].iri


# ---------------------------------------------------------------------------
# determinism and IRIs
# ---------------------------------------------------------------------------


def _corpus() -> list[DocResult]:
    a = Doc("000_a.txt")
    a.declare("华东精工机械有限公司", "华精")
    p = a.m("张伟", PER)
    a.rel(p, Predicate.authorOf, None)
    jb = a.m("江北省", P)
    hq = a.m("华精")
    a.rel(hq, Predicate.locatedIn, jb)
    a.fig(136, "亿元", jb, "地区生产总值")
    b = Doc("001_b.txt")
    b.m("华精")
    b.m("江北", P)
    b.m("华东重工集团", C)
    b.m("华东重工股份有限公司", C)
    b.m("临川", P)
    c = Doc("002_c.txt")
    c.m("临川市", P)
    c.m("华东重工集团有限公司", C)
    c.m("张强", PER)
    c.m("华南精密仪器有限公司", C)
    c.m("江北银行临川分行", C)
    d = Doc("003_d.txt")
    d.m("华南精密仪器有限责任公司", C)
    d.m("江北银行", C)
    d.m("华东重工", C)
    return [a.build(), b.build(), c.build(), d.build()]


def test_determinism_under_shuffled_documents():
    docs = _corpus()
    reference = resolve(docs)
    assert reference.entities and reference.relations and reference.figures
    rng = random.Random(7)
    for _ in range(10):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        kg = resolve(shuffled)
        assert kg == reference
        assert kg.stats == reference.stats
    assert [d.id for d in reference.documents] == sorted(d.doc.id for d in docs)


def test_output_is_sorted():
    kg = resolve(_corpus())
    keys = [(e.type.value, e.name, e.iri) for e in kg.entities]
    assert keys == sorted(keys)
    rkeys = [(r.doc, r.start, r.end, r.predicate.value, r.subject, r.object) for r in kg.relations]
    assert rkeys == sorted(rkeys)
    fkeys = [(f.doc, f.start, f.end) for f in kg.figures]
    assert fkeys == sorted(fkeys)
    for e in kg.entities:
        assert list(e.aliases) == sorted(e.aliases) and e.name not in e.aliases
        assert [(m.doc, m.start) for m in e.mentions] == sorted((m.doc, m.start) for m in e.mentions)
        assert {a for a, _ in e.merge_reasons} == set(e.aliases)


def test_iris_are_deterministic_and_unique():
    kg = resolve(_corpus())
    assert len({e.iri for e in kg.entities}) == len(kg.entities)
    jb = entity(kg, "江北省")
    assert jb.iri == entity_iri("Place", "江北")
    hj = entity(kg, "华东精工机械有限公司")
    assert hj.iri == entity_iri("Company", "华东精工机械")
    assert entity(kg, "华东重工集团有限公司").iri == entity_iri("Company", "华东重工集团")
    assert entity(kg, "华东重工股份有限公司").iri == entity_iri("Company", "华东重工股份")
    assert entity(kg, "张伟").iri == entity_iri("Person", "张伟")


def test_iris_stable_when_a_document_is_added():
    before = resolve(
        docs_with(
            ("001_a.txt", [("江北", P), ("华东精工机械", C), ("华东重工集团", C), ("张伟", PER)]),
        )
    )
    after = resolve(
        docs_with(
            ("001_a.txt", [("江北", P), ("华东精工机械", C), ("华东重工集团", C), ("张伟", PER)]),
            ("002_b.txt", [("江北省", P), ("华东精工机械有限公司", C), ("华东重工集团有限公司", C), ("张强", PER)]),
        )
    )
    pairs = [
        ("江北", "江北省"),
        ("华东精工机械", "华东精工机械有限公司"),
        ("华东重工集团", "华东重工集团有限公司"),
        ("张伟", "张伟"),
    ]
    for old_name, new_name in pairs:
        old = entity(before, old_name)
        new = entity(after, new_name)
        assert old.iri == new.iri, (old_name, new_name)
        assert old_name == new_name or old_name in new.aliases


def test_namesake_places_get_distinct_iris():
    kg = resolve(docs_with(("001_a.txt", [("南陵省", P)]), ("002_b.txt", [("南陵市", P)])))
    assert len({e.iri for e in kg.entities}) == 2


# ---------------------------------------------------------------------------
# relations and figures
# ---------------------------------------------------------------------------


def test_relations_and_figures_repointed():
    a = Doc("000_a.txt")
    full, short = a.declare("华东精工机械有限公司", "华精")
    reporter = a.m("张伟", PER)
    boss = a.m("张强", PER)
    place = a.m("江北", P)
    product = a.m("高速数控刀具", PROD)
    a.rel(boss, Predicate.holdsPosition, short, title="董事长")
    a.rel(short, Predicate.produces, product)
    a.rel(short, Predicate.locatedIn, place)
    a.rel(reporter, Predicate.authorOf, None)
    a.fig(53.73, "亿元", short, "营业收入")
    a.fig(7.3, "%", None, "增速")
    b = Doc("001_b.txt")
    prov = b.m("江北省", P)
    b.fig(136, "亿元", prov, "地区生产总值")
    kg = resolve([b.build(), a.build()])

    company = entity(kg, "华东精工机械有限公司")
    jb = entity(kg, "江北省")
    by_pred = {r.predicate: r for r in kg.relations}
    assert by_pred[Predicate.holdsPosition].subject == entity(kg, "张强").iri
    assert by_pred[Predicate.holdsPosition].object == company.iri
    assert by_pred[Predicate.holdsPosition].title == "董事长"
    assert by_pred[Predicate.produces].object == entity(kg, "高速数控刀具").iri
    assert by_pred[Predicate.locatedIn].object == jb.iri  # 江北 (doc a) → 江北省 (doc b)
    assert by_pred[Predicate.authorOf].object == document_iri("000_a.txt")
    assert by_pred[Predicate.authorOf].subject == entity(kg, "张伟").iri
    assert len({r.iri for r in kg.relations}) == 4

    subjects = {f.metric: f.subject for f in kg.figures}
    assert subjects == {"营业收入": company.iri, "增速": None, "地区生产总值": jb.iri}
    assert kg.stats["figures_without_subject"] == 1
    assert kg.stats["relations"] == 4 and kg.stats["figures"] == 3


def test_unresolvable_relations_and_figures_dropped():
    a = Doc("000_a.txt")
    company = a.m("华东精工机械有限公司")
    ghost = a.m("某机械厂", C, listed=False)  # never reported as a mention
    ghost2 = Mention(doc="000_a.txt", text="", type=C, start=0, end=0)
    boss = a.m("张强", PER)
    a.rel(boss, Predicate.holdsPosition, company, title="总经理")
    a.rel(boss, Predicate.holdsPosition, ghost, title="厂长")
    a.rel(ghost2, Predicate.cooperatesWith, company)
    a.fig(12, "家", ghost, "企业数量")
    a.fig(5, "亿元", company, "投资")
    kg = resolve([a.build()])
    assert len(kg.relations) == 1
    assert kg.relations[0].object == entity(kg, "华东精工机械有限公司").iri
    assert len(kg.figures) == 1
    assert kg.stats["relations_dropped_unresolved"] == 2
    assert kg.stats["figures_dropped_unresolved"] == 1


def test_relation_mention_found_by_text_when_offsets_differ():
    a = Doc("000_a.txt")
    company = a.m("华东精工机械有限公司")
    boss = a.m("张强", PER)
    moved = Mention(doc="000_a.txt", text="华东精工机械有限公司", type=C, start=999, end=1009)
    a.rel(boss, Predicate.holdsPosition, moved, title="董事长")
    kg = resolve([a.build()])
    assert kg.relations[0].object == entity(kg, company.text).iri


def test_empty_input():
    kg = resolve([])
    assert kg.entities == () and kg.relations == () and kg.figures == () and kg.documents == ()


def test_duplicate_document_ids_rejected():
    d = Doc("001_a.txt").build()
    with pytest.raises(ValueError):
        resolve([d, d])


def test_determinism_under_shuffled_mentions_within_documents():
    docs = _corpus()
    reference = resolve(docs)
    rng = random.Random(11)
    shuffled = []
    for d in docs:
        ms = list(d.mentions)
        rng.shuffle(ms)
        shuffled.append(DocResult(d.doc, tuple(ms), d.aliases, tuple(reversed(d.relations)), d.figures))
    assert resolve(shuffled) == reference


def test_abbreviation_may_drop_the_place_name_the_full_name_starts_with():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("宁波天域智能装备股份有限公司", C), ("天域公司", C)]),
            ("002_b.txt", [("江北远航动力有限公司", C)]),
        )
    )
    e = entity(kg, "宁波天域智能装备股份有限公司")
    assert e.aliases == ("天域公司",)
    assert dict(e.merge_reasons)["天域公司"] == "abbreviation of 宁波天域智能装备股份有限公司"
    assert entity(kg, "江北远航动力有限公司").aliases == ()


def test_quotation_marks_inside_a_name_are_not_part_of_it():
    from kg.resolve.resolver import surface_form

    assert surface_form("“科技领航”工程") == "科技领航工程"
    assert surface_form("《江北省轴承产业“十四五”发展规划》") == "江北省轴承产业十四五发展规划"
    a = Doc("001_a.txt")
    a.m("科技“领航者”培育工程", EntityType.Policy)
    b = Doc("002_b.txt")
    b.m("科技领航者培育工程", EntityType.Policy)
    kg = resolve([a.build(), b.build()])
    (e,) = kg.entities
    assert e.name == "科技领航者培育工程"


def test_a_longer_short_name_that_begins_the_full_name_merges():
    kg = resolve(
        docs_with(
            ("001_a.txt", [("宁波天域智能装备股份有限公司", C)]),
            ("002_b.txt", [("天域智能公司", C), ("天智公司", C)]),
        )
    )
    e = entity(kg, "宁波天域智能装备股份有限公司")
    assert "天域智能公司" in e.aliases
    # a 5–8 character short name must begin the full name, not merely stand in it in order
    kg = resolve(docs_with(("001_a.txt", [("宁波天域智能装备股份有限公司", C)]), ("002_b.txt", [("天域装备科技公司", C)])))
    assert len(kg.entities) == 2
