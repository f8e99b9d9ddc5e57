"""apacore-cooperatives' validate_agreement: the Department's checks on a cooperative
office's own indicators, each a one-line error naming the file, the row and the plugin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import apacore
from apacore.errors import AgreementError
from apacore.loading.convert import read_toml
from apacore.loading.templates import to_toml

TRAINEES = "$.areas[0].activities[0].indicators[0] [1.1.1]"  # 2024-25: persons in lakh


def _edit(folder: Path, ident: str | None = None, **changes: Any) -> Path:
    """Change indicator ``ident``'s keys (or, without it, top-level keys) in agreement.toml."""
    path = folder / "agreement.toml"
    data = read_toml(path)
    targets = (
        [data]
        if ident is None
        else [
            ind
            for area in data["areas"]
            for act in area["activities"]
            for ind in act["indicators"]
            if ind["id"] == ident
        ]
    )
    assert len(targets) == 1, ident
    targets[0].update(changes)
    path.write_text(to_toml(data), "utf-8")
    return path


def _error(folder: Path) -> str:
    with pytest.raises(AgreementError) as info:
        apacore.load_office(folder)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_persons_in_lakh_stay_in_lakh(new_office: Callable[..., Path]) -> None:
    folder = new_office("2024-25")
    path = _edit(folder, "1.1.1", unit="persons", target="৩৪০")
    assert _error(folder) == (
        f"{path} (checked by plugin cooperatives): {TRAINEES}: the Department counts this"
        " indicator in persons in lakh (unit 'persons_lakh', জন (লক্ষ)), not 'persons':"
        " district and division offices add the upazilas' figures up in lakh (80 persons are"
        " 0.00080 lakh)"
    )


def test_a_count_of_persons_written_as_lakh_is_caught(new_office: Callable[..., Path]) -> None:
    folder = new_office("2024-25")
    _edit(folder, "1.1.1", target="৩৪০")
    assert _error(folder).endswith(
        f"{TRAINEES}: target 340 lakh is 34000000 persons, implausible for one upazila: a count"
        " of persons written without converting? (340 persons are 0.0034 lakh)"
    )


def test_the_same_figure_is_not_flagged_for_a_division(new_office: Callable[..., Path]) -> None:
    folder = new_office("2024-25", level="division")
    _edit(folder, "1.1.1", target="৩")
    assert apacore.load_office(folder).agreement.office.level == "division"


def test_tiers_in_lakh_are_checked_too(new_office: Callable[..., Path]) -> None:
    folder = new_office("2023-24")
    _edit(folder, "1.1.2", tiers=["৮০", "৭০", "-", "-", "-"])
    assert (
        ": $.areas[0].activities[0].indicators[1] [1.1.2]: tiers[0] 80 lakh is 8000000"
        " persons" in _error(folder)
    )


def test_a_blank_annual_target_is_caught(new_office: Callable[..., Path]) -> None:
    folder = new_office("2023-24")
    _edit(folder, "2.2.2", tiers=["-", "৩৬", "-", "-", "-"])
    assert _error(folder).endswith(
        "$.areas[1].activities[1].indicators[1] [2.2.2]: the excellent tier (the annual target)"
        " is blank: a cooperative office states its target for every indicator"
    )


def test_other_offices_are_not_the_departments_business(new_office: Callable[..., Path]) -> None:
    folder = new_office("2023-24", office="উপজেলা মৎস্য কার্যালয়, নতুন")
    _edit(folder, "2.2.2", tiers=["-", "৩৬", "-", "-", "-"])
    _error(folder)  # written from the cooperative template: still checked
    _edit(folder, source="a fisheries office's own agreement")
    apacore.load_office(folder)  # neither a cooperative office nor its template: not checked


def test_without_the_plugin_nothing_is_checked(tmp_path: Path) -> None:
    import apacore_cooperatives

    from apacore.cli import main

    with apacore.using_plugin(apacore_cooperatives, name="cooperatives"):
        assert (
            main(
                [
                    "new",
                    "--template",
                    "cooperatives-upazila",
                    "--fiscal-year",
                    "2024-25",
                    "--office",
                    "উপজেলা সমবায় কার্যালয়, নতুন",
                    "-o",
                    f"{tmp_path}/",
                ]
            )
            == 0
        )
        _edit(tmp_path, "1.1.1", unit="persons", target="৩৪০")
        _error(tmp_path)
    apacore.load_office(tmp_path)


def test_every_shipped_example_passes(cooperatives: str, examples: Path) -> None:
    for folder in sorted(p for p in examples.iterdir() if (p / "agreement.toml").is_file()):
        apacore.load_office(folder)
