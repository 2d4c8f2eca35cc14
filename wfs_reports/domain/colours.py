"""The look: colours, their contrast as WCAG 2.2 defines it, and each RAG's
style (label, fill, text colour, mark). Pure, no I/O: the rules and brand
files are read elsewhere and checked here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# WCAG 2.2 AA minimum for normal-size text.
MINIMUM_CONTRAST = 4.5
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# What prints where no colour is given: dark text on white paper.
DEFAULT_TEXT = "#0b0c0c"
PAPER = "#ffffff"


@dataclass(frozen=True)
class RagStyle:
    """How one RAG status looks in every document."""

    key: str  # "completed", "minor_issues", "missed", "not_applicable"
    label: str  # "Completed Action"
    fill: str  # "#00703c", or "" for no fill
    text_colour: str  # "#ffffff"
    mark: str  # a short non-colour cue shown beside the label


def is_colour(text: str) -> bool:
    """'#rrggbb'."""
    return bool(HEX_COLOUR.fullmatch(text))


def contrast_shortfall(text: str, background: str) -> float | None:
    """The contrast of ``text`` on ``background`` when below the minimum, else None."""
    ratio = contrast_ratio(text, background)
    return ratio if ratio < MINIMUM_CONTRAST else None


def rag_style(key: str, entry: Mapping[str, object], source: str) -> RagStyle:
    """One [rag.KEY] table of the rules file as a style; ValueError says what is wrong."""
    label = str(entry.get("label", "")).strip()
    if not label:
        raise ValueError(f"{source}: [rag.{key}] needs a label")
    fill = str(entry.get("fill", "")).strip()
    text = str(entry.get("text", DEFAULT_TEXT)).strip()
    for name, colour in (("fill", fill), ("text", text)):
        if colour and not is_colour(colour):
            raise ValueError(f"{source}: [rag.{key}] {name} {colour!r} is not a #rrggbb colour")
    background = fill or PAPER  # no fill prints on white paper
    low = contrast_shortfall(text or DEFAULT_TEXT, background)
    if low is not None:
        raise ValueError(
            f"{source}: [rag.{key}] text {text} on {background} has a contrast of "
            f"{low:.2f}:1, below the {MINIMUM_CONTRAST}:1 that readers need; choose a darker "
            "or lighter text colour"
        )
    return RagStyle(key, label, fill.lower(), (text or DEFAULT_TEXT).lower(),
                    str(entry.get("mark", "")).strip())


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Luminance of a '#rrggbb' colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(foreground: str, background: str) -> float:
    """Contrast between two '#rrggbb' colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
