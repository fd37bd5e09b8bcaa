"""Run with jrnl's own Python: encrypt a plain jrnl journal the way jrnl writes one.

    python jrnl_encrypt.py PLAIN.txt OUT.txt     (password file in BENCH_JRNL_PASSWORD_FILE)

Also prints how long one jrnl key derivation (PBKDF2-SHA256) takes here, as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption


def main() -> int:
    plain, out = Path(sys.argv[1]), Path(sys.argv[2])
    password = Path(os.environ["BENCH_JRNL_PASSWORD_FILE"]).read_text().strip()
    enc = Jrnlv3Encryption("default", {})
    enc.password = password
    out.write_bytes(enc.encrypt(plain.read_text(encoding="utf-8")))
    times = []
    for _ in range(7):
        t = time.perf_counter()
        enc._make_key(b"\x00" * 16)
        times.append(time.perf_counter() - t)
    print(json.dumps({"pbkdf2_seconds": times, "median": statistics.median(times)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
