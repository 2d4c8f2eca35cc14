"""Word plumbing shared by the report (render/docx.py) and the update-request
form (render/request_form.py). Those two lay their values out; this module
does everything else with docxtpl and python-docx.

- **Text is data.** Officer text is escaped here into WordprocessingML run
  content and passed to docxtpl as values, never compiled by Jinja.
- **Templates cannot run code.** A template may come from a shared drive many
  people can write to, so it is rendered in Jinja's ``SandboxedEnvironment``:
  a tag that reaches for Python internals (``cycler.__init__.__globals__``)
  stops the render with one line naming the template.
- **Same bytes.** Fixed core properties and a deterministic zip
  (``wfs_reports.output.archive``): the same values and template give the same
  file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources.abc
import io
import pathlib
from collections.abc import Mapping
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2 import FileSystemBytecodeCache, FunctionLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.text import PARAGRAPH_BREAK, safe
from wfs_reports.output.archive import content_types_first, rezip

Template = pathlib.Path | importlib.resources.abc.Traversable

LANG = "en-GB"
NO_FILL = "auto"  # w:fill="auto": no shading (an empty fill would be invalid OOXML)
# Word refuses a core property (title, author, ...) longer than this.
PROPERTY_LIMIT = 255


# ---------------------------------------------------------------- text


def escape_text(text: str) -> str:
    """Clean text (see domain.text.safe) XML-escaped for a w:t, with "{" and "}"
    as character references.

    After rendering, docxtpl turns "{_{" into "{{" (and "}_}", "{_%", "%_}")
    everywhere in the output, which would alter text such as "{_{ x }_}". The
    references are resolved when the XML is parsed, so the document holds the
    literal braces.
    """
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


def text(value: str | None) -> Markup:
    """Officer text as safe WordprocessingML run content.

    - XML-escaped here (see escape_text), then marked safe so autoescape does
      not escape it twice (a literal "&" must come out as "&", not "&amp;").
    - A blank line ("\\n\\n") becomes "\\a", docxtpl's documented new-paragraph
      marker (same paragraph and run style); a single "\\n" becomes a line break.
    """
    if not value:
        return Markup("")
    value = safe(value.replace("\r\n", "\n").replace("\r", "\n"))
    return Markup(escape_text(PARAGRAPH_BREAK.sub("\a", value.strip("\n"))))


def attr(value: str) -> Markup:
    """Text for an attribute value (table captions): one line, escaped like text()."""
    return text(" ".join(value.split()))


def rich(value: str, colour: str) -> RichText:
    """A run in its own colour (RAG labels). RichText escapes its text itself.

    Only the colour is set here (bold etc. come from the template's paragraph
    style), which also keeps the run properties in schema order.
    """
    run = RichText(safe(value), color=colour.lstrip("#") or None)
    run.xml = run.xml.replace("{", "&#123;").replace("}", "&#125;")  # see escape_text()
    return run


def fill(colour: str) -> str:
    """A cell shading colour for the template's cellbg: "rrggbb", or no shading."""
    return colour.lstrip("#") or NO_FILL


# ---------------------------------------------------------------- pictures


class Pictures:
    """Pictures for a template, each with a name and alt text for screen readers.

    docxtpl's ``InlineImage`` sets neither, so each picture is remembered by
    its content and described after rendering, wherever the template put it
    (body, header or footer): ``wp:docPr/@descr`` and ``@name``.
    """

    def __init__(self, tpl: DocxTemplate) -> None:
        self._tpl = tpl
        self._described: dict[str, tuple[str, str]] = {}

    def add(self, data: bytes, *, width_mm: float, name: str, alt: str) -> InlineImage:
        self._described[hashlib.sha1(data).hexdigest()] = (name, safe(alt))
        return InlineImage(self._tpl, io.BytesIO(data), width=Mm(width_mm))

    def describe(self) -> None:
        """Name and describe every rendered picture (call after render())."""
        if not self._described:
            return
        for part in self._tpl.docx.part.package.iter_parts():
            root = getattr(part, "element", None)  # XML parts only, not the images
            if root is None:
                continue
            for inline in root.iter(qn("wp:inline")):
                blip = next(inline.iter(qn("a:blip")), None)
                image = part.related_parts.get(blip.get(qn("r:embed"))) \
                    if blip is not None else None
                described = self._described.get(getattr(image, "sha1", ""))
                doc_pr = inline.find(qn("wp:docPr"))
                if described is None or doc_pr is None:
                    continue
                name, alt = described
                doc_pr.set("descr", alt)
                doc_pr.set("name", name)


# ---------------------------------------------------------------- the template


class _Environment(SandboxedEnvironment):
    """The Jinja environment docxtpl renders with: sandboxed, strict, cached.

    StrictUndefined: a tag mistyped while editing the template in Word fails
    loudly instead of leaving a silently empty cell.

    docxtpl hands each part of the document to ``from_string``. Compiling them
    is about half of a Word render, so each part is loaded as a template named
    by the hash of its text, through Jinja's own loader and bytecode cache (a
    private folder of this user's in the temporary directory): an edited
    template has another name and is compiled afresh, never served stale. The
    name also says "sandboxed", so code compiled outside the sandbox (which
    calls functions unchecked) is never reused here.
    """

    def __init__(self) -> None:
        self._sources: dict[str, str] = {}
        try:
            cache = FileSystemBytecodeCache()
        except (OSError, RuntimeError):  # no safe private folder: compile each time
            cache = None
        super().__init__(loader=FunctionLoader(self._sources.get), autoescape=True,
                         undefined=StrictUndefined, bytecode_cache=cache)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        name = f"sandboxed-{hashlib.sha256(source.encode('utf-8')).hexdigest()}.xml"
        self._sources[name] = source
        return self.get_template(name, globals=globals)


