"""The rule-authoring commands: rules, explain, test-rules, init; and the whole path of issue
#5: write a custom pack with two rules, test it, enable it by config, see its findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import load_packs
from replylint.cli import app
from replylint.run.starter import STARTER_CONFIG, STARTER_RULE

TEST_PACKS = Path(__file__).parent / "data" / "packs"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no configuration from the repository applies


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# rules


def test_rules_lists_every_rule_with_kind_severity_and_status(tmp_path: Path) -> None:
    code, out, _ = run("rules")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["code", "name", "pack", "kind", "severity", "enabled"]
    assert ["BS003", "fault-placed-on-customer", "blame-shifting", "pattern", "error", "yes"] in [
        line.split() for line in lines
    ]
    assert len(lines) == 1 + len(load_packs())
    write(tmp_path / "replylint.toml", 'ignore = ["FP009"]\n[severity]\nBS003 = "info"\n')
    _, out, _ = run("rules", "--pack", "blame-shifting")
    assert [line.split() for line in out.splitlines()[1:]] == [
        ["BS001", "customer-blamed", "blame-shifting", "pattern", "error", "yes"],
        ["BS002", "problem-pushed-elsewhere", "blame-shifting", "pattern", "error", "yes"],
        ["BS003", "fault-placed-on-customer", "blame-shifting", "pattern", "info", "yes"],
    ]
    _, out, _ = run("rules", "--pack", "forbidden-phrases")
    assert ["FP009", "problem-seen-often", "forbidden-phrases", "pattern", "error", "no"] in [
        line.split() for line in out.splitlines()
    ]


def test_rules_of_other_folders_and_unknown_packs() -> None:
    code, out, _ = run("rules", "--rules", str(TEST_PACKS))
    assert (code, [line.split()[0] for line in out.splitlines()]) == (
        0,
        ["code", "XT001", "XT002", "XT003"],
    )
    assert run("rules", "--pack", "nope")[0:3:2] == (2, "error: unknown pack 'nope'\n")


# explain


def test_explain_by_code_or_name() -> None:
    code, out, _ = run("explain", "fp012")
    assert code == 0
    assert out.startswith("### FP012 statement-called-impossible\n")
    for part in (
        "**What it does.**",
        "**Suggestion.**",
        "**Source.**",
        "`不可能…{0,8}(这种|那种)话`",
    ):
        assert part in out
    assert "Flagged (finding: `不可能说保本这种话`):" in out
    assert out.rstrip().endswith("statement-called-impossible.toml.")
    assert run("explain", "statement-called-impossible")[1] == out


def test_explain_says_when_settings_disable_a_rule_and_refuses_unknown_codes(
    tmp_path: Path,
) -> None:
    write(tmp_path / "replylint.toml", 'ignore = ["FP"]\n')
    assert (
        "Pack forbidden-phrases, kind pattern, disabled by the settings;"
        in run("explain", "FP005")[1]
    )
    assert run("explain", "XX999")[0:3:2] == (
        2,
        "error: no rule 'XX999'; `replylint rules` lists them\n",
    )


# test-rules


def test_the_bundled_and_test_packs_pass() -> None:
    code, out, _ = run("test-rules")
    bundled = load_packs()
    examples = sum(len(rule.info.examples) for rule in bundled)
    assert (code, out) == (
        0,
        f"{len(bundled)} rules, {examples} examples, {2 * examples} runs: {2 * examples} passed, "
        "0 failed; 0 data problems\n",
    )
    code, out, _ = run("test-rules", str(TEST_PACKS), "--no-traditional")
    assert (code, out) == (0, "3 rules, 7 examples, 7 runs: 7 passed, 0 failed; 0 data problems\n")


def test_with_channels_a_rule_needs_an_example_for_each_channel_it_applies_to(
    tmp_path: Path,
) -> None:
    write(tmp_path / "ours" / "custom" / "r.toml", STARTER_RULE)
    assert run("test-rules", "ours", "--no-traditional")[0] == 0
    code, out, _ = run("test-rules", "ours", "--no-traditional", "--channels")
    assert code == 1
    assert out.splitlines()[-1].endswith("; 3 data problems")  # phone, chat, social
    chat = '\n[[examples]]\npass = "客户：那我去别家问问。\\n客服：亲 您想要什么样的套餐呢"\n'
    write(tmp_path / "ours" / "custom" / "r.toml", STARTER_RULE + chat)
    code, out, _ = run("test-rules", "ours", "--no-traditional", "--channels")
    assert code == 1
    assert out.splitlines()[-1].endswith("; 2 data problems")  # phone and social


BROKEN_EXAMPLES = STARTER_RULE.replace(
    'pass = "客户：那我去别家问问。"', 'pass = "坐席：要不您找别家？"'
)


def test_a_failing_example_shows_what_was_found_instead(tmp_path: Path) -> None:
    write(tmp_path / "ours" / "custom" / "r.toml", BROKEN_EXAMPLES)
    rule = Path("ours", "custom", "r.toml")
    code, out, _ = run("test-rules", "ours")
    assert code == 1
    assert out.splitlines() == [
        f"FAIL {rule} [CU001] example 2 (pass): expected no finding, found '找别家'",
        "    | 坐席：要不您找别家？",
        f"FAIL {rule} [CU001] example 2 (pass) (in traditional script): expected no "
        "finding, found '找別家'",
        "    | 坐席：要不您找別家？",
        "1 rules, 2 examples, 4 runs: 2 passed, 2 failed; 0 data problems",
    ]


def test_a_flag_example_must_cover_its_text_and_exceptions_must_be_able_to_apply(
    tmp_path: Path,
) -> None:
    text = STARTER_RULE.replace('text = "去别家"', 'text = "别家问问"')
    text = text.replace(
        'phrases = ["去别家", "找别家", "去其他家"]', 'phrases = ["去别家"]\nexceptions = ["回家"]'
    )
    write(tmp_path / "ours" / "custom" / "r.toml", text)
    rule = Path("ours", "custom", "r.toml")
    code, out, _ = run("test-rules", "ours", "--no-traditional")
    assert code == 1
    assert out.splitlines() == [
        f"FAIL {rule} [CU001]: exception '回家' overlaps no phrase, so it never applies",
        f"FAIL {rule} [CU001] example 1 (flag): expected a finding covering '别家问问', "
        "found '去别家'",
        "    | 坐席：这个我们办不了，您去别家问问吧。",
        "1 rules, 2 examples, 2 runs: 1 passed, 1 failed; 1 data problems",
    ]


def test_a_pack_that_does_not_load_fails(tmp_path: Path) -> None:
    write(
        tmp_path / "ours" / "custom" / "r.toml",
        STARTER_RULE.replace('kind = "phrase"', 'kind = "regex"'),
    )
    code, out, _ = run("test-rules", "ours")
    assert code == 1
    assert out.startswith("FAIL ours/custom/r.toml [CU001]: 'kind' must be one of")


# init


def test_init_writes_a_config_and_a_custom_pack_that_passes_test_rules(tmp_path: Path) -> None:
    code, out, _ = run("init")
    assert code == 0
    assert out.splitlines()[:2] == [
        "wrote replylint.toml",
        "wrote qa-rules/custom/customer-sent-to-competitor.toml",
    ]
    assert (tmp_path / "replylint.toml").read_text(encoding="utf-8") == STARTER_CONFIG
    assert run("test-rules", "qa-rules")[0:2] == (
        0,
        "1 rules, 2 examples, 4 runs: 4 passed, 0 failed; 0 data problems\n",
    )


def test_init_keeps_existing_settings_writes_the_missing_pack_and_says_so(
    tmp_path: Path,
) -> None:
    write(tmp_path / "replylint.toml", "# mine\n")
    code, out, _ = run("init")
    assert code == 0
    assert out.splitlines()[:3] == [
        "wrote qa-rules/custom/customer-sent-to-competitor.toml",
        "kept replylint.toml (already there)",
        'to do: replylint.toml does not load qa-rules/: add "qa-rules" to its extra_packs',
    ]
    assert (tmp_path / "replylint.toml").read_text(encoding="utf-8") == "# mine\n"
    assert run("test-rules", "qa-rules")[0] == 0
    code, out, _ = run("init")
    assert (code, out.splitlines()[:2]) == (
        0,
        ["kept replylint.toml (already there)", "kept qa-rules/custom (already there)"],
    )


def test_init_keeps_a_pack_and_settings_in_pyproject_and_writes_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "qa-rules" / "custom" / "ours.toml", "# ours\n")
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nextra_packs = ["qa-rules"]\n')
    code, out, _ = run("init")
    assert (code, out.splitlines()[:2]) == (
        0,
        ["kept pyproject.toml (already there)", "kept qa-rules/custom (already there)"],
    )
    assert not (tmp_path / "replylint.toml").exists()  # it would hide the pyproject's table
    assert sorted(p.name for p in (tmp_path / "qa-rules" / "custom").iterdir()) == ["ours.toml"]
    (tmp_path / "pyproject.toml").unlink()
    code, out, _ = run("init")
    assert out.splitlines()[:2] == ["wrote replylint.toml", "kept qa-rules/custom (already there)"]


SECOND_RULE = """\
code = "CU002"
name = "product-called-useless"
kind = "pattern"
severity = "error"
message = "贬低自家产品。"
suggestion = "说明产品能做什么，再给出替代方案。"
description = "坐席说我们的产品……没用/不行。"
source = "公司质检手册 3.2"
patterns = ["我们(的|家)…{0,6}(没用|不行)"]

