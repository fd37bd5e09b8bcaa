"""Sound as numbers, no Qt: 16-bit mono PCM from other sample layouts, how loud a stretch of
it is (for the level meter), and a WAV file made in memory.

A voice note is always kept as 16-bit mono PCM in a WAV: every player reads it, the domain
reads its length from the header, and a sentence needs no more than that.
"""

from __future__ import annotations

import enum
import io
import math
import struct
import sys
import wave
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from journal_app.domain.attachments import MAX_ATTACHMENT_BYTES

#: Bytes a WAV written by :func:`wav_bytes` adds in front of its samples.
WAV_HEADER_BYTES = 44
#: One 16-bit mono frame.
FRAME_BYTES = 2
#: The rate asked of a microphone: plenty for a voice, small on disk (32 kB a second).
VOICE_RATE = 16_000
#: Below this loudness (dBFS) the meter reads empty; a quiet room sits a little above it.
FLOOR_DB = -60.0


class SampleLayout(enum.Enum):
    """How one sample is stored (always little-endian, channels interleaved)."""

    UINT8 = 1
    INT16 = 2
    INT24 = 3
    INT32 = 4
    FLOAT32 = 5


@dataclass(frozen=True)
class PcmFormat:
    """What a sound source delivers before it is made 16-bit mono."""

    sample_rate: int
    channels: int = 1
    layout: SampleLayout = SampleLayout.INT16


def _int16(values: Iterable[int]) -> array[int]:
    return array("h", values)


def _from_bytes(data: bytes, typecode: str) -> array:  # type: ignore[type-arg]
    values = array(typecode)
    values.frombytes(data[: len(data) - len(data) % values.itemsize])
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _high_bytes(data: bytes, width: int) -> bytes:
    """The top two bytes of each little-endian sample of ``width`` bytes: its 16-bit value."""
    count = len(data) // width
    out = bytearray(count * 2)
    out[0::2] = data[width - 2: count * width: width]
    out[1::2] = data[width - 1: count * width: width]
    return bytes(out)


def _to_int16(data: bytes, layout: SampleLayout) -> array[int]:
    if layout is SampleLayout.INT16:
        return _from_bytes(data, "h")
    if layout in (SampleLayout.INT24, SampleLayout.INT32):
        return _from_bytes(_high_bytes(data, layout.value), "h")
    if layout is SampleLayout.UINT8:
        return _int16((b - 128) << 8 for b in data)
    floats = _from_bytes(data, "f")
    return _int16(int(max(-1.0, min(1.0, x)) * 32767) for x in floats)


def _down_mix(samples: array[int], channels: int) -> array[int]:
    if channels <= 1:
        return samples
    usable = len(samples) - len(samples) % channels
    lanes = [samples[c:usable:channels] for c in range(channels)]
    return _int16(sum(frame) // channels for frame in zip(*lanes, strict=True))


def to_mono16(data: bytes, fmt: PcmFormat) -> bytes:
    """``data`` in ``fmt`` as 16-bit little-endian mono PCM (channels averaged)."""
    mono = _down_mix(_to_int16(data, fmt.layout), fmt.channels)
    if sys.byteorder == "big":
        mono.byteswap()
    return mono.tobytes()


def level(pcm: bytes) -> int:
    """How loud 16-bit mono ``pcm`` is, 0–100 on a decibel scale (what a meter shows):
    silence is 0, ordinary speech near the microphone about 60–90."""
    samples = _from_bytes(pcm, "h")
    if not samples:
        return 0
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    if rms < 1:
        return 0
    db = 20 * math.log10(rms / 32767)
    return max(0, min(100, round(100 * (db - FLOOR_DB) / -FLOOR_DB)))


def wav_bytes(pcm: bytes, sample_rate: int) -> bytes:
    """A WAV file of 16-bit mono ``pcm``, made in memory."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(FRAME_BYTES)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm)
    return out.getvalue()


_LAYOUTS = {1: SampleLayout.UINT8, 2: SampleLayout.INT16, 3: SampleLayout.INT24,
            4: SampleLayout.INT32}


def read_wav(data: bytes) -> tuple[bytes, int]:
    """A PCM WAV file's samples as 16-bit mono PCM, and its rate; ``wave.Error`` when it
    isn't one. Read here rather than by ``wave``, which before Python 3.12 refuses the
    extensible header many recorders write."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise wave.Error("not a WAV file")
    pos, fmt, frames = 12, None, None
    while pos + 8 <= len(data) and frames is None:
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if chunk == b"fmt " and len(body) >= 16:
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif chunk == b"data":
            frames = body
        pos += 8 + size + (size & 1)
    if fmt is None or frames is None:
        raise wave.Error("no format or no samples")
    code, channels, rate, _byte_rate, _align, bits = fmt
    width = (bits + 7) // 8
    if code not in (1, 0xFFFE) or width not in _LAYOUTS or not channels or not rate:
        raise wave.Error("not PCM samples the journal plays")
    usable = len(frames) - len(frames) % (width * channels)
    return to_mono16(frames[:usable], PcmFormat(rate, channels, _LAYOUTS[width])), rate


def max_pcm_bytes(max_file_bytes: int = MAX_ATTACHMENT_BYTES) -> int:
    """The most samples (in bytes, whole frames) a WAV may hold and stay within the limit."""
    room = max(0, max_file_bytes - WAV_HEADER_BYTES)
    return room - room % FRAME_BYTES


def duration_ms(pcm_bytes: int, sample_rate: int) -> int:
    """How long ``pcm_bytes`` of 16-bit mono sound lasts."""
    return pcm_bytes // FRAME_BYTES * 1000 // max(1, sample_rate)
