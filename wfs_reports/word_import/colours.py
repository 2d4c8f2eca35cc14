"""Colours: which RAG a hand-coloured cell means.

Word writes a cell's colour in several ways (a hex fill, a theme colour with a
tint or shade, a pattern, a paragraph's or a run's shading, a highlight);
``Colours`` resolves them to hex, ``cell_colour`` finds the one a cell shows,
and ``colour_rag`` reads its hue. ``RagKey`` is what the document's own RAG key
teaches: its labels and colours, which come first for a cell coloured (almost)
exactly as one of them.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wfs_reports.domain.colours import is_colour
from wfs_reports.domain.model import Rag
from wfs_reports.word_import.ooxml import A_NS, local, w
from wfs_reports.word_import.vocabulary import (
    KEY_CELLS,
    KEY_TITLE,
    RAG_WORD_LOOKUP,
    key,
    strip_mark,
)

if TYPE_CHECKING:  # the walk reads colours with Colours: no import at run time
    from wfs_reports.word_import.walk import Row

# Word's highlight colours, by name (w:highlight).
HIGHLIGHTS = {
    "yellow": "FFFF00", "green": "00FF00", "red": "FF0000", "darkYellow": "808000",
    "darkGreen": "008000", "darkRed": "800000", "cyan": "00FFFF", "magenta": "FF00FF",
    "blue": "0000FF", "darkBlue": "000080", "darkCyan": "008080", "darkMagenta": "800080",
    "lightGray": "C0C0C0", "darkGray": "808080", "black": "000000", "white": "FFFFFF",
}
# Office's default theme, for w:themeFill when the document carries no theme.
DEFAULT_THEME = {
    "dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "lt2": "E7E6E6",
    "accent1": "4472C4", "accent2": "ED7D31", "accent3": "A5A5A5", "accent4": "FFC000",
    "accent5": "5B9BD5", "accent6": "70AD47", "hlink": "0563C1", "folHlink": "954F72",
}
THEME_NAMES = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2", "text1": "dk1",
    "background1": "lt1", "text2": "dk2", "background2": "lt2", "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{i}": f"accent{i}" for i in range(1, 7)},
}
# RGB distances (0-441) to a colour of the document's own RAG key: this close,
# a cell is that key's colour whatever its hue; this close, a colour no hue
# names takes the key's meaning.
SAME_AS_KEY_DISTANCE = 24
KEY_COLOUR_DISTANCE = 80


def _hex(value: str | None) -> str | None:
    if value and is_colour(f"#{value}"):
        return value.upper()
    return None


class Colours:
    """Resolves Word's colour attributes (hex, theme colours, tints) to hex."""

    def __init__(self, theme: dict[str, str]):
        self.theme = theme

    @classmethod
    def of(cls, document) -> Colours:
        theme = dict(DEFAULT_THEME)
        try:
            from defusedxml.ElementTree import fromstring

            for rel in document.part.rels.values():
                if rel.reltype.endswith("/theme") and not rel.is_external:
                    root = fromstring(rel.target_part.blob)
                    for scheme in root.iter(f"{{{A_NS}}}clrScheme"):
                        for entry in scheme:
                            for colour in entry:
                                value = colour.get("val") if local(colour.tag) == "srgbClr" \
                                    else colour.get("lastClr")
                                if _hex(value):
                                    theme[local(entry.tag)] = value.upper()
                        break
        except Exception:  # noqa: BLE001 - a theme we cannot read leaves Office's defaults
            pass
        return cls(theme)

    def _theme(self, name: str | None, tint: str | None, shade: str | None) -> str | None:
        base = self.theme.get(THEME_NAMES.get(name or "", ""))
        if base is None:
            return None
        red, green, blue = (int(base[i:i + 2], 16) for i in (0, 2, 4))
        if _hex("0000" + (tint or "")) and tint:
            t = int(tint, 16) / 255
            red, green, blue = (round(255 - (255 - c) * t) for c in (red, green, blue))
        if _hex("0000" + (shade or "")) and shade:
            s = int(shade, 16) / 255
            red, green, blue = (round(c * s) for c in (red, green, blue))
        return f"{red:02X}{green:02X}{blue:02X}"

    def shading(self, shd) -> str | None:
        """The colour a w:shd shows, or None for none."""
        if shd is None:
            return None
        pattern = shd.get(w("val"), "clear")
        if pattern == "nil":
            return None
        fill = self._theme(shd.get(w("themeFill")), shd.get(w("themeFillTint")),
                           shd.get(w("themeFillShade"))) or _hex(shd.get(w("fill")))
        colour = self._theme(shd.get(w("themeColor")), shd.get(w("themeTint")),
                             shd.get(w("themeShade"))) or _hex(shd.get(w("color")))
        if pattern == "solid":
            return colour or ("000000" if shd.get(w("color")) == "auto" else fill)
        percent = re.fullmatch(r"pct(\d+)", pattern)
        if percent and colour:
            share = int(percent.group(1)) / 100
            back = fill or "FFFFFF"
            mixed = (round(int(colour[i:i + 2], 16) * share + int(back[i:i + 2], 16)
                           * (1 - share)) for i in (0, 2, 4))
            return "".join(f"{c:02X}" for c in mixed)
        return fill


