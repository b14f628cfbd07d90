"""Relation extraction: patterns over the sentence and the entity spans.

holdsPosition   ORG/PLACE + TITLE(、TITLE)* + PERSON (a post after a place belongs to the place);
                该公司 + TITLE + PERSON: the company the previous sentence is about (not a bank)
authorOf        bylines (本报记者 X, 本版编辑 X, X 摄, a name alone on a byline line), and the
                signature line ORG + TITLE + PERSON above the body of a signed article
subOrganizationOf  a branch name that contains its parent (X集团Y分公司 → X集团); a company's
                own laboratories and centres (X依托A国家重点实验室、B企业技术中心)
locatedIn       nested place names (辽宁省沈阳市), ENTITY 位于/坐落在/地处 PLACE, 位于 PLACE 的 ORG,
                the place inside a name (the longest place of the document that begins it;
                national names excepted), ORG + PLACE + 厂区/基地, PLACE 已形成 A、B 两大…集聚区
produces        COMPANY/INSTITUTE 研制/生产/推出/研发/制造/供应/拿下…订单 PRODUCT (not the products a
                material goes into), 投运/装配/加工/重点发展 + the PRODUCT right after, PRODUCT +
                研发/生产/制造/订单, PRODUCT 的专业制造商 COMPANY, 建成 A、B 等试验平台, A、B 等 C
cooperatesWith  ORG 与/和/联合/携手 ORG … 合作/协同/共建/攻关; 与 B 协同攻关的 A; a bank lending to
                a company (为其发放贷款, 向 X 提供授信)
investsIn       ORG 投资/投建/建设/实施/引进 … PROJECT; a project named after its investor (not a
                ministry's 示范/试点 project)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.extract.entities import MEDIA_TITLES, EntityResult, Span
from kg.extract.figures import WE, SpansByStart, _speaker_org
from kg.extract.lexicon import lexicon
from kg.models import ORG_TYPES, EntityType as T, Predicate as P
from kg.nlp.pipeline import doc_sentences, doc_text

PRODUCE_VERBS = re.compile(
    r"研制|研发|生产|推出|制造|供应|供货|打造出|开发出|研究出|拿下|出产|量产|自主研发|成功研制|掌握|开发|下线|交付|批量|"
    r"主导产品|产品|制造商|供应商|专业|填补|攻克|突破|首台|首套|首创|发布|拥有|掌握"
)
# verbs that set up a body together (A与B共建C研究院): C is what they build
BUILT_BODY = re.compile(r"(?:共建|组建|共同组建|成立|设立|共同成立|联合成立|建设|打造|筹建|挂牌)\Z")
COOP_WORDS = re.compile(r"合作|协同|共建|联合攻关|携手|签约|签署|共同|联手|产学研|战略合作|授信|贷款|会同|联合")
# a company that works from laboratories or centres it names runs them (华精集团依托…重点实验室)
OWN_UNIT_VERB = re.compile(r"(?:充分|积极|主要)?依托(?:自身|自有|公司|企业)?的?")
OWN_UNIT = re.compile(r"(?:重点实验室|企业技术中心|工程技术研究中心|工程研究中心|技术中心|研发中心|工程中心)$")
OTHER_OWNER = re.compile(r"大学|学院|科学院|研究所")
LENDING = re.compile(r"贷款|授信|信贷|融资")
LEND_VERB = re.compile(r"发放|提供|授信|放款|放贷")
BANK = re.compile(r"(?:银行|分行|支行|信用社)$")
# an organization's site named after it (华精集团宁波新厂区): the organization is there
SITE = re.compile(r"新?(?:厂区|生产基地|基地|工厂|园区|厂)")
# a place that has formed or holds zones it lists (江北市已形成甲岛、乙岛两大石化产业集聚区)
ZONES_OF = re.compile(r"已?(?:形成|建成|拥有|打造|布局)了?")
ZONES_HEAD = re.compile(r"[两二三四五六七八九十0-9]+大\w{0,8}?(?:集聚区|聚集区|园区|基地|板块|片区|产业带)")
# the rest of the list (names the gazetteer does not know) and its head
ZONES_TAIL = re.compile(r"(?:[、和][\u4e00-\u9fff]{1,6}?)*?" + ZONES_HEAD.pattern)
DESIGNATION = re.compile(r"示范|试点|标杆|揭榜")
NATIONAL = re.compile(r"中国|中华人民共和国|我国|全国|国家")
# between the partner and the organization a relative clause qualifies (与B协同攻关的A)
COOP_CLAUSE = re.compile(r"[^，。；：]{0,6}(?:合作|协同|共建|攻关|携手|联合)[^，。；：]{0,6}的")
INVEST_WORDS = re.compile(r"投资|投建|建设|实施|引进|开工|落地|签约|启动|推进")
# a clause opening with 在 and a place, closed by a comma (在龙口市，; 在距离X不到10公里的鸠江区，)
SCENE = re.compile(r"(?:(?<=[，。；：\n])|^)在[^，。；：\n]{1,40}?，")
# X项目在Y开工 / 落地 / 建成投产
PROJECT_SITE = re.compile(r"在|落户|落地|选址")
PROJECT_SITE_VERB = re.compile(r"(?:正式|顺利|全面|集中)?(?:开工|落地|建成|投产|开建|动工|签约|竣工|启动|落户)")
LOCATED_WORDS = re.compile(r"位于|坐落在|坐落于|地处|落户|总部设在|设在")
PRODUCERS = frozenset({T.Company, T.ResearchInstitution})
# verbs that make what follows them a product only when it follows closely (累计投运X, 员工正在装配X,
# 建造的X, 重点发展X, 上线“X”产品); the products further on in the sentence are not theirs
NEAR_PRODUCE_VERBS = re.compile(r"投运|建造|加工|装配|上线|重点发展|主要发展|批量生产")
NEAR_WINDOW = 12
# a product followed by the work done on it (高端轴承研发, 特大型轴承生产车间, 润滑脂等研发,
# 高端轴承制造能力, 轴承产品订单): made by the maker named before it in the sentence
PRODUCT_THEN_VERB = re.compile(r"(?:等|系列)?(?:产品)?(?:的)?(?:研发|研制|生产|制造|供货|批量供货|订单|装机|量产)"
                              r"|在[^，。；：、]{0,10}?供货|(?:的)?(?:年|月)?(?:出货量|产能|产量|销量|出口额|销售额)")
# what a maker turns out of a product (X出货量, X年产能); with 公司/我们 before it, the company
# spoken of makes it
PRODUCT_OUTPUT = re.compile(r"(?:的)?(?:年|月)?(?:出货量|产能|产量|销量|出口额|销售额|订单)")
OWN_COMPANY = re.compile(r"公司|我们|企业|该厂")
# the name of a bank's loan product ends with 贷 (科创e贷, 专精特新贷)
LOAN_PRODUCT = re.compile(r"贷”?\Z")
# a branch of a company, which a bare 公司 before a post does not mean
BRANCH_OF_COMPANY = re.compile(r"(?:分公司|分厂|办事处|分部)\Z")
# cues of making that are nouns, not verbs with a subject to carry over
NOUN_CUES = frozenset({"产品", "主导产品", "专业", "批量", "制造商", "供应商", "首台", "首套"})
# a parent that makes through its subsidiary (A通过控股子公司B，生产X)
THROUGH_SUBSIDIARY = re.compile(r"通过(?:其|旗下)?(?:的)?(?:控股|全资|参股)?(?:子公司|分公司)\Z")
# work done together on what follows (A与B联合攻关的X, 合作研发X)
JOINT_WORK = re.compile(r"(?:联合|共同|合作|协同)(?:攻关|研发|开发|研制|设计)(?:的|了|出)?")
# an apposition that names the maker after its products (X轴承的专业制造商华精轴承公司)
MAKER_NOUN = re.compile(r"的?(?:专业|主要|重要|核心|领军)?(?:制造商|生产商|供应商|制造企业|生产企业)$")
# what a maker builds to make or test a kind of product (建成了X、Y等试验平台)
# what follows a list of the products that something made goes into
USED_AFTER = re.compile(r"等?(?:的)?(?:制造|生产|加工|装配)?(?:过程|环节)|等?(?:所需|所用|配套用)")
BUILT_FOR = re.compile(r"建成|建设|搭建|组建")
BUILT_HEAD = re.compile(r"等?(?:\w{0,4})(?:平台|生产线|试验台|车间)")


@dataclass(frozen=True)
class RelSpan:
    subject: Span
    predicate: P
    object: Span | None
    start: int  # evidence span in the normalised text
    end: int
    title: str | None = None
    rule: str = ""


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    return doc_sentences(doc)


def extract_relations(doc: Doc, ents: EntityResult) -> list[RelSpan]:
    text = doc_text(doc)
    spans = ents.spans
    by_end: dict[int, Span] = {}
    for sp in spans:
        cur = by_end.get(sp.end)
        if cur is None or (sp.end - sp.start) > (cur.end - cur.start):
            by_end[sp.end] = sp
    titles_by_end = {t.end: t for t in ents.titles}
    sentences = _sentences(doc)
    out: list[RelSpan] = []

    # -- posts and bylines ---------------------------------------------------
    for p in spans:
        if p.type != T.Person:
            continue
        t = titles_by_end.get(p.start)
        k = p.start
        while t is None and k > 0 and text[k - 1] in " \u3000：:":
            k -= 1
            t = titles_by_end.get(k)  # 本报记者 X, （责任编辑：X）
            if t is not None and t.title not in MEDIA_TITLES and text[k] in "：:":
                t = None
        if t is None:
            if p.rule == "byline":
                out.append(RelSpan(p, P.authorOf, None, p.start, p.end, rule="byline"))
            continue
        # walk back over a chain of titles joined by 、 (党委书记、董事长)
        first = t
        while first.start > 0 and text[first.start - 1] == "、" and (first.start - 1) in titles_by_end:
            first = titles_by_end[first.start - 1]
        title = text[first.start : t.end]
        holder = by_end.get(first.start)
        if holder is None:
            # 威海分行行长X: the organization's name and the title share characters (分行|行长)
            inner = next((sp for sp in spans if (sp.type in ORG_TYPES or sp.type == T.Place)
                          and sp.start < first.start < sp.end < t.end), None)
            if inner is not None and inner.type == T.Place:
                holder = inner  # 蓬莱区委书记: the district's level character begins the post (区委书记)
            elif inner is not None:
                holder, title = inner, text[inner.end : t.end]
        if holder is None:
            # a department word between the body and the post (工信局装备处处长): look back a little
            for gap in range(1, 5):
                cand = by_end.get(first.start - gap)
                if cand is not None and re.fullmatch(r"[\u3400-\u9fff]+", text[first.start - gap : first.start]):
                    holder = cand
                    title = text[first.start - gap : t.end]
                    break
        demonstrative = re.search(r"(?:该|这家|其)(?:公司|企业|集团|银行|行)$", text[max(0, first.start - 4) : first.start])
        opener = re.search(r"(?:^|[。！？\n”])(?:公司|企业)\Z", text[max(0, first.start - 3) : first.start])
        if holder is None and (demonstrative or opener):
            # 该公司财务负责人X, or 公司董事长X opening a sentence: the company the previous
            # sentence is about (its first), else (after 该) the one named last before; not a bank (a bank
            # is 该行), nor a name inside a longer one (华兴银行 of 华兴银行某某支行), and after a
            # bare 公司 not a branch (the company itself, not its 上海分公司 named before)
            def firm(sp: Span) -> bool:
                return (sp.type == T.Company and not BANK.search(text, sp.start, sp.end)
                        and not (opener and BRANCH_OF_COMPANY.search(text, sp.start, sp.end))
                        and not any(o.start <= sp.start and sp.end <= o.end and o is not sp and o.end - o.start > sp.end - sp.start
                                    for o in spans))
            kind_at = first.start - (2 if opener else len(demonstrative.group()))
            prev = [(a, b) for a, b in sentences if b <= kind_at]
            if prev:
                a, b = prev[-1]
                holder = next((sp for sp in spans if a <= sp.start and sp.end <= b and firm(sp)), None)
            if demonstrative:  # (a bare 公司 falls back on _generic_holder below)
                holder = holder or _last_before(spans, kind_at, firm)
        if holder is None:
            holder = _generic_holder(text, spans, first.start)
        if t.title in MEDIA_TITLES and (holder is None or holder.type in (T.Place, T.Person)):
            # 本报记者 X; the start of the evidence is the title
            out.append(RelSpan(p, P.authorOf, None, first.start, p.end, title=title, rule="byline-title"))
            continue
        if holder is not None and (holder.type in ORG_TYPES or holder.type == T.Place):
            out.append(RelSpan(p, P.holdsPosition, holder, holder.start, p.end, title=title, rule="org+title+person"))
            # 威海市委常委、X开发区党工委书记Y: a post at another body listed before this one
            h = holder
            while h.start > 1 and text[h.start - 1] == "、" and (h.start - 1) in titles_by_end:
                t2 = titles_by_end[h.start - 1]
                h2 = by_end.get(t2.start) or _generic_holder(text, spans, t2.start)  # (联盟理事长、X董事长Y)
                if h2 is None or not (h2.type in ORG_TYPES or h2.type == T.Place) or h2 is holder:
                    break
                out.append(RelSpan(p, P.holdsPosition, h2, h2.start, p.end, title=text[t2.start : t2.end],
                                   rule="org+title+person"))
                h = h2
            if _signature_line(text, holder.start, p.end):
                # a signed article: 华精集团董事长 张明远 on a line of its own above the body
                out.append(RelSpan(p, P.authorOf, None, holder.start, p.end, title=title, rule="signature"))

    # -- branches ---------------------------------------------------------------
    for branch, parent, s, e in ents.branches:
        out.append(RelSpan(branch, P.subOrganizationOf, parent, s, e, rule="branch-name"))
    # a branch named after its parent's short name (岳麓重工|印尼分公司): the organization named
    # elsewhere in the document whose name begins the branch's
    with_parent = {id(b) for b, *_ in ents.branches}
    org_names: dict[str, Span] = {}
    for sp in spans:
        if sp.type in ORG_TYPES:
            org_names.setdefault(text[sp.start : sp.end], sp)
    for b in spans:
        if b.type not in ORG_TYPES or id(b) in with_parent or not BRANCH_END.search(text, b.start, b.end):
            continue
        name = text[b.start : b.end]
        parent = next((org_names[name[:k]] for k in range(len(name) - 3, 1, -1) if name[:k] in org_names), None)
        if parent is not None and parent is not b:
            out.append(RelSpan(b, P.subOrganizationOf, parent, b.start, b.end, rule="branch-of-short-name"))

    # -- a company's own laboratories and centres (华精集团依托X国家重点实验室、Y企业技术中心)
    org_starts = {sp.start: sp for sp in spans if sp.type in ORG_TYPES}
    for c in spans:
        if c.type != T.Company or not (m := OWN_UNIT_VERB.match(text, c.end)):
            continue
        pos = m.end()
        while (unit := org_starts.get(pos)) is not None:
            name = text[unit.start : unit.end]
            if not OWN_UNIT.search(name) or OTHER_OWNER.search(name):
                break
            out.append(RelSpan(unit, P.subOrganizationOf, c, c.start, unit.end, rule="own-unit"))
            sep = re.match(r"、|和|及|以及", text[unit.end : unit.end + 2])
            if sep is None:
                break
            pos = unit.end + sep.end()

    # -- nested places (辽宁省沈阳市) ---------------------------------------------
    starts = {sp.start: sp for sp in spans}
    for a in spans:
        if a.type != T.Place:
            continue
        b = starts.get(a.end)
        if b is not None and b.type == T.Place and a.end - a.start >= 2:
            out.append(RelSpan(b, P.locatedIn, a, a.start, b.end, rule="nested-place"))

    # an organization's site (华精集团宁波新厂区 → 宁波), the zones a place lists (江北市已形成
    # 甲岛、乙岛两大…集聚区 → each in 江北市)
    for a in spans:
        b = starts.get(a.end)
        if a.type in ORG_TYPES and b is not None and b.type == T.Place and SITE.match(text, b.end):
            out.append(RelSpan(a, P.locatedIn, b, a.start, b.end, rule="org+place+site"))
        if a.type == T.Place and (m := ZONES_OF.match(text, a.end)):
            pos, listed = m.end(), []
            while (z := starts.get(pos)) is not None and z.type == T.Place:
                listed.append(z)
                pos = z.end + 1 if text[z.end : z.end + 1] in ("、", "和") else z.end
                if pos == z.end:
                    break
            if listed and ZONES_TAIL.match(text, listed[-1].end):
                for z in listed:
                    out.append(RelSpan(z, P.locatedIn, a, a.start, z.end, rule="zones-of-place"))

    # a place already placed in another by a nested name or a stated location is not also
    # placed in the bigger place its own name begins with (天域新区华阳经济区 → 天域新区 only)
    placed = {text[r.subject.start : r.subject.end] for r in out if r.predicate == P.locatedIn}
    out += [r for r in _located_by_name(text, spans)
            if not (r.subject.type == T.Place and text[r.subject.start : r.subject.end] in placed)]
    out += _investor_by_name(text, spans)

    # -- sentence patterns ---------------------------------------------------------
    posts = {}
    for r in out:
        if r.predicate == P.holdsPosition and r.object is not None and r.object.type in ORG_TYPES:
            posts.setdefault(text[r.subject.start : r.subject.end], r.object)
    index = SpansByStart(spans)
    for si, (s0, s1) in enumerate(sentences):
        sent = index.within(s0, s1)
        if not sent:
            continue
        stext = text[s0:s1]
        # (a parent named inside its unit's name, 哈尔滨工程大学 of 哈尔滨工程大学烟台研究院, is not a party)
        orgs = [sp for sp in sent if sp.type in ORG_TYPES and not any(
            o is not sp and o.type in ORG_TYPES and o.start <= sp.start and sp.end <= o.end for o in sent)]
        para0 = text.rfind("\n", 0, s0) + 1

        def topic(pos: int, types) -> Span | None:
            """Who acts in a sentence that names no one before ``pos``: the speaker's organization
            when 我们 speaks in a quotation, else the organization the paragraph's previous
            sentence was about (its last one of ``types``)."""
            if WE.search(text[s0:pos]):
                speaker = _speaker_org(text, index, pos, lexicon().speech_verbs, posts)
                if speaker is not None and speaker.type in types:
                    return speaker
            if si > 0 and not orgs:
                p0, p1 = sentences[si - 1]
                if "\n" not in text[p0:s0].rstrip("\n") and "\n" not in text[p1 - 1 : s0]:
                    prev = [sp for sp in index.within(p0, p1) if sp.type in types]
                    if prev:
                        return prev[-1]
            return None

        def maker_before(v: int) -> Span | None:
            """The maker named last before ``v``; but A是B的子公司，主要生产X: a clause that names
            no maker after a clause saying what A is continues A, the sentence's topic."""
            subj = _last_before(sent, v, lambda sp: sp.type in PRODUCERS)
            cs = max([s0] + [s0 + b.end() for b in re.finditer(r"[，；：]", text[s0:v])])
            if subj is not None and subj.end <= cs and not re.search(r"[“”]", text[s0:v]):
                first = next((sp for sp in orgs if sp.type in PRODUCERS and sp.start < cs
                              and text[sp.start - 1 : sp.start] not in ("与", "和", "同", "为", "及", "、")), None)
                if first is not None and first is not subj and SUBSIDIARY_OF.match(text, first.end):
                    return first
            return subj

        # located in
        for m in LOCATED_WORDS.finditer(stext):
            v = s0 + m.start()
            subj = _last_before(sent, v, lambda sp: sp.type in ORG_TYPES or sp.type in (T.Place, T.Project))
            obj = _first_after(sent, s0 + m.end(), lambda sp: sp.type == T.Place, within=6)
            # 位于浙江省宁波市: the innermost of nested places
            while obj is not None and (nxt := starts.get(obj.end)) is not None and nxt.type == T.Place:
                obj = nxt
            # 位于浙江省宁波市的华精集团: the subject is what the place qualifies (also after the
            # place's declared short name: 位于X（简称Y）的华精集团)
            if obj is not None:
                de = _after_bracket(text, obj.end)
            after = starts.get(de + 1) if obj is not None and text[de : de + 1] == "的" else None
            if after is not None and (after.type in ORG_TYPES or after.type == T.Project):
                subj = after
            if subj and obj and subj is not obj:
                out.append(RelSpan(subj, P.locatedIn, obj, subj.start, obj.end, rule="located-verb"))
        # a clause that sets the scene (在龙口市，X公司…; 在距离…的鸠江区，X公司…): what the next clause
        # opens with is there
        for m in SCENE.finditer(stext):
            comma = s0 + m.end() - 1
            place = next((sp for sp in sent if sp.type == T.Place and sp.start >= s0 + m.start()
                          and re.fullmatch(r"(?:[（(][^）)\n]{0,30}[）)])?", text[sp.end : comma])), None)
            subj = _first_after(sent, comma + 1, lambda sp: sp.type in ORG_TYPES or sp.type == T.Project, within=1)
            if place is not None and subj is not None and subj.start == comma + 1 and not any(
                    sp.type == T.Place and place.end <= sp.start and sp.end <= comma for sp in sent):
                out.append(RelSpan(subj, P.locatedIn, place, place.start, subj.end, rule="scene"))
        # a project started or put into operation somewhere (X项目在芜湖经开区开工)
        for proj in (sp for sp in sent if sp.type == T.Project):
            m = PROJECT_SITE.match(text, proj.end)
            if m is None:
                continue
            place = starts.get(proj.end + len(m.group()))
            if place is not None and place.type == T.Place and PROJECT_SITE_VERB.match(
                    re.sub(r"^[（(][^）)\n]{0,30}[）)]", "", text[place.end : place.end + 40])):
                out.append(RelSpan(proj, P.locatedIn, place, proj.start, place.end, rule="project-site"))
        # produces
        for m in PRODUCE_VERBS.finditer(stext):
            v = s0 + m.start()
            subj = maker_before(v)
            if subj is None and re.search(r"该公司|该企业|其|公司", text[s0:v]):
                # 该公司/其 … : the company named last before this sentence, in its paragraph
                subj = _last_before(index.within(para0, s0), s0, lambda sp: sp.type == T.Company)
            if subj is None and m.group() not in NOUN_CUES:
                subj = topic(v, PRODUCERS)  # (not for a noun: 鼓励中小企业细分产品 names no maker)
            if subj is None:
                continue
            for obj in sent:
                if obj.type == T.Product and s0 + m.end() <= obj.start and not _used_in(text, sent, obj):
                    # in a list of makers and their products (X首台A、Y首艘B), each product's maker
                    # is the one named nearest before it
                    maker = _last_before(sent, obj.start, lambda sp: sp.type in PRODUCERS)
                    if maker is None or maker.end <= v:
                        maker = subj  # (who makes, when named before the verb, is the verb's subject)
                    out.append(RelSpan(maker, P.produces, obj, maker.start, obj.end, rule="produce-verb"))
                    # A通过控股子公司B生产X: A makes X through B, and so does B
                    via = THROUGH_SUBSIDIARY.search(text, max(s0, maker.start - 12), maker.start)
                    parent = _last_before(sent, via.start(), lambda sp: sp.type in PRODUCERS) if via else None
                    if parent is not None:
                        out.append(RelSpan(parent, P.produces, obj, parent.start, obj.end, rule="through-subsidiary"))
        # a verb that makes only a product close after it its maker's (累计投运X, 员工正在装配X)
        for m in NEAR_PRODUCE_VERBS.finditer(stext):
            v = s0 + m.start()
            obj = _first_after(sent, s0 + m.end(), lambda sp: sp.type == T.Product, within=NEAR_WINDOW)
            if obj is None or re.search(r"[，。；：！？]", text[s0 + m.end() : obj.start]):
                continue
            subj = maker_before(v) or topic(v, PRODUCERS)
            if subj is not None:
                out.append(RelSpan(subj, P.produces, obj, subj.start, obj.end, rule="near-produce-verb"))
        # a product followed by the work done on it (华精集团瞄准高端轴承研发, 特大型轴承生产车间)
        # or by its maker's output (公司电池片出货量…, 我们的X年产能…: the company spoken of)
        for obj in sent:
            if obj.type == T.Product and PRODUCT_THEN_VERB.match(text, obj.end) and not _used_in(text, sent, obj):
                maker = _last_before(sent, obj.start, lambda sp: sp.type in PRODUCERS)
                if maker is None and PRODUCT_OUTPUT.match(text, obj.end) and OWN_COMPANY.search(text, s0, obj.start):
                    maker = topic(obj.start, PRODUCERS)
                if maker is not None:
                    out.append(RelSpan(maker, P.produces, obj, maker.start, obj.end, rule="product+verb"))
        # a loan product (“X贷”) is the bank's, the bank named last before it in the sentence
        for obj in sent:
            if obj.type == T.Product and LOAN_PRODUCT.search(text, obj.start, obj.end):
                banks = [sp for sp in sent if sp.end <= obj.start and sp.type == T.Company and BANK.search(text, sp.start, sp.end)]
                # the last one, and of a branch and the bank in its name, the branch
                bank = max(banks, key=lambda sp: (sp.end, sp.end - sp.start), default=None)
                if bank is not None:
                    out.append(RelSpan(bank, P.produces, obj, bank.start, obj.end, rule="loan-product"))
        # A与B联合研发的X: both make it
        for m in JOINT_WORK.finditer(stext):
            v = s0 + m.start()
            b = _last_before(sent, v, lambda sp: sp.type in PRODUCERS)
            a = _last_before(sent, b.start, lambda sp: sp.type in PRODUCERS) if b is not None else None
            if b is not None and a is not None and not re.fullmatch(r"与|和|同|及", text[a.end : b.start]) \
                    and re.search(r"(?:公司|企业|集团)(?:正|已|还|将|也|正在)?(?:与|和|同)\Z", text[a.end : b.start]) \
                    and a.type == T.Company:
                pass  # X总经理Y说，公司正与B合作开发…: 公司 is the company named before
            elif a is None or not re.fullmatch(r"与|和|同|及", text[a.end : b.start]):
                continue
            if not re.fullmatch(r"[^，。；：]{0,4}", text[b.end : v]):
                continue
            c1 = _clause_end(text, s0 + m.end(), s1)
            for obj in sent:
                if obj.type == T.Product and s0 + m.end() <= obj.start and obj.end <= c1:
                    for maker in (a, b):
                        out.append(RelSpan(maker, P.produces, obj, a.start, obj.end, rule="joint-work"))
        # the maker named after its products (X、Y等轴承的专业制造商华精轴承公司)
        for maker in sent:
            if maker.type not in PRODUCERS:
                continue
            m = MAKER_NOUN.search(text, max(s0, maker.start - 12), maker.start)
            if m is None:
                continue
            clause0 = max(text.rfind(c, s0, m.start()) for c in "，；：。") + 1
            for obj in sent:
                if obj.type == T.Product and max(clause0, s0) <= obj.start and obj.end <= m.start():
                    out.append(RelSpan(maker, P.produces, obj, obj.start, maker.end, rule="maker-noun"))
        # a platform or line built for kinds of product (华精集团建成了X、Y等试验平台): the
        # builder makes them
        for m in BUILT_FOR.finditer(stext):
            v = s0 + m.end()
            c1 = _clause_end(text, v, s1)
            comma = text.find("，", v, c1)
            c1 = comma if comma >= 0 else c1
            listed = [sp for sp in sent if sp.type == T.Product and v <= sp.start and sp.end <= c1]
            if not listed or not BUILT_HEAD.match(text, listed[-1].end) or BUILT_HEAD.match(text, listed[-1].end).end() > c1:
                continue
            subj = _last_before(sent, s0 + m.start(), lambda sp: sp.type in PRODUCERS)
            # the evidence of a maker named in the previous sentence is this sentence's clause
            ev = subj.start if subj is not None else s0
            subj = subj or _prev_subject(text, spans, sentences, si, PRODUCERS)
            if subj is not None:
                for obj in listed:
                    out.append(RelSpan(subj, P.produces, obj, ev, obj.end, rule="built-for"))
        # a company's own product named right after it (华精集团风电主轴轴承, 华精集团的风电主轴轴承)
        for a in sent:
            b = starts.get(a.end) or (starts.get(a.end + 1) if text[a.end : a.end + 1] == "的" else None)
            if a.type in PRODUCERS and b is not None and b.type == T.Product:
                out.append(RelSpan(a, P.produces, b, a.start, b.end, rule="org+product"))
        # what is made alongside a product made (华精风电轴承、盾构机主轴承和高铁轴承): a list
        # of products shares its maker
        products = [sp for sp in sent if sp.type == T.Product]
        listed = set(products)
        made = [r for r in out if r.predicate == P.produces and r.object in listed] if products else []
        for r in made:
            k = products.index(r.object)
            while k + 1 < len(products) and re.fullmatch(r"、|和|及|与|以及|，以及|等", text[products[k].end : products[k + 1].start]):
                k += 1
                out.append(RelSpan(r.subject, P.produces, products[k], r.subject.start, products[k].end, rule="coordinated"))
        # cooperation
        relative = set()
        for i, b in enumerate(orgs):
            # 与天域公司协同攻关的华精研究院: the organization the clause qualifies works with b
            for a in orgs[i + 1 :]:
                if text[b.start - 1 : b.start] in ("与", "同", "和") and COOP_CLAUSE.fullmatch(text, b.end, a.start):
                    out.append(RelSpan(a, P.cooperatesWith, b, b.start, a.end, rule="coop-clause"))
                    relative.add(b)
                    break
        if (len(orgs) >= 2 and COOP_WORDS.search(stext) and orgs[0] not in relative
                and text[orgs[0].start - 1 : orgs[0].start] not in ("与", "和", "同")):
            # (与A、B等高校共建平台: A and B are both partners of someone unnamed, not of each other)
            # the sentence's first organization works with each partner named after it
            a = orgs[0]
            for b in orgs[1:]:
                if BUILT_BODY.search(text, max(s0, b.start - 6), b.start):
                    continue  # 共建常州新型储能技术研究院: the body they set up is no partner
                between = text[a.end : b.start]
                if a.end <= b.start and re.search(r"与|和|同|联合|携手|会同|、|及", between) and len(between) <= 40:
                    out.append(RelSpan(a, P.cooperatesWith, b, a.start, b.end, rule="coop"))
        # lending (华兴银行某某支行为其发放贷款, 为远航科技提供授信): the bank works with the borrower
        if LENDING.search(stext):
            for bank in orgs:
                if not BANK.search(text, bank.start, bank.end) or any(
                        o is not bank and o.start <= bank.start and bank.end <= o.end for o in orgs):
                    continue
                after = text[bank.end : s1]
                lend = LEND_VERB.search(after)
                if lend is None:
                    continue
                if re.match(r"[为向给]其", after):
                    borrower = _last_before(orgs, bank.start, lambda sp: sp.type == T.Company and not BANK.search(text, sp.start, sp.end))
                else:
                    # (not the bank's own short name in brackets after it: X支行（简称Y）为Z…)
                    borrower = _first_after(orgs, _after_bracket(text, bank.end), lambda sp: sp.type == T.Company and not BANK.search(
                        text, sp.start, sp.end), within=3)
                    borrower = borrower if borrower is not None and borrower.end <= bank.end + lend.start() else None
                if borrower is not None:
                    out.append(RelSpan(bank, P.cooperatesWith, borrower, min(bank.start, borrower.start),
                                       bank.end + lend.end(), rule="lending"))
        # subsidiaries (A是B的全资子公司, A为B旗下企业, B旗下的A, A隶属于B)
        for m in SUBSIDIARY_OF.finditer(stext):
            v0, v1 = s0 + m.start(), s0 + m.end()
            a = _last_before(sent, v0, lambda sp: sp.type in ORG_TYPES)
            b = _first_after(sent, v1, lambda sp: sp.type in ORG_TYPES, within=2)
            # (B（简称Z）的…子公司: the parent is B, the declared form right after it is the same body)
            tail = text[b.end : s1] if b is not None else ""
            needs_tail = not m.group().startswith("隶属")
            if a is None or b is None or a is b or needs_tail and not SUBSIDIARY_TAIL.match(
                    re.sub(r"^[（(][^）)]{0,30}[）)]", "", tail)):
                continue
            if re.search(r"[，。；：]", text[a.end : v0]):
                continue
            out.append(RelSpan(a, P.subOrganizationOf, b, a.start, b.end, rule="subsidiary-of"))
        for m in UNDER_PARENT.finditer(stext):
            b = _last_before(sent, s0 + m.start(), lambda sp: sp.type in ORG_TYPES)
            a = _first_after(sent, s0 + m.end(), lambda sp: sp.type in ORG_TYPES, within=2)
            if a is not None and b is not None and b.end >= s0 + m.start() - 1 and a is not b:
                out.append(RelSpan(a, P.subOrganizationOf, b, b.start, a.end, rule="under-parent"))
        # investment
        for proj in (sp for sp in sent if sp.type == T.Project):
            before = text[s0 : proj.start]
            if not INVEST_WORDS.search(before + text[proj.end : s1]):
                continue
            subj = _last_before(sent, proj.start, lambda sp: sp.type in ORG_TYPES and sp.end <= proj.start)
            if subj is None:
                # the project's own name may begin with its investor (华精集团风电主轴轴承项目)
                inner = [sp for sp in spans if proj.start <= sp.start and sp.end < proj.end and sp.type in ORG_TYPES]
                subj = inner[0] if inner else topic(proj.start, frozenset({T.Company}))
            if subj is not None:
                out.append(RelSpan(subj, P.investsIn, proj, min(subj.start, proj.start), max(proj.end, subj.end), rule="invest"))
    return _dedupe(out)


