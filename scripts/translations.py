"""The interface's translations: collect, compile and check them.

    python scripts/translations.py update [AREA ...]   # lupdate: refresh the .ts files
    python scripts/translations.py build               # lrelease: compile the .qm
    python scripts/translations.py check               # what .ci/run runs

Each *area* (a panel, the app shell, the library's words, pyqtgraph's menus)
has one ``resources/translations/<lang>/<area>.ts``, made by
``pyside6-lupdate <files> -ts … -locations none -no-obsolete``; all of a
language's ``.ts`` files compile together into one
``resources/translations/ar_explorer_<lang>.qm``, which the app loads
(``desktop_app/i18n.py``) and the package ships.

Translate by editing the ``.ts`` XML: fill ``<translation>…</translation>`` and
remove ``type="unfinished"``; then ``build``.

``check`` re-runs lupdate on every area into a temporary copy and fails when
a ``.ts`` differs from it (the code has strings the file lacks, or the file
keeps strings the code dropped), when a translation is unfinished or empty
(except in the areas of :data:`PENDING`, still being translated), and when
the committed ``.qm`` differs from a fresh lrelease.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("ko",)

#: area: the source files lupdate reads (globs relative to the project root).
AREAS: dict[str, list[str]] = {
    "app": [
        "desktop_app/app.py",
        "desktop_app/__main__.py",
        "desktop_app/session.py",
        "desktop_app/workers.py",
        "desktop_app/theme.py",
        "desktop_app/i18n.py",
        "desktop_app/widgets/*.py",
    ],
    "canvas": ["desktop_app/panels/canvas.py"],
    "sampler": ["desktop_app/panels/sampler.py"],
    "context": ["desktop_app/panels/context.py"],
    "features": ["desktop_app/panels/features.py"],
    "history": ["desktop_app/panels/run_history.py"],
    "counter": ["desktop_app/panels/counter.py"],
    "training": [
        "desktop_app/panels/training.py",
        "desktop_app/panels/ordering_compare.py",
    ],
    "orderings": ["desktop_app/panels/orderings.py"],
    "models": ["models/**/*.py"],
}

#: pyqtgraph's files whose strings appear in the plots' right-click menus and
#: export dialog (relative to the installed package), and our file that marks
#: the strings pyqtgraph translates in ways lupdate cannot see.
PYQTGRAPH_FILES = [
    "GraphicsScene/GraphicsScene.py",
    "GraphicsScene/exportDialog.py",
    "graphicsItems/ViewBox/ViewBoxMenu.py",
    "graphicsItems/PlotItem/PlotItem.py",
    "exporters/*.py",
]
PYQTGRAPH_WORDS = "desktop_app/pyqtgraph_words.py"

#: Areas whose translation is not finished yet: ``check`` still requires their
#: ``.ts`` to be up to date (when present) but allows unfinished entries.
PENDING: set[str] = set()

ALL_AREAS = [*AREAS, "pyqtgraph"]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"translations: {name} not found (it ships with PySide6-Essentials)")
    return found


def _sources(area: str) -> tuple[Path, list[str]]:
    """(working directory, source paths relative to it) of ``area``."""
    if area == "pyqtgraph":
        import pyqtgraph

        base = Path(pyqtgraph.__file__).resolve().parent
        files = sorted(
            str(p.relative_to(base)) for g in PYQTGRAPH_FILES for p in base.glob(g)
        )
        # -locations none: no path is written into the .ts, so absolute is fine
        return base, [*files, str(ROOT / PYQTGRAPH_WORDS)]
    tracked = _tracked()
    files = sorted(
        name
        for pattern in AREAS[area]
        for name in (str(p.relative_to(ROOT)) for p in ROOT.glob(pattern))
        if tracked is None or name in tracked
    )
    return ROOT, files


def _tracked() -> set[str] | None:
    """The files git tracks (None outside a git checkout).

    Only tracked sources count, so a file still being written beside the
    checkout does not change an area's .ts; ``git add`` it, then update.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(listed.stdout.decode().split("\0")) - {""}


