"""vault.md test 15: hostile HTML in an entry never survives into an HTML export.

The checks run on the parsed output (every element and attribute), not on strings."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from journal_app.domain.entities import Entry, EntryKind
from journal_app.domain.prompts import AnswerType, PromptAnswer
from journal_app.domain.report import ReportInputs, ReportRequest, select_report
from journal_app.export.builder import build_document
from journal_app.export.html import CSP, render_html, render_print_html

TZ = dt.timezone(dt.timedelta(hours=1))
ATTACKS = [
    "<script>alert('s')</script>",
    "<img src=x onerror=alert('e')>",
    "<p onclick=\"alert('c')\">click</p>",
    "[a link](javascript:alert('j'))",
    "<a href=\"javascript:alert('j2')\">j2</a>",
    "<a href=\"  JaVaScRiPt:alert('j3')\">j3</a>",
    "<a href=\"data:text/html,<script>alert('d')</script>\">d</a>",
    "<iframe src=\"https://evil.example/frame\"></iframe>",
    "<svg onload=\"alert('v')\"><circle r=\"4\"/></svg>",
    "<svg><script>alert('v2')</script></svg>",
    "![remote](https://evil.example/pixel.png)",
    "<img src=\"https://evil.example/tracker.png\">",
    "<div style=\"background:url(https://evil.example/bg)\">styled</div>",
    "<style>body { background: url(https://evil.example/css) }</style>",
    "<object data=\"https://evil.example/o\"></object><embed src=\"https://evil.example/e\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/l.css\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\"><form action=\"https://evil.example/f\">"
    "<input name=q></form>",
    "<math><mi xlink:href=\"javascript:alert('m')\">m</mi></math>",
]
PAYLOAD = "\n\n".join(ATTACKS)
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "svg", "object", "embed", "link",
                  "base", "form", "math", "style", "meta", "audio", "video", "source"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.in_head = False
        self.head_elements: list[tuple[str, dict[str, str]]] = []
        self.style_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        record = (tag, {k: v or "" for k, v in attrs})
        if tag == "head":
            self.in_head = True
        (self.head_elements if self.in_head else self.elements).append(record)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style_text.append(data)


def _report(name: str = "Sam") -> object:
    when = dt.datetime(2026, 3, 4, 12, 0, tzinfo=TZ)
    entries = [
        Entry(EntryKind.FREE, "<b onmouseover=alert('t')>Title</b>", PAYLOAD,
              tags=("<script>tag</script>",), created_at=when, updated_at=when, id=1),
        Entry(EntryKind.INTEGRATION, "Answers", "written", created_at=when, updated_at=when,
              id=2),
    ]
    answers = {2: [PromptAnswer("day1_stood_out", 1, "What stood out",
                                "<img src=x onerror=alert('q')>?", AnswerType.TEXT,
                                answer=PAYLOAD)]}
    return select_report(ReportInputs(entries=entries, answers=answers),
                         ReportRequest(patient_name=name))


def _parse(markup: str) -> _Elements:
    parser = _Elements()
    parser.feed(markup)
    return parser


def _assert_inert(parsed: _Elements) -> None:
    tags = {tag for tag, _ in parsed.elements}
    assert not tags & FORBIDDEN_TAGS, tags & FORBIDDEN_TAGS
    for tag, attrs in parsed.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert "url(" not in value.replace(" ", "").lower(), (tag, name)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = attrs.get(name, "").strip().lower()
            if tag == "img" and name == "src":
                assert value.startswith("data:image/png;base64,"), value
            else:
                assert not value.startswith(BAD_SCHEMES), (tag, name, value)
        if tag == "img":
            assert attrs.get("src", "").startswith("data:image/png;base64,")


@pytest.fixture(scope="module")
def document():
    return build_document(_report(name="<script>alert('n')</script>Sam"))


def test_no_attack_survives_in_the_saved_html(document):
    markup = render_html(document, charts={"phq9": b"\x89PNG fake"})
    parsed = _parse(markup)
    _assert_inert(parsed)
    # The head holds exactly our charset, CSP, referrer and viewport metas and our style.
    head_tags = [tag for tag, _ in parsed.head_elements]
    assert head_tags.count("style") == 1 and "script" not in head_tags
    csp = [a for t, a in parsed.head_elements if t == "meta"
           and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0]["content"] == CSP
    assert "url(" not in "".join(parsed.style_text)


def test_no_attack_survives_in_the_print_html(document):
    parsed = _parse(render_print_html(document))
    _assert_inert(parsed)


def test_hostile_text_is_shown_as_text_not_markup(document):
    markup = render_html(document)
    assert "&lt;b onmouseover=alert('t')&gt;Title&lt;/b&gt;" in markup.replace("&#x27;", "'")
    # The words of a stripped element are kept; only the markup goes.
    assert ">a link<" in markup and "styled" in markup


def test_the_chart_image_is_kept_as_inline_png(document):
    from journal_app.export.document import Chart, ReportDocument

    with_chart = ReportDocument("t", "h", (Chart("phq9", "PHQ-9"),))
    parsed = _parse(render_html(with_chart, charts={"phq9": b"\x89PNG\r\n"}))
    images = [a for t, a in parsed.elements if t == "img"]
    assert len(images) == 1 and images[0]["src"].startswith("data:image/png;base64,")


LETTER = "Dear <therapist name>, I am scared"
SCRIPT_WORDS = "I read about the <script> tag today. Then I went for a walk."
AMPERSANDS = "AT&T, &amp; and `a<b`"


def plain_report(more: str = "") -> object:
    """An entry and a text answer that only look like HTML (``more`` ends the entry)."""
    when = dt.datetime(2026, 3, 4, 12, 0, tzinfo=TZ)
    body = f"{LETTER}\n\n{SCRIPT_WORDS}\n\n{AMPERSANDS}{more}"
    entries = [
        Entry(EntryKind.FREE, "A letter", body, created_at=when, updated_at=when, id=1),
        Entry(EntryKind.INTEGRATION, "Answers", "written", created_at=when, updated_at=when,
              id=2),
    ]
    answers = {2: [PromptAnswer("day1_stood_out", 1, "What stood out", "?", AnswerType.TEXT,
                                answer=f"{SCRIPT_WORDS}\n\n{LETTER}")]}
    return select_report(ReportInputs(entries=entries, answers=answers),
                         ReportRequest(patient_name="Sam"))


def _text(markup: str) -> str:
    chunks: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = chunks.append
    parser.feed(markup.split("<body>", 1)[-1])  # the title and style sheet are not text
    return " ".join("".join(chunks).split())


@pytest.mark.parametrize("render", [render_html, render_print_html])
def test_text_that_looks_like_html_is_kept_in_the_html_reports(render):
    text = _text(render(build_document(plain_report())))
    assert text.count(LETTER) == 2
    assert text.count(SCRIPT_WORDS) == 2
    assert "AT&T, &amp; and a<b" in text


def test_the_markdown_report_keeps_the_text_as_written():
    from journal_app.export.markdown import render_markdown

    markdown = render_markdown(build_document(plain_report()))
    assert markdown.count(LETTER) == 2 and markdown.count(SCRIPT_WORDS) == 2
    assert AMPERSANDS in markdown


def test_the_final_pass_still_refuses_media_that_is_not_ours():
    """Attached pictures and voice notes bypass nh3 through one-time placeholders
    (export/html_media.py); the same tags anywhere in the body are still removed."""
    from journal_app.export.html import sanitize
    from journal_app.export.html_media import Slots

    body = ('<img src="data:image/jpeg;base64,/9j/AAAA">'
            '<audio controls src="data:audio/wav;base64,UklGRg=="></audio>'
            '<p class="media-slot">0123-0</p>')
    parsed = _parse(sanitize(body))
    assert [t for t, _ in parsed.elements if t == "audio"] == []
    assert all("src" not in attrs for t, attrs in parsed.elements if t == "img")
    slots = Slots()
    held = slots.hold('<audio controls src="data:audio/wav;base64,UklGRg=="></audio>')
    filled = slots.fill(sanitize("<p>before</p>" + held))
    assert filled.count("<audio controls") == 1
    assert slots.fill(sanitize("<p>before</p>" + held)).count("<audio") == 1
    with pytest.raises(RuntimeError):
        slots.fill(sanitize("<p>the placeholder is gone</p>"))
