"""The package's shape: no import cycle among apacore's modules (function-level imports
included), and ``apacore.__all__`` in step with the lazy export map."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import apacore

SRC = Path(apacore.__file__).parent


def _module_name(file: Path) -> str:
    parts = file.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _imports(file: Path, modules: set[str]) -> set[str]:
    """Every apacore module ``file`` imports, anywhere in it (functions, TYPE_CHECKING
    blocks and all), except the package's own TYPE_CHECKING mirror of its lazy exports."""
    name = _module_name(file)
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(file.read_text("utf-8"))
    skip: set[int] = set()
    if file == SRC / "__init__.py":
        for node in tree.body:
            if _is_type_checking_block(node):
                skip.update(id(n) for n in ast.walk(node))
    found: set[str] = set()
    for sub in ast.walk(tree):
        if id(sub) in skip:
            continue
        targets: list[str] = []
        if isinstance(sub, ast.Import):
            targets = [alias.name for alias in sub.names]
        elif isinstance(sub, ast.ImportFrom):
            base = sub.module or ""
            if sub.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - sub.level + 1])
                base = f"{base}.{sub.module}" if sub.module else base
            # ``from apacore import cache`` imports the module apacore.cache; ``from
            # apacore import __version__`` a name of the package root
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in sub.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    files = sorted(SRC.rglob("*.py"))
    modules = {_module_name(f) for f in files}
    return {_module_name(f): _imports(f, modules) for f in files}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_among_apacores_modules() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_function_level_imports_count() -> None:
    graph = _graph()
    assert "apacore.loading.rulesets" not in graph["apacore.plugins.host"]
    assert (
        "apacore.plugins.contract" in graph["apacore.plugins.host"]
    )  # imported inside get_registry


def test_all_and_the_lazy_export_map_are_in_step() -> None:
    exports = apacore._EXPORTS
    assert sorted(apacore.__all__) == sorted(["__version__", *exports])
    for name, module in exports.items():
        assert (SRC.parent / Path(*module.split("."))).with_suffix(".py").is_file() or (
            SRC.parent / Path(*module.split(".")) / "__init__.py"
        ).is_file(), f"{name}: module {module} does not exist"
        assert getattr(importlib.import_module(module), name) is getattr(apacore, name), name
    assert dir(apacore) == sorted(apacore.__all__)


def test_the_type_checking_mirror_lists_the_same_names() -> None:
    tree = ast.parse((SRC / "__init__.py").read_text("utf-8"))
    mirrored: dict[str, str] = {}
    for node in tree.body:
        if _is_type_checking_block(node):
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("apacore"):
                    for alias in sub.names:
                        mirrored[alias.asname or alias.name] = sub.module or ""
    assert mirrored == apacore._EXPORTS


def _new_modules(code: str) -> set[str]:
    """Modules a fresh interpreter has imported after ``code``, beyond a bare start."""
    import subprocess
    import sys

    show = "import sys; print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"

    def modules(source: str) -> set[str]:
        run = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return set(run.stderr.split())

    return modules(f"{code}\n{show}") - modules(show)


def test_import_apacore_imports_nothing_else() -> None:
    assert _new_modules("import apacore") <= {"apacore", "apacore._version", "__future__"}


def test_version_imports_only_the_command_line() -> None:
    code = "from apacore.cli import main\nassert main(['--version']) == 0"
    assert _new_modules(code) <= {"apacore", "apacore._version", "apacore.cli", "__future__"}


_LAYERS = {"plugins": 1, "loading": 2, "engine": 3, "builtins": 4, "evaluation": 4, "render": 5}
_BASE = {
    "_version", "words", "toml_text", "errors", "limits", "numbers", "formatting", "trace", "tier_direction", "atomic",
    "cache", "models", "values", "patterns",
}  # fmt: skip


def _layer(module: str) -> int:
    """The layer of ``module`` (docs/concepts.md, "Layers"): 0 for the base, 6 for consumers,
    7 for the package root (its lazy exports name every layer: importing ``__version__``
    from it would be an arrow up; it lives in ``apacore._version``, in the base)."""
    parts = module.split(".")
    if len(parts) == 1:
        return 7
    if parts[1] in _BASE:
        return 0
    return _LAYERS.get(parts[1], 6)


def test_no_module_imports_from_a_later_layer() -> None:
    graph = _graph()
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if module not in ("apacore", "apacore.__main__") and _layer(target) > _layer(module)
    )
    assert upward == []


def test_the_package_root_is_above_every_layer() -> None:
    """``from apacore import __version__`` in any module is an arrow up (to the root)."""
    assert all(_layer("apacore") > _layer(m) for m in _graph() if m != "apacore")


def test_the_engine_does_not_import_the_loaders() -> None:
    """The annex plan (apacore.plugins.annex_plan) and the fiscal calendar
    (apacore.models.quarter_end) sit below both; the engine scores what it is given."""
    graph = _graph()
    arrows = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("apacore.engine")
        for target in targets
        if target.startswith("apacore.loading")
    )
    assert arrows == []


def test_the_renderer_reads_nothing() -> None:
    """What the output says of a scorecard (the grade's bands unverified) the scorecard
    carries: the renderer loads no ruleset."""
    graph = _graph()
    assert not any(t.startswith("apacore.loading") for t in graph["apacore.render.formats"])
