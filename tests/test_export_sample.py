"""The sample project every export test uses, and a check that it holds the hard cases it claims to.

``build_sample(path)`` makes a project with emoji (ZWJ sequences, skin tones, flags, variation
selectors), Arabic, a text imported with CRLF line ends, overlapping spans (and a span that cuts
a word), spans touching the end of the text, attributes, notes, an entity link, relations
(one across documents), two reviewers and the gold layer, a label with a space in its name, and
quotes that a spreadsheet would run as formulas.
"""

from __future__ import annotations

from pathlib import Path

from annotator import Project

ENGLISH_RAW = ("Officials said at least 1,200 civilians 👨‍👩‍👧 were killed.\r\n"
               "The ministry denied the figure 🙅🏽 on Tuesday 🇫🇷.")
ARABIC = "قال مسؤولون إن 973 مدنياً على الأقل قتلوا في حلب. 🕊️"
FORMULAS = "=SUM(A1) is not a formula; -5% is not either, nor is @user or +1."
EMPTY = "A document nobody annotated yet.\nIt has two lines."


def _span(project: Project, document_id: str, quote: str, label: str, occurrence: int = 0, **options: object) -> str:
    text = project.document_text(document_id)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    options.setdefault("annotator", "alice")
    options.setdefault("attributes", {})
    return project.add_annotation(document_id, start, start + len(quote), label, **options).id


def build_sample(path: Path) -> Project:
    """A fresh project at ``path`` with the documents and annotations described above."""
    project = Project.create(path)
    project.add_label("Peace sign", color="#10B981", description="A symbol of peace in the text.",
                      attributes=[{"name": "decorative", "type": "boolean", "description": "Only decoration?"}])
    english = project.add_document(ENGLISH_RAW, title="Ministry denies toll", outlet="Daily Wire",
                                   published="2024-03-05", language="en", url="https://example.org/toll").id
    arabic = project.add_document(ARABIC, title="مقتل مدنيين في حلب", outlet="الجزيرة", language="ar").id
    formulas = project.add_document(FORMULAS, title="Formulas", outlet="=cmd|' /C calc'!A0").id
    project.add_document(EMPTY, title="Untouched")
    ministry = project.add_entity("Ministry of Health", "organisation", aliases=["MoH"]).id

    claim = _span(project, english, "Officials said at least 1,200 civilians 👨‍👩‍👧 were killed.", "Claim",
                  attributes={"certainty": "reported"},
                  note="Check the UN figure, too")
    officials = _span(project, english, "Officials", "Actor", annotator="bob", attributes={"type": "state"})
    _span(project, english, "Offic", "Actor", annotator="bob")  # cuts a word; overlaps "Officials"
    _span(project, english, "at least 1,200", "Figure",
          attributes={"value": 1200, "lower": 1200, "qualifier": "at least", "unit": "civilians"})
    _span(project, english, "1,200 civilians", "Figure", annotator="bob", attributes={"value": 1200})
    _span(project, english, "👨‍👩‍👧", "Actor", annotator="bob")
    actor = _span(project, english, "The ministry", "Actor", entity_id=ministry)
    denial = _span(project, english, "The ministry denied the figure 🙅🏽 on Tuesday 🇫🇷.", "Claim",
                   attributes={"certainty": "denied"})
    _span(project, english, "🇫🇷.", "Peace sign", annotator="bob", layer="gold")  # touches the end
    project.add_relation(claim, officials, "attributed-to", annotator="alice")
    project.add_relation(denial, actor, "attributed-to", annotator="alice", note="the ministry itself")
    project.add_relation(denial, claim, "contradicts", annotator="bob")

    arabic_claim = _span(project, arabic, "قال مسؤولون إن 973 مدنياً على الأقل قتلوا في حلب.", "Claim", layer="gold",
                         attributes={"certainty": "reported"})
    _span(project, arabic, "مسؤولون", "Actor", layer="gold")
    _span(project, arabic, "973 مدنياً على الأقل", "Figure", layer="gold",
          attributes={"value": 973, "qualifier": "at least", "unit": "مدنياً"}, note="رقم الأمم المتحدة")
    _span(project, arabic, "🕊️", "Peace sign", attributes={"decorative": True})  # touches the end
    project.add_relation(arabic_claim, claim, "same-claim", annotator="alice")  # across documents

    _span(project, formulas, "=SUM(A1)", "Claim", annotator="bob")
    _span(project, formulas, "-5%", "Figure", annotator="bob", attributes={"value": -5, "unit": "%"})
    _span(project, formulas, "@user", "Actor", annotator="bob", note="=HYPERLINK(\"x\")")
    project.set_document_status(arabic, "done")
    project.set_document_status(english, "done")
    project.history.clear()
    return project


def test_sample_has_the_hard_cases(tmp_path: Path) -> None:
    with build_sample(tmp_path / "sample.db") as project:
        documents = project.documents()
        texts = [d.text for d in documents]
        assert "\r" not in texts[0] and "\n" in texts[0]  # CRLF normalised on the way in
        assert any(ord(c) > 0xFFFF for c in texts[0]) and any("\u0600" <= c <= "\u06ff" for c in texts[1])
        annotations = project.annotations()
        assert {a.end for a in annotations} >= {len(texts[0]), len(texts[1])}
        by_document: dict[str, list[tuple[int, int]]] = {}
        for a in annotations:
            by_document.setdefault(a.document_id, []).append((a.start, a.end))
        spans = by_document[documents[0].id]
        assert any(s1 < e2 and s2 < e1 for i, (s1, e1) in enumerate(spans) for s2, e2 in spans[i + 1:])
        assert any(a.attributes for a in annotations) and any(a.note for a in annotations)
        assert any(a.layer == "gold" for a in annotations) and len(project.annotators()) == 2
        assert len(project.relations()) == 4 and any(a.entity_id for a in annotations)
        assert project.annotation_counts().get(documents[3].id, 0) == 0
