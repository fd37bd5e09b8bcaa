"""What a person writes is shown as written, and nothing in it is ever active.

The person's Markdown passes three layers, and each one is tested here on its own against
the same injection list, by parsing its output (html.parser), not by matching strings:

1. ``render.literal_markdown``: Markdown that takes raw HTML and entities as text, keeps
   links only to http(s)/mailto (or within the page) and shows an image as its alt text.
2. ``render.clean_html``: nh3 with the allow-list for the person's Markdown.
3. ``export.html.sanitize``: the reports' final nh3 pass over the whole body.

``render.markdown_to_html`` is layers 1 and 2, and it is what every caller uses (editor
preview, session story, the HTML and PDF reports); the reports add layer 3.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest

from journal_app.domain import render
from journal_app.export.html import sanitize

ATTACKS = [
    "<script>alert('s')</script>",
    "<script>alert('unclosed')",
    "<img src=x onerror=alert('e')>",
    "<p onclick=\"alert('c')\">click</p>",
    "[a link](javascript:alert('j'))",
    "[spaced](  JaVaScRiPt:alert('j'))",
    "<a href=\"javascript:alert('j2')\">j2</a>",
    "<a href=\"  JaVaScRiPt:alert('j3')\">j3</a>",
    "[obfuscated](jav&#x61;script:alert('o'))",
    "[decimal](&#106;avascript:alert('o'))",
    "[tabbed](java&#9;script:alert('t'))",
    "<a href=\"jav&#x61;script:alert('o2')\">o2</a>",
    "[vb](vbscript:msgbox('v'))",
    "<iframe src=\"https://evil.example/frame\"></iframe>",
    "<svg onload=\"alert('v')\"><circle r=\"4\"/></svg>",
    "<svg><script>alert('v2')</script></svg>",
    "![remote](https://evil.example/pixel.png)",
    "![remote ref][pixel]\n\n[pixel]: https://evil.example/ref.png",
    "<img src=\"https://evil.example/tracker.png\">",
    "<img src=http://evil.example/t.png>",
    "<div style=\"background:url(https://evil.example/bg)\">styled</div>",
    "<style>body { background: url(https://evil.example/css) }</style>",
    "<object data=\"https://evil.example/o\"></object>",
    "<embed src=\"https://evil.example/e\">",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"data:text/html,<script>alert('d')</script>\">d</a>",
    "![data image](data:image/svg+xml;base64,PHN2Zy8+)",
    "<img src=\"data:image/svg+xml;base64,PHN2Zy8+\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/l.css\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<form action=\"https://evil.example/f\"><input name=q></form>",
    "<math><mi xlink:href=\"javascript:alert('m')\">m</mi></math>",
    "heading {: onclick=\"alert('a')\" style=\"color:red\" }",
]
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "svg", "object", "embed", "link",
                  "base", "form", "math", "style", "meta", "audio", "video", "source", "img"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Parsed(HTMLParser):
    """Elements with their (entity-decoded) attributes, and the text a reader sees."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.chunks: list[str] = []
        self.code: list[str] = []
        self._in_code = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "code":
            self._in_code += 1

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data):
        self.chunks.append(data)
        if self._in_code:
            self.code.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}


def assert_inert(markup: str, *, png_images: bool = False) -> None:
    parsed = _Parsed(markup)
    forbidden = FORBIDDEN_TAGS - ({"img"} if png_images else set())
    assert not parsed.tags() & forbidden, parsed.tags() & forbidden
    for tag, attrs in parsed.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert "url(" not in _INVISIBLE.sub("", value).lower(), (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"}:
                url = _INVISIBLE.sub("", value).lower()
                if tag == "img" and name == "src":
                    assert url.startswith("data:image/png;base64,"), url
                else:
                    assert not url.startswith(BAD_SCHEMES), (tag, name, url)
                    assert not url.startswith("//"), (tag, name, url)


def text_of(markup: str) -> str:
    return _Parsed(markup).text


# --- each layer on its own, against the whole list ----------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_layer_1_literal_markdown_alone_is_inert(attack):
    assert_inert(render.literal_markdown(attack))


@pytest.mark.parametrize("attack", ATTACKS)
def test_layer_2_nh3_alone_is_inert_even_on_raw_html(attack):
    assert_inert(render.clean_html(attack))
    # As if layer 1 had let HTML through: Python-Markdown's default passes raw HTML on.
    assert_inert(render.clean_html(markdown.markdown(attack)))


@pytest.mark.parametrize("attack", ATTACKS)
def test_layer_3_report_sanitiser_alone_is_inert_even_on_raw_html(attack):
    assert_inert(sanitize(attack), png_images=True)
    assert_inert(sanitize(markdown.markdown(attack)), png_images=True)


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_shared_renderer_is_inert(attack):
    assert_inert(render.markdown_to_html(attack))
    assert_inert(sanitize(render.markdown_to_html(attack)))


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.startswith("<")])
def test_raw_html_in_an_entry_is_shown_as_the_characters_written(attack):
    assert text_of(render.markdown_to_html(attack)) == " ".join(attack.split())
    assert text_of(sanitize(render.markdown_to_html(attack))) == " ".join(attack.split())


