"""The report as one self-contained HTML file, and as the print HTML the PDF is made from.

Safety (vault.md, test 15): the person's Markdown goes through
``domain.render.markdown_to_html`` (raw HTML shown as text, then nh3), and then the whole
body is cleaned by nh3 once more (:func:`sanitize`): only the tags and classes this module
writes, images only as inline PNG ``data:`` URIs (the charts), links only to
http(s)/mailto. No script, event handler, iframe, SVG, remote image, ``style`` attribute or
CSS ``url()`` can survive. Each layer is tested alone in tests/unit/test_render_layers.py.
Text that only looks like HTML ("Dear <therapist name>") is shown as written. The saved
file also carries a Content-Security-Policy that forbids loading anything:
``default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:``.
Attached pictures and voice notes are not the person's text: their markup is built in
``export/html_media.py`` and put in after the final pass (see there).

The print variant (``for_print=True``) is for Qt's rich-text engine (QTextDocument): no
meta tags, a simpler style sheet, tables laid out with attributes Qt understands.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import nh3

from journal_app.domain.render import ALLOWED_TAGS, markdown_to_html
from journal_app.export.document import (
    Answer,
    Block,
    Chart,
    Comparison,
    EntryStart,
    Heading,
    PageBreak,
    Para,
    Picture,
    ReportDocument,
    Table,
    Tone,
    UserMarkdown,
    VoiceNote,
)
from journal_app.export.html_media import Slots, picture_html, voice_html
from journal_app.export.progress import Progress, ensure

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:"
PNG_PREFIX = "data:image/png;base64,"
#: Pictures in print are at most this share of the page's width high (about half an A4
#: page's text area) unless the caller gives a box.
PICTURE_HEIGHT_SHARE = 0.7

_TONES = {str(t) for t in Tone}
_OUR_CLASSES = {"qa", "question", "answer", "body", "chart", "caption", "page-break",
                "entry-start", "comparison", "media-slot", *_TONES}
_FINAL_TAGS = ALLOWED_TAGS | {"div", "span", "img", "hr", "caption"}
_FINAL_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "input": {"type", "checked", "disabled"},
    "td": {"align", "width", "valign"},
    "th": {"align", "width", "valign"},
    "img": {"src", "alt", "width", "height"},
    "table": {"width", "cellpadding", "cellspacing", "border"},
}
_CLASSES = {tag: _OUR_CLASSES for tag in ("div", "p", "table", "td", "tr", "span", "hr")}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Images only from inline PNG data; no other element may point at ``data:``."""
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if lowered.startswith(PNG_PREFIX) else None
    if attribute in {"href", "src"} and lowered.startswith("data:"):
        return None
    return value


def sanitize(body: str) -> str:
    """The final nh3 pass over the whole body."""
    return nh3.clean(
        body,
        tags=_FINAL_TAGS,
        attributes=_FINAL_ATTRIBUTES,
        allowed_classes=_CLASSES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


def _demote_headings(html: str) -> str:
    """Headings inside what the person wrote sit below the report's own (h1-h3), so an
    entry's "# My intention" never looks like a section of the report."""
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 3)}", html)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _para(block: Para, for_print: bool = False) -> str:
    inner = "".join(f"<strong>{_e(s.text)}</strong>" if s.strong else _e(s.text)
                    for s in block.spans)
    if for_print and block.tone is Tone.META:
        return f"<h6>{inner}</h6>"  # Qt keeps heading blocks with what follows them
    return f'<p class="{block.tone}">{inner}</p>'


