"""The evaluation (issue 18): the skeleton round trip on every example office, the JSON
contract, the evidence policy, explain and the notices."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import pytest

from apacore.cli import main
from apacore.evaluation.result import evaluation_of
from apacore.evaluation.scoring import with_evaluation
from apacore.loading.agreements import load_office
from apacore.office import score_files, score_path

EXAMPLES = Path(__file__).parent.parent / "examples"
REPORTED = sorted(p.name for p in EXAMPLES.iterdir() if (p / "report.toml").is_file())


def _copy(name: str, tmp_path: Path) -> Path:
    """An example office without its evaluation (Dakop has an illustrative one)."""
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    (folder / "evaluation.toml").unlink(missing_ok=True)
    return folder


def _json(folder: Path, capsys: pytest.CaptureFixture[str], *more: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["score", str(folder), "--format", "json", *more]) == 0
    data: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return data


def _indicators(data: dict) -> list[dict]:  # type: ignore[type-arg]
    return [i for s in data["sections"] for i in s["indicators"]]


def test_four_example_offices_have_a_report() -> None:
    assert len(REPORTED) == 4


@pytest.mark.parametrize("name", REPORTED)
def test_an_unchanged_skeleton_gives_the_self_assessed_total(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(name, tmp_path)
    before = _json(folder, capsys)
    assert before["evaluation"] is None
    assert all(i["evaluated"] is None for i in _indicators(before))
    skeleton = tmp_path / "e.toml"
    assert main(["evaluate", str(folder), "-o", str(skeleton)]) == 0
    text = skeleton.read_text("utf-8")
    assert text.count("[[entries]]") == text.count('verdict = "accepted"') > 0
    shutil.copy(skeleton, folder / "evaluation.toml")
    data = _json(folder, capsys)
    evaluation = data["evaluation"]
    assert evaluation["total"] == data["total"] == before["total"]
    assert evaluation["changed"] == 0 and evaluation["quarter"] == data["as_of"]["quarter"]
    assert evaluation["difference"] == format(0, f".{len(data['total']['max'].split('.')[1])}f")
    for row in _indicators(data):
        evaluated = row["evaluated"]
        assert evaluated["verdict"] == "accepted" and evaluated["reason"] == ""
        assert [evaluated[k] for k in ("achievement", "raw_score", "marks")] == [
            row[k] for k in ("achievement", "raw_score", "marks")
        ]
    # every other key of the contract is as it was
    for row in _indicators(data):
        row["evaluated"] = None
    assert {**data, "evaluation": None} == before


def test_the_skeleton_comments_the_offices_figures_and_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy("dakop-2024-25", tmp_path)
    assert main(["evaluate", str(folder)]) == 0
    out = capsys.readouterr().out
    entry = out.split('indicator = "2.2.4"')[1].split("[[entries]]")[0]
    assert '# the office wrote: q1 "৪০%(৪৪)", q2 "৯৯%(১০৪)"' in entry
    assert "it would be 95% (94.55%)" in entry  # the cell that does not follow, and its value
    assert 'verdict = "accepted"' in entry


def test_evaluate_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    folder = _copy("raiganj-2024-25", tmp_path)
    target = folder / "evaluation.toml"
    target.write_text("kept", "utf-8")
    assert main(["evaluate", str(folder), "-o", str(target)]) == 2
    assert target.read_text("utf-8") == "kept"
    assert main(["evaluate", str(folder), "-o", str(target), "--force"]) == 0
    assert target.read_text("utf-8").startswith("# Evaluation of")


EVALUATION = """fiscal_year = "২০২৪-২৫"
quarter = "২"
evaluator = "জেলা সমবায় কার্যালয়, খুলনা"
evaluator_en = "District Cooperative Office, Khulna"
evaluated_on = 2025-01-28

[[entries]]
indicator = "egov/[৭.১.১]"
verdict = "not_accepted"
reason = "no completion certificate"

