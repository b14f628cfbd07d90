"""The map step: offsets of every record point into the original text."""

from kg.models import Document, EntityType
from kg.pipeline import extract_document
from kg.text.normalize import fold

ORIGINAL = (
    " 华东精工机械有限公司（简\n\n称华精）董事长张伟表示，今年一季度\n\n"
    "公司实现产值 12.5 亿元，同比增长 8%。\n\n本报记者 陈晓东\n"
)


def squash(s):
    return "".join(c for c in fold(s) if not c.isspace())


def test_records_point_into_the_original():
    res = extract_document(Document(id="t.txt", original=ORIGINAL, date="2023"))
    assert res.mentions and res.figures and res.relations
    for m in res.mentions:
        assert squash(ORIGINAL[m.start : m.end]) == m.text
        assert m.sent_start <= m.start and m.end <= m.sent_end
    for f in res.figures:
        assert squash(ORIGINAL[f.start : f.end]).endswith(f.unit)
    names = {(m.text, m.type) for m in res.mentions}
    assert ("华东精工机械有限公司", EntityType.Company) in names
    assert ("张伟", EntityType.Person) in names
    assert [(a.full.text, a.alias.text) for a in res.aliases] == [("华东精工机械有限公司", "华精")]
    values = {(f.value, f.unit, f.period_normalized) for f in res.figures}
    assert (12.5, "亿元", "2023-Q1") in values