# --- what was written stays visible -------------------------------------------------------


def test_bracketed_words_are_kept():
    html = render.markdown_to_html("Dear <therapist name>, I am scared")
    assert text_of(html) == "Dear <therapist name>, I am scared"


def test_everything_after_a_script_tag_is_kept():
    text = "I read about the <script> tag today. Then I went for a walk."
    assert text_of(render.markdown_to_html(text)) == text


@pytest.mark.parametrize("text", [
    "AT&T and Procter & Gamble",
    "I typed &amp; on purpose",
    "&copy; &nbsp; &#x61; &#97; &bogus;",
    "a <!-- not a comment --> b",
    "1 < 2 and 3 > 2, <3",
    "x<y and <div>a div</div> and </p>",
    "<https://example.org is not closed",
    "Dear <Dr. Lee>, see <b>this</b>",
    "I am {.calm} today",
    "plans {: #mine }",
])
def test_text_that_looks_like_html_or_entities_is_kept_exactly(text):
    assert text_of(render.markdown_to_html(text)) == text


def test_html_block_lines_are_kept():
    text = "<div>\nfirst line\n</div>\n\n<table><tr><td>cell</td></tr></table>"
    assert text_of(render.markdown_to_html(text)) == " ".join(text.split())


def test_code_is_not_escaped_twice():
    parsed = _Parsed(render.markdown_to_html(
        "Inline `a<b && c>d &amp;` here.\n\n```\n<x> & y &amp; z\n```\n\n    <indented> &lt;\n"))
    assert parsed.code == ["a<b && c>d &amp;", "<x> & y &amp; z\n", "<indented> &lt;\n"]


def test_an_image_is_shown_as_its_words():
    parsed = _Parsed(render.markdown_to_html("Look: ![my garden & <pond>](https://x.example/p.png)"))
    assert "img" not in parsed.tags()
    assert parsed.text == "Look: my garden & <pond>"


def test_autolinks_stay_links_and_keep_their_address():
    parsed = _Parsed(render.markdown_to_html("See <https://example.org/a?b=1&c=2> or "
                                             "<sam@example.org>."))
    links = [attrs["href"] for tag, attrs in parsed.elements if tag == "a"]
    assert links == ["https://example.org/a?b=1&c=2", "mailto:sam@example.org"]
    assert parsed.text == "See https://example.org/a?b=1&c=2 or sam@example.org."


def test_unsafe_links_keep_their_words_but_lose_their_target():
    parsed = _Parsed(render.literal_markdown("[call me](jav&#x61;script:alert(1)) and "
                                             "[site](https://example.org)"))
    links = [attrs.get("href") for tag, attrs in parsed.elements if tag == "a"]
    assert links == [None, "https://example.org"]
    assert parsed.text == "call me and site"


# --- Markdown formatting still renders -------------------------------------------------


def test_markdown_formatting_still_renders():
    text = ("# Intention\n\n*soft* **strong** and `code`\n\n"
            "> held by a quote\n> still quoted\n\n"
            "- one\n- two\n\n1. first\n2. second\n\n"
            "- [ ] to do\n- [x] done\n\n"
            "| feeling | score |\n|---|---:|\n| calm & <ok> | 3 |\n\n"
            "[a site](https://example.org \"its title\")\n\n---\n\nTerm\n:   definition\n\n"
            "Note[^1]\n\n[^1]: the note\n")
    html = render.markdown_to_html(text)
    parsed = _Parsed(html)
    tags = parsed.tags()
    for tag in ("h1", "em", "strong", "code", "blockquote", "ul", "ol", "li", "input",
                "table", "th", "td", "a", "hr"):
        assert tag in tags, tag
    boxes = [attrs for tag, attrs in parsed.elements if tag == "input"]
    assert [("checked" in b) for b in boxes] == [False, True]
    assert all(b.get("type") == "checkbox" and "disabled" in b for b in boxes)
    link = next(attrs for tag, attrs in parsed.elements
                if tag == "a" and attrs.get("href") == "https://example.org")
    assert link["title"] == "its title"
    assert "calm & <ok>" in parsed.text and "held by a quote" in parsed.text
    assert "[ ]" not in parsed.text and "[x]" not in parsed.text
    assert "definition" in parsed.text and "the note" in parsed.text
