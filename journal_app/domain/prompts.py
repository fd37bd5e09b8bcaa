"""The prompt library: the questions of the preparation and integration flows, as data.

The prompts live in ``resources/prompts/*.toml`` (one file per phase). Each file has a
top-level ``version`` and ``[[prompt]]`` records::

    [[prompt]]
    id = "intention"            # stable forever; answers refer to it
    version = 1                 # bump when the wording changes
    phase = "preparation"       # preparation | integration
    step = "preparation"        # the timeline step it belongs to (see resources/schedule.toml)
    title = "Your intention"
    question = "What would you like to understand, feel or change?"
    help = "A short, kind hint shown under the question."
    answer_type = "text"        # text | scale_0_10 | checklist | single_choice
    placeholder = "I would like to…"   # optional, text only
    optional = true             # optional: the flow may offer it after the core prompts
    options = [{ id = "calm", label = "Calm" }]   # checklist and single_choice only
    low_label = "Very low"      # optional, scale_0_10 only: what 0 and 10 mean
    high_label = "Very good"

The wording is in English; the UI translates it when showing it. A :class:`PromptAnswer`
keeps a snapshot of the wording the person actually saw, so an entry still reads the same
after the library changes.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from journal_app import paths
from journal_app.domain.datafile import (
    DataFileError,
    DataSource,
    Record,
    file_version,
    read_document,
    records,
)

__all__ = [
    "AnswerType",
    "FlowProgress",
    "Option",
    "Phase",
    "Prompt",
    "PromptAnswer",
    "PromptLibrary",
    "default_library",
    "load_library",
    "render_markdown",
]


class Phase(enum.StrEnum):
    PREPARATION = "preparation"
    INTEGRATION = "integration"


class AnswerType(enum.StrEnum):
    TEXT = "text"
    SCALE = "scale_0_10"
    CHECKLIST = "checklist"
    SINGLE_CHOICE = "single_choice"


Answer = str | int | list[str] | None
Translate = Callable[[str], str]
CHOICE_TYPES = (AnswerType.CHECKLIST, AnswerType.SINGLE_CHOICE)
SCALE_MIN, SCALE_MAX = 0, 10


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Option:
    """One choice of a checklist or single-choice prompt; ``id`` is what answers store."""

    id: str
    label: str


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    phase: Phase
    step: str
    title: str
    question: str
    answer_type: AnswerType
    help: str = ""
    placeholder: str = ""
    optional: bool = False
    options: tuple[Option, ...] = ()
    low_label: str = ""
    high_label: str = ""

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def check_answer(self, answer: Answer) -> Answer:
        """``answer`` in its canonical form, or ValueError if it doesn't fit this prompt.

        Text stays as typed; a scale is a whole number 0-10; a checklist is a list of
        option ids (kept in the library's order, without repeats); a single choice is one
        option id. ``None`` means "not answered". Messages never repeat the answer.
        """
        if answer is None:
            return None
        kind = self.answer_type
        if kind is AnswerType.TEXT:
            if not isinstance(answer, str):
                raise ValueError(f"prompt {self.id} expects text")
            return answer
        if kind is AnswerType.SCALE:
            if isinstance(answer, bool) or not isinstance(answer, int) \
                    or not SCALE_MIN <= answer <= SCALE_MAX:
                raise ValueError(f"prompt {self.id} expects a whole number from 0 to 10")
            return answer
        known = [o.id for o in self.options]
        if kind is AnswerType.SINGLE_CHOICE:
            if answer not in known:
                raise ValueError(f"prompt {self.id} expects one of its options")
            return answer
        if not isinstance(answer, list | tuple) \
                or not all(isinstance(a, str) and a in known for a in answer):
            raise ValueError(f"prompt {self.id} expects a list of its options")
        return [o for o in known if o in answer]


@dataclass(frozen=True)
class PromptAnswer:
    """An answer with a snapshot of the prompt as it was shown (id, version, wording)."""

    prompt_id: str
    prompt_version: int
    title: str
    question: str
    answer_type: AnswerType
    answer: Answer = field(default=None, repr=False)
    skipped: bool = False
    options: tuple[Option, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answer_type", AnswerType(self.answer_type))
        object.__setattr__(self, "options", tuple(self.options))
        if self.skipped and self.answer is not None:
            raise ValueError("a skipped prompt has no answer")

    @classmethod
    def of(cls, prompt: Prompt, answer: Answer, *, translate: Translate = _same) -> PromptAnswer:
        """Answer ``prompt``; ``translate`` turns the library's wording into what was shown."""
        return cls._snapshot(prompt, prompt.check_answer(answer), False, translate)

    @classmethod
    def skip(cls, prompt: Prompt, *, translate: Translate = _same) -> PromptAnswer:
        return cls._snapshot(prompt, None, True, translate)

    @classmethod
    def _snapshot(cls, prompt: Prompt, answer: Answer, skipped: bool,
                  translate: Translate) -> PromptAnswer:
        return cls(
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            title=translate(prompt.title),
            question=translate(prompt.question),
            answer_type=prompt.answer_type,
            answer=answer,
            skipped=skipped,
            options=tuple(Option(o.id, translate(o.label)) for o in prompt.options),
        )

    @property
    def is_empty(self) -> bool:
        """Nothing to show: skipped, unanswered, or blank text."""
        if self.skipped or self.answer is None:
            return True
        return isinstance(self.answer, str) and not self.answer.strip()


@dataclass(frozen=True)
class FlowProgress:
    """Where a half-done flow stopped, for resuming it: the position of the prompt on screen
    and the answers given so far (prompt id -> answer; ``None`` marks a skipped prompt)."""

    position: int = 0
    answers: Mapping[str, Answer] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, object]:
        return {"position": self.position, "answers": dict(self.answers)}

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> FlowProgress:
        if not data:
            return cls()
        position = data.get("position", 0)
        answers = data.get("answers", {})
        return cls(position if isinstance(position, int) else 0,
                   dict(answers) if isinstance(answers, dict) else {})