UNIVERSITY_NAME = re.compile(r"(?:大学|学院)$")
BRANCH_END = re.compile(r"(?:分公司|分厂|分行|支行|分院|分所|分中心)$")
# A是B的(全资|控股)子公司 / A为B旗下企业 / A隶属于B: the verb between A and B
SUBSIDIARY_OF = re.compile(r"(?:是|为|系|作为|隶属于|隶属|属于)")
SUBSIDIARY_TAIL = re.compile(r"(?:的|下属的?|旗下的?)?(?:全资|控股|独资|参股)?(?:子公司|孙公司|下属企业|下属公司|旗下企业|"
                             r"旗下公司|分公司|成员企业|二级企业)|(?:的)?(?:全资|控股)子|旗下")
# B旗下的A / B下属的A: the parent, then its unit
UNDER_PARENT = re.compile(r"(?:旗下|下属|(?:的)?(?:全资|控股|独资)(?:子公司|孙公司))的?")


# a body's kind word standing for the body named before (协会会长X, 联盟理事长X, 分公司负责人X, 该行行长X)
GENERIC_HOLDER = re.compile(r"(?:(?<![^，。；：、“”\n（(])|该|这家|其|本)(协会|商会|联合会|联盟|分公司|分厂|分行|支行|学院|研究院|"
                            r"研究所|研究中心|实验室|大学|集团|公司|企业|银行|该行)\Z")


