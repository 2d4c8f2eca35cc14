"""wfs-reports: the WFS Action Plan Update from the officers' workbook."""

__version__ = "0.1.0"

# The files make-report can write, in the order it makes them.
FORMATS = ("docx", "pdf", "json")