def _table(block: Table, for_print: bool) -> str:
    attrs = ' width="100%" cellpadding="4" cellspacing="0" border="0"' if for_print else ""
    head = "".join(f'<th align="left">{_e(h)}</th>' for h in block.headers)
    rows = []
    for row in block.rows:
        cells = []
        for cell in row:
            text = f"<strong>{_e(cell.text)}</strong>" if cell.strong else _e(cell.text)
            cells.append(f'<td class="{cell.tone}" valign="top">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{block.tone}"{attrs}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _comparison(block: Comparison, for_print: bool) -> str:
    """One table on screen. For print, a header table then one table per row: Qt can
    then move a whole row to the next page instead of cutting it (see ui/pdf_report)."""
    attrs = ' width="100%" cellpadding="5" cellspacing="0" border="0"' if for_print else ""
    widths = ("16%", "38%", "46%")
    head = "".join(f'<th align="left" width="{wd}">{_e(h)}</th>'
                   for h, wd in zip(block.headers, widths, strict=True))
    rows = []
    for row in block.rows:
        heading = "<br>".join(f"<strong>{_e(line)}</strong>" if i == 0 else _e(line)
                              for i, line in enumerate(row.heading))
        cells = (heading, "".join(_para(p) for p in row.left),
                 "".join(_para(p) for p in row.right))
        rows.append("<tr>" + "".join(f'<td valign="top" width="{wd}">{cell}</td>'
                                     for cell, wd in zip(cells, widths, strict=True)) + "</tr>")
    if for_print:
        return (f'<table class="comparison"{attrs}><thead><tr>{head}</tr></thead></table>'
                + "".join(f'<table class="comparison"{attrs}><tbody>{row}</tbody></table>'
                          for row in rows))
    return (f'<table class="comparison"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _chart(block: Chart, charts: Mapping[str, bytes], width: int) -> str:
    png = charts.get(block.measure_id)
    if not png:
        return ""
    src = PNG_PREFIX + base64.b64encode(png).decode("ascii")
    return (f'<div class="chart"><img src="{src}" alt="{_e(block.caption)}" width="{width}">'
            f'<p class="caption">{_e(block.caption)}</p></div>')


def _answer(block: Answer, for_print: bool) -> str:
    """The question, then the answer. In print the question is an ``h5``: Qt knows it as a
    heading, and the PDF keeps it on the page of its answer."""
    answer = markdown_to_html(block.text) if block.markdown else f"<p>{_e(block.text)}</p>"
    question = (f"<h5>{_e(block.question)}</h5>" if for_print else
                f'<p class="question"><strong>{_e(block.question)}</strong></p>')
    return f'<div class="qa">{question}<div class="answer">{answer}</div></div>'



@dataclass
class _Context:
    """How one rendering goes: charts, print or screen, sizes, and the media slots."""

    charts: Mapping[str, bytes]
    for_print: bool
    chart_width: int
    picture_box: tuple[float, float]
    unreadable: Collection[str]
    slots: Slots


def _block(block: Block, ctx: _Context) -> str:
    for_print = ctx.for_print
    match block:
        case Heading(level=level, text=text):
            return f"<h{min(level, 6)}>{_e(text)}</h{min(level, 6)}>"
        case Para():
            return _para(block, for_print)
        case Table():
            return _table(block, for_print)
        case Comparison():
            return _comparison(block, for_print)
        case Chart():
            return _chart(block, ctx.charts, ctx.chart_width)
        case Answer():
            return _answer(block, for_print)
        case UserMarkdown(text=text):
            return f'<div class="body">{_demote_headings(markdown_to_html(text))}</div>'
        case PageBreak():
            return '<div class="page-break"></div>'
        case EntryStart():
            return "" if for_print else '<hr class="entry-start">'
        case Picture():
            return ctx.slots.hold(picture_html(block, for_print=for_print, box=ctx.picture_box,
                                               unreadable=ctx.unreadable))
        case VoiceNote():
            return ctx.slots.hold(voice_html(block, for_print=for_print))
    raise TypeError(type(block).__name__)


def render_body(document: ReportDocument, *, charts: Mapping[str, bytes] | None = None,
                for_print: bool = False, chart_width: int = 640,
                picture_box: tuple[float, float] | None = None,
                unreadable: Collection[str] = (), progress: Progress | None = None) -> str:
    """The sanitised ``<body>`` content. ``charts`` maps measure ids to PNG bytes.
    ``picture_box`` is the largest (width, height) a picture is shown at, in CSS pixels
    (the print HTML's sizes; the saved HTML scales them by its style sheet).
    ``unreadable`` names pictures the caller could not decode (they are listed as such)."""
    steps = ensure(progress)
    steps.start("Writing HTML", len(document.blocks))
    box = picture_box or (chart_width, chart_width * PICTURE_HEIGHT_SHARE)
    ctx = _Context(charts or {}, for_print, chart_width, box, unreadable, Slots())
    parts = []
    for block in document.blocks:
        steps.advance()
        parts.append(_block(block, ctx))
    return ctx.slots.fill(sanitize("\n".join(parts)))


def render_html(document: ReportDocument, *, charts: Mapping[str, bytes] | None = None,
                progress: Progress | None = None) -> str:
    """A complete, self-contained HTML file with a Content-Security-Policy."""
    body = render_body(document, charts=charts, progress=progress)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(document.title)}</title>\n<style>{SCREEN_CSS}</style>\n</head>\n"
            f"<body>\n<p class=\"muted\">{_e(document.header)}</p>\n{body}\n</body>\n</html>\n")


