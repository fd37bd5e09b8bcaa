"""A rough passphrase strength estimate, for a hint while the user types (not a policy)."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

MIN_LENGTH = 8


@dataclass(frozen=True)
class Strength:
    score: int  # 0 too short · 1 weak · 2 fair · 3 strong · 4 very strong
    bits: float


def estimate(passphrase: str) -> Strength:
    if len(passphrase) < MIN_LENGTH:
        return Strength(0, 0.0)
    words = [w for w in passphrase.split() if w]
    pool = 0
    for chars, size in ((string.ascii_lowercase, 26), (string.ascii_uppercase, 26),
                        (string.digits, 10), (string.punctuation + " ", 33)):
        if any(c in chars for c in passphrase):
            pool += size
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    distinct = len(set(passphrase))
    char_bits = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))
    word_bits = len(words) * 11.0 if len(words) >= 3 else 0.0  # ~2,000-word vocabulary
    bits = max(char_bits * 0.5, word_bits)  # people's strings are not random: discount
    score = 1 if bits < 40 else 2 if bits < 55 else 3 if bits < 75 else 4
    return Strength(score, bits)