def open_template(template: Template) -> DocxTemplate:
    """The docxtpl template, loaded now so styles can be adjusted before render()."""
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    tpl.init_docx()
    return tpl


def render(tpl: DocxTemplate, values: Mapping[str, Any], template: Template, what: str,
           bundled: str) -> None:
    """Render ``values`` into ``tpl``; a template that fails is one line naming it.

    ``what`` names the template for the officer ("the Word template"),
    ``bundled`` is the file to restore ("report.docx").
    """
    try:
        tpl.render(dict(values), jinja_env=_Environment(), autoescape=True)
    except SecurityError as error:
        raise ReportError(
            f"{template}: {what} asks for something a template may not do "
            f"({str(error).rstrip('.')}); "
            f"remove that tag, or restore the bundled {bundled}"
        ) from None
    except TemplateError as error:
        lines = getattr(error, "docx_context", [])  # docxtpl: text around the bad tag
        near = " / ".join(line.strip() for line in lines if line.strip())
        raise ReportError(
            f"{template}: {what} could not be used ({error.message or error}"
            f"{'; near: ' + near[:200] if near else ''}); retype any tag edited in Word "
            f"as one piece, or restore the bundled {bundled}"
        ) from None


def apply_style_colours(tpl: DocxTemplate, colours: Mapping[str, str]) -> None:
    """Set the font colour of the template's styles that exist: {style name: "#rrggbb"}.
    Colours live in brand.toml; the template owns every other style property."""
    names = {style.name for style in tpl.docx.styles}
    for name, colour in colours.items():
        if name in names and colour:
            tpl.docx.styles[name].font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


# Children of w:tcPr that the schema puts before w:shd.
_BEFORE_SHD = {qn(f"w:{t}") for t in ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge",
                                      "tcBorders")}


def fix_shading_order(tpl: DocxTemplate) -> None:
    """docxtpl's cellbg puts w:shd first in w:tcPr; move it to its schema place
    (after tcW etc.) so strict consumers of the OOXML schema accept the file."""
    for tc_pr in tpl.docx.element.body.iter(qn("w:tcPr")):
        shd = tc_pr.find(qn("w:shd"))
        if shd is None:
            continue
        tc_pr.remove(shd)
        anchor = None
        for child in tc_pr:
            if child.tag in _BEFORE_SHD:
                anchor = child
        if anchor is None:
            tc_pr.insert(0, shd)
        else:
            anchor.addnext(shd)


def set_core_properties(tpl: DocxTemplate, *, as_at_iso: str, title: str, subject: str,
                        author: str, comments: str, identifier: str | None = None) -> None:
    """The document's properties, all fixed by the data (dates: the as-at day).

    Set after render(): docxtpl compiles core properties as Jinja templates,
    and officer text must never be compiled. ``identifier`` None leaves the
    template's own.
    """
    midnight = dt.datetime.fromisoformat(as_at_iso).replace(tzinfo=None)
    props = tpl.docx.core_properties
    props.title = title[:PROPERTY_LIMIT]
    props.subject = subject[:PROPERTY_LIMIT]
    props.author = author[:PROPERTY_LIMIT]
    props.last_modified_by = author[:PROPERTY_LIMIT]
    props.language = LANG
    if identifier is not None:
        props.identifier = identifier[:PROPERTY_LIMIT]
    props.comments = comments[:PROPERTY_LIMIT]
    props.keywords = ""
    props.category = ""
    props.created = midnight
    props.modified = midnight
    props.last_printed = midnight
    props.revision = 1


def add_custom_xml(tpl: DocxTemplate, data: bytes) -> None:
    """Add ``data`` as a custom XML part of the document (customXml/itemN.xml, with its
    properties part), related from the main document: Word's place for a
    document's own data, kept when the file is saved again and never shown."""
    import uuid

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document_part = tpl.docx.part
    package = document_part.package
    item_name = package.next_partname("/customXml/item%d.xml")  # the template may have one
    number = item_name.idx
    item = Part(item_name, "application/xml", data, package)
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_OID, hashlib.sha256(data).hexdigest())).upper() \
        + "}"
    properties = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
         '<ds:datastoreItem ds:itemID="' + item_id + '" xmlns:ds="http://schemas.'
         'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
         '</ds:datastoreItem>').encode("utf-8"),
        package)
    item.relate_to(properties, RT.CUSTOM_XML_PROPS)
    document_part.relate_to(item, RT.CUSTOM_XML)


def save(tpl: DocxTemplate, as_at_iso: str) -> bytes:
    """The rendered document as .docx bytes, identical for identical content."""
    fix_shading_order(tpl)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return rezip(buffer.getvalue(), dt.date.fromisoformat(as_at_iso),
                 order=content_types_first, compresslevel=9)
