"""Quality and speed of the suggestions, on the held-out paragraphs in tests/suggest_heldout.py.

    .venv/bin/python benchmarks/suggestions.py

Prints recall and precision of the figure suggestions (a suggestion is right when it overlaps a
gold figure and carries its value and qualifier; recall also counts one whose span merely
overlaps, as "found") and of the actor suggestions for registered entities (exact spans),
keystrokes per accepted figure against selecting and tagging by hand, and the time to suggest
figures and actors for a 1M-character document. Targets: figure recall >= 0.95, precision >=
0.85; actor recall >= 0.95; 1M characters within 1 s.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from suggest_heldout import BLIND_ENTITIES, BLIND_PARAGRAPHS, ENTITIES, PARAGRAPHS  # noqa: E402

from annotator import Project  # noqa: E402
from annotator.suggest import suggest  # noqa: E402


def _hand_keys(text: str, start: int, end: int, caret: int) -> int:
    """Selecting by keyboard and tagging: Ctrl+Right to the phrase, Ctrl+Shift+Right over it, one label key."""
    words = lambda s: len(re.findall(r"\w+", s))  # noqa: E731
    return words(text[caret:start]) + max(1, words(text[start:end])) + 1


def measure(paragraphs=PARAGRAPHS, entities=ENTITIES, timing: bool = True) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "bench.db")
        for name, kind, aliases in entities:
            project.add_entity(name, kind, aliases=aliases)
        ids = [project.add_document(text, title=f"P{i}").id for i, (text, _, _) in enumerate(paragraphs)]
        figures = suggest(project, "figures")
        actors = suggest(project, "actors")
        fig_gold = fig_found = fig_right = 0
        act_gold = act_found = 0
        hand = assisted = 0
        for doc_id, (text, gold_figures, gold_actors) in zip(ids, paragraphs):
            mine = [s for s in figures if s.document_id == doc_id]
            used: set[int] = set()
            caret = 0
            for phrase, value, qualifier in gold_figures:
                start = text.index(phrase)
                end = start + len(phrase)
                fig_gold += 1
                hand += _hand_keys(text, start, end, caret)
                caret = end
                match = next((i for i, s in enumerate(mine) if i not in used and s.start < end and start < s.end), None)
                if match is None:
                    assisted += _hand_keys(text, start, end, start)  # missed: tagged by hand
                    continue
                used.add(match)
                fig_found += 1
                s = mine[match]
                fig_right += (s.value == value and s.qualifier == qualifier)
            assisted += len(mine)  # one key per suggestion: Enter accepts, Backspace rejects (each moves on)
            gold_spans = set()
            for mention in gold_actors:
                for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text):
                    gold_spans.add((m.start(), m.end()))
            act_gold += len(gold_spans)
            act_found += len(gold_spans & {(s.start, s.end) for s in actors if s.document_id == doc_id})
        act_suggested = len(actors)
        took = cpu = float("nan")
        if timing:
            big = " ".join(text for text, _, _ in paragraphs)
            big = (big + " ") * (1_000_000 // (len(big) + 1) + 1)
            big_id = project.add_document(big[:1_000_000], title="big").id
            started, cpu = time.perf_counter(), time.process_time()
            suggest(project, "figures", document_id=big_id)
            suggest(project, "actors", document_id=big_id)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        project.close()
    return {
        "paragraphs": len(paragraphs),
        "figures": fig_gold,
        "figure recall": fig_found / fig_gold,
        "figure precision": fig_right / len(figures),
        "figure value+qualifier right": fig_right / fig_gold,
        "actor mentions": act_gold,
        "actor recall": act_found / act_gold,
        "actor precision": act_found / act_suggested,
        "keys per figure by hand": hand / fig_gold,
        "keys per figure with suggestions": assisted / fig_gold,
        "1M characters, figures + actors (s)": took,
        "1M characters, figures + actors (CPU s)": cpu,
    }


def search_time(documents: int = 10_000) -> float:
    """Seconds for one FTS5 search over ``documents`` short reports (a rare word, accents folded)."""
    from annotator.importers.base import ImportedDocument
    from annotator.search import search

    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "search.db")
        rows = [f"Report {i}: shelling near Tartús {i} killed {i % 50} people, officials said." for i in range(documents)]
        rows[documents // 2] += " A rare word: Zanzíbar."
        project.import_documents([ImportedDocument(text, {"title": f"R{i}"}) for i, text in enumerate(rows)])
        started = time.perf_counter()
        hits = search(project, "zanzibar")
        took = time.perf_counter() - started
        project.close()
    assert [h.text for h in hits] == ["Zanzíbar"]
    return took


def fold_time(chars: int = 1_000_000) -> float:
    """Seconds to fold ``chars`` non-ASCII characters for search and map every hit back to the original."""
    from annotator.search import Folded

    chunk = "Les habitants de Tartús e\u0301vacue\u0301s, قتل ٩٧٣ مدنيا 👩‍👩‍👧; "
    text = (chunk * (chars // len(chunk) + 1))[:chars]
    started = time.perf_counter()
    folded = Folded(text)
    spans = [folded.span(m.start(), m.end()) for m in re.finditer(r"(?i)tartus|evacues", folded.text)]
    took = time.perf_counter() - started
    assert {text[s:e] for s, e in spans} == {"Tartús", "e\u0301vacue\u0301s"}
    return took


def main() -> None:
    """One table: the first held-out set (written alongside the rules) and the second (written blind)."""
    first = measure()
    blind = measure(BLIND_PARAGRAPHS, ENTITIES + BLIND_ENTITIES, timing=False)
    width = max(map(len, first))
    print(f"| {'measure'.ljust(width)} | held-out | blind |")
    print(f"|{'-' * (width + 2)}|----------|-------|")
    for key, value in first.items():
        shown = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in (value, blind[key])]
        if key.startswith("1M"):
            shown[1] = ""
        print(f"| {key.ljust(width)} | {shown[0]} | {shown[1]} |")
    print(f"| {'search over 10,000 documents (s)'.ljust(width)} | {search_time():.3f} | |")
    print(f"| {'fold + map back 1M non-ASCII characters (s)'.ljust(width)} | {fold_time():.3f} | |")


if __name__ == "__main__":
    main()
