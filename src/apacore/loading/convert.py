"""Reading TOML files into the model, strictly, with errors that say where.

One cached cattrs converter: unknown keys are errors (``forbid_extra_keys``), numbers
are exact decimals (``tomllib.loads(..., parse_float=Decimal)``), and a failure becomes
one line naming the file and the dotted path (``$.areas[0].weight: must be > 0``),
keeping the validators' own text (cattrs' default formatter loses it). A structurer
written for each model class with the converter's own hooks
(:mod:`apacore.loading.fast_structure`) is tried first; when it fails, the converter
structures the data and words the error.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Optional, TypeVar, Union

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
)
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception, transform_error

from apacore.errors import ApacoreError, ParseError
from apacore.limits import (
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_NESTING,
    check_regular_file,
    check_size,
    check_toml_nesting,
    name_problem,
    number_problem,
    parses_before_nesting_scan,
    shorten,
)
from apacore.loading.fast_structure import Hooks, make_structurer
from apacore.models import FieldError, QuarterNumber, TierValue, Value
from apacore.numbers import Marker, Reading, parse_reading

# tomli is tomllib's upstream, the same parser; its wheels are compiled (mypyc) and parse
# an office's files about 3x faster, which a national batch of 20,000 offices feels
try:
    import tomli as tomllib
except ImportError:  # pragma: no cover - a platform without tomli
    if sys.version_info < (3, 11):
        raise
    import tomllib  # type: ignore[no-redef]

__all__ = ["check_data", "converter", "parse_toml", "read_toml", "structure", "unstructure"]

T = TypeVar("T")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _HookError(ValueError):
    """A structure hook's own complaint; its text is the message."""


_INT_LIMIT: Final = 10**MAX_INTEGER_DIGITS


def _plain_number(obj: object) -> Decimal | None:
    """``obj`` as :func:`parse_reading` reads it when it is an ``int`` or a ``Decimal``
    (not a subclass) within the limits: the figures of a file, read without making a
    Reading for each; None for anything else, which the hooks read the long way."""
    if type(obj) is Decimal:
        return obj if number_problem(obj) is None else None
    if type(obj) is int and -_INT_LIMIT < obj < _INT_LIMIT:
        return Decimal(obj)
    return None


def _decimal(obj: object, _: object = None) -> Decimal:
    number = _plain_number(obj)
    if number is not None:
        return number
    if isinstance(obj, bool) or isinstance(obj, float):
        raise _HookError(f"expected an exact number, got {obj!r}")
    if isinstance(obj, (int, Decimal)):
        try:
            return parse_reading(obj).value  # type: ignore[return-value]
        except ParseError as exc:
            raise _HookError(exc.why) from None
    if isinstance(obj, str):
        value = _value(obj)
        if isinstance(value, Decimal):
            return value
    raise _HookError(f"expected a number, got {obj!r}")


def _optional_decimal(obj: object, _: object = None) -> Decimal | None:
    if obj is None or (isinstance(obj, str) and obj.strip() in ("-", "--", "")):
        return None
    return _decimal(obj)


def _value(obj: object, _: object = None) -> Value:
    value = _tier_value(obj)
    if value is None:
        raise _HookError(f"expected a number or a date, got {obj!r} (blank)")
    return value


def _tier_value(obj: object, _: object = None) -> TierValue:
    if obj is None:  # a blank tier in Python data (TOML writes "-")
        return None
    number = _plain_number(obj)
    if number is not None:
        return number
    if isinstance(obj, bool) or isinstance(obj, float):
        raise _HookError(f"expected an exact number or a date, got {obj!r}")
    if isinstance(obj, dt.datetime):
        raise _HookError(f"expected a date without a time, got {obj.isoformat()}")
    if isinstance(obj, str) and _ISO_DATE.match(obj.strip()):
        try:
            return dt.date.fromisoformat(obj.strip())
        except ValueError:
            raise _HookError(f"{obj!r} is not a valid date") from None
    if not isinstance(obj, (int, Decimal, str, dt.date)):
        raise _HookError(f"expected a number, a date or a string, got {type(obj).__name__}")
    try:
        reading = parse_reading(obj)
    except ParseError as exc:
        raise _HookError(exc.why) from None
    if reading.value is Marker.NOT_REPORTED:
        return None
    if reading.value is Marker.NOT_APPLICABLE:
        raise _HookError(f"{obj!r} (not applicable) is not a target value")
    if reading.count is not None:
        raise _HookError(
            f"{obj!r} carries a count ({reading.count}) that would be lost here:"
            " write the percentage alone and the count as target_count"
        )
    if reading.parts:
        raise _HookError(
            f"{obj!r} is a split figure whose parts would be lost here: write its"
            " value alone and the parts in a note"
        )
    assert isinstance(reading.value, (Decimal, dt.date))
    return reading.value


