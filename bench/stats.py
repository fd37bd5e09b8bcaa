"""Small helpers: summaries of repeated timings, RSS, and what machine this is."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Summary:
    """Seconds (or any unit) of n repetitions."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        if not values:
            raise ValueError("no values")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def to_json(self) -> dict:
        return {"median": self.median, "low": self.low, "high": self.high, "n": self.n}

    @classmethod
    def from_json(cls, obj: dict) -> Summary:
        return cls(obj["median"], obj["low"], obj["high"], obj["n"])


def summarize(values: list[float]) -> dict:
    return Summary.of(values).to_json()


def ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def fmt(summary: dict, unit=ms) -> str:
    """``median (min-max, n=k)``."""
    spread = f"{unit(summary['low'])}–{unit(summary['high'])}"
    return f"{unit(summary['median'])} ({spread}, n={summary['n']})"


def peak_rss_mib() -> float:
    """This process's peak resident set size so far: VmHWM, which starts afresh at exec
    (``ru_maxrss`` does not on Linux: a child inherits its parent's high-water mark)."""
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    except OSError:
        match = None
    if match:
        return int(match.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> float:
    """The 1-minute load average (other work on this machine skews every timing)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def current_rss_mib() -> float:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return float("nan")
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else float("nan")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float:
    try:
        text = Path("/proc/meminfo").read_text()
        match = re.search(r"MemTotal:\s+(\d+) kB", text)
        if match:
            return int(match.group(1)) / 2**20
    except OSError:
        pass
    return float("nan")


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "?"


def machine() -> dict:
    try:
        disk = subprocess.run(["df", "-hT", "."], capture_output=True, text=True,
                              check=False).stdout.splitlines()[-1].split()[1]
    except (OSError, IndexError):
        disk = "?"
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(_ram_gib(), 1),
        "os": f"{platform.system()} {platform.release()}",
        "filesystem": disk,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "pyside6": _version("PySide6-Essentials"),
        "sqlalchemy": _version("SQLAlchemy"),
        "cryptography": _version("cryptography"),
    }


def reset_peak_rss() -> bool:
    """Start VmHWM afresh at the current RSS (``/proc/self/clear_refs`` = 5), so the next
    reading of :func:`peak_rss_mib` is the peak of what runs from now on. False where the
    kernel doesn't offer it (the peak then stays the process's peak so far)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True
