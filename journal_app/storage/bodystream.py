"""The journal body encrypted, checked and decrypted in pieces, straight to and from files.

Why pieces: at 10k entries the image is ~40 MB. Every fresh copy of it costs 20-60 ms of
page faults on a small machine, and a copy or a cipher call made from Python holds the
GIL, so the UI thread freezes while a worker saves. Here a save encrypts the image in
``CHUNK``-sized pieces into one small reused buffer and writes each piece as it goes;
the read-back check decrypts the temp file in pieces and compares them with the image;
an open decrypts the file straight into one buffer. The only whole copy of the image a
save makes is ``Database.serialize`` on the owner thread.

AES-GCM in pieces produces exactly the bytes of the one-shot ``AESGCM`` (same key, nonce
and associated data): the file format is unchanged (see :mod:`fileformat`). Decrypted
pieces are never used before the tag has been checked. An open decrypts and authenticates
in one pass, straight into the buffer the plaintext will live in; only once
``finalize()`` has checked the tag is that buffer looked at (parsed, deserialised), and
on a bad tag it is unmapped at once. So the plaintext buffer is allocated before the body
is known to be authentic, as long as the body's authenticated length: in format 2 and
later that length is covered by the header MAC (checked with the data key before the body
is read), so a file only someone with the key could write can make the app allocate it;
a format 1 file (no header MAC) is still authenticated in a first pass in one small
buffer before anything large is allocated.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import secrets
import traceback
from collections.abc import Iterator
from io import BufferedIOBase

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from journal_app.errors import CorruptFileError, JournalError, TamperedFileError
from journal_app.storage import fileformat as ff

CHUNK = 1 << 20
_SLACK = 16  # update_into wants a block of room beyond the data it is given


def read_head(f: BufferedIOBase) -> ff.ParsedFile:
    """Parse the part of an open journal file before its body, without reading the body:
    the same checks and typed errors as :func:`fileformat.parse`."""
    size = os.fstat(f.fileno()).st_size
    f.seek(0)
    head = f.read(ff.PEEK_LEN)
    need = ff.head_len(head)
    if need > len(head):
        head += f.read(need - len(head))
    return ff.parse_head(head, size)


def _truncated() -> CorruptFileError:
    return CorruptFileError("The journal file is truncated.")


class _BodyReader:
    """Decrypts a file's body in pieces; :meth:`finish` checks the tag (authenticity)."""

    def __init__(self, f: BufferedIOBase, parsed: ff.ParsedFile, data_key: bytes) -> None:
        if parsed.body_len < ff.TAG_LEN:
            raise ff.tampered()
        self.left = parsed.body_len - ff.TAG_LEN
        f.seek(parsed.body_start + self.left)
        tag = f.read(ff.TAG_LEN)
        if len(tag) != ff.TAG_LEN:
            raise _truncated()
        f.seek(parsed.body_start)
        key = ff.derive_body_key(data_key, parsed.salt)
        self._dec = Cipher(algorithms.AES(key), modes.GCM(parsed.nonce, tag)).decryptor()
        self._dec.authenticate_additional_data(parsed.body_aad())
        self._f = f
        self._in = memoryview(bytearray(min(self.left, CHUNK)))

    def read_into(self, out: memoryview, n: int) -> None:
        """Decrypt the next ``n`` (<= CHUNK) bytes into ``out``, which has room for
        ``n + 16``. Not authentic until :meth:`finish` returns."""
        if n > self.left:
            raise _truncated()
        view, got = self._in[:n], 0
        while got < n:
            read = self._f.readinto(view[got:])
            if not read:
                raise _truncated()
            got += read
        if self._dec.update_into(view, out) != n:  # GCM gives out what it takes in
            raise ff.tampered()
        self.left -= n

    def finish(self) -> None:
        if self.left:
            raise _truncated()
        try:
            self._dec.finalize()
        except InvalidTag as exc:
            raise ff.tampered() from exc


def decrypt_file(f: BufferedIOBase, parsed: ff.ParsedFile, data_key: bytes) -> ff.Body:
    """Decrypt the body of ``f`` (head already read by :func:`read_head`, its header
    checked) into one new buffer, the only copy made, authenticating it in the same pass;
    ``image`` is a view into it. An anonymous map rather than a bytearray: it is not
    zero-filled up front, and is given back whole when freed."""
    if parsed.version == 1:  # no header MAC: the claimed length is not authentic yet
        check_file(f, parsed, data_key)
    reader = _BodyReader(f, parsed, data_key)
    size = reader.left
    plain = mmap.mmap(-1, size + _SLACK)
    try:
        with memoryview(plain) as out:
            for pos in range(0, size, CHUNK):
                reader.read_into(out[pos:], min(CHUNK, size - pos))
        reader.finish()
    except BaseException as exc:
        _unmap(plain, exc)
        raise
    return ff.body_from_plaintext(memoryview(plain)[:size])


def _unmap(plain: mmap.mmap, exc: BaseException) -> None:
    """Unmap plaintext that failed authentication (or whose reading failed) now, rather
    than keep it alive through the exception's traceback, whose finished frames may
    still hold views into it."""
    traceback.clear_frames(exc.__traceback__)
    with contextlib.suppress(BufferError):  # a view still held elsewhere: freed with it
        plain.close()


