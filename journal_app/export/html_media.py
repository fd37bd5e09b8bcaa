"""Pictures and voice notes in the HTML reports: markup this module builds itself.

The bytes are the report's own (attachments read from the journal, pictures with their
metadata removed), never the person's text, so these tags do not pass through nh3: the
body is sanitised with a placeholder in their place, and the placeholder is then swapped
for the markup built here (``html.render_body``). Each placeholder holds a random token
made for that one rendering, so nothing a person writes can stand in for one.

The saved HTML embeds pictures as ``data:`` URIs scaled by the style sheet, and a ticked
voice note as ``<audio controls src="data:audio/wav;base64,…">``; its Content-Security-
Policy allows ``img-src data:`` and ``media-src data:`` and nothing remote. The print HTML
(the PDF and the preview, drawn by Qt) names each picture ``report-picture:KEY`` and the
caller hands Qt the decoded image under that name; voice notes are listed, never embedded.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Collection

from journal_app.export import wording as w
from journal_app.export.document import Picture, VoiceNote

PICTURE_SCHEME = "report-picture:"
#: Pictures are at most this many times their pixel size in print (small ones stay sharp).
MAX_UPSCALE = 2.0
#: Media types a picture is embedded as (the journal keeps no others).
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
AUDIO_TYPES = frozenset({"audio/wav"})


def picture_url(key: str) -> str:
    """The name the print HTML gives a picture (the PDF adds the image under it)."""
    return PICTURE_SCHEME + key


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def fitted(width: int | None, height: int | None, box: tuple[float, float],
           ) -> tuple[int, int] | None:
    """``width`` × ``height`` scaled to fit ``box`` (keeping its shape), enlarged at most
    :data:`MAX_UPSCALE` times; None when the size isn't known."""
    if not width or not height:
        return None
    scale = min(box[0] / width, box[1] / height, MAX_UPSCALE)
    return max(1, round(width * scale)), max(1, round(height * scale))


def picture_html(block: Picture, *, for_print: bool, box: tuple[float, float],
                 unreadable: Collection[str] = ()) -> str:
    """One picture: a named image for print, fitted to ``box``; inline data for the saved
    HTML at its own size (the style sheet scales it down to the page)."""
    if block.media_type not in PICTURE_TYPES or block.key in unreadable:
        return f'<p class="muted">{_e(w.UNREADABLE_PICTURE)}</p>'
    caption = f'<span class="caption">{_e(block.caption)}</span>' if block.caption else ""
    if for_print:  # the caption in the picture's own paragraph: they go to a page together
        size = fitted(block.width, block.height, box)
        attrs = f' width="{size[0]}" height="{size[1]}"' if size else ""
        return (f'<p class="picture"><img src="{_e(picture_url(block.key))}"'
                f' alt="{_e(block.alt)}"{attrs}>{"<br>" + caption if caption else ""}</p>')
    attrs = f' width="{block.width}" height="{block.height}"' \
        if block.width and block.height else ""
    src = _data_uri(block.media_type, block.data)
    return (f'<div class="picture"><img src="{src}" alt="{_e(block.alt)}"{attrs}>'
            f'{caption}</div>')


def voice_html(block: VoiceNote, *, for_print: bool) -> str:
    """The note's label; in the saved HTML, a player when the recording is there."""
    label = f'<p class="voice">{_e(block.label)}</p>'
    if for_print or block.data is None or block.media_type not in AUDIO_TYPES:
        return label
    src = _data_uri(block.media_type, block.data)
    return (f'<div class="voice">{label}<audio controls src="{src}"'
            f' aria-label="{_e(block.label)}"></audio></div>')


class Slots:
    """Placeholders for markup that bypasses the final nh3 pass, and the markup itself."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(16)
        self._markup: list[str] = []

    def hold(self, markup: str) -> str:
        """A placeholder paragraph for ``markup`` (it survives nh3 unchanged)."""
        self._markup.append(markup)
        return f'<p class="media-slot">{self._token}-{len(self._markup) - 1}</p>'

    def fill(self, body: str) -> str:
        """``body`` (sanitised) with every placeholder replaced by its markup."""
        if not self._markup:
            return body
        pattern = re.compile(rf'<p class="media-slot">{self._token}-(\d+)</p>')
        found = 0

        def swap(match: re.Match[str]) -> str:
            nonlocal found
            found += 1
            return self._markup[int(match.group(1))]

        filled = pattern.sub(swap, body)
        if found != len(self._markup):
            raise RuntimeError("a picture's placeholder did not survive sanitising")
        return filled