# ---------------------------------------------------------------------------- the library


@dataclass(frozen=True)
class PromptLibrary:
    """All prompts, in file order. ``versions`` maps each file's name (its phase, e.g.
    ``"preparation"``) to the file's ``version``."""

    prompts: tuple[Prompt, ...]
    versions: Mapping[str, int]
    _by_id: Mapping[str, Prompt] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.prompts})

    def __iter__(self) -> Iterator[Prompt]:
        return iter(self.prompts)

    def __len__(self) -> int:
        return len(self.prompts)

    def __contains__(self, prompt_id: object) -> bool:
        return prompt_id in self._by_id

    def get(self, prompt_id: str) -> Prompt:
        """The prompt with ``prompt_id``; KeyError if the library has none."""
        return self._by_id[prompt_id]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.prompts)

    def for_phase(self, phase: Phase | str) -> tuple[Prompt, ...]:
        return tuple(p for p in self.prompts if p.phase == Phase(phase))

    def for_step(self, step: str, *, include_optional: bool = True) -> tuple[Prompt, ...]:
        """The prompts of one timeline step, in the order the flow shows them."""
        return tuple(p for p in self.prompts
                     if p.step == step and (include_optional or not p.optional))

    def steps(self) -> tuple[str, ...]:
        """Every step that has prompts, in first-appearance order."""
        return tuple(dict.fromkeys(p.step for p in self.prompts))


_PROMPT_FIELDS = frozenset({
    "id", "version", "phase", "step", "title", "question", "help", "answer_type",
    "placeholder", "optional", "options", "low_label", "high_label",
})


@functools.cache
def default_library() -> PromptLibrary:
    """The bundled library, read once."""
    return load_library()


def load_library(path: DataSource | None = None) -> PromptLibrary:
    """Load the prompt library from a file or a folder of ``*.toml`` files.

    ``None`` means the bundled ``resources/prompts`` folder. Raises :class:`DataFileError`
    naming the file, the line and the prompt id for anything malformed.
    """
    documents = [read_document(source) for source in _sources(path)]
    prompts: list[Prompt] = []
    seen: dict[str, str] = {}
    versions: dict[str, int] = {}
    for doc in documents:
        versions[_stem(doc.name)] = file_version(doc)
        for record in records(doc, "prompt", _PROMPT_FIELDS):
            prompt = _prompt(record)
            if prompt.id in seen:
                raise record.fail(f"the id is already used in {seen[prompt.id]}")
            seen[prompt.id] = doc.name
            prompts.append(prompt)
    phase_order = list(Phase)
    prompts.sort(key=lambda p: phase_order.index(p.phase))  # stable: file order within a phase
    return PromptLibrary(tuple(prompts), versions)


def _sources(path: DataSource | None) -> list[DataSource]:
    root: DataSource = paths.resource("prompts") if path is None else path
    if root.is_dir():
        found = sorted((p for p in root.iterdir() if p.name.endswith(".toml")),
                       key=lambda p: p.name)
        if not found:
            raise DataFileError(str(root), "the folder has no .toml prompt files")
        return found
    return [root]