def _date(obj: object, _: object = None) -> dt.date:
    value = _value(obj)
    if not isinstance(value, dt.date):
        raise _HookError(f"expected a date, got {obj!r}")
    return value


def _reading(obj: object, _: object = None) -> Reading:
    if type(obj) is str:
        return _text_reading(obj)
    return _any_reading(obj)


@functools.lru_cache(maxsize=4096)
def _text_reading(text: str) -> Reading:
    """A report's cell read from its text, remembered: ~240 cells an office, most of them
    the same texts in every office of a batch (a Reading is an immutable value; a text
    that cannot be read raises each time)."""
    return _any_reading(text)


def _any_reading(obj: object) -> Reading:
    if isinstance(obj, bool) or isinstance(obj, float):
        raise _HookError(f"expected a figure as text, an exact number or a date, got {obj!r}")
    if isinstance(obj, str) and _ISO_DATE.match(obj.strip()):
        obj = _date(obj)
    if not isinstance(obj, (int, Decimal, str, dt.date)) or isinstance(obj, dt.datetime):
        raise _HookError(f"expected a figure, got {type(obj).__name__}")
    try:
        return parse_reading(obj)
    except ParseError as exc:
        raise _HookError(exc.why) from None


def _str(obj: object, _: object = None) -> str:
    if not isinstance(obj, str):
        raise _HookError(f"expected a string, got {obj!r}")
    return obj


def _text_table(obj: object, _: object = None) -> Mapping[str, str]:
    if not isinstance(obj, Mapping):
        raise _HookError(f"expected a table, got {obj!r}")
    out = {}
    for key, value in obj.items():
        if isinstance(value, (bool, float)) or isinstance(value, (dict, list)):
            raise _HookError(f"[{key}]: expected a figure, got {value!r}")
        out[str(key)] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return out


def _int(obj: object, _: object = None) -> int:
    # TOML has no Bengali integers, so officers write them as text: quarter = "২" is 2
    # (ASCII digits in quotes stay an error: write them as a TOML integer)
    if isinstance(obj, str) and any("০" <= c <= "৯" for c in obj):
        from apacore.numbers import to_ascii_digits

        text = to_ascii_digits(obj).strip()
        if text.isascii() and text.isdigit():
            return int(text)
    if isinstance(obj, bool) or not isinstance(obj, int):
        raise _HookError(f"expected a whole number, got {obj!r}")
    return obj


def _quarter(obj: object, _: object = None) -> int:
    """A report's quarter: a whole number, or text as the forms write it (``"২য়
    কোয়ার্টার"``, ``"দ্বিতীয়"``, ``"Q2"``), read by :func:`apacore.numbers.parse_quarter`."""
    if isinstance(obj, str):
        from apacore.numbers import QUARTER_EXAMPLES, parse_quarter

        quarter = parse_quarter(obj)
        if quarter is None:
            raise _HookError(f"expected a quarter ({QUARTER_EXAMPLES}), got {obj!r}")
        return quarter
    return _int(obj)


def _bool(obj: object, _: object = None) -> bool:
    if not isinstance(obj, bool):
        raise _HookError(f"expected true or false, got {obj!r}")
    return obj


def _canonical_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _field_note(exc: Exception, field: str) -> Exception:
    exc.__notes__ = [AttributeValidationNote(f"Structuring @ attribute {field}", field, object)]
    return exc


