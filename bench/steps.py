"""Timers wrapped around the app's own calls, for the probes: how long each named step
took (exclusive of the steps nested in it) and the peak RSS while it ran.

The probes drive the app through its public paths (``Vault.open``, a CLI verb, …) and
learn where the time went by wrapping the functions those paths call, by name, if they
exist: a step the code no longer has is simply not reported, and the rest of the path is
"other". Nothing is changed about what runs.
"""

from __future__ import annotations

import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# Only the lightest standard modules here: the CLI phase runner imports this module before
# the verb runs, and anything it imports is then missing from the verb's import time.


class _Frame:
    def __init__(self, label: str, start: float) -> None:
        self.label = label
        self.start = start
        self.inner = 0.0
        self.peak = 0.0


def _peak_mib() -> float:
    """VmHWM (read here, not through bench.stats: the import hook must not import)."""
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _static(owner: Any, name: str) -> Any:
    """``owner.name`` as stored (a classmethod stays a classmethod), or AttributeError."""
    for holder in getattr(owner, "__mro__", (owner,)):
        found = vars(holder).get(name)
        if found is not None:
            return found
    raise AttributeError(name)


class Steps:
    """Exclusive seconds, calls and peak RSS (MiB) per label; ``peaks`` resets VmHWM as
    each step starts, so a step's peak is its own (folded into the steps around it)."""

    def __init__(self, peaks: bool = True) -> None:
        self.peaks = peaks
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.peak_mib: dict[str, float] = {}
        self._stack: list[_Frame] = []
        self._undo: list[Callable[[], None]] = []

    def _reset(self) -> None:
        now = _peak_mib()
        for frame in self._stack:
            frame.peak = max(frame.peak, now)
        _reset_peak()

    def enter(self, label: str) -> None:
        if self.peaks:
            self._reset()
        self._stack.append(_Frame(label, time.perf_counter()))

    def leave(self) -> None:
        frame = self._stack.pop()
        elapsed = time.perf_counter() - frame.start
        peak = 0.0
        if self.peaks:
            peak = max(frame.peak, _peak_mib())
        if self._stack:
            self._stack[-1].inner += elapsed
            self._stack[-1].peak = max(self._stack[-1].peak, peak)
        self.seconds[frame.label] = self.seconds.get(frame.label, 0.0) + elapsed - frame.inner
        self.calls[frame.label] = self.calls.get(frame.label, 0) + 1
        self.peak_mib[frame.label] = max(self.peak_mib.get(frame.label, 0.0), peak)

    def timed(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.enter(label)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
        wrapper.__name__ = getattr(fn, "__name__", label)
        return wrapper

    def wrap(self, owner: Any, name: str, label: str) -> bool:
        """Time ``owner.name`` (a function, method, classmethod or staticmethod) as
        ``label`` until :meth:`restore`. False if ``owner`` has no such attribute."""
        try:
            static = _static(owner, name)
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


class _TimedLoader:
    def __init__(self, loader: Any, steps: Steps, after: Callable[[str, Any], None]) -> None:
        self.loader = loader
        self.steps = steps
        self.after = after

    def create_module(self, spec: Any) -> Any:
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


class ImportTimer:
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
