"""No core module branches on the name of a built-in method, rule or annex kind: what a
built-in does, a ministry's plugin can do too, so the knowledge lives on the objects the
built-in plugins register (``apacore.builtins``), never in ``if method == "sum"``."""

from __future__ import annotations

import ast
from pathlib import Path

import apacore
from apacore.plugins.host import get_registry

SRC = Path(apacore.__file__).parent
BUILTIN_PLUGINS = SRC / "builtins"

# The attributes that carry a method's or a rule's name, and those that carry an annex's.
_METHOD_OR_RULE = {"method", "scoring_rule", "rule"}
_ANNEX = {"kind", "annex"}


def _builtin_names() -> tuple[set[str], set[str]]:
    """The built-in methods' and rules' names, and the built-in annex kinds."""
    registry = get_registry()

    def builtin(what: str, table: dict[str, object]) -> set[str]:
        return {n for n in table if registry.owner(what, n).startswith("apacore.builtins")}

    methods_and_rules = builtin("calculation method", registry.methods) | builtin(
        "scoring rule", registry.rules
    )
    assert {"sum", "date", "tiers"} <= methods_and_rules
    return methods_and_rules, builtin("annex type", registry.annex_types)


def _core_files() -> list[Path]:
    return [
        f for f in sorted(SRC.rglob("*.py"))
        if BUILTIN_PLUGINS not in f.parents and "rulesets" not in f.relative_to(SRC).parts
    ]  # fmt: skip


def _named(node: ast.AST, attributes: set[str]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in attributes
    return isinstance(node, ast.Name) and node.id in attributes


def _constants(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return {
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    return set()


def branches_on_names(
    tree: ast.AST, methods_and_rules: set[str], annexes: set[str]
) -> list[tuple[int, str]]:
    """``(line, name)`` for each comparison of a method or rule attribute with a built-in
    method's or rule's name (``x.method == "sum"``, ``ind.method in ("date", "milestones")``),
    or of an annex kind with a built-in annex kind (``kind == "egov"``)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for attributes, names in ((_METHOD_OR_RULE, methods_and_rules), (_ANNEX, annexes)):
            if any(_named(s, attributes) for s in sides):
                found.extend((node.lineno, n) for s in sides for n in sorted(_constants(s) & names))
    return found


def test_the_finder_finds_a_branch_on_a_name() -> None:
    tree = ast.parse(
        "if ind.method == 'sum': pass\nif kind in ('egov', 'x'): pass\nunit == 'sum'\nkind == 'sum'"
    )
    assert branches_on_names(tree, {"sum"}, {"egov"}) == [(1, "sum"), (2, "egov")]


def test_no_core_module_branches_on_a_builtin_name() -> None:
    methods_and_rules, annexes = _builtin_names()
    problems = [
        f"{f.relative_to(SRC)}:{line}: compares with the built-in name {name!r}"
        for f in _core_files()
        for line, name in branches_on_names(
            ast.parse(f.read_text("utf-8")), methods_and_rules, annexes
        )
    ]
    assert not problems, "\n".join(problems)


def returns_names(tree: ast.AST, names: set[str]) -> list[tuple[int, str]]:
    """``(line, name)`` for each ``return "tiers"`` of a built-in name: a core function that
    decides which built-in applies (as ``Indicator.scoring_rule`` did, in the model)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value is not None:
            values = [node.value]
            while values:
                value = values.pop()
                if isinstance(value, ast.IfExp):
                    values += [value.body, value.orelse]
                found.extend((node.lineno, n) for n in sorted(_constants(value) & names))
    return sorted(found)


def test_the_finder_finds_a_returned_name() -> None:
    tree = ast.parse(
        "def f(ind):\n    if ind.tiers is not None:\n        return 'tiers'\n"
        "    return 'milestones' if ind.milestones else 'other'"
    )
    assert returns_names(tree, {"tiers", "milestones"}) == [(3, "tiers"), (4, "milestones")]


def test_no_core_module_decides_which_builtin_applies() -> None:
    methods_and_rules, annexes = _builtin_names()
    problems = [
        f"{f.relative_to(SRC)}:{line}: returns the built-in name {name!r}"
        for f in _core_files()
        for line, name in returns_names(
            ast.parse(f.read_text("utf-8")), methods_and_rules | annexes
        )
    ]
    assert not problems, "\n".join(problems)