def _attrs_hook_factory(conv: cattrs.Converter) -> Callable[[type], Callable[[Any, Any], Any]]:
    def factory(cls: type) -> Callable[[Any, Any], Any]:
        base: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        lists = _list_fields(cls)

        def hook(obj: Any, _: Any) -> Any:
            # a parsed file's tables are dicts: spare them the slower abstract check
            if type(obj) is not dict and not isinstance(obj, Mapping):
                raise _HookError(f"expected a table, got {obj!r}")
            for name in lists:
                value = obj.get(name)
                if value is not None and not isinstance(value, (list, tuple)):
                    # cattrs would iterate a string into a tuple of its characters
                    shown = repr(value) if len(repr(value)) <= 40 else type(value).__name__
                    raise ClassValidationError(
                        f"While structuring {cls.__name__}",
                        [_field_note(_HookError(f"expected a list, got {shown}"), name)],
                        cls,
                    )
            try:
                return base(obj, cls)
            except ClassValidationError as exc:
                # cattrs wraps the constructor's own errors (validators, post-init) without
                # a field note: put the validator's field back into the path.
                for sub in exc.exceptions:
                    if isinstance(sub, FieldError) and not getattr(sub, "__notes__", None):
                        _field_note(sub, sub.field)
                raise
            except BaseValidationError:
                raise
            except FieldError as exc:
                raise ClassValidationError(
                    f"While structuring {cls.__name__}", [_field_note(exc, exc.field)], cls
                ) from None
            except (ValueError, TypeError) as exc:
                raise ClassValidationError(
                    f"While structuring {cls.__name__}", [exc], cls
                ) from None

        return hook

    return factory


def _list_fields(cls: type) -> tuple[str, ...]:
    """The fields of an attrs class that hold a list (``tuple[...]``, possibly optional)."""

    def is_tuple(t: Any) -> bool:
        if typing.get_origin(t) is tuple:
            return True
        return typing.get_origin(t) in (Union, types.UnionType) and any(
            is_tuple(a) for a in typing.get_args(t)
        )

    return tuple(name for name, t in typing.get_type_hints(cls).items() if is_tuple(t))


def _equals(alias: Any) -> Callable[[Any], bool]:
    def predicate(candidate: Any) -> bool:
        return bool(candidate == alias)

    return predicate


_CLASS_HOOKS: Final[Hooks] = (
    (Decimal, _decimal),
    (dt.date, _date),
    (Reading, _reading),
    (str, _str),
    (int, _int),
    (bool, _bool),
    (QuarterNumber, _quarter),
)
_ALIAS_HOOKS: Final[Hooks] = (
    (Mapping[str, str], _text_table),
    (Value, _value),
    (TierValue, _tier_value),
    (Optional[Decimal], _optional_decimal),
)
"""The converter's hooks for single values, which the fast structurers call too."""