def _generic_holder(text: str, spans: list[Span], pos: int) -> Span | None:
    """The organization a kind word right before a title stands for: the last one named before
    ``pos`` whose name ends with that word (for 公司/企业 any company; for 该行 a bank)."""
    m = GENERIC_HOLDER.search(text, max(0, pos - 6), pos)
    if m is None:
        return None
    kind = m.group(1)

    def fits(sp: Span) -> bool:
        if sp.type not in ORG_TYPES or sp.end > m.start():
            return False
        name = text[sp.start : sp.end]
        if kind in ("公司", "企业"):
            # (公司 is the company itself, not a branch of it named before: 泓X上海分公司…。公司总经理Y)
            return sp.type == T.Company and not BANK.search(text, sp.start, sp.end) \
                and not BRANCH_OF_COMPANY.search(name)
        if kind in ("银行", "该行"):
            return bool(BANK.search(text, sp.start, sp.end))
        return name.endswith(kind)

    return _last_before(spans, m.start(), fits)


def _signature_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a line of its own in the head of the document, above the
    first line that ends a sentence: the signature of an article written by that person."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    if text[a:start].strip() or text[end:b].strip():
        return False
    return not re.search(r"[。！？]\s*\n", text[:a])


def _used_in(text: str, sent: list[Span], obj: Span) -> bool:
    """Whether ``obj`` heads or stands in a list of products that what is made goes into
    (是A、B等制造过程中不可或缺的关键材料, 为A、B提供配套): their makers are others."""
    end = obj.end
    for sp in sent:
        if sp.type == T.Product and sp.start >= end and re.fullmatch(r"、|和|及|与|以及", text[end : sp.start]):
            end = sp.end
    return bool(USED_AFTER.match(text, end)) or text[max(0, obj.start - 1) : obj.start] == "为" and "提供" in text[end : end + 8]


