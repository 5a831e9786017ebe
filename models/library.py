"""The model library: bundled checkpoints and the user's own runs.

Bundled checkpoints ship inside the package's resources and are read-only; the
user's runs live in the platform's user data folder (where ``ar-models train``
and the app's training monitor save). Listing reads only each file's header,
so it is fast however large the weights. Listing never trusts a record: a
file that is not a regular file is never opened, and a file that cannot be
read, or whose record holds a field of the wrong type, becomes an
:class:`UnreadableEntry` with the reason, never an exception. Every field a
front end shows is read through the accessors here (:func:`text_of`,
:func:`number_of`, :func:`count_of`, :func:`mapping_of`): the right type or a
safe default, finite numbers only, bounded text.

Renaming, importing and exporting go through
:func:`models.checkpoint.copy_checkpoint`, which validates before it writes;
every file they write stays inside its folder.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from models.checkpoint import checkpoint_paths, copy_checkpoint, read_metadata
from models.errors import ARExplorerError, CheckpointError, ConfigError
from models.files import not_regular_reason
from models.registry import config_from_dict, model_class
from models.resources import resource_path

__all__ = [
    "MAX_NAME",
    "MAX_STEM",
    "Library",
    "LibraryEntry",
    "UnreadableEntry",
    "bundled_dir",
    "count_of",
    "file_stem",
    "mapping_of",
    "number_of",
    "text_of",
    "user_runs_dir",
]

#: The longest display name a checkpoint can be given (characters).
MAX_NAME: Final = 200
#: The longest file name stem written (characters, all ASCII after cleaning):
#: well under the 255-byte limit of common file systems, with room for
#: ``-best``, `` (2)``, the extension and the temporary file's decorations.
MAX_STEM: Final = 120
#: Longest text a listing keeps from a record's field (longer is cut, with …).
MAX_TEXT: Final = 2000
#: Largest count (of parameters, classes) a record may state.
MAX_COUNT: Final = 10**15
_MAX_REASON: Final = 300
#: Names Windows reserves for devices, with any extension.
_RESERVED: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def text_of(value: object, default: str = "", limit: int = MAX_TEXT) -> str:
    """``value`` as one line of display text, or ``default`` if it is not text.

    Control characters (newlines included) become spaces, characters that
    cannot be encoded (lone surrogates) become ``?``, and text longer than
    ``limit`` characters is cut, ending in ``…``.
    """
    if not isinstance(value, str):
        return default
    text = value[: limit + 1]  # never more than needed: a record may hold MBs
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or default


def number_of(value: object) -> float | None:
    """``value`` as a finite float, or None (not a number, a bool, inf, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > 10**300:
        return None  # float() of it would overflow
    number = float(value)
    return number if math.isfinite(number) else None


def count_of(value: object) -> int | None:
    """``value`` as a count (an int from 0 to :data:`MAX_COUNT`), or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_COUNT else None


def mapping_of(value: object) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _short(text: str, limit: int = _MAX_REASON) -> str:
    return text_of(text, "", limit)


class _Fields:
    """A record's fields, each checked as it is read.

    An absent or null field gives the default; one of the wrong type raises
    :class:`CheckpointError` naming the field.
    """

    def __init__(self, record: Mapping[str, Any], path: Path, prefix: str = ""):
        self.record, self.path, self.prefix = record, path, prefix

    def _bad(self, key: str, what: str) -> CheckpointError:
        return CheckpointError(
            self.path, f"metadata '{self.prefix}{key}' must be {what}"
        )

    def text(self, key: str, default: str = "", limit: int = MAX_TEXT) -> str:
        value = self.record.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._bad(key, "text")
        return text_of(value, default, limit)

    def number(self, key: str) -> float | None:
        value = self.record.get(key)
        number = number_of(value)
        if value is not None and number is None:
            raise self._bad(key, "a finite number")
        return number

    def count(self, key: str) -> int | None:
        value = self.record.get(key)
        count = count_of(value)
        if value is not None and count is None:
            raise self._bad(key, "a whole number from 0 to 10^15")
        return count

    def mapping(self, key: str) -> _Fields:
        value = self.record.get(key)
        if value is not None and not isinstance(value, Mapping):
            raise self._bad(key, "an object")
        return _Fields(value or {}, self.path, f"{self.prefix}{key}.")


def user_runs_dir() -> Path:
    """Where the user's checkpoints are saved (platform user data folder)."""
    from platformdirs import user_data_path

    return user_data_path("ar-explorer") / "runs"


def bundled_dir() -> Path:
    """The pretrained checkpoints that ship with the package."""
    return resource_path("checkpoints")


@dataclass(frozen=True)
class LibraryEntry:
    """One checkpoint as the library lists it (from its header only).

    Every field is checked when it is read: front ends show these, never the
    raw record. ``metadata`` is the record itself, for code that validates
    what it reads (loading does).
    """

    path: Path
    name: str
    kind: str
    data: str
    valid_nll: float | None
    created: str
    num_parameters: int | None
    bundled: bool
    metadata: dict[str, Any]
    notes: str = ""
    num_classes: int | None = None

    @classmethod
    def read(cls, path: Path, bundled: bool) -> LibraryEntry:
        """Read the entry of the checkpoint at ``path``.

        Raises
        ------
        CheckpointError
            If the file cannot be read, or a field the library shows has the
            wrong type (absent or null fields get a default).
        """
        tensor_path = checkpoint_paths(path)[0]
        record = read_metadata(tensor_path)
        fields = _Fields(record, tensor_path)
        kind = fields.text("kind", limit=100)
        try:
            model_class(kind)
        except ARExplorerError as exc:
            raise CheckpointError(tensor_path, str(exc)) from None
        data = fields.mapping("data")
        metrics = fields.mapping("metrics")
        config = fields.mapping("config")
        try:  # a config that would not build is unreadable now, not on loading
            config_from_dict(kind, record["config"])
        except ARExplorerError as exc:
            raise CheckpointError(tensor_path, str(exc)) from None
        fields.mapping("training")  # shown by no view yet, but must be objects
        fields.mapping("binarization")
        return cls(
            path=tensor_path,
            name=fields.text("name", limit=MAX_NAME) or text_of(tensor_path.stem),
            kind=kind,
            data=data.text("name", limit=200) or data.text("train", limit=200) or "—",
            valid_nll=metrics.number("valid_nll_nats"),
            created=fields.text("created", limit=40),
            num_parameters=fields.count("num_parameters"),
            bundled=bundled,
            metadata=record,
            notes=fields.text("notes"),
            num_classes=config.count("num_classes") or None,
        )


@dataclass(frozen=True)
class UnreadableEntry:
    """A file in a library folder that is not a usable checkpoint.

    Attributes
    ----------
    path
        The ``.safetensors`` file (it may be a FIFO, a folder, a broken link).
    reason
        Why it cannot be used, in one line (without the path).
    bundled
        Whether it is in the shipped folder (then it cannot be deleted).
    """

    path: Path
    reason: str
    bundled: bool

    @property
    def name(self) -> str:
        """The file name, as a front end shows it."""
        return text_of(self.path.name, "?", MAX_NAME)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _why_unreadable(exc: BaseException) -> str:
    """One line saying why reading a checkpoint's record failed."""
    if isinstance(exc, CheckpointError):
        return exc.problem
    if isinstance(exc, ARExplorerError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "its metadata is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "its metadata is too large to read"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return f"its metadata cannot be read ({type(exc).__name__}: {exc})"


def _read_entry(path: Path, bundled: bool) -> LibraryEntry | UnreadableEntry:
    """The entry of ``path``, or why it is unreadable; never raises for a bad file.

    A file that is not a regular file (a FIFO, a folder, a device) is never
    opened: reading a FIFO would block until someone writes to it.
    """
    if os.path.islink(path) and not os.path.exists(path):
        return UnreadableEntry(path, "a link to a file that does not exist", bundled)
    try:
        mode = os.stat(path).st_mode  # follows links: a link to /dev/zero is a device
        if not stat.S_ISREG(mode):
            return UnreadableEntry(path, not_regular_reason(path, mode), bundled)
        return LibraryEntry.read(path, bundled)
    except (
        ARExplorerError,
        ValueError,
        TypeError,
        RecursionError,
        OverflowError,
        MemoryError,
        OSError,
    ) as exc:
        return UnreadableEntry(path, _short(_why_unreadable(exc)), bundled)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]+")


def _display_name(name: str) -> str:
    """A name as the record keeps it: one line, at most :data:`MAX_NAME` long."""
    text = text_of(name, "", MAX_NAME + 1)
    if len(text) > MAX_NAME:
        raise ConfigError(
            f"a checkpoint name has at most {MAX_NAME} characters "
            f"(this one has {len(name):,})"
        )
    return text


def file_stem(name: str) -> str:
    """The file name stem for a checkpoint called ``name``.

    Letters, digits, ``. _ - ( )`` and spaces are kept, anything else (``/``,
    a backslash, ``:``) becomes ``-``; leading and trailing dots, dashes and spaces
    go (so ``../../x`` is ``x``, and a name of only dots is refused); at most
    :data:`MAX_STEM` characters; a name Windows reserves for a device (``CON``,
    ``nul.txt``) gets a leading ``_``. The result never leaves its folder.

    Raises
    ------
    ConfigError
        If nothing usable is left.
    """
    stem = _SAFE_NAME.sub("-", text_of(name, "", MAX_NAME * 4)).strip(" .-")
    stem = stem[:MAX_STEM].rstrip(" .-")
    if not stem:
        raise ConfigError(
            f"{_short(repr(name[:60]), 60)} is not a usable checkpoint name"
        )
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = "_" + stem
    return stem


class Library:
    """Bundled checkpoints (read-only) plus a folder of the user's own.

    Parameters
    ----------
    user_dir
        The user's folder (created when something is saved into it).
    bundled
        The folder of shipped checkpoints (None: none).
    """

    def __init__(self, user_dir: Path | None = None, bundled: Path | None = None):
        self.user_dir = Path(user_dir) if user_dir is not None else user_runs_dir()
        self.bundled = bundled
        #: The files the last :meth:`entries` could not use, with the reasons.
        self.unreadable: list[UnreadableEntry] = []
        #: The same, as one line each ("PATH: reason").
        self.problems: list[str] = []

    def entries(self) -> list[LibraryEntry]:
        """Every usable checkpoint: bundled first, then the user's.

        Bundled ones by data set, lowest NLL first; the user's newest first.

        Nothing in a folder can make this raise: files that cannot be used (not
        regular files, not checkpoints, records with fields of the wrong type)
        are left out and listed in :attr:`unreadable` (and :attr:`problems`).
        """
        unreadable: list[UnreadableEntry] = []
        found: list[LibraryEntry] = []
        for folder, bundled in ((self.bundled, True), (self.user_dir, False)):
            if folder is None:
                continue
            try:
                if not folder.is_dir():
                    continue
                paths = sorted(folder.glob("*.safetensors"))
            except OSError as exc:
                unreadable.append(
                    UnreadableEntry(
                        folder, f"cannot list: {exc.strerror or exc}", bundled
                    )
                )
                continue
            group = []
            for path in paths:
                entry = _read_entry(path, bundled)
                if isinstance(entry, UnreadableEntry):
                    unreadable.append(entry)
                else:
                    group.append(entry)
            if bundled:  # by data set, best first: a stable, meaningful order
                group.sort(key=lambda e: (e.data, e.valid_nll or math.inf, e.name))
            else:
                group.sort(key=lambda e: e.created, reverse=True)
            found += group
        self.unreadable = unreadable
        self.problems = [str(entry) for entry in unreadable]
        return found

    def _own(self, entry: LibraryEntry | UnreadableEntry, action: str) -> None:
        if entry.bundled:
            raise ARExplorerError(
                f"{entry.name} ships with the app and cannot be {action}"
            )
        if entry.path.parent != self.user_dir:
            raise CheckpointError(
                entry.path, f"is not in your library folder and cannot be {action}"
            )

    def rename(self, entry: LibraryEntry, new_name: str) -> Path:
        """Give a user checkpoint a new name (and file name); returns its new path.

        The display name keeps up to :data:`MAX_NAME` characters (a longer one
        is refused); the file name is made from it by :func:`file_stem`, so it
        stays in the same folder.

        Raises
        ------
        ARExplorerError
            If the name is unusable or taken, the checkpoint ships with the
            app, or the files cannot be written (the old ones are then kept).
        """
        self._own(entry, "renamed")
        name = _display_name(new_name)
        target = entry.path.with_name(file_stem(name) + ".safetensors")
        try:
            if target == entry.path:
                return copy_checkpoint(entry.path, target, name=name, overwrite=True)
            path = copy_checkpoint(entry.path, target, name=name)
        except OSError as exc:
            raise CheckpointError(
                target, f"cannot rename to this ({exc.strerror or exc})"
            ) from None
        self._remove(entry.path)
        return path

    def delete(self, entry: LibraryEntry | UnreadableEntry) -> None:
        """Remove a user checkpoint, or an unreadable file, with its JSON copy."""
        self._own(entry, "deleted")
        self._remove(entry.path)

    def run_path(self, name: str) -> Path:
        """Where a run called ``name`` is saved: ``NAME`` in the user's folder.

        The stem comes from :func:`file_stem` (the path never leaves the
        folder); it has no extension, as
        :func:`~models.checkpoint.save_checkpoint` takes it.
        """
        return self.user_dir / file_stem(_display_name(name))

    def existing_files(self, name: str) -> list[Path]:
        """The files a run called ``name`` would replace (checkpoint, best copy).

        Anything at those paths counts, even a broken link or a FIFO.
        """
        path = self.run_path(name)
        paths = [
            *checkpoint_paths(path),
            *checkpoint_paths(path.with_name(path.name + "-best")),
        ]
        return [p for p in paths if os.path.lexists(p)]

    def free_name(self, name: str) -> str:
        """The stem of ``name``, or ``STEM (2)``, ``STEM (3)`` …: the first unused.

        Unused means that neither the checkpoint nor its best copy exists.
        """
        stem = self.run_path(name).name
        candidate, number = stem, 1
        while self.existing_files(candidate):
            number += 1
            candidate = f"{stem} ({number})"
        return candidate

    def import_checkpoint(self, source: Path, name: str | None = None) -> Path:
        """Validate ``source`` and copy it into the user's folder under a free name."""
        shown = None if name is None else _display_name(name)
        stem = file_stem(shown or checkpoint_paths(source)[0].stem)
        try:
            self.user_dir.mkdir(parents=True, exist_ok=True)
            candidate = self.free_name(stem)
            return copy_checkpoint(
                source, self.user_dir / candidate, name=shown or candidate
            )
        except OSError as exc:
            raise CheckpointError(
                self.user_dir, f"cannot import into it ({exc.strerror or exc})"
            ) from None

    def export(
        self, entry: LibraryEntry, destination: Path, *, overwrite: bool = False
    ) -> Path:
        """Write a copy of ``entry`` to ``destination`` (NAME or NAME.safetensors).

        An existing checkpoint there is replaced only with ``overwrite`` (when
        the user has confirmed it, e.g. in a save dialog).
        """
        try:
            return copy_checkpoint(
                entry.path, destination, name=entry.name, overwrite=overwrite
            )
        except OSError as exc:
            raise CheckpointError(
                destination, f"cannot export to it ({exc.strerror or exc})"
            ) from None

    @staticmethod
    def _remove(path: Path) -> None:
        for file in checkpoint_paths(path):
            try:
                file.unlink(missing_ok=True)
            except OSError as exc:
                raise CheckpointError(
                    file, f"cannot remove ({exc.strerror or exc})"
                ) from None
