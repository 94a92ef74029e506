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

from suggest_heldout import ENTITIES, PARAGRAPHS  # noqa: E402

from annotator import Project  # noqa: E402
from annotator.suggest import suggest  # noqa: E402


def _hand_keys(text: str, start: int, end: int, caret: int) -> int:
    """Selecting by keyboard and tagging: Ctrl+Right to the phrase, Ctrl+Shift+Right over it, one label key."""
    words = lambda s: len(re.findall(r"\w+", s))  # noqa: E731
    return words(text[caret:start]) + max(1, words(text[start:end])) + 1


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "bench.db")
        for name, kind, aliases in ENTITIES:
            project.add_entity(name, kind, aliases=aliases)
        ids = [project.add_document(text, title=f"P{i}").id for i, (text, _, _) in enumerate(PARAGRAPHS)]
        figures = suggest(project, "figures")
        actors = suggest(project, "actors")
        fig_gold = fig_found = fig_right = 0
        act_gold = act_found = 0
        hand = assisted = 0
        for doc_id, (text, gold_figures, gold_actors) in zip(ids, PARAGRAPHS):
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
        big = " ".join(text for text, _, _ in PARAGRAPHS)
        big = (big + " ") * (1_000_000 // (len(big) + 1) + 1)
        big_id = project.add_document(big[:1_000_000], title="big").id
        started = time.perf_counter()
        suggest(project, "figures", document_id=big_id)
        suggest(project, "actors", document_id=big_id)
        took = time.perf_counter() - started
        project.close()
    return {
        "paragraphs": len(PARAGRAPHS),
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
    }


def main() -> None:
    results = measure()
    width = max(map(len, results))
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for key, value in results.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"| {key.ljust(width)} | {shown} |")


if __name__ == "__main__":
    main()