def check_file(f: BufferedIOBase, parsed: ff.ParsedFile, data_key: bytes) -> int:
    """Raise unless the body of ``f`` decrypts and authenticates; keeps nothing but its
    generation, returned once the tag has checked."""
    reader = _BodyReader(f, parsed, data_key)
    out = memoryview(bytearray(min(CHUNK, reader.left) + _SLACK))
    first = b""
    while reader.left:
        reader.read_into(out, min(CHUNK, reader.left))
        first = first or bytes(out[: ff.BODY_HEAD.size])
    reader.finish()
    if len(first) < ff.BODY_HEAD.size:
        raise ff.tampered()
    generation: int = ff.BODY_HEAD.unpack_from(first)[0]
    return generation


def copy_body(f: BufferedIOBase, parsed: ff.ParsedFile, end: int | None = None,
              ) -> Iterator[memoryview]:
    """The body of ``f`` as it is (up to ``end``: its change records too), in pieces (each
    valid until the next is asked for)."""
    buf = memoryview(bytearray(CHUNK))
    f.seek(parsed.body_start)
    left = (parsed.body_end if end is None else end) - parsed.body_start
    while left:
        got = f.readinto(buf[: min(CHUNK, left)])
        if not got:
            raise _truncated()
        left -= got
        yield buf[:got]


def read_tag(f: BufferedIOBase, parsed: ff.ParsedFile) -> bytes:
    """The base body's tag (its last bytes): what change records are bound to."""
    f.seek(parsed.body_end - ff.TAG_LEN)
    tag = f.read(ff.TAG_LEN)
    if len(tag) != ff.TAG_LEN:
        raise _truncated()
    return tag


class Sealer:
    """One save's file: its head (with a fresh salt and nonce), then the image encrypted
    piece by piece. :meth:`chunks` gives the bytes; :meth:`check` reads a written copy
    back as a reader would and compares it with the image."""

    def __init__(self, header: ff.Header, data_key: bytes, image: bytes | memoryview,
                 generation: int, saved_at: float) -> None:
        self.salt = salt = secrets.token_bytes(ff.SALT_LEN)
        self.nonce = secrets.token_bytes(ff.NONCE_LEN)
        self._key = ff.derive_body_key(data_key, salt)
        self._aad = ff.body_aad(ff.FORMAT_VERSION, header.meta, salt, self.nonce)
        self._image = image
        self._body_head = ff.BODY_HEAD.pack(generation, saved_at, len(image))
        self._plain_len = ff.padded_len(len(image))
        ff.check_savable(header, self._plain_len + ff.TAG_LEN)
        self.head = ff.file_head(ff.FORMAT_VERSION, header, salt, self.nonce,
                                 self._plain_len + ff.TAG_LEN, data_key)
        self.digest = self.head[-ff.DIGEST_LEN :]  # what disk_digest reads back
        self.tag = b""  # the body's tag, once chunks() has given it
        self.file_len = len(self.head) + self._plain_len + ff.TAG_LEN

    def _plain(self) -> Iterator[memoryview]:
        """The plaintext body in pieces of at most CHUNK bytes, no copies: the body head,
        the image, the zero padding."""
        yield memoryview(self._body_head)
        image = memoryview(self._image)
        for pos in range(0, len(image), CHUNK):
            yield image[pos : pos + CHUNK]
        pad = self._plain_len - len(self._body_head) - len(image)
        zeros = memoryview(bytes(min(pad, CHUNK)))
        while pad:
            n = min(pad, CHUNK)
            yield zeros[:n]
            pad -= n

    def chunks(self) -> Iterator[memoryview]:
        """The whole file in order. One buffer is reused: each piece is valid only until
        the next one is asked for, so write it out first."""
        yield memoryview(self.head)
        enc = Cipher(algorithms.AES(self._key), modes.GCM(self.nonce)).encryptor()
        enc.authenticate_additional_data(self._aad)
        buf = memoryview(bytearray(CHUNK + _SLACK))
        for piece in self._plain():
            yield buf[: enc.update_into(piece, buf)]
        enc.finalize()
        self.tag = enc.tag
        yield memoryview(enc.tag)

    def check(self, f: BufferedIOBase, data_key: bytes) -> None:
        """Raise a DamagedFileError unless ``f`` holds this save: its head checks out and
        is ours, and its body, decrypted with a key derived from the salt read back,
        equals the image piece for piece and authenticates."""
        try:
            parsed = read_head(f)
            if (parsed.digest != self.digest or parsed.body_len != self._plain_len + ff.TAG_LEN
                    or os.fstat(f.fileno()).st_size != parsed.body_end):
                raise _not_read_back()
            reader = _BodyReader(f, parsed, data_key)
            out = bytearray(CHUNK + _SLACK)
            view = memoryview(out)
            for piece in self._plain():
                n = len(piece)
                reader.read_into(view, n)
                if out[:n] != piece:  # a bytearray slice compares with memcmp
                    raise _not_read_back()
            reader.finish()
        except JournalError as exc:  # whatever it reads as (even "too new"): not ours
            if isinstance(exc, TamperedFileError):
                raise
            raise _not_read_back() from exc


def _not_read_back() -> TamperedFileError:
    return TamperedFileError("The saved copy did not read back correctly.")