[[examples]]
flag = "坐席：说实话我们的套餐就是不行。"
text = "我们的套餐就是不行"

[[examples]]
pass = "坐席：我们的套餐可以随时升级。"
"""


def test_a_custom_pack_with_two_rules_from_init_to_findings(tmp_path: Path) -> None:
    run("init")
    write(tmp_path / "qa-rules" / "custom" / "product-called-useless.toml", SECOND_RULE)
    assert run("test-rules")[0] == 0  # the bundled packs and the configured one
    call = "坐席：我们的宽带就是不行，您去别家吧。\n"  # a reply: no greeting, no goodbye
    code, out, _ = run("check", "--pack", "custom", "-f", "jsonl", "-q", "-", stdin=call)
    assert code == 1
    assert [(r["rule"], r["text"], r["pack"]) for r in map(json.loads, out.splitlines())] == [
        ("CU002", "我们的宽带就是不行", "custom"),
        ("CU001", "去别家", "custom"),
    ]
    config = (tmp_path / "replylint.toml").read_text(encoding="utf-8")
    write(tmp_path / "replylint.toml", config + '\nignore = ["CU001"]\n')
    out = run("check", "--pack", "custom", "-f", "jsonl", "-q", "-", stdin=call)[1]
    assert [json.loads(line)["rule"] for line in out.splitlines()] == ["CU002"]


def test_the_test_pack_folder_can_be_copied_in_as_extra_packs(tmp_path: Path) -> None:
    shutil.copytree(TEST_PACKS, tmp_path / "packs")
    write(tmp_path / "replylint.toml", 'extra_packs = ["packs"]\nselect = ["example-etiquette"]\n')
    code, out, _ = run("check", "-f", "jsonl", "-q", "-", stdin="坐席：喂？\n客户：你好\n")
    assert code == 1
    assert [json.loads(line)["rule"] for line in out.splitlines()] == ["XT001", "XT003"]