def print_css(px_scale: float = 1.0) -> str:
    """:data:`PRINT_CSS` for a paint device. On a QPdfWriter, Qt scales vertical margins
    to the device but takes ``margin-left`` as device pixels, so the PDF passes its
    resolution / 96 and the left indents are scaled here."""
    return _INDENT.sub(lambda m: f"{m.group(1)}: {round(float(m.group(2)) * px_scale)}px",
                       PRINT_CSS)


_INDENT = re.compile(r"(margin-left):\s*(\d+(?:\.\d+)?)px")


def render_print_html(document: ReportDocument, *, charts: Mapping[str, bytes] | None = None,
                      chart_width: int = 560, px_scale: float = 1.0,
                      picture_box: tuple[float, float] | None = None,
                      unreadable: Collection[str] = (),
                      progress: Progress | None = None) -> str:
    """HTML for QTextDocument (the PDF and the preview): no meta tags, Qt's CSS subset.
    Pictures are named ``report-picture:KEY`` (``html_media.picture_url``): the caller adds
    each decoded image to the QTextDocument under that name."""
    body = render_body(document, charts=charts, for_print=True, chart_width=chart_width,
                       picture_box=picture_box, unreadable=unreadable, progress=progress)
    return (f"<html><head><style>{print_css(px_scale)}</style></head>"
            f"<body>{body}</body></html>")


# Our own fixed style sheets: no url(), no @import, nothing that loads.
SCREEN_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: .4rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
tr { page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
         border-bottom: 1px solid #ddd; }
th { background: #f2f2f2; }
p.muted, p.caption, p.meta { color: #555; font-size: .9rem; }
p.meta { margin-top: 0; }
p.alert, table.alert th { background: #fdecea; color: #8a1c12; }
td.alert { color: #8a1c12; background: #fdecea; }
p.alert { padding: .5rem .7rem; border-left: 4px solid #c62828; }
p.ok { color: #1b5e20; }
p.note { color: #6d4c00; }
div.qa { margin: .5rem 0 .8rem; }
p.question { margin: 0 0 .2rem; color: #333; }
div.answer, div.body { margin-left: 1rem; }
div.chart img { max-width: 100%; height: auto; }
div.picture { margin: .6rem 0 .9rem; }
div.picture img { display: block; max-width: 100%; max-height: 36rem; width: auto;
                  height: auto; border: 1px solid #e3e3e3; border-radius: 4px; }
div.picture span.caption { display: block; color: #555; font-size: .85rem; margin-top: .2rem; }
p.voice { margin: .5rem 0 .2rem; color: #333; }
div.voice audio { display: block; width: 100%; max-width: 28rem; margin-bottom: .6rem; }
hr.entry-start { border: 0; border-top: 1px solid #e3e3e3; margin: 1.4rem 0 .4rem; }
div.page-break { page-break-before: always; }
@media print { body { margin: 0; max-width: none; } }
"""

# Qt's rich text takes margins in px, not pt (see print_css).
PRINT_CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 9.5pt;
       color: #1d1d1f; }
h1 { font-size: 16pt; margin-top: 0; margin-bottom: 6px; }
h2 { font-size: 12.5pt; margin-top: 22px; margin-bottom: 5px; color: #1a3b5d; }
h3 { font-size: 11pt; margin-top: 20px; margin-bottom: 4px; color: #1a3b5d; }
h4 { font-size: 10pt; margin-top: 14px; margin-bottom: 0; }
p { margin-top: 1px; margin-bottom: 4px; }
table { border-collapse: collapse; margin-top: 4px; margin-bottom: 8px; }
th { background-color: #eef1f4; font-weight: bold; border-bottom: 1px solid #9aa5b1; }
td { border-bottom: 1px solid #dde2e7; }
td p { margin-bottom: 3px; }
table.comparison { margin-top: 0; margin-bottom: 0; }
p.muted, p.caption { color: #59636e; font-size: 8.5pt; }
p.alert { background-color: #fdecea; color: #8a1c12; }
td.alert { color: #8a1c12; background-color: #fdecea; }
table.alert th { background-color: #f8d7d3; }
p.ok { color: #1b5e20; }
p.note { color: #6d4c00; }
h5 { margin-top: 7px; margin-bottom: 1px; color: #59636e; font-size: 8.5pt; }
h6 { margin-top: 0; margin-bottom: 2px; color: #59636e; font-size: 8.5pt; font-weight: normal; }
div.answer p { margin-left: 14px; margin-top: 0; }
div.answer ul, div.answer ol { margin-left: 14px; }
div.body p { margin-top: 3px; }
p.picture { margin-top: 6px; margin-bottom: 8px; }
span.caption { color: #59636e; font-size: 8pt; }
p.voice { margin-top: 4px; color: #333333; }
div.page-break { page-break-before: always; }
"""
