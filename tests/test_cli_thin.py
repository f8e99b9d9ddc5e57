"""The command line is thin: it reads arguments, calls the library and prints what the
library gives. No JSON shape, no sentence in Bengali, no module over 300 lines, and only
the chosen command's parser is built."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import apacore.cli
from apacore.cli import COMMANDS, build_parser

CLI = Path(apacore.cli.__file__).parent
BENGALI = re.compile("[\u0980-\u09ff]")


def _modules() -> list[Path]:
    return sorted(CLI.glob("*.py"))


def test_the_command_line_is_a_package_of_small_modules() -> None:
    assert len(_modules()) >= len(COMMANDS)
    for file in _modules():
        lines = len(file.read_text("utf-8").splitlines())
        assert lines <= 300, f"{file.name}: {lines} lines"


def test_no_json_is_written_by_the_command_line() -> None:
    for file in _modules():
        tree = ast.parse(file.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert "json" not in names, f"{file.name} imports json"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("dumps", "dump"), f"{file.name} calls json.{node.attr}"


def _texts(source: str) -> list[tuple[int, str]]:
    """Every string the code holds (what it could print), docstrings aside."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_bengali_in_the_command_line() -> None:
    for file in _modules():
        for number, text in _texts(file.read_text("utf-8")):
            assert not BENGALI.search(text), f"{file.name}:{number}: {text}"


def test_the_checks_can_fail() -> None:
    texts = _texts('"""মান"""\ndef f():\n    """মান"""\n    print(f"মান {1}")\n')
    assert [t for _, t in texts if BENGALI.search(t)] == ["মান "]


def test_only_the_chosen_commands_parser_is_built() -> None:
    parser = build_parser("score")
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == ["score"]  # type: ignore[union-attr]
    everything = build_parser()
    sub = next(a for a in everything._actions if a.dest == "command")
    assert list(sub.choices) == list(COMMANDS)  # type: ignore[union-attr]


def test_every_command_has_its_module() -> None:
    for command in COMMANDS:
        name = "import_" if command == "import" else command
        assert (CLI / f"{name}.py").is_file(), command
