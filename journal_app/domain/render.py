"""Markdown to safe HTML, shared by the editor preview, the session story and the reports.

What the person wrote is shown as written, and nothing in it is ever active. Two layers,
both always applied by :func:`markdown_to_html` (the one function every caller uses):

1. :func:`literal_markdown`: Markdown formatting (emphasis, lists, headings, quotes, links,
   code, tables, ``[ ]``/``[x]`` checkboxes) is rendered, but raw HTML is not: "Dear
   <therapist name>" or "the <script> tag" appear as those characters. ``&`` is always
   a literal ampersand, so "&amp;" shows as "&amp;" and "AT&T" as "AT&T". Code spans and
   blocks are escaped once, by Markdown itself (``a<b`` stays ``a<b``). ``>`` is never
   touched, so ``> quotes`` still work. Links keep their target only for http(s), mailto
   or a place in the page; an image shows as its alt text, so nothing loads from outside.
   Autolinks (``<https://…>``, ``<name@example.org>``) stay links: the address is shown,
   only the angle brackets go, as Markdown defines. ``attr_list`` and ``md_in_html`` are
   left out of "extra": one sets attributes, the other reads raw HTML, and both swallow
   text ("{: #id }") that would otherwise be shown.
2. :func:`clean_html`: nh3 with a short allow-list, a second, independent layer: no
   scripts, event handlers, iframes, SVG, ``javascript:``/``data:`` links, images or
   inline styles, even if layer 1 ever let HTML through.

The reports clean their whole body once more (``export.html.sanitize``).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "input", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "input": {"type", "checked", "disabled"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# "extra" without attr_list and md_in_html (see the module docstring).
_EXTENSIONS = ["abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists", "nl2br"]
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


class _Ampersand(InlineProcessor):
    """Every ``&`` outside code is a literal ampersand, never the start of an entity."""

    # markdown's own InlineProcessor.handleMatch takes ``data`` where Pattern's does not:
    # this signature is InlineProcessor's, which mypy compares with Pattern's too.
    def handleMatch(  # type: ignore[override]
            self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        return _stash(self.md, "&amp;"), m.start(0), m.end(0)


def _stash(md: markdown.Markdown | None, html_text: str) -> str:
    """A placeholder for ``html_text``, put back after the tree is serialised."""
    assert md is not None  # our processors are registered with it (extendMarkdown)
    return md.htmlStash.store(html_text)


def _safe_href(href: str) -> bool:
    """http(s), mailto, or relative (footnote anchors). Entities and the characters
    browsers ignore in a URL are taken out first, so ``jav&#x61;script:`` is caught."""
    plain = _INVISIBLE.sub("", html.unescape(href.replace(util.AMP_SUBSTITUTE, "&"))).lower()
    if plain.startswith("//"):
        return False
    scheme = _SCHEME.match(plain)
    return scheme is None or scheme.group(1) in ALLOWED_SCHEMES


class _InertTree(Treeprocessor):
    """Links to anything but :func:`_safe_href` lose their target (their words stay);
    images become their alt text."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "a" and not _safe_href(child.get("href", "")):
                    child.attrib.pop("href", None)
                elif child.tag == "img":
                    self._to_text(parent, index, child)

    def _to_text(self, parent: etree.Element, index: int, image: etree.Element) -> None:
        words = image.get("alt", "").replace("&", _stash(self.md, "&amp;"))
        words += image.tail or ""
        if index == 0:
            parent.text = (parent.text or "") + words
        else:
            before = parent[index - 1]
            before.tail = (before.tail or "") + words
        parent.remove(image)


class _LiteralHtml(Extension):
    """Raw HTML and entities are text; see the module docstring."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.inlinePatterns.register(_Ampersand("&", md), "literal_ampersand", 80)
        md.treeprocessors.register(_InertTree(md), "inert", 5)  # after inline (20)


def _checkboxes(html: str) -> str:
    """Render ``[ ]``/``[x]`` list items as disabled checkboxes."""
    return (html.replace("<li>[ ] ", '<li><input type="checkbox" disabled> ')
                .replace("<li>[x] ", '<li><input type="checkbox" checked disabled> ')
                .replace("<li>[X] ", '<li><input type="checkbox" checked disabled> '))


def literal_markdown(text: str) -> str:
    """Layer 1: HTML for a Markdown body, raw HTML shown as text. Not yet cleaned: use
    :func:`markdown_to_html`."""
    # markdown's Extension.__init__(**kwargs) has no annotations (a gap in its typing).
    literal = _LiteralHtml()  # type: ignore[no-untyped-call]
    raw = markdown.markdown(text, extensions=[*_EXTENSIONS, literal], output_format="html")
    return _checkboxes(raw)


def clean_html(html: str) -> str:
    """Layer 2: nh3 with the allow-list for the person's Markdown."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def markdown_to_html(text: str) -> str:
    """Safe HTML for a Markdown body (both layers); every caller uses this."""
    return clean_html(literal_markdown(text))
