"""What the command line prints is never taken by the terminal as a command.

Journal text is not trusted output: a quick note can be written by anyone at the computer
without the passphrase, and an imported entry by whoever made the file. Printed as it is,
an escape sequence in it could clear the screen, retitle the window, or write the
clipboard (OSC 52); a bidi override could make one piece of text read as another.

:func:`terminal_text` is the one road to the terminal for text output (stdout and
stderr, messages quoting file names included): every control character but newline and
tab, DEL, the C1 controls and the bidi embedding, override and isolate characters are
replaced with :data:`PLACEHOLDER`; a whole escape sequence becomes one placeholder.
:func:`json_text` escapes the same characters as ``\\uXXXX`` inside JSON strings, which
reads back as exactly the same text. :func:`emit`, :func:`emit_json` and :func:`note`
write with them: data on stdout (UTF-8, whatever the console's encoding), explanations on
stderr. No imports beyond the standard library.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

PLACEHOLDER = "\ufffd"

_BIDI = "\u202a-\u202e\u2066-\u2069"
#: A whole escape sequence: CSI (ESC [ or 0x9B) with its parameters; OSC, DCS, SOS, PM
#: and APC strings up to their terminator (BEL, ESC \ or 0x9C) on the same line; any other
#: ESC and the character after it.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x7e]?"
)
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}]")


def terminal_text(text: str) -> str:
    """``text`` with nothing a terminal would act on; newlines and tabs are kept, and a
    Windows line end is a plain line end."""
    text = text.replace("\r\n", "\n")
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(PLACEHOLDER, _SEQUENCE.sub(PLACEHOLDER, text))


def json_text(obj: Any) -> str:
    """``obj`` as indented UTF-8-ready JSON in which DEL, C1 and bidi controls are
    escaped too (``json.dumps`` escapes only U+0000-U+001F when it keeps non-ASCII).
    Those characters can only stand inside JSON strings, so the escape is exact."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _write_out(text: str) -> None:
    """Write one line to stdout as UTF-8, whatever the console's encoding."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text + "\n")
        stream.flush()
        return
    stream.flush()
    buffer.write((text + "\n").encode("utf-8"))
    buffer.flush()


def emit(text: str) -> None:
    """Write one line of data to stdout, with nothing in it a terminal would act on:
    journal text is not trusted output."""
    _write_out(terminal_text(text))


def emit_json(obj: dict[str, Any]) -> None:
    """JSON on stdout; control characters inside strings are escaped."""
    _write_out(json_text(obj))


def note(text: str) -> None:
    """An explanation on stderr; it may quote a file name, so it is made terminal-safe."""
    print(terminal_text(text), file=sys.stderr)
