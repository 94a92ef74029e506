"""Every figure phrase in a whole text, with its span: the figures parser (``annotator.figures``)
run over a document rather than over one highlighted quote. A span runs from the qualifier
("over", "between") through the number or range and its suffix ("+", "%", "or more") to the
counted noun ("1,200 Alawites"), as a reviewer would highlight it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator import figures as f


@dataclass(frozen=True)
class FoundFigure:
    start: int
    end: int
    figure: f.ParsedFigure


def find_figures(text: str) -> list[FoundFigure]:
    """Figure phrases in text order; years and dates are not figures (the parser's rules)."""
    masked = f._NOT_FIGURES.sub(lambda m: "\0" * len(m.group()), text)
    found: list[FoundFigure] = []
    last_end = 0
    for m in f._ATOM.finditer(masked):
        if m.start() < last_end:
            continue
        figure = f._figure_at(masked, m, text)
        if figure is None:
            continue
        start = m.start()
        if figure.qualifier not in ("exact", "vague") or figure.is_range:
            q = f._QUALIFIER_BEFORE.search(masked, max(0, m.start() - 40), m.start())
            if q is not None:
                start = q.start("q")
        if figure.qualifier == "vague":
            end = m.end()
        else:
            end = f._number(m)[2]
            if figure.is_range:
                sep = f._RANGE_SEP.match(masked, end)
                second = f._ATOM.match(masked, sep.end()) if sep else None
                if second is not None:
                    end = f._number(second)[2]
            suffix = f._SUFFIX.match(masked, end)
            end = suffix.end() if suffix else end
        if figure.unit and figure.unit != "%":
            at = masked.find(figure.unit, end, end + 60)
            if at >= 0:
                end = at + len(figure.unit)
        found.append(FoundFigure(start, end, replace(figure, text=text[start:end])))
        last_end = end
    return found
