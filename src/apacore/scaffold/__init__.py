"""``apacore plugins new``: write a plugin package a ministry can install, test and publish.

:func:`new_plugin` writes ``FOLDER/NAME/``: a ``pyproject.toml`` with the entry point, a
module with the hook implementations (an annex type, a calculation method, a scoring
rule: what was asked for), tests built on :mod:`apacore.testing`, a README, and an
example office (``example/agreement.toml`` and ``example/report.toml``) that uses what it
adds. As written it installs, its tests pass, and ``apacore score FOLDER/NAME/example``
scores it. The files are made from the templates beside this module (package data).
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from apacore.errors import ApacoreError
from apacore.values import frozen

__all__ = ["PluginSpec", "new_plugin", "plugin_files", "plugin_spec", "written_text"]

TEMPLATES = Path(__file__).parent / "templates"
"""The templates of the files written (Jinja2, package data)."""

_DISTRIBUTION = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = frozenset({"apacore", "test", "tests"})
_IGNORED = (".venv/", "build/", "dist/", "*.egg-info/", "__pycache__/", ".hypothesis/")
"""What a plugin's repository keeps out of version control."""


@frozen(kw_only=True)
class PluginSpec:
    """What ``apacore plugins new`` writes, its names checked."""

    name: str
    """The distribution (``apacore-procurement``): what ``pip install`` and PyPI know."""
    module: str
    """The module holding the hooks (``apacore_procurement``)."""
    entry_point: str
    """The entry point in the group ``apacore`` (``procurement``): the plugin's name."""
    annex: str | None = None
    """The annex kind it adds, if any."""
    method: str | None = None
    """The calculation method it adds, if any."""
    rule: str | None = None
    """The scoring rule it adds, if any."""

    @property
    def annex_title(self) -> str:
        """The annex's English name, from its kind (``procurement`` → ``Procurement action plan``)."""
        return f"{(self.annex or '').replace('_', ' ').capitalize()} action plan"

    @property
    def annex_title_pattern(self) -> str:
        """A regular expression of the annex's English title (``procurement\\s+action\\s+plan``)."""
        return r"\s+".join(re.escape(w) for w in self.annex_title.lower().split())

    @property
    def expected(self) -> dict[str, str]:
        """The example office's figures, worked by hand (see example/README in the package)."""
        # row 1.1.1: count, target 4, Q1 2 + Q2 3; row 1.1.2: date, target 31/03/2025, done 15/12/2024
        achieved = Decimal(3) if self.method else Decimal(5)  # highest quarter, or the sum
        if self.rule:
            raw = Decimal(100) if achieved >= 4 else Decimal(0)
        else:
            raw = min(achieved / 4, Decimal(1)) * 100
        first = Decimal(6) * raw / 100
        obtained = first + Decimal(4)
        out = {"achievement": achieved, "raw": raw, "marks": first, "obtained": obtained}
        out["total"] = obtained / 10 * 5 if self.annex else obtained
        return {k: _plain(v) for k, v in out.items()}


def _plain(value: Decimal) -> str:
    """``100`` for Decimal('100.0'), ``4.5`` for Decimal('4.50'): as a person writes it."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _check_key(value: str | None, what: str, where: str, builtin: set[str]) -> None:
    if value is None:
        return
    if not _KEY.match(value):
        raise ApacoreError(
            f"{value!r} is not a valid {what} name: lower-case letters, digits and _,"
            " starting with a letter (e.g. best_quarter)",
            argument=where,
        )
    if value in builtin:
        raise ApacoreError(
            f"{value!r} is a built-in {what} of apacore; choose another name", argument=where
        )


def plugin_spec(
    name: str, *, annex: str | None = None, method: str | None = None, rule: str | None = None
) -> PluginSpec:
    """The names of the package to write, checked; a bad one is an :class:`ApacoreError`."""
    if not _DISTRIBUTION.match(name) or len(name) > 64:
        raise ApacoreError(
            f"{name!r} is not a valid plugin name: lower-case letters, digits and single"
            " hyphens, starting with a letter (e.g. apacore-procurement)",
            argument="plugin_name",
        )
    module = name.replace("-", "_")
    entry_point = name.removeprefix("apacore-")
    if module in _RESERVED or keyword.iskeyword(module) or name == "apacore":
        raise ApacoreError(f"{name!r} is taken; choose another name", argument="plugin_name")
    if annex is None and method is None and rule is None:
        raise ApacoreError(
            "say what the plugin adds: --annex KIND, --method NAME and/or --rule NAME",
            argument="plugin_name",
        )
    from apacore.plugins.host import DEFAULT_PLUGINS, get_registry

    registry = get_registry()

    def builtin(what: str) -> set[str]:
        return {
            k for (w, k), owner in registry.owners.items() if w == what and owner in DEFAULT_PLUGINS
        }

    _check_key(annex, "annex kind", "annex", builtin("annex type"))
    _check_key(method, "calculation method", "method", builtin("calculation method"))
    _check_key(rule, "scoring rule", "rule", builtin("scoring rule"))
    return PluginSpec(
        name=name, module=module, entry_point=entry_point, annex=annex, method=method, rule=rule
    )


def plugin_files(spec: PluginSpec) -> dict[str, str]:
    """The package's files: path (relative, ``/``-separated) → text."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    values = {"spec": spec, "expected": spec.expected}
    files = {
        "pyproject.toml": "pyproject.toml.j2",
        "README.md": "README.md.j2",
        f"src/{spec.module}/__init__.py": "module.py.j2",
        "tests/conftest.py": "conftest.py.j2",
        f"tests/test_{spec.module}.py": "test_plugin.py.j2",
        "example/agreement.toml": "agreement.toml.j2",
        "example/report.toml": "report.toml.j2",
    }
    out = {path: env.get_template(template).render(values) for path, template in files.items()}
    out[f"src/{spec.module}/py.typed"] = ""
    out[".gitignore"] = "".join(f"{p}\n" for p in _IGNORED)
    return out


def new_plugin(
    name: str,
    *,
    annex: str | None = None,
    method: str | None = None,
    rule: str | None = None,
    folder: str | os.PathLike[str] = ".",
    force: bool = False,
) -> tuple[Path, tuple[str, ...]]:
    """Write the package ``folder/name/``; return its path and the files written.

    An existing ``folder/name`` is an error unless ``force`` (then the files are written
    over it; other files stay). Everything is made first and written at once: a
    mistake leaves nothing behind.
    """
    spec = plugin_spec(name, annex=annex, method=method, rule=rule)
    parent = Path(folder)
    if not parent.is_dir():
        raise ApacoreError("no such folder", where=str(parent))
    target = parent / spec.name
    if os.path.lexists(target) and not force:
        raise ApacoreError("exists already; use --force to write over it", where=str(target))
    if os.path.lexists(target) and not target.is_dir():
        raise ApacoreError("exists and is not a folder", where=str(target))
    files = plugin_files(spec)
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=parent))
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if not os.path.lexists(target):
            staging.rename(target)
        else:
            for rel in files:
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / rel, target / rel)
    except OSError as exc:
        raise ApacoreError(
            f"could not write the package: {exc.strerror or exc}", where=str(target)
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, tuple(files)


def written_text(folder: Path, files: tuple[str, ...]) -> str:
    """What ``apacore plugins new`` prints: the package's folder and its files."""
    return f"wrote {folder}:\n" + "".join(f"  {name}\n" for name in files)
