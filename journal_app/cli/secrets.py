"""Where the command line gets passphrases and recovery keys (cli.md, "Secrets").

Order: a file named on the command line (its first line), then the environment, then an
interactive prompt, which is offered only when stdin is a terminal. With none of these a
:class:`NoSecretError` (exit 2) explains what to do. A secret is never put in a message,
and never read from argv: options only name the *file* that holds it.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from journal_app.errors import NoSecretError, UsageError

# Names of environment variables, not secrets.
ENV_PASSPHRASE = "JOURNAL_APP_PASSPHRASE"  # noqa: S105
ENV_NEW_PASSPHRASE = "JOURNAL_APP_NEW_PASSPHRASE"  # noqa: S105
ENV_RECOVERY_KEY = "JOURNAL_APP_RECOVERY_KEY"
ENV_PDF_PASSWORD = "JOURNAL_APP_PDF_PASSWORD"  # noqa: S105


def stdin_is_tty() -> bool:
    try:
        return bool(sys.stdin is not None and sys.stdin.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced stdin
        return False


def read_secret_file(path: Path, what: str) -> str:
    """The first line of ``path`` without its line ending (a BOM is ignored)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"The {what} file {path} can't be read ({exc.strerror}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # ``from None``: the decode error would quote bytes of the secret.
        raise UsageError(f"The {what} file {path} is not UTF-8 text.") from None
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise UsageError(f"The first line of the {what} file {path} is empty.")
    return line


def _valid(value: str, what: str) -> str:
    """Refuse a secret that isn't valid Unicode: bytes that aren't UTF-8 in the environment
    reach Python as lone surrogates, which no key derivation can encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # from None: the codec error would quote the secret
        raise UsageError(f"The {what} contains bytes that are not UTF-8 text; use UTF-8.") \
            from None
    return value


def _from_env(names: tuple[str, ...], what: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return _valid(value, f"{what} in {name}")
    return None


def _missing(what: str, option: str, envs: tuple[str, ...]) -> NoSecretError:
    env_text = " or ".join(envs)
    return NoSecretError(
        f"No {what} available: give {option} FILE, set {env_text}, "
        f"or run the command in a terminal to be asked for it."
    )


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:  # the terminal closed (Ctrl-D) before anything was typed
        raise NoSecretError("Nothing was typed.") from None


def current(file: Path | None, *, what: str = "passphrase", option: str = "--passphrase-file",
            envs: tuple[str, ...] = (ENV_PASSPHRASE,)) -> str:
    """A passphrase (or recovery key) that opens an existing journal."""
    if file is not None:
        return read_secret_file(file, what)
    found = _from_env(envs, what)
    if found is not None:
        return found
    if stdin_is_tty():
        value = _ask(f"{what.capitalize()}: ")
        if value:
            return _valid(value, what)
        raise NoSecretError(f"No {what} was typed.")
    raise _missing(what, option, envs)


def new_passphrase(file: Path | None, *, option: str = "--new-passphrase-file",
                   envs: tuple[str, ...] = (ENV_NEW_PASSPHRASE,)) -> str:
    """A passphrase to set. Typed ones are asked for twice and must match."""
    if file is not None:
        return read_secret_file(file, "new passphrase")
    found = _from_env(envs, "new passphrase")
    if found is not None:
        return found
    if not stdin_is_tty():
        raise _missing("new passphrase", option, envs)
    first = _ask("New passphrase: ")
    if not first:
        raise UsageError("The new passphrase can't be empty.")
    if _ask("Repeat the new passphrase: ") != first:
        raise UsageError("The two passphrases you typed differ; nothing was changed.")
    return _valid(first, "new passphrase")


def recovery_key(file: Path | None) -> str:
    return current(file, what="recovery key", option="--recovery-key-file",
                   envs=(ENV_RECOVERY_KEY,))