[[entries]]
indicator = "egov/5.1.1"
verdict = "revised"
q2 = "০"
reason = "the Q2 update is not on the portal"
evidence_seen = ["portal, 20/01/2025"]
"""


def _evaluated_dakop(tmp_path: Path) -> Path:
    folder = _copy("dakop-2024-25", tmp_path)
    (folder / "evaluation.toml").write_text(EVALUATION, "utf-8")
    return folder


def test_json_carries_the_evaluated_figures_and_the_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(_evaluated_dakop(tmp_path), capsys)
    evaluation = data["evaluation"]
    assert evaluation["evaluator"] == "জেলা সমবায় কার্যালয়, খুলনা"
    assert evaluation["evaluated_on"] == "2025-01-28" and evaluation["quarter"] == 2
    assert evaluation["changed"] == 2
    rows = {i["id"]: i for i in _indicators(data)}
    refused = rows["egov/7.1.1"]["evaluated"]
    assert (refused["verdict"], refused["marks"], refused["status"]) == (
        "not_accepted",
        "0.00",
        "not_reported",
    )
    assert rows["egov/7.1.1"]["marks"] == "5.00" and refused["difference"] == "-5.00"
    revised = rows["egov/5.1.1"]["evaluated"]
    assert revised["verdict"] == "revised" and revised["reason"].startswith("the Q2 update")
    assert revised["evidence_seen"] == ["portal, 20/01/2025"]
    accepted = rows["egov/1.1.1"]["evaluated"]
    assert accepted == {**accepted, "verdict": "accepted", "reason": "", "difference": "0.00"}
    # the evaluated total is the total of the evaluated annex marks, converted
    assert evaluation["total"]["marks"] != data["total"]["marks"]
    self_total, evaluated_total = (
        float(x) for x in (data["total"]["marks"], evaluation["total"]["marks"])
    )
    assert float(evaluation["difference"]) == pytest.approx(evaluated_total - self_total)


def test_a_revision_scores_as_the_edited_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluated = _json(_evaluated_dakop(tmp_path / "a"), capsys)["evaluation"]
    edited = _copy("dakop-2024-25", tmp_path / "b")
    report = (edited / "report.toml").read_text("utf-8")
    head, rest = report.split('indicator = "egov/5.1.1"', 1)
    entry, tail = rest.split("[[entries]]", 1)
    entry = "\n".join('q2 = "০"' if line.startswith("q2 =") else line for line in entry.split("\n"))
    report = head + 'indicator = "egov/5.1.1"' + entry + "[[entries]]" + tail
    head, rest = report.split('indicator = "egov/7.1.1"', 1)
    report = head.rsplit("[[entries]]", 1)[0] + "[[entries]]" + rest.split("[[entries]]", 1)[1]
    (edited / "report.toml").write_text(report, "utf-8")
    assert _json(edited, capsys)["total"] == evaluated["total"]


def test_the_table_shows_both_totals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _evaluated_dakop(tmp_path)
    for lang, words in (
        ("en", ("Self-assessed total: 13.53", "Evaluated total: ", "not accepted")),
        ("bn", ("স্ব-মূল্যায়িত মোট: ১৩.৫৩", "মূল্যায়নকারীর মোট: ", "গৃহীত হয়নি")),
    ):
        assert main(["score", str(folder), "--lang", lang]) == 0
        out = capsys.readouterr().out
        assert all(w in out for w in words), (lang, out)


def test_explain_says_why_an_evaluated_mark_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _evaluated_dakop(tmp_path)
    assert main(["explain", str(folder), "egov/7.1.1"]) == 0
    out = capsys.readouterr().out
    assert "not accepted: no completion certificate" in out
    assert "marks 0.00 (self-assessed: raw score 100.00, marks 5.00; difference -5.00)" in out
    assert main(["explain", str(folder), "egov/7.1.1", "--lang", "bn"]) == 0
    assert "পার্থক্য -৫.০০" in capsys.readouterr().out


def test_an_evaluation_of_another_quarter_is_not_applied_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _evaluated_dakop(tmp_path)
    assert main(["score", str(folder), "--format", "json", "--as-of", "Q1"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["evaluation"] is None
    assert "the evaluation is of Q2, but the score is as of Q1" in err


def test_an_evaluation_without_an_evaluator_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy("raiganj-2024-25", tmp_path)
    assert main(["evaluate", str(folder), "-o", str(folder / "evaluation.toml")]) == 0
    capsys.readouterr()
    assert main(["score", str(folder)]) == 0
    assert "evaluator is empty" in capsys.readouterr().err


def _strict(office):  # type: ignore[no-untyped-def]
    spec = office.ruleset.spec
    policies = attrs.evolve(spec.policies, evidence="not_reported")
    ruleset = attrs.evolve(office.ruleset, spec=attrs.evolve(spec, policies=policies))
    return attrs.evolve(office, ruleset=ruleset)


def test_the_evidence_policy_counts_unevidenced_figures_as_not_reported(tmp_path: Path) -> None:
    folder = _copy("bandar-2023-24", tmp_path)
    (folder / "evaluation.toml").write_text(
        'fiscal_year = "2023-24"\nquarter = 1\nevaluator = "জেলা"\nevaluated_on = 2023-10-20\n',
        "utf-8",
    )
    office = load_office(folder, use_cache=False)
    default = evaluation_of(score_files(office))
    assert default is not None and default.changed == 0
    assert default.card.total_marks == score_files(office).total_marks
    strict = _strict(office)
    card = with_evaluation(score_files(attrs.evolve(office, report_path=None)), strict)
    ev = evaluation_of(card)
    assert ev is not None and ev.evidence_policy == "not_reported"
    refused = [r for r in ev.indicators.values() if r.policy == "evidence"]
    assert refused and all(r.verdict == "not_accepted" for r in refused)
    assert all((r.result.exact("marks") or 0) == 0 for r in refused)
    assert (ev.card.exact("total_marks") or 0) < (card.exact("total_marks") or 0)
    # naming the evidence seen accepts the figure
    first = refused[0].ref
    (folder / "evaluation.toml").write_text(
        (folder / "evaluation.toml").read_text("utf-8")
        + f'\n[[entries]]\nindicator = "{first}"\nverdict = "accepted"\nevidence_seen = ["register"]\n',
        "utf-8",
    )
    seen = evaluation_of(with_evaluation(card, strict))
    assert seen is not None and seen.indicator(first).verdict == "accepted"
    assert seen.changed == len(refused) - 1


def test_score_path_carries_the_evaluation(tmp_path: Path) -> None:
    card = score_path(_evaluated_dakop(tmp_path))
    ev = evaluation_of(card)
    assert ev is not None and ev.evaluation.evaluator_en == "District Cooperative Office, Khulna"
    assert ev.indicator("egov/7.1.1").changed and not ev.indicator("egov/1.1.1").changed


def test_batch_ranks_on_evaluated_marks_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    for name in ("dakop-2024-25", "raiganj-2024-25"):
        _copy(name, tree)
    (tree / "dakop-2024-25" / "evaluation.toml").write_text(EVALUATION, "utf-8")
    assert main(["batch", str(tree), "--format", "json", "--quiet", "--workers", "1"]) == 0
    offices = {o["path"]: o for o in json.loads(capsys.readouterr().out)["offices"]}
    dakop, raiganj = offices["dakop-2024-25"], offices["raiganj-2024-25"]
    assert (dakop["ranked_on"], raiganj["ranked_on"]) == ("evaluated", "self_assessed")
    assert raiganj["evaluation"] is None
    assert (
        dakop["evaluation"]["total"] == _json(tree / "dakop-2024-25", capsys)["evaluation"]["total"]
    )
    assert dakop["evaluation"]["total"]["marks"] != dakop["total"]["marks"]
    assert main(["batch", str(tree), "--quiet", "--workers", "1"]) == 0
    table = capsys.readouterr().out
    line = next(x for x in table.splitlines() if "Dakop" in x)
    assert dakop["evaluation"]["total"]["marks"] in line and "Evaluated" in line
    assert "Ranked on" in table
    assert main(["batch", str(tree), "--format", "csv", "--quiet", "--workers", "1"]) == 0
    import csv

    head, *rows = csv.reader(capsys.readouterr().out.lstrip("\ufeff").splitlines())
    by_path = {row[head.index("path")]: dict(zip(head, row)) for row in rows}
    row = by_path["dakop-2024-25"]
    assert row["ranked_on"] == "evaluated" and row["total_marks"] == dakop["total"]["marks"]
    assert row["evaluated_marks"] == dakop["evaluation"]["total"]["marks"]
    assert by_path["raiganj-2024-25"]["evaluated_marks"] == ""


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Evaluating officer", "Head of office", "Evaluated total", "not accepted")),
        ("bn", ("মূল্যায়নকারী কর্মকর্তা", "অফিস প্রধান", "মূল্যায়নকারীর মোট", "গৃহীত হয়নি")),
    ],
)
def test_the_report_prints_the_evaluation_and_both_signature_blocks(
    lang: str, words: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _evaluated_dakop(tmp_path)
    out = tmp_path / "report.html"
    assert main(["report", str(folder), "-o", str(out), "--lang", lang]) == 0
    page = out.read_text("utf-8")
    assert 'id="evaluation"' in page and 'id="sign-evaluating-officer"' in page
    assert all(w in page for w in words), lang
    assert "no completion certificate" in page
    plain = tmp_path / "plain.html"
    assert main(["report", str(_copy("raiganj-2024-25", tmp_path)), "-o", str(plain)]) == 0
    assert 'id="evaluation"' not in plain.read_text("utf-8")


def test_the_illustrative_evaluation_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    folder = EXAMPLES / "dakop-2024-25"
    text = (folder / "evaluation.toml").read_text("utf-8")
    assert text.startswith("# ILLUSTRATIVE") and "illustrative" in (folder / "README.md").read_text(
        "utf-8"
    )
    ev = evaluation_of(score_path(folder))
    assert ev is not None and "illustrative" in ev.evaluation.evaluator_en
    assert "Illustrative only" in ev.evaluation.note and "illustrative" in ev.evaluation.source
    assert ev.indicator("egov/8.1.1").verdict == "not_accepted"
    assert ev.card.total_marks < score_path(folder).total_marks
    data = _json(folder, capsys)
    assert data["evaluation"]["evaluator"].endswith("(দৃষ্টান্তমূলক)")
    # as docs/cli.md and the example's README give them
    evaluation = data["evaluation"]
    assert (evaluation["total"]["marks"], evaluation["difference"], evaluation["changed"]) == (
        "12.73",
        "-0.80",
        4,
    )
    assert data["total"]["marks"] == "13.53"
    docs = (Path(__file__).parent.parent / "docs" / "cli.md").read_text("utf-8")
    block = docs.split('"evaluation": {\n', 1)[1].split("\n}\n", 1)[0]
    assert json.loads("{" + block + "}") == evaluation
    # the examples' other offices have none
    assert [p.parent.name for p in EXAMPLES.glob("*/evaluation.toml")] == ["dakop-2024-25"]


def test_the_calendar_finds_late_and_missing_reports_and_evaluations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _evaluated_dakop(tmp_path)
    report = (folder / "report.toml").read_text("utf-8")
    (folder / "report.toml").write_text(
        report.replace("quarter = 2\n", "quarter = 2\nsubmitted_on = 2025-01-20\n", 1), "utf-8"
    )
    evaluation = (folder / "evaluation.toml").read_text("utf-8")
    (folder / "evaluation.toml").write_text(
        evaluation.replace("evaluated_on = 2025-01-28", "evaluated_on = 2025-02-03"), "utf-8"
    )
    assert main(["audit", str(folder), "--kind", "calendar", "--format", "json"]) == 1
    found = {f["code"]: f for f in json.loads(capsys.readouterr().out)["findings"]}
    assert set(found) == {"report_late", "evaluation_late"}
    assert found["report_late"]["reason"] == (
        "the Q2 report was due by 15/01/2025 and is dated 20/01/2025"
    )
    assert found["evaluation_late"]["apacore"] == "2025-01-30"
    # as of a date: what was due by then and is not there
    (folder / "evaluation.toml").unlink()
    assert main(["audit", str(folder), "--kind", "calendar", "--as-of", "2025-04-20"]) == 1
    out = capsys.readouterr().out
    assert "the Q3 report was due by 15/04/2025; the report covers quarters to Q2 only" in out
    assert "the evaluation of Q2 was due by 30/01/2025; there is no evaluation.toml" in out
    # Q3's report is due on 15 April and Q2's evaluation on 30 January: neither due yet
    assert (
        main(
            [
                "audit",
                str(folder),
                "--kind",
                "calendar",
                "--as-of",
                "2025-01-10",
                "--format",
                "json",
            ]
        )
        == 1
    )
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert codes == ["report_late"]


def test_the_skeleton_in_bengali(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy("dakop-2024-25", tmp_path)
    assert (
        main(["evaluate", str(folder), "--lang", "bn", "-o", str(folder / "evaluation.toml")]) == 0
    )
    text = (folder / "evaluation.toml").read_text("utf-8")
    entry = text.split('indicator = "2.2.4"')[1].split("[[entries]]")[0]
    assert '# অফিসের লেখা: q1 "৪০%(৪৪)"' in entry
    assert "হওয়ার কথা ৯৫% (৯৪.৫৫%)" in entry
    capsys.readouterr()
    data = _json(folder, capsys)
    assert data["evaluation"]["total"] == data["total"]


def test_an_evaluation_given_as_text_is_checked_as_the_file() -> None:
    import apacore

    agreement = (EXAMPLES / "dakop-2024-25" / "agreement.toml").read_text("utf-8")
    report = (EXAMPLES / "dakop-2024-25" / "report.toml").read_text("utf-8")
    office = apacore.load_office_texts(agreement, report)
    scored = apacore.score_office(office, evaluation=EVALUATION).scorecard
    ev = evaluation_of(scored)
    assert ev is not None and ev.indicator("egov/7.1.1").verdict == "not_accepted"
    assert evaluation_of(apacore.score_office(office).scorecard) is None  # texts: none beside
    broken = EVALUATION.replace('quarter = "২"', "quarter = 3")
    with pytest.raises(apacore.EvaluationError) as info:
        apacore.score_office(office, evaluation=broken)
    assert str(info.value).startswith("evaluation.toml:2: $.quarter: evaluates Q3")  # its line
