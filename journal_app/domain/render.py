"""Markdown to safe HTML, shared by the editor preview and the exports.

Python-Markdown passes raw HTML through, so its output is always cleaned with nh3: no
scripts, event handlers, iframes, ``javascript:`` links, remote images or inline styles.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "input", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "input": {"type", "checked", "disabled"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_EXTENSIONS = ["extra", "sane_lists", "nl2br"]


def _checkboxes(html: str) -> str:
    """Render ``[ ]``/``[x]`` list items as disabled checkboxes."""
    return (html.replace("<li>[ ] ", '<li><input type="checkbox" disabled> ')
                .replace("<li>[x] ", '<li><input type="checkbox" checked disabled> ')
                .replace("<li>[X] ", '<li><input type="checkbox" checked disabled> '))


def markdown_to_html(text: str) -> str:
    """Sanitised HTML for a Markdown body. Images are dropped: nothing loads from outside."""
    raw = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return nh3.clean(
        _checkboxes(raw),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
