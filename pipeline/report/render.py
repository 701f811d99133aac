"""Rendering: a report is a `Document` (sections of paragraphs, tables, figures, key/value lists)
rendered to Markdown and HTML by the jinja2 templates in ``templates/``.

Any report of the project (the design-point report, the sweep report) builds a `Document` and
calls `write_document`; the templates decide the look, the Python side only the content::

    doc = Document("Sweep 'adc'", sections=[
        Section("Results", [Table([Column("point", "ADC bits"), Column("tops_per_w", "efficiency", "TOPS/W")],
                                  rows)]),
        Section("Plots", [Figure("metrics.png", "metrics per point")]),
    ])
    write_document(doc, out_dir, "sweep")        # sweep.md + sweep.html

Numbers are formatted by the `Column` (unit, scale, format), so Markdown and HTML show the same
text.  Tables keep the raw rows too, so a template may render them differently.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


# ---------------------------------------------------------------------------------------------
# number formatting
# ---------------------------------------------------------------------------------------------
def fmt_number(v: Any, spec: str = ".4g") -> str:
    """A number as the reports print it: 4 significant digits, thousands separators for big
    integers, ``n/a`` for missing or non-finite values; strings pass through."""
    if v is None or v == "":
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return "n/a"
        if spec == "int":
            return f"{int(round(v)):,}"
        if spec == "pct":  # a fraction shown as a percentage
            return f"{100 * v:.1f}"
        text = format(v, spec)
        if "e" in text:  # 1.234e+05 -> 1.234e5
            mant, exp = text.split("e")
            text = f"{mant}e{int(exp)}"
        return text
    return str(v)


@dataclass(frozen=True)
class Column:
    """One table column: ``key`` into the rows, a ``label`` and the ``unit`` shown in the header.

    ``scale`` converts the row's value into the shown unit (e.g. 1e-6 for um^2 -> mm^2); ``fmt`` is
    a format spec (``.4g``), ``int`` (thousands separators) or ``pct`` (fraction -> percent);
    ``text`` (optional) computes the cell from the whole row instead.
    """

    key: str
    label: str
    unit: str = ""
    scale: float = 1.0
    fmt: str = ".4g"
    text: Callable[[Mapping], str] | None = None
    numeric: bool = True

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def cell(self, row: Mapping) -> str:
        if self.text is not None:
            return self.text(row)
        v = row.get(self.key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and self.scale != 1.0:
            v = v * self.scale
        return fmt_number(v, self.fmt)


@dataclass
class Table:
    columns: Sequence[Column]
    rows: Sequence[Mapping]
    caption: str = ""
    kind: str = field(default="table", init=False)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def cells(self) -> list[list[str]]:
        return [[c.cell(r) for c in self.columns] for r in self.rows]

    @property
    def numeric(self) -> list[bool]:
        return [c.numeric for c in self.columns]


@dataclass
class KeyValues:
    """A two-column list: (name, value) pairs; values already formatted text."""

    items: Sequence[tuple[str, str]]
    caption: str = ""
    kind: str = field(default="keyvalues", init=False)


@dataclass
class Paragraph:
    text: str
    kind: str = field(default="paragraph", init=False)


@dataclass
class BulletList:
    items: Sequence[str]
    kind: str = field(default="list", init=False)


@dataclass
class Figure:
    """An image next to the document (``src`` relative to it) with its alt text and caption."""

    src: str
    alt: str
    caption: str = ""
    kind: str = field(default="figure", init=False)


Block = Union[Table, KeyValues, Paragraph, BulletList, Figure]


@dataclass
class Section:
    title: str
    blocks: Sequence[Block]
    id: str = ""

    def __post_init__(self):
        if not self.id:
            self.id = "".join(ch if ch.isalnum() else "-" for ch in self.title.lower()).strip("-")


@dataclass
class Document:
    title: str
    sections: Sequence[Section]
    subtitle: str = ""  # one line under the title (the design line)
    footer: str = ""


# ---------------------------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------------------------
def _md_cell(text: Any) -> str:
    """Markdown table cell: pipes escaped, no line breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")


def environment(extra_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The jinja2 environment of the report templates (HTML autoescaped, undefined names fail).

    ``extra_dirs`` are searched first, so a caller can add or override templates.
    """
    loader = jinja2.FileSystemLoader([str(d) for d in extra_dirs] + [str(TEMPLATE_DIR)])
    env = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",),
                                                                                 default_for_string=False),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md_cell"] = _md_cell
    env.filters["num"] = fmt_number
    return env


def render(template: str, extra_dirs: Iterable[Path] = (), **context) -> str:
    """Render template ``template`` (a file name under ``templates/``) with ``context``."""
    return environment(extra_dirs).get_template(template).render(**context)


def render_document(doc: Document, fmt: str, template: str = "document") -> str:
    """``doc`` as Markdown (``fmt='md'``) or HTML (``fmt='html'``) via ``<template>.<fmt>.j2``."""
    if fmt not in ("md", "html"):
        raise ValueError(f"render_document: format '{fmt}' is not allowed; allowed: md, html")
    return render(f"{template}.{fmt}.j2", doc=doc)


def atomic_write_text(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


def write_document(doc: Document, out_dir: Path, stem: str, template: str = "document") -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.html`` into ``out_dir`` (atomically); returns both paths."""
    out_dir = Path(out_dir)
    paths = (out_dir / f"{stem}.md", out_dir / f"{stem}.html")
    for path, fmt in zip(paths, ("md", "html")):
        atomic_write_text(path, render_document(doc, fmt, template))
    return paths


def markdown_table(rows: Sequence[Mapping], columns: Sequence[str]) -> str:
    """A plain Markdown table of raw ``rows`` (column keys as headers, numbers to 4 digits)."""
    table = Table([Column(c, c) for c in columns], rows)
    return render("table.md.j2", table=table)
