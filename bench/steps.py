"""Timers wrapped around the app's own calls, for the probes: how long each named step
took (exclusive of the steps nested in it) and the peak RSS while it ran.

The probes drive the app through its public paths (``Vault.open``, a CLI verb, …) and
learn where the time went by wrapping the functions those paths call, by name, if they
exist: a step the code no longer has is simply not reported, and the rest of the path is
"other". Nothing is changed about what runs.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.stats import peak_rss_mib, reset_peak_rss


@dataclass
class _Frame:
    label: str
    start: float
    inner: float = 0.0
    peak: float = 0.0


@dataclass
class Steps:
    """Exclusive seconds, calls and peak RSS (MiB) per label; ``peaks`` resets VmHWM as
    each step starts, so a step's peak is its own (folded into the steps around it)."""

    peaks: bool = True
    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)
    _stack: list[_Frame] = field(default_factory=list)
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def _reset(self) -> None:
        now = peak_rss_mib()
        for frame in self._stack:
            frame.peak = max(frame.peak, now)
        reset_peak_rss()

    def enter(self, label: str) -> None:
        if self.peaks:
            self._reset()
        self._stack.append(_Frame(label, time.perf_counter()))

    def leave(self) -> None:
        frame = self._stack.pop()
        elapsed = time.perf_counter() - frame.start
        peak = max(frame.peak, peak_rss_mib()) if self.peaks else 0.0
        if self._stack:
            self._stack[-1].inner += elapsed
            self._stack[-1].peak = max(self._stack[-1].peak, peak)
        self.seconds[frame.label] = self.seconds.get(frame.label, 0.0) + elapsed - frame.inner
        self.calls[frame.label] = self.calls.get(frame.label, 0) + 1
        self.peak_mib[frame.label] = max(self.peak_mib.get(frame.label, 0.0), peak)

    def timed(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.enter(label)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        return wrapper

    def wrap(self, owner: Any, name: str, label: str) -> bool:
        """Time ``owner.name`` (a function, method, classmethod or staticmethod) as
        ``label`` until :meth:`restore`. False if ``owner`` has no such attribute."""
        try:
            static = inspect.getattr_static(owner, name)
        except AttributeError:
            return False
        if isinstance(static, classmethod):
            new: Any = classmethod(self.timed(label, static.__func__))
        elif isinstance(static, staticmethod):
            new = staticmethod(self.timed(label, static.__func__))
        elif callable(static):
            new = self.timed(label, static)
        else:
            return False
        setattr(owner, name, new)
        self._undo.append(lambda: setattr(owner, name, static))
        return True

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()

    def to_json(self) -> dict:
        return {label: {"seconds": self.seconds[label], "calls": self.calls[label],
                        **({"peak_mib": self.peak_mib[label]} if self.peaks else {})}
                for label in self.seconds}


class _TimedLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, steps: Steps, after: Callable[[str, Any], None]) -> None:
        self.loader = loader
        self.steps = steps
        self.after = after

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        create = getattr(self.loader, "create_module", None)
        if create is None:
            return None
        self.steps.enter("imports")
        try:
            return create(spec)
        finally:
            self.steps.leave()

    def exec_module(self, module: Any) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.steps.enter("imports")
        try:
            self.loader.exec_module(module)
        finally:
            self.steps.leave()
        self.after(module.__name__, module)


class ImportTimer(importlib.abc.MetaPathFinder):
    """Times every import from now on as the step "imports" (exclusive of the steps it
    runs), and calls ``after(name, module)`` once a module has run: where the probes wrap
    a module's functions without importing it themselves (which would change what the
    verb imports)."""

    def __init__(self, steps: Steps, after: Callable[[str, Any], None]) -> None:
        self.steps = steps
        self.after = after

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _TimedLoader(spec.loader, self.steps, self.after)
                return spec
        return None

    def install(self) -> None:
        sys.meta_path.insert(0, self)