@functools.lru_cache(maxsize=1)
def converter() -> cattrs.Converter:
    """The one converter apacore structures and unstructures its files with."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for cls, hook in _CLASS_HOOKS:
        conv.register_structure_hook(cls, hook)
    # Generic aliases and unions are matched by equality, not by class.
    for alias, hook in _ALIAS_HOOKS:
        conv.register_structure_hook_func(_equals(alias), hook)
    conv.register_structure_hook_factory(attrs.has, _attrs_hook_factory(conv))
    # canonical text: 6 and 6.0, 0.0008 and 0.00080 are the same value
    conv.register_unstructure_hook(Decimal, _canonical_decimal)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(Reading, lambda r: r.text)
    return conv


def _describe(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, FieldError):
        return exc.why
    if isinstance(exc, _HookError):
        return str(exc)
    if isinstance(exc, ApacoreError):
        return exc.why
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = sorted(exc.extra_fields)
        return f"unknown key{'s' if len(keys) > 1 else ''} {', '.join(keys)}"
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, decimal.InvalidOperation):
        return "not a valid number"
    if isinstance(exc, (ValueError, TypeError)) and str(exc) and type_ is None:
        return str(exc)
    return format_exception(exc, type_)


def structure(
    data: Any, cls: type[T], *, where: str, error: type[ApacoreError] = ApacoreError
) -> T:
    """Structure ``data`` into ``cls``; a failure is one ``error`` naming ``where`` and the path."""
    fast = _fast_structurer(typing.cast(type, cls))
    if fast is not None:
        try:
            return typing.cast(T, fast(data))
        except Exception:  # the converter finds the mistake and words it
            pass
    try:
        return converter().structure(data, cls)
    except (BaseValidationError, _HookError, FieldError) as exc:
        messages = transform_error(exc, path="$", format_exception=_describe)
        first = messages[0] if messages else str(exc)
        text, _, path = first.rpartition(" @ ")
        more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
        raise error(text + more, where=where, path=path) from None


@functools.lru_cache(maxsize=64)
def _fast_structurer(cls: type) -> Callable[[Any], Any] | None:
    """:mod:`apacore.loading.fast_structure`'s structurer of ``cls``, made once (None for
    a class it does not structure)."""
    return make_structurer(cls, _CLASS_HOOKS + _ALIAS_HOOKS) if attrs.has(cls) else None


def unstructure(obj: Any) -> Any:
    """Plain data (str, int, list, dict) of a model object; Decimals and dates as strings."""
    return converter().unstructure(obj)


def read_toml(
    path: Path, *, error: type[ApacoreError] = ApacoreError, raw: bytes | None = None
) -> dict[str, Any]:
    """A TOML file as data, numbers as Decimal; an unreadable or invalid file is one error.

    The limits of :mod:`apacore.limits` are checked before the parser runs (size,
    nesting) and on every number it returns (with the number's ``$.path``). ``raw``: the
    file's bytes as already read (by the cache, which hashed them): parsed, not read again.
    """
    where = str(path)
    if raw is None:
        raw = _read_file(path, where=where, error=error)
    check_size(len(raw), MAX_FILE_BYTES, where=where, error=error)
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Windows Notepad) is not content
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", where=where) from None
    return parse_toml(text, where=where, error=error, checked_size=True)


def _read_file(path: Path, *, where: str, error: type[ApacoreError]) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES` (+ 1, to tell a file
    too big); an unreadable one is one error."""
    try:
        size = check_regular_file(path, where=where, error=error)
        check_size(size, MAX_FILE_BYTES, where=where, error=error)
        with path.open("rb") as f:
            # at most MAX_FILE_BYTES + 1 bytes, asked for as the size stat gave: a read of
            # 4 MiB allocates 4 MiB first (~0.04 ms a file); a file that grew since is read on
            raw = f.read(size + 1)
            if len(raw) > size:
                raw += f.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        if path.is_symlink() and not os.path.lexists(os.path.realpath(path)):
            raise error(
                f"is a link to {os.readlink(path)!r}, which does not exist", where=where
            ) from None
        raise error(f"cannot read: {exc.strerror or exc}", where=where) from None
    return raw


def parse_toml(
    text: str,
    *,
    where: str,
    error: type[ApacoreError] = ApacoreError,
    checked_size: bool = False,
) -> dict[str, Any]:
    """TOML text as data, numbers as Decimal, within the limits of :mod:`apacore.limits`;
    a mistake is one ``error`` naming ``where`` (a file's name, or the name a caller gave
    the text) and, for a number, its ``$.path``."""
    if not checked_size:
        check_size(
            len(text.encode("utf-8", "surrogatepass")), MAX_FILE_BYTES, where=where, error=error
        )
        text = text.removeprefix("\ufeff")  # a byte-order mark is not content
    # the nesting is scanned before the parser runs, or (an ordinary file) only when the
    # parser fails or its data nests deep: either way its error comes before any other
    scanned = not parses_before_nesting_scan(text)
    if scanned:
        check_toml_nesting(text, where=where, error=error)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        if not scanned:
            check_toml_nesting(text, where=where, error=error)
        raise error(f"invalid TOML: {exc}", where=where) from None
    except ValueError:  # an integer beyond int()'s 4,300-digit limit
        if not scanned:
            check_toml_nesting(text, where=where, error=error)
        raise error(
            f"invalid TOML: an integer of more than {MAX_INTEGER_DIGITS} digits"
            " (apacore's limit; see docs/limits.md)",
            where=where,
        ) from None
    except RecursionError:  # the parser's own bound on nesting (not reached after the scan)
        if not scanned:
            check_toml_nesting(text, where=where, error=error)
        raise
    if not _within_limits(data):
        if not scanned:
            check_toml_nesting(text, where=where, error=error)
        _check_numbers(data, "$", where=where, error=error)
    return data


def check_data(data: object, *, where: str, error: type[ApacoreError] = ApacoreError) -> None:
    """Data a caller parsed (a mapping, not TOML text) within the same limits as a file's:
    nesting and numbers; a mistake is one ``error`` naming ``where`` and the ``$.path``."""
    _check_numbers(data, "$", where=where, error=error)


def _check_numbers(data: object, path: str, *, where: str, error: type[ApacoreError]) -> None:
    """Every number in parsed TOML within the limits, and tables (also those made by
    dotted keys, ``a.b.c = 1``, which the bracket scan cannot see) nested at most
    :data:`~apacore.limits.MAX_NESTING` deep; else one error with its ``$.path``.
    Iterative, so no input can exhaust the stack."""
    if _within_limits(data):
        return
    stack: list[tuple[object, str, int]] = [(data, path, 0)]
    while stack:
        item, here, depth = stack.pop()
        if depth > MAX_NESTING:
            raise error(
                f"tables or arrays nest more than {MAX_NESTING} deep (apacore's limit; see"
                " docs/limits.md)",
                where=where,
                path=shorten(here, 80),
            )
        if isinstance(item, dict):
            stack.extend((v, _child(here, str(k)), depth + 1) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, f"{here}[{i}]", depth + 1) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            why = number_problem(item) if isinstance(item, Decimal) else _int_problem(item)
            if why is not None:
                raise error(why, where=where, path=here)
        elif isinstance(item, str) and _is_name(here):
            why = name_problem(item)
            if why is not None:
                raise error(why, where=where, path=here)


NAME_KEYS: Final = frozenset({"name", "name_bn", "name_en", "office"})
"""Keys whose text is a name (``office`` in a report): one line, of limited length
(:func:`apacore.limits.name_problem`), checked with the numbers."""


def _is_name(path: str) -> bool:
    return path.rpartition(".")[2] in NAME_KEYS


def _within_limits(data: object) -> bool:
    """The walk of :func:`_check_numbers` without building a ``$.path`` for every value
    (most of its cost on an ordinary file): True when it would find nothing. When
    False, the full walk finds the first problem and says where."""
    if not isinstance(data, (dict, list)):
        return _value_within_limits(data)
    stack: list[tuple[dict[Any, Any] | list[Any], int]] = [(data, 0)]
    while stack:
        container, depth = stack.pop()
        values = container.values() if isinstance(container, dict) else container
        if depth >= MAX_NESTING and values:  # its items are one level deeper
            return False
        if isinstance(container, dict):
            for key in NAME_KEYS:  # four lookups: cheaper than a set made per table
                name = container.get(key)
                if type(name) is str and name_problem(name) is not None:
                    return False
        for value in values:
            # by exact type first: what a TOML parser makes, most of it text
            kind = type(value)
            if kind is str:
                continue
            if kind is dict or kind is list:
                stack.append((value, depth + 1))
            elif kind is int:
                if not -_INT_LIMIT < value < _INT_LIMIT:
                    return False
            elif isinstance(value, str):
                continue
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
            elif not _value_within_limits(value):
                return False
    return True


def _value_within_limits(value: object) -> bool:
    if isinstance(value, Decimal):
        return number_problem(value) is None
    if isinstance(value, int) and not isinstance(value, bool):
        return _int_problem(value) is None
    return True


def _int_problem(value: int) -> str | None:
    if abs(value) >= 10**MAX_INTEGER_DIGITS:
        return number_problem(Decimal(10**MAX_INTEGER_DIGITS))
    return None


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f"{path}[{key!r}]"