def _stem(name: str) -> str:
    return Path(name).stem


def _prompt(record: Record) -> Prompt:
    prompt_id = record.identifier()
    version = record.integer("version")
    if version < 1:
        raise record.fail("'version' must be 1 or more", key="version")
    kind = AnswerType(record.choice("answer_type", tuple(AnswerType)))
    options = _options(record, kind)
    if kind is not AnswerType.TEXT and "placeholder" in record.values:
        raise record.fail("'placeholder' is for text prompts only", key="placeholder")
    if kind is not AnswerType.SCALE and {"low_label", "high_label"} & set(record.values):
        raise record.fail("'low_label'/'high_label' are for scale_0_10 prompts only")
    return Prompt(
        id=prompt_id,
        version=version,
        phase=Phase(record.choice("phase", tuple(Phase))),
        step=record.identifier("step"),
        title=record.text("title"),
        question=record.text("question"),
        answer_type=kind,
        help=record.text("help", required=False),
        placeholder=record.text("placeholder", required=False),
        optional=record.flag("optional"),
        options=options,
        low_label=record.text("low_label", required=False),
        high_label=record.text("high_label", required=False),
    )


def _options(record: Record, kind: AnswerType) -> tuple[Option, ...]:
    raw = record.values.get("options")
    if kind not in CHOICE_TYPES:
        if raw is not None:
            raise record.fail(f"'options' are not used by {kind} prompts", key="options")
        return ()
    if not isinstance(raw, list) or not raw:
        raise record.fail(f"a {kind} prompt needs a non-empty 'options' list",
                          key="options")
    options = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"id", "label"} \
                or not all(isinstance(v, str) and v.strip() for v in item.values()):
            raise record.fail("each option must be { id = \"…\", label = \"…\" }",
                              key="options")
        options.append(Option(item["id"], item["label"]))
    if len({o.id for o in options}) != len(options):
        raise record.fail("option ids must be unique", key="options")
    return tuple(options)


# ---------------------------------------------------------------------------- rendering


def render_markdown(answers: Iterable[PromptAnswer]) -> str:
    """A readable Markdown body for an entry: each answered prompt as a heading with its
    question, then the answer. Skipped, unanswered and blank ones are left out.

    Text is kept as written (it is the person's own Markdown); a scale reads "6 / 10"; a
    checklist lists every option it showed as ``- [x]`` or ``- [ ]``; a single choice
    gives the chosen option's label.
    """
    blocks = [f"## {a.question.strip()}\n\n{_render_answer(a)}"
              for a in answers if not a.is_empty]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def answer_text(answer: PromptAnswer, *, none_ticked: str = "") -> str:
    """An answer as plain reading text: the words as written, "6 / 10", the chosen
    labels (``none_ticked`` for a checklist with nothing ticked). Empty for a skipped or
    blank answer."""
    if answer.is_empty:
        return ""
    value = answer.answer
    labels = {o.id: o.label for o in answer.options}
    if answer.answer_type is AnswerType.SCALE:
        return f"{value} / {SCALE_MAX}"
    if answer.answer_type is AnswerType.SINGLE_CHOICE:
        return labels.get(str(value), str(value))
    if answer.answer_type is AnswerType.CHECKLIST:
        chosen = _as_list(value)
        return ", ".join(labels.get(str(c), str(c)) for c in chosen) or none_ticked
    return str(value).strip()


def _render_answer(answer: PromptAnswer) -> str:
    value = answer.answer
    kind = answer.answer_type
    if kind is AnswerType.SCALE:
        return f"{value} / {SCALE_MAX}"
    labels = {o.id: o.label for o in answer.options}
    if kind is AnswerType.SINGLE_CHOICE:
        return labels.get(str(value), str(value))
    if kind is AnswerType.CHECKLIST:
        return _render_checklist(_as_list(value), answer.options)
    return str(value).strip()


def _render_checklist(chosen: Sequence[str], options: Sequence[Option]) -> str:
    shown = [(o.id, o.label) for o in options]
    known = {option_id for option_id, _ in shown}
    # An option the snapshot no longer lists still shows, as checked, under its id.
    shown += [(option_id, option_id) for option_id in chosen if option_id not in known]
    return "\n".join(f"- [{'x' if option_id in chosen else ' '}] {label}"
                     for option_id, label in shown)


def _as_list(value: Answer) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]

