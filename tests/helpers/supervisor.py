"""Drives tests/helpers/save_loop.py: starts children, kills them with SIGKILL, and
collects what each printed before it died."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).resolve().parent / "save_loop.py"


class Supervisor:
    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, bufsize=1, cwd=ROOT, env=env)
        self._lines: queue.Queue[list[str]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._live: set[int] = set()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.split())
        self._lines.put(["eof"])

    def send(self, *words: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(" ".join(str(w) for w in words) + "\n")
        self.proc.stdin.flush()

    def expect(self, kind: str, pid: int | None = None, *, timeout: float = 30,
               seen: list[list[str]] | None = None) -> list[str]:
        """The next line of ``kind`` (from ``pid``); other lines go to ``seen``."""
        while True:
            try:
                words = self._lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no '{kind}' line within {timeout} s") from None
            if words[0] in ("error", "eof", "unknown"):
                raise AssertionError(f"save_loop.py reported: {' '.join(words)}")
            if words[0] == kind and (pid is None or words[1] == str(pid)):
                return words
            if seen is not None:
                seen.append(words)

    def start(self, mode: str, *args: object) -> int:
        self.send(mode, *args)
        pid = int(self.expect("started")[1])
        self._live.add(pid)
        return pid

    def kill(self, pid: int) -> list[list[str]]:
        """SIGKILL the child; every line it printed before dying, in order."""
        os.kill(pid, signal.SIGKILL)
        self.send("wait", pid)
        seen: list[list[str]] = []
        self.expect("reaped", pid, seen=seen)
        self._live.discard(pid)
        return [w for w in seen if len(w) > 1 and w[1] == str(pid)]

    def close(self) -> None:
        for pid in list(self._live):
            with contextlib.suppress(OSError, AssertionError):
                self.kill(pid)
        try:
            self.send("quit")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
