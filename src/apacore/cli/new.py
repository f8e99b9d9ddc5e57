"""``apacore new``: a complete agreement from a plugin's template."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import ascii_digits, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--template", required=True, help="e.g. cooperatives-upazila")
    p.add_argument("--fiscal-year", required=True, type=ascii_digits, help="e.g. 2024-25")
    p.add_argument(
        "--office", required=True, help="the office's name (Bengali, as on the agreement)"
    )
    p.add_argument("--office-en", help="the office's name in English")
    p.add_argument("--level", help="office level (default: the template's)")
    p.add_argument("-o", "--output", help="file or folder to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")


def _plain_text(flag: str, text: str) -> None:
    """Refuse an argument holding a control character (a newline, an escape): it would be
    copied into the file apacore writes, or break its one line."""
    import unicodedata

    from apacore.errors import ApacoreError

    bad = [c for c in text if unicodedata.category(c) == "Cc"]
    if bad:
        raise ApacoreError(
            f"holds a control character ({ascii(bad[0])[1:-1]}); give the name as plain text",
            where=flag,
        )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from apacore.loading.templates import new_agreement

    for flag, name in (("--office", args.office), ("--office-en", args.office_en or "")):
        _plain_text(flag, name)
    text = new_agreement(
        args.template,
        args.fiscal_year,
        office_bn=args.office,
        office_en=args.office_en or "",
        level=args.level,
    )
    if args.output is None:
        write_out(text)
        return 0
    from apacore.atomic import check_target, write_atomic

    out = Path(args.output)
    if out.is_dir() or args.output.endswith(("/", "\\")):  # a folder: its agreement.toml
        out = out / "agreement.toml"
    write_atomic(check_target(out, replace=args.force, make_folder=True), text, replace=args.force)
    print(f"wrote {out}")
    return 0
