"""Docs generated from data stay in step with it; the README's commands are the real ones."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import load_packs, load_settings
from replylint.cli import app, help_reference
from replylint.engine.ruletest import check_rules
from replylint.packs import load_pack_folders
from replylint.packs.docs import pages, write_pages

ROOT = Path(__file__).parent.parent


def test_rule_docs_are_generated_from_the_packs() -> None:
    """docs/rules.md and one page per pack under docs/rules/, and no page of a lost pack."""
    loaded = load_pack_folders()
    expected = pages(loaded.rules, loaded.packs)
    on_disk = {"rules.md": (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")}
    on_disk |= {
        f"rules/{page.name}": page.read_text(encoding="utf-8")
        for page in (ROOT / "docs" / "rules").glob("*.md")
    }
    assert on_disk == expected, (
        "rule docs are stale: run python -m replylint.packs.docs --write docs"
    )


def test_the_rule_docs_are_linked_and_the_pages_can_be_written(tmp_path: Path) -> None:
    rules = load_packs()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "gone-pack.md").write_text("old", encoding="utf-8")
    written = write_pages(rules, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(pages(rules))
    assert not (tmp_path / "rules" / "gone-pack.md").exists()
    index = (tmp_path / "rules.md").read_text(encoding="utf-8")
    assert "| [FP012](rules/forbidden-phrases.md#fp012-statement-called-impossible) |" in index
    page = (tmp_path / "rules" / "forbidden-phrases.md").read_text(encoding="utf-8")
    assert "\n### FP012 statement-called-impossible\n" in page
    assert "- [FP012 statement-called-impossible](#fp012-statement-called-impossible)" in page


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash|console)\n(.*?)```", quick_start, re.DOTALL)
    lines = [line for block in commands for line in block.strip().splitlines()]
    assert len(lines) == 2, lines
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci
    assert "replylint check corpus/" in lines[0]


def test_the_readme_test_command_runs_the_suite_on_every_core() -> None:
    """pytest-xdist spreads the tests over the cores; CI runs the README's command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[dev]' && pytest -n auto\n" in readme
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev = pyproject["project"]["optional-dependencies"]["dev"]
    assert any(requirement.startswith("pytest-xdist") for requirement in dev)


RULE_FORMAT = ROOT / "docs" / "rule-format.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(section: str | None = None) -> list[tuple[str, str]]:
    """(language, text) of each fenced block of docs/rule-format.md, or of one section."""
    text = RULE_FORMAT.read_text(encoding="utf-8")
    if section is not None:
        text = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(text)


def walkthrough() -> list[tuple[str, str, str | None]]:
    """The blocks of the five steps that do something (write a file, run a command), each
    command with the output block shown after it, if any."""
    steps: list[tuple[str, str, str | None]] = []
    for language, text in blocks("Your own pack in five steps"):
        is_output = language == "text" and not text.startswith("# file: ")
        if is_output and steps and steps[-1][0] == "sh":
            steps[-1] = (steps[-1][0], steps[-1][1], text)
        else:
            steps.append((language, text, None))
    return steps


def test_the_five_steps_of_rule_format_md_work_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are written, commands run, and each command's shown output is its real output."""
    monkeypatch.chdir(tmp_path)
    commands = 0
    for language, text, output in walkthrough():
        if text.startswith("# file: "):
            name, _, body = text.partition("\n")
            target = tmp_path / name.removeprefix("# file: ")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            continue
        args = shlex.split(text)
        assert (language, args[0]) == ("sh", "replylint")
        result = CliRunner().invoke(app, args[1:])
        assert result.exit_code in (0, 1), result.output
        assert output is None or result.stdout == output
        commands += 1
    assert commands == 3


def test_every_rule_and_setting_shown_in_rule_format_md_loads(tmp_path: Path) -> None:
    rules = [
        text for language, text in blocks() if language == "toml" and "\ncode = " in f"\n{text}"
    ]
    assert len(rules) == 8
    pack = tmp_path / "doc-examples"
    pack.mkdir()
    for number, text in enumerate(rules):
        (pack / f"rule{number}.toml").write_text(text, encoding="utf-8")
    result = check_rules(load_packs([pack]))
    assert (result.passed, result.lines()[-1]) == (
        True,
        "8 rules, 16 examples, 32 runs: 32 passed, 0 failed; 0 data problems",
    )
    ((_, config),) = [b for b in blocks("Configuration") if b[1].startswith("# replylint.toml")]
    (tmp_path / "qa-rules").mkdir()
    (tmp_path / "replylint.toml").write_text(config, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert (settings.ignore, settings.score.pass_mark) == (("no-time-commitment", "FP009"), 85)
    assert (settings.profile, dict(settings.limits())) == ("power", {"TM001": 8, "CM001": 45})


def test_the_cli_reference_is_generated_from_help() -> None:
    expected = help_reference()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == expected, (
        "docs/cli.md is stale: run python -m replylint.cli > docs/cli.md"
    )
    for command in ("check", "report", "rules", "explain", "test-rules", "init"):
        assert f"\n## replylint {command}\n" in expected
    assert "--write-baseline" in expected


def test_the_quality_page_and_readme_section_are_current() -> None:
    """docs/quality.md and the README's figures hold what the packs score on the eval set today."""
    from replylint import quality  # noqa: PLC0415 - lints the whole evaluation set

    measured, before = quality.evaluations(), quality.before_figures()
    page = (quality.ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    regenerate = "regenerate: python -m replylint.quality --write docs"
    assert page == quality.render(measured, before), regenerate
    readme = quality.README.read_text(encoding="utf-8")
    assert quality.readme_section(measured, before) in readme, regenerate
