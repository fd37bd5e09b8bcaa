"""The body encrypted, checked and decrypted in pieces (storage.bodystream).

Files written piece by piece must be byte for byte what the one-shot AES-GCM format is,
so journals written before and after open in either reader; the read-back check must
catch any damage; and pieces must join up whatever the image's length.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from journal_app.errors import CorruptFileError, DamagedFileError, TamperedFileError
from journal_app.storage import bodystream
from journal_app.storage import fileformat as ff

PIECE = 4096  # small pieces, so a few KB of image cross many piece boundaries
# Around the edges: empty, one byte, the body head filling a piece, several pieces.
SIZES = [0, 1, PIECE - ff.BODY_HEAD.size - 1, PIECE - ff.BODY_HEAD.size, PIECE,
         3 * PIECE + 5, ff.PAD_UNIT - ff.BODY_HEAD.size, ff.PAD_UNIT + 1]


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr(bodystream, "CHUNK", PIECE)


@pytest.fixture(scope="module")
def keys():
    data_key = ff.random_data_key()
    header = ff.Header(ff.new_meta(data_key), [
        ff.passphrase_slot(data_key, "pieces", ff.KdfParams(8 * 1024, 1, 1)),
        ff.recovery_slot(data_key, b"r" * 20)])
    return data_key, header


def image_of(size: int) -> bytes:
    return bytes((i * 7 + 3) % 251 for i in range(size))


def seal(header, data_key, image: bytes, generation: int = 7) -> tuple[bytes, bodystream.Sealer]:
    sealer = bodystream.Sealer(header, data_key, image, generation, 1234.5)
    return b"".join(bytes(piece) for piece in sealer.chunks()), sealer


@pytest.mark.parametrize("size", SIZES)
def test_file_written_in_pieces_is_the_one_shot_format(keys, size):
    data_key, header = keys
    image = image_of(size)
    data, sealer = seal(header, data_key, image)
    parsed = ff.parse(data)
    assert parsed.digest == sealer.digest
    plain = ff.BODY_HEAD.pack(7, 1234.5, size) + image
    plain += bytes(ff.padded_len(size) - len(plain))
    body_key = ff.derive_body_key(data_key, parsed.salt)
    assert parsed.ciphertext == AESGCM(body_key).encrypt(parsed.nonce, plain, parsed.body_aad())
    body = ff.decrypt(parsed, data_key)
    assert (body.generation, body.saved_at, body.image) == (7, 1234.5, image)


@pytest.mark.parametrize("size", SIZES)
def test_pieces_and_one_shot_files_both_open_in_pieces(keys, tmp_path, size):
    data_key, header = keys
    image = image_of(size)
    streamed, _ = seal(header, data_key, image)
    parsed = ff.parse(streamed)
    # A file as the one-shot writer of earlier versions made it: same salt and nonce.
    plain = ff.BODY_HEAD.pack(3, 99.0, size) + image
    plain += bytes(ff.padded_len(size) - len(plain))
    one_shot = ff.assemble(ff.FORMAT_VERSION, header, parsed.salt, parsed.nonce,
                           AESGCM(ff.derive_body_key(data_key, parsed.salt)).encrypt(
                               parsed.nonce, plain, parsed.body_aad()), data_key)
    for data, generation in ((streamed, 7), (one_shot, 3)):
        path = tmp_path / "journal"
        path.write_bytes(data)
        with open(path, "rb") as f:
            head = bodystream.read_head(f)
            body = bodystream.decrypt_file(f, head, data_key)
            assert (body.generation, bytes(body.image)) == (generation, image)
            bodystream.check_file(f, head, data_key)


def _check(sealer, data_key, tmp_path, data: bytes) -> None:
    path = tmp_path / "written"
    path.write_bytes(data)
    with open(path, "rb") as f:
        sealer.check(f, data_key)


def test_read_back_check_accepts_its_own_file_only(keys, tmp_path):
    data_key, header = keys
    image = image_of(3 * PIECE + 5)
    data, sealer = seal(header, data_key, image)
    _check(sealer, data_key, tmp_path, data)
    body_start = ff.parse(data).body_start
    for pos in (0, 3, 40, body_start - 1, body_start, body_start + PIECE + 1,
                len(data) - 17, len(data) - 1):
        damaged = bytearray(data)
        damaged[pos] ^= 0x01
        with pytest.raises(TamperedFileError):
            _check(sealer, data_key, tmp_path, bytes(damaged))
    for cut in (0, 10, body_start, len(data) - 1):
        with pytest.raises(TamperedFileError):
            _check(sealer, data_key, tmp_path, data[:cut])
    with pytest.raises(TamperedFileError):
        _check(sealer, data_key, tmp_path, data + b"\0")
    other, _ = seal(header, data_key, image)  # the same image saved again: not this save
    with pytest.raises(TamperedFileError):
        _check(sealer, data_key, tmp_path, other)
    different, _ = seal(header, data_key, image_of(3 * PIECE + 5)[::-1])
    with pytest.raises(TamperedFileError):
        _check(sealer, data_key, tmp_path, different)


def test_read_back_check_compares_the_image_not_just_the_tag(keys, tmp_path):
    """A file that authenticates but holds another image (a writer bug, not damage)."""
    data_key, header = keys
    image = image_of(2 * PIECE)
    data, sealer = seal(header, data_key, image)
    sealer._image = image[:-1] + b"\xff"  # what the save meant to write differs
    with pytest.raises(TamperedFileError):
        _check(sealer, data_key, tmp_path, data)


def test_damaged_body_opens_as_typed_error(keys, tmp_path):
    data_key, header = keys
    data, _ = seal(header, data_key, image_of(5 * PIECE))
    body_start = ff.parse(data).body_start
    path = tmp_path / "journal"
    for pos in (body_start, body_start + 2 * PIECE + 3, len(data) - 1):
        damaged = bytearray(data)
        damaged[pos] ^= 0x80
        path.write_bytes(bytes(damaged))
        with open(path, "rb") as f, pytest.raises(TamperedFileError):
            bodystream.decrypt_file(f, bodystream.read_head(f), data_key)
    path.write_bytes(data)
    with open(path, "rb") as f:
        head = bodystream.read_head(f)
        with pytest.raises(TamperedFileError):
            bodystream.decrypt_file(f, head, ff.random_data_key())
        with open(path, "r+b") as shrink:  # shortened after its head was read
            shrink.truncate(len(data) - PIECE)
        with pytest.raises(CorruptFileError):
            bodystream.decrypt_file(f, head, data_key)


@pytest.mark.parametrize("cut", [0, 5, 30, 200])
def test_head_of_a_short_file_is_a_typed_error(keys, tmp_path, cut):
    data_key, header = keys
    data, _ = seal(header, data_key, image_of(10))
    path = tmp_path / "journal"
    path.write_bytes(data[:cut])
    with open(path, "rb") as f, pytest.raises(DamagedFileError):
        bodystream.read_head(f)


class _Counting:
    """A file wrapper that counts the body bytes read through it."""

    def __init__(self, f) -> None:
        self._f, self.read_bytes = f, 0

    def readinto(self, buf) -> int:
        n = self._f.readinto(buf)
        self.read_bytes += n or 0
        return n

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self.read_bytes += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self._f, name)


def test_an_open_reads_the_body_once(keys, tmp_path):
    """Authenticated while it is decrypted: one pass over the body, not two."""
    data_key, header = keys
    image = image_of(20 * PIECE)
    data, _ = seal(header, data_key, image)
    path = tmp_path / "journal"
    path.write_bytes(data)
    with open(path, "rb") as raw:
        head = bodystream.read_head(raw)
        f = _Counting(raw)
        body = bodystream.decrypt_file(f, head, data_key)
        assert bytes(body.image) == image
    assert head.body_len <= f.read_bytes < 1.2 * head.body_len


def test_plaintext_is_looked_at_only_after_the_tag_checks(keys, tmp_path, monkeypatch):
    data_key, header = keys
    data, _ = seal(header, data_key, image_of(6 * PIECE))
    path = tmp_path / "journal"
    path.write_bytes(data)
    events: list[str] = []
    finish, from_plain = bodystream._BodyReader.finish, ff.body_from_plaintext
    monkeypatch.setattr(bodystream._BodyReader, "finish",
                        lambda self: (finish(self), events.append("tag checked"))[0])
    monkeypatch.setattr(ff, "body_from_plaintext",
                        lambda plain: (events.append("parsed"), from_plain(plain))[1])
    with open(path, "rb") as f:
        bodystream.decrypt_file(f, bodystream.read_head(f), data_key)
    assert events[-2:] == ["tag checked", "parsed"] and events.count("parsed") == 1


@pytest.mark.parametrize("where", ["first piece", "middle", "tag"])
def test_plaintext_that_fails_authentication_is_unmapped_at_once(keys, tmp_path, monkeypatch,
                                                                where):
    data_key, header = keys
    data, _ = seal(header, data_key, image_of(6 * PIECE))
    body_start = ff.parse(data).body_start
    pos = {"first piece": body_start + 1, "middle": body_start + 3 * PIECE,
           "tag": len(data) - 1}[where]
    damaged = bytearray(data)
    damaged[pos] ^= 0x04
    path = tmp_path / "journal"
    path.write_bytes(bytes(damaged))
    maps: list = []
    real_mmap = bodystream.mmap.mmap
    monkeypatch.setattr(bodystream.mmap, "mmap",
                        lambda *a: maps.append(real_mmap(*a)) or maps[-1])
    with open(path, "rb") as f, pytest.raises(TamperedFileError):
        bodystream.decrypt_file(f, bodystream.read_head(f), data_key)
    assert maps and all(m.closed for m in maps)