def is_neutral(colour: str) -> bool:
    """White, grey or black: no RAG colour at all."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    _hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    return saturation < 0.12 or value < 0.15


def colour_rag(colour: str, key_colours: dict[Rag, str] | None = None) -> Rag | None:
    """The RAG a hand-coloured cell means: Rag.COMPLETED / MINOR_ISSUES / MISSED,
    or None for no colour (white, grey) or one that is none of the three.

    The hue decides, so Word's standard green 00B050, amber FFC000 and red
    FF0000, this project's own colours and anything near them (light green,
    orange, dark red, Excel's pale "good" green) all read as meant. The
    document's own RAG key comes first for a cell coloured (almost) exactly as
    one of its entries, and last for a colour no hue names (a key whose
    "completed" is blue).
    """
    if is_neutral(colour):
        return None
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    nearest: tuple[float, Rag] | None = None
    for rag, key_colour in (key_colours or {}).items():
        other = [int(key_colour[i:i + 2], 16) for i in (0, 2, 4)]
        distance = sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True)) ** 0.5
        if nearest is None or distance < nearest[0]:
            nearest = (distance, rag)
    if nearest is not None and nearest[0] <= SAME_AS_KEY_DISTANCE:
        return nearest[1]
    hue = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))[0] * 360
    if hue < 15 or hue >= 330:
        return Rag.MISSED
    if hue < 70:
        return Rag.MINOR_ISSUES
    if hue < 175:
        return Rag.COMPLETED
    if nearest is not None and nearest[0] <= KEY_COLOUR_DISTANCE:
        return nearest[1]
    return None


def cell_colour(tc, colours: Colours) -> str | None:
    """The cell's colour: its own shading, else a paragraph's or a run's shading or
    highlight (some authors colour the text background, not the cell)."""
    tc_pr = tc.find(w("tcPr"))
    own = colours.shading(tc_pr.find(w("shd")) if tc_pr is not None else None)
    if own and not is_neutral(own):
        return own
    for element in tc.iter(w("shd"), w("highlight")):
        if local(element.tag) == "highlight":
            found = HIGHLIGHTS.get(element.get(w("val"), ""))
        else:
            found = colours.shading(element)
        if found and not is_neutral(found):
            return found
    return own


@dataclass
class RagKey:
    """The RAG vocabulary of one document: its labels (the bundled ones, and any its
    own key row words differently) and the colours its key row shows."""

    names: dict[Rag, str]  # each RAG's label, as the workbook writes it
    labels: dict[str, Rag] = field(init=False)  # by key(): the labels the document uses
    colours: dict[Rag, str] = field(default_factory=dict)  # the key row's colours, hex

    def __post_init__(self) -> None:
        self.labels = {key(label): rag for rag, label in self.names.items()}

    def label(self, text: str) -> Rag | None:
        """The RAG a label names ('Missed target requires action'), or None."""
        return self.labels.get(key(text))

    def word(self, text: str) -> Rag | None:
        """The RAG a RAG cell's words name: a label, or what officers write ('Amber')."""
        text_key = key(strip_mark(text))
        return self.labels.get(text_key) or RAG_WORD_LOOKUP.get(text_key)

    def colour(self, colour: str) -> Rag | None:
        """The RAG a colour means, the key's own colours first (``colour_rag``)."""
        return colour_rag(colour, self.colours)

    def learn(self, row: Row) -> bool:
        """A RAG key row ('RAG Status | Completed Action | ...'): learn its colours
        and labels. True if the row was one."""
        keys = [key(strip_mark(cell.text)) for cell in row.cells]
        labelled = [text_key in self.labels for text_key in keys]
        is_key = any(labelled) and all(
            is_label or text_key in KEY_CELLS
            for text_key, is_label in zip(keys, labelled, strict=True))
        if not is_key:
            return False
        for cell, text_key in zip(row.cells, keys, strict=True):
            rag = self.labels.get(text_key)
            if rag is not None and rag is not Rag.NOT_APPLICABLE and cell.colour \
                    and not is_neutral(cell.colour):
                self.colours.setdefault(rag, cell.colour)
        if row.cells and keys[0] == KEY_TITLE:
            # A key with its own wording: the labels are its cells, in the key's order.
            for cell, rag in zip(row.cells[1:], (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED),
                                 strict=False):
                if cell.text:
                    self.labels.setdefault(key(strip_mark(cell.text)), rag)
        return True