def ts_path(area: str, language: str = "ko") -> Path:
    """The ``.ts`` file of ``area`` in ``language``."""
    return TRANSLATIONS / language / f"{area}.ts"


def qm_path(language: str = "ko") -> Path:
    """The compiled translations of ``language``."""
    return TRANSLATIONS / f"ar_explorer_{language}.qm"


def lupdate(area: str, ts: Path, language: str = "ko") -> None:
    """Refresh (or create) ``ts`` with the strings of ``area``'s sources."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    cwd, files = _sources(area)
    command = [
        _tool("pyside6-lupdate"),
        *files,
        "-ts",
        str(ts.resolve()),
        "-target-language",
        language,
        "-locations",
        "none",
        "-no-obsolete",
        "-silent",
    ]
    subprocess.run(command, cwd=cwd, check=True)


def lrelease(language: str, qm: Path) -> None:
    """Compile every ``.ts`` of ``language`` into ``qm``."""
    sources = sorted((TRANSLATIONS / language).glob("*.ts"))
    command = [_tool("pyside6-lrelease"), "-silent", *map(str, sources), "-qm", str(qm)]
    subprocess.run(command, check=True)


def unfinished(ts: Path) -> list[str]:
    """Source texts of ``ts`` whose translation is unfinished or empty."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source", "")
        translation = message.find("translation")
        if translation is None:
            missing.append(source)
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")]
        texts = forms or [translation.text or ""]
        if translation.get("type") == "unfinished" or not all(t.strip() for t in texts):
            missing.append(source)
    return missing


def check() -> list[str]:
    """Every problem with the translations, one line each (empty: all good)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            for area in ALL_AREAS:
                ts = ts_path(area, language)
                if not ts.is_file():
                    if area not in PENDING:
                        problems.append(
                            f"{ts.relative_to(ROOT)} is missing: run update"
                        )
                    continue
                fresh = Path(tmp, language, ts.name)
                fresh.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ts, fresh)
                lupdate(area, fresh, language)
                if fresh.read_bytes() != ts.read_bytes():
                    problems.append(
                        f"{ts.relative_to(ROOT)} is out of date with the code: "
                        f"run scripts/translations.py update {area}"
                    )
                if area not in PENDING:
                    for source in unfinished(ts):
                        problems.append(
                            f"{ts.relative_to(ROOT)}: unfinished translation of "
                            f"{source[:60]!r}"
                        )
            qm = qm_path(language)
            fresh_qm = Path(tmp, qm.name)
            lrelease(language, fresh_qm)
            if not qm.is_file() or not filecmp.cmp(qm, fresh_qm, shallow=False):
                problems.append(
                    f"{qm.relative_to(ROOT)} differs from its .ts files: "
                    "run scripts/translations.py build"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    update = sub.add_parser("update", help="lupdate every area (or the ones named)")
    update.add_argument("areas", nargs="*", metavar="AREA", help=", ".join(ALL_AREAS))
    sub.add_parser("build", help="lrelease every language's .ts into its .qm")
    sub.add_parser("check", help="fail if a .ts or .qm is stale or unfinished")
    args = parser.parse_args(argv)
    if args.command == "update":
        unknown = sorted(set(args.areas) - set(ALL_AREAS))
        if unknown:
            parser.error(f"unknown area {unknown[0]!r}; one of {', '.join(ALL_AREAS)}")
        for language in LANGUAGES:
            for area in args.areas or ALL_AREAS:
                lupdate(area, ts_path(area, language), language)
                print(f"updated {ts_path(area, language).relative_to(ROOT)}")
        return 0
    if args.command == "build":
        for language in LANGUAGES:
            lrelease(language, qm_path(language))
            print(f"built {qm_path(language).relative_to(ROOT)}")
        return 0
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("translations: up to date and finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
