"""Packs shipped as Python packages: found through the ``replylint.packs`` entry points.

Each test installs a tiny pack distribution the way pip leaves one on disk (a package and a
``.dist-info`` with ``entry_points.txt``) in a temporary folder put on ``sys.path``: no
network and no pip, and ``importlib.metadata`` finds it like any installed package.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint.cli import app
from replylint.packs import PackError, bundled_rules_dir, entry_point_dirs, load_packs
from replylint.run.config import load_settings

runner = CliRunner()

RULE = """\
code = "AC001"
name = "product-called-junk"
kind = "phrase"
severity = "error"
message = "Do not call the product junk."
suggestion = "Describe the fault instead."
description = "The agent calls the product 破烂."
source = "Acme QA handbook"
phrases = ["破烂货"]

[[examples]]
flag = "坐席：这就是个破烂货。"
text = "破烂货"

[[examples]]
pass = "客户：这就是个破烂货。"
"""


def install_pack(
    site: Path, monkeypatch: pytest.MonkeyPatch, *, package: str, target: str, rule: str = RULE
) -> Path:
    """Lay out ``package`` with the pack ``acme/`` under ``package/rules`` and register the
    entry point ``acme = {package}:{target}``; returns the rules folder."""
    rules = site / package / "rules"
    (rules / "acme").mkdir(parents=True)
    (rules / "acme" / "product-called-junk.toml").write_text(rule, encoding="utf-8")
    (site / package / "__init__.py").write_text(
        "from pathlib import Path\n\n"
        'RULES = str(Path(__file__).parent / "rules")\n\n\n'
        "def rules() -> Path:\n"
        '    return Path(__file__).parent / "rules"\n',
        encoding="utf-8",
    )
    dist_info = site / f"{package}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        f"[replylint.packs]\nacme = {package}:{target}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    return rules


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")  # no configuration from the repository applies


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("target", ["RULES", "rules"])  # a folder, or a callable giving one
def test_an_installed_pack_is_listed_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    package = f"acme_packs_{target}"  # a module name no other test imports
    rules = install_pack(tmp_path / "site", monkeypatch, package=package, target=target)
    assert entry_point_dirs() == [rules]
    assert load_settings().rule_roots() == [bundled_rules_dir(), rules]
    code, out, _ = run("rules", "--pack", "acme")
    assert (code, [line.split() for line in out.splitlines()[1:]]) == (
        0,
        [["AC001", "product-called-junk", "acme", "phrase", "error", "yes"]],
    )
    reply = "坐席：这就是个破烂货，我不知道。\n"  # a reply: no opening or goodbye to check
    packs = ("--pack", "acme", "--pack", "forbidden-phrases")
    code, out, _ = run("check", *packs, "-f", "jsonl", "-q", "-", stdin=reply)
    assert code == 1
    assert [(f["rule"], f["text"], f["pack"]) for f in map(json.loads, out.splitlines())] == [
        ("AC001", "破烂货", "acme"),
        ("FP005", "我不知道", "forbidden-phrases"),
    ]
    code, out, _ = run("test-rules", "--no-traditional")
    rule_count = len(load_packs()) + 1  # the installed pack's
    examples = sum(len(rule.info.examples) for rule in load_packs()) + 2
    assert (code, out) == (
        0,
        f"{rule_count} rules, {examples} examples, {examples} runs: {examples} passed, 0 failed; "
        "0 data problems\n",
    )


def test_entry_points_can_be_switched_off_by_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pack(tmp_path / "site", monkeypatch, package="acme_packs_off", target="RULES")
    (tmp_path / "work" / "replylint.toml").write_text("entry_points = false\n", encoding="utf-8")
    settings = load_settings()
    assert settings.rule_roots() == [bundled_rules_dir()]
    assert settings.origin("entry_points") == str(tmp_path / "work" / "replylint.toml")
    code, _, err = run("rules", "--pack", "acme")
    assert (code, err) == (2, "error: unknown pack 'acme'\n")
    code, out, _ = run("check", "--show-settings")
    assert f"entry_points = false  # {tmp_path / 'work' / 'replylint.toml'}" in out.splitlines()


def test_a_code_taken_by_an_installed_pack_and_an_extra_pack_names_both_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = install_pack(tmp_path / "site", monkeypatch, package="acme_packs_dup", target="RULES")
    ours = tmp_path / "work" / "ours" / "ours"
    ours.mkdir(parents=True)
    (ours / "junk.toml").write_text(
        RULE.replace("product-called-junk", "goods-called-junk"), encoding="utf-8"
    )
    (tmp_path / "work" / "replylint.toml").write_text('extra_packs = ["ours"]\n', encoding="utf-8")
    code, _, err = run("rules")
    assert code == 2
    assert err == (
        f"error: {ours / 'junk.toml'}: code 'AC001' already used in "
        f"{rules / 'acme' / 'product-called-junk.toml'}\n"
    )


def test_an_entry_point_that_gives_no_folder_is_a_pack_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pack(tmp_path / "site", monkeypatch, package="acme_packs_bad", target="MISSING")
    with pytest.raises(PackError) as caught:
        entry_point_dirs()
    assert caught.value.problems == (
        "entry point 'acme = acme_packs_bad:MISSING' (replylint.packs): "
        "AttributeError: module 'acme_packs_bad' has no attribute 'MISSING'",
    )
    code, _, err = run("rules")
    assert (code, err) == (2, f"error: {caught.value.problems[0]}\n")


def test_a_bad_entry_points_setting_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "work" / "replylint.toml"
    config.write_text('entry_points = "no"\n', encoding="utf-8")
    code, _, err = run("rules")
    assert (code, err) == (2, f"error: {config}: 'entry_points': must be true or false, got 'no'\n")