def _prev_subject(text: str, spans: list[Span], sentences: list[tuple[int, int]], si: int, types) -> Span | None:
    """The first of ``types`` in the previous sentence of the same paragraph: who a sentence
    that names no one continues to speak about (华精集团依托…。相继建成了…)."""
    if si == 0:
        return None
    p0, p1 = sentences[si - 1]
    s0 = sentences[si][0]
    if "\n" in text[p0:s0].rstrip("\n") or "\n" in text[p1 - 1 : s0]:
        return None
    return next((sp for sp in spans if p0 <= sp.start and sp.end <= p1 and sp.type in types), None)


def _place_key(text: str, sp: Span) -> str:
    return sp.canonical or text[sp.start : sp.end]


def _located_by_name(text: str, spans: list[Span]) -> list[RelSpan]:
    """locatedIn from names: a name that holds a place mentioned on its own in the
    document is located there (嘉兴市经济和信息化局 → 嘉兴市; 宁波某某科技有限公司 → 宁波市;
    华精科技（嘉兴）有限公司, 华车嘉兴公司 → 嘉兴市).

    Two places that are merely both mentioned are not related: the gold guideline asks for
    locatedIn only where the text states it or nests the names (辽宁省沈阳市), which the
    sentence rules find.
    """
    from kg.extract.entities import _place_prefix_len, _place_table
    from kg.extract.lexicon import lexicon

    lex = lexicon()
    table = _place_table(lex)
    places: dict[str, Span] = {}
    for sp in spans:
        if sp.type == T.Place:
            form = text[sp.start : sp.end]
            places.setdefault(table.get(form) or form, sp)
            places.setdefault(form, sp)

    def target_of(form: str, is_org: bool) -> Span | None:
        """The place of the document the name ``form`` holds (None: none)."""
        target = None
        n = _place_prefix_len(form, lex)
        if n and n < len(form):
            prefix = form[:n]
            target = places.get(prefix) or places.get(table.get(prefix) or "")
        # a longer place of the document that begins the name is the closer one
        # (天域高新区科技发展局 → 天域高新区, not the city of the gazetteer prefix)
        longer = next((form[:k] for k in range(len(form) - 2, max(n, 1), -1) if form[:k] in places), None)
        if longer is not None and places[longer].type == T.Place:
            target = places[longer]
        if target is None and is_org:
            # a place inside an organization's name (华车嘉兴公司, 华精科技（嘉兴）有限公司)
            for k in range(1, len(form) - 2):
                n = _place_prefix_len(form[k:], lex)
                inner = form[k : k + n] if n else ""
                if inner and len(form) - k - n >= 2 and (places.get(inner) or places.get(table.get(inner) or "")):
                    target = places.get(inner) or places.get(table.get(inner) or "")
                    break
        if target is None and len(form) >= 4:
            # a name that begins with a place of the document that the gazetteer does not know
            # (石桥镇东工业园区 → 石桥镇)
            target = max((p for f, p in places.items() if form.startswith(f) and len(form) - len(f) >= 2
                          and len(f) >= 2), key=lambda p: p.end - p.start, default=None)
        return target

    out: list[RelSpan] = []
    seen: set[tuple] = set()
    targets: dict[tuple[str, bool], Span | None] = {}  # a name is mentioned many times
    for sp in spans:
        if sp.type not in ORG_TYPES and sp.type not in (T.Place, T.Project):
            continue
        form = text[sp.start : sp.end]
        if sp.type == T.ResearchInstitution and UNIVERSITY_NAME.search(form):
            continue  # a university's place name is its name, not where it is (or where its school is)
        key = (form, sp.type in ORG_TYPES)
        if key not in targets:
            targets[key] = target_of(*key)
        target = targets[key]
        if target is None or target.start == sp.start or NATIONAL.fullmatch(_place_key(text, target)):
            # 中国科学院, 全国某某协会: a national name tells the body's scope, not where it is
            continue
        key = (form, _place_key(text, target))
        if key not in seen:
            seen.add(key)
            out.append(RelSpan(sp, P.locatedIn, target, sp.start, sp.end, rule="name-place"))
    return out


