"""Every control is wired, and wired so that its signal's argument cannot leak.

Two core controls once did nothing useful: ``clicked(bool)`` and
``triggered(bool)`` were connected to slots with an optional first parameter,
so ``False`` arrived as the digit to load and as the path to open. The first
test reads the app's source and refuses that pattern anywhere; the second
walks every button of the real window and checks someone listens to it.
"""

import ast
import inspect
import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton

import desktop_app
from desktop_app.widgets.concept import ConceptBox

#: Signals that pass an argument the slot may not expect.
ARGUMENT_SIGNALS = {"clicked", "triggered", "toggled"}

APP_DIR = Path(desktop_app.__file__).parent


def _methods_with_optional_first_parameter(tree: ast.Module) -> dict[str, int]:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args.args
            params = args[1:] if args and args[0].arg == "self" else args
            defaults = node.args.defaults
            # a default exists for the first parameter when all params have one
            if params and len(defaults) >= len(params):
                found[node.name] = node.lineno
    return found


def _risky_connections(source: str) -> list[str]:
    tree = ast.parse(source)
    optional = _methods_with_optional_first_parameter(tree)
    risky = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in ARGUMENT_SIGNALS
            and node.args
        ):
            continue
        target = node.args[0]
        name = target.attr if isinstance(target, ast.Attribute) else None
        if name in optional:
            risky.append(f"line {node.lineno}: {node.func.value.attr} → {name}")
    return risky


def test_the_check_finds_the_bug_it_is_for():
    source = inspect.cleandoc(
        """
        class Panel:
            def __init__(self):
                self.button.clicked.connect(self.load_digit)
                self.other.clicked.connect(lambda: self.load_digit())
            def load_digit(self, digit=None):
                pass
        """
    )
    assert _risky_connections(source) == ["line 3: clicked → load_digit"]


def test_no_signal_argument_can_reach_an_optional_parameter():
    problems = []
    for path in sorted(APP_DIR.rglob("*.py")):
        for problem in _risky_connections(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(APP_DIR)} {problem}")
    assert problems == []


def test_every_push_and_tool_button_in_the_window_has_a_listener(window):
    """Check boxes and radio buttons may be read when needed; buttons must act."""
    buttons = [
        b
        for b in window.findChildren(QAbstractButton)
        if isinstance(b, QPushButton | QToolButton)
    ]
    assert len(buttons) > 20  # the walk does reach the panels' controls
    deaf = []
    for button in buttons:
        listeners = sum(
            button.receivers(signal)
            for signal in ("2clicked(bool)", "2toggled(bool)", "2pressed()")
        )
        has_action = isinstance(button, QToolButton) and button.defaultAction()
        internal = button.objectName().startswith("qt_")  # Qt's own (scroll, tabs)
        if listeners == 0 and not has_action and not internal:
            deaf.append(f"{type(button).__name__} {button.text()!r}")
    assert deaf == []


def _button_attributes(window):
    """(owner, attribute name, button) for every named button of the window."""
    owners = [*window.panels, window.library_view, window.library_drawer]
    owners += list(window.findChildren(ConceptBox))
    found = []
    for owner in owners:
        for name, value in vars(owner).items():
            if isinstance(value, QPushButton | QToolButton):
                found.append((type(owner).__name__, name, value))
    return found


def test_every_named_button_is_clicked_by_some_test(window):
    """A test must click each button as a user does (and check what it did)."""
    tests = "\n".join(
        path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("*.py")
    )
    buttons = _button_attributes(window)
    assert len(buttons) > 20
    unclicked = sorted(
        {
            f"{owner}.{name}"
            for owner, name, _ in buttons
            if not re.search(rf"(?:mouseClick|\bclick)\([^)\n]*\b{name}\b", tests)
        }
    )
    assert unclicked == [], "\n".join(unclicked)
