"""Reports: the design-point report (``report`` stage); sweeps are aggregated by `pipeline.dse.sweep_report`.

* `render` -- the reusable machinery: a `Document` of sections (tables with units, key/value
  lists, paragraphs, figures) rendered to Markdown and HTML by jinja2 templates
  (``templates/document.{md,html}.j2``); `write_document` writes both.
* `design_point` -- `write_report`: report.md / report.html and its PNG figures.
* `figures` -- the PNG figures (breakdowns, shares, training curve).
* `content` -- what the report computes from the stage outputs (shares, per-layer figures, names).
"""
from .design_point import FIGURES, build_document, write_report
from .figures import breakdown_plot, shares_plot, training_curve_plot
from .render import (BulletList, Column, Document, Figure, KeyValues, Paragraph, Section, Table, fmt_number,
                     markdown_table, render, render_document, write_document)

__all__ = ["FIGURES", "build_document", "write_report", "breakdown_plot", "shares_plot",
           "training_curve_plot", "BulletList", "Column", "Document", "Figure", "KeyValues", "Paragraph", "Section",
           "Table", "fmt_number", "markdown_table", "render", "render_document", "write_document"]
