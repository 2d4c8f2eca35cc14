"""Templates, brand and rules files: found, read and checked in one place.

The templates ship inside the package (``wfs_reports/templates`` in the
wheel, ``templates/`` in the repository), so ``make-report`` works from any
folder. ``--templates DIR`` points at an edited copy instead.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wfs_reports.domain.colours import MINIMUM_CONTRAST, PAPER, contrast_shortfall, is_colour
from wfs_reports.domain.errors import ConfigError
from wfs_reports.domain.model import Brand
from wfs_reports.domain.rules import RulesConfig

DOCX_TEMPLATE = "report.docx"
PDF_TEMPLATE = "report.typ"
# The form each owner fills in (make-report --requests); optional in a
# --templates folder, which may predate it: the bundled one is used then.
REQUEST_TEMPLATE = "update_request.docx"
# The "Progress over time" picture; optional too, for a folder copied before it existed.
PROGRESS_TEMPLATE = "progress.typ"
BRAND_FILE = "brand.toml"
RULES_FILE = "rules.toml"
REQUIRED_FILES = (DOCX_TEMPLATE, PDF_TEMPLATE, BRAND_FILE, RULES_FILE)



@dataclass(frozen=True)
class Templates:
    folder: Path
    brand: Brand
    rules: RulesConfig

    @property
    def docx(self) -> Path:
        return self.folder / DOCX_TEMPLATE

    @property
    def update_request(self) -> Path:
        own = self.folder / REQUEST_TEMPLATE
        return own if own.is_file() else bundled_templates() / REQUEST_TEMPLATE

    @property
    def progress(self) -> Path:
        """progress.typ: the folder's own, else the bundled one (the renderers
        draw it with the folder's fonts either way)."""
        own = self.folder / PROGRESS_TEMPLATE
        return own if own.is_file() else bundled_templates() / PROGRESS_TEMPLATE


def bundled_templates() -> Path:
    """The templates folder shipped with the package."""
    # Installed, the wheel carries them as wfs_reports/templates (a real
    # folder: Typst and docxtpl both want file paths). Run from a
    # checkout, they are the repository's own templates/ folder.
    installed = Path(str(resources.files("wfs_reports") / "templates"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[1] / "templates"


def load_templates(folder: Path | None = None) -> Templates:
    folder = Path(folder) if folder is not None else bundled_templates()
    if not folder.is_dir():
        raise ConfigError(f"{folder}: templates folder not found; check --templates")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigError(
            f"{folder}: templates folder is missing {', '.join(missing)}; copy them from "
            "the bundled templates"
        )
    return Templates(
        folder=folder.resolve(),
        brand=_load_brand(folder / BRAND_FILE),
        rules=_load_rules(folder / RULES_FILE),
    )


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}; fix the file (it is TOML: name = \"value\")") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None


def _load_rules(path: Path) -> RulesConfig:
    try:
        return RulesConfig.from_mapping(_read_toml(path), source=str(path))
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _load_brand(path: Path) -> Brand:
    data = _read_toml(path)
    values = {}
    for key, default in (("primary", "#005eb8"), ("accent", "#005eb8"),
                         ("accent_text", "#ffffff")):
        colour = str(data.get(key, default)).strip()
        if not is_colour(colour):
            raise ConfigError(f"{path}: {key} = {colour!r} is not a #rrggbb colour")
        values[key] = colour.lower()
    for text, background in (("accent_text", "accent"), ("primary", None)):
        ratio = contrast_shortfall(values[text], values[background] if background else PAPER)
        if ratio is not None:
            on = f"on {background} {values[background]}" if background else "on white paper"
            raise ConfigError(
                f"{path}: {text} {values[text]} {on} has a contrast of {ratio:.2f}:1, below "
                f"the {MINIMUM_CONTRAST}:1 that readers need; choose another colour"
            )
    logo = str(data.get("logo", "") or "").strip() or None
    logo_alt = str(data.get("logo_alt", "") or "").strip()
    if logo:
        logo_path = (path.parent / logo).resolve()
        if path.parent.resolve() not in logo_path.parents or not logo_path.is_file():
            raise ConfigError(
                f"{path}: logo {logo!r} must be an image file inside the templates folder"
            )
        if not logo_alt:
            raise ConfigError(f"{path}: logo_alt is empty; describe the logo for screen readers")
    return Brand(
        organisation=str(data.get("organisation", "")).strip(),
        strapline=str(data.get("strapline", "")).strip(),
        logo=logo,
        logo_alt=logo_alt,
        **values,
    )
