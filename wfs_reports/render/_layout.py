"""Layout helpers the renderers share: a RAG style as the templates read it,
and the summary bar's parts (the PDF and the web page draw the same bar)."""

from __future__ import annotations

from wfs_reports.domain.colours import RagStyle
from wfs_reports.report.view import RagCount, bar_shares

# Smallest share of the summary bar a non-zero segment gets, so that its
# mark and count ("■ 12") stay legible however lopsided the counts are.
MIN_SEGMENT_SHARE = 0.14


def rag_data(style: RagStyle) -> dict[str, str]:
    """A RAG style as the Typst templates' data (report.typ, progress.typ) holds it."""
    return {"key": style.key, "label": style.label, "fill": style.fill,
            "text": style.text_colour, "mark": style.mark}


def bar_segments(counts: tuple[RagCount, ...]) -> list[dict]:
    """The summary bar's non-zero parts, each with its share of the bar (0-1).

    Proportional to the counts, but never narrower than MIN_SEGMENT_SHARE so
    that every part can carry its mark and count as text.
    """
    shown = [c for c in counts if c.count > 0]
    if not shown:
        return []
    minimum = min(MIN_SEGMENT_SHARE, 1.0 / len(shown))
    final = bar_shares([c.count for c in shown], [minimum] * len(shown))
    # Rounded for stable output; the last part takes up the rounding.
    rounded = [round(s, 4) for s in final]
    rounded[-1] = round(1.0 - sum(rounded[:-1]), 4)
    return [{"rag": rag_data(c.rag), "count": c.count, "width": w}
            for c, w in zip(shown, rounded, strict=True)]
