"""wfs-reports: the WFS Action Plan Update from the officers' workbook."""

__version__ = "0.1.0"