def _investor_by_name(text: str, spans: list[Span]) -> list[RelSpan]:
    """A project named after an organization of the document is that organization's
    investment (华精集团风电主轴轴承项目 → 华精集团)."""
    orgs: dict[str, Span] = {}
    for sp in spans:
        if sp.type in ORG_TYPES:
            orgs.setdefault(text[sp.start : sp.end], sp)
    out = []
    for proj in spans:
        if proj.type != T.Project:
            continue
        name = text[proj.start : proj.end]
        prefix = max((f for f in orgs if name.startswith(f) and len(f) < len(name)), key=len, default=None)
        if prefix is not None and orgs[prefix].type == T.GovernmentBody and DESIGNATION.search(name[len(prefix):]):
            # 某部示范项目: a ministry names a demonstration or pilot project, it does not invest
            continue
        if prefix is not None:
            out.append(RelSpan(orgs[prefix], P.investsIn, proj, proj.start, proj.end, rule="project-name"))
    return out


BRACKET = re.compile(r"[（(][^）)\n]{0,30}[）)]")


def _after_bracket(text: str, pos: int) -> int:
    """Where the text goes on after a short bracket right at ``pos`` (a declared short name,
    X（简称Y）), else ``pos``."""
    m = BRACKET.match(text, pos)
    return m.end() if m else pos


def _last_before(sent: list[Span], pos: int, pred) -> Span | None:
    best = None
    for sp in sent:
        if sp.end <= pos and pred(sp):
            best = sp
    return best


def _first_after(sent: list[Span], pos: int, pred, within: int) -> Span | None:
    for sp in sent:
        if sp.start >= pos and sp.start - pos <= within and pred(sp):
            return sp
    return None


def _clause_end(text: str, pos: int, limit: int) -> int:
    m = re.compile(r"[。；！？]").search(text, pos, limit)
    return m.start() if m else limit


def _dedupe(rels: list[RelSpan]) -> list[RelSpan]:
    seen = set()
    out = []
    for r in rels:
        if r.object is not None and r.start >= r.end:
            # the subject stands after the object (a speaker after the quotation): evidence spans both
            r = RelSpan(r.subject, r.predicate, r.object, min(r.subject.start, r.object.start),
                        max(r.subject.end, r.object.end), r.title, r.rule)
        key = (r.subject.start, r.subject.end, r.predicate, r.object.start if r.object else -1, r.object.end if r.object else -1)
        if key in seen or (r.object is not None and r.object == r.subject):
            continue
        if r.predicate == P.cooperatesWith and (r.object.start, r.object.end, r.predicate, r.subject.start, r.subject.end) in seen:
            continue  # cooperation is mutual: once per pair, in the direction stated first
        seen.add(key)
        out.append(r)
    return out
