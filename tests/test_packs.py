"""Strict pack loading: every problem, with its file and rule, reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint import PackError, load_packs
from replylint.kinds.base import Boundary
from replylint.kinds.phrase import PhraseRule
from replylint.model import Role, Severity
from replylint.packs import bundled_rules_dir

GOOD_RULE = """
code = "XX001"
name = "thing-said"
kind = "phrase"
severity = "warning"
message = "m"
suggestion = "s"
description = "d"
source = "seed 003"
phrases = ["不行"]

[[examples]]
flag = "坐席：不行"

[[examples]]
pass = "坐席：可以"
"""


def write_pack(root: Path, pack: str, **files: str) -> Path:
    folder = root / pack
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> tuple[str, ...]:
    with pytest.raises(PackError) as caught:
        load_packs([root])
    return caught.value.problems


def test_a_good_rule_loads_as_a_plain_record(tmp_path: Path) -> None:
    (rule,) = load_packs([write_pack(tmp_path, "custom", thing=GOOD_RULE)])
    assert isinstance(rule, PhraseRule)
    assert (rule.info.code, rule.info.pack, rule.info.severity) == (
        "XX001",
        "custom",
        Severity.WARNING,
    )
    assert (rule.roles, rule.phrases, rule.options.boundary) == (
        frozenset({Role.AGENT}),
        ("不行",),
        Boundary.NONE,
    )


def test_every_problem_is_reported_at_once_with_its_file(tmp_path: Path) -> None:
    bad = GOOD_RULE.replace('severity = "warning"', 'severity = "fatal"\ncolour = "red"')
    bad = bad.replace('phrases = ["不行"]', 'phrases = ["不行", "，。", 3]')
    found = problems(write_pack(tmp_path, "custom", bad=bad))
    assert len(found) == 4
    assert all(p.startswith(str(tmp_path / "custom" / "bad.toml") + " [XX001]: ") for p in found)
    text = "\n".join(found)
    assert "unknown key 'colour'" in text
    assert "'severity' must be one of error, warning, info; got 'fatal'" in text
    assert "'，。' can never match" in text
    assert "3 is not a string" in text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('phrases = ["不行"]', "phrases = []"), "'phrases' must not be empty"),
        (('phrases = ["不行"]', 'phrases = "不行"'), "'phrases' must be list, got str"),
        (('kind = "phrase"', 'kind = "regex"'), "'kind' must be one of phrase, response"),
        (('code = "XX001"', 'code = "x1"'), "code 'x1' must look like AB123"),
        (('name = "thing-said"', 'name = "Thing Said"'), "must be lower-case words"),
        (('message = "m"', 'message = "  "'), "'message' must not be blank"),
        (
            ('phrases = ["不行"]', 'phrases = ["不行", "不 行"]'),
            "the same as '不行' after normalisation",
        ),
        (("[[examples]]\npass", "[[examples]]\nflag"), "needs at least one 'pass' example"),
        (
            ('flag = "坐席：不行"', 'flag = "坐席：不行"\ntext = "可以"'),
            "'text' must be part of a 'flag'",
        ),
        (('source = "seed 003"\n', ""), "missing key 'source'"),
    ],
)
def test_each_kind_of_mistake_is_named(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    assert edit[0] in GOOD_RULE
    found = problems(write_pack(tmp_path, "custom", bad=GOOD_RULE.replace(*edit, 1)))
    assert any(message in p for p in found), found


def test_a_response_rule_must_be_satisfiable(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('kind = "phrase"', 'kind = "response"').replace(
        'phrases = ["不行"]',
        'trigger_roles = ["customer"]\ntriggers = ["投诉"]\nresponse_roles = ["agent"]\nwindow = 0',
    )
    found = "\n".join(problems(write_pack(tmp_path, "custom", r=rule)))
    assert "needs 'responses' or 'response_detector'" in found
    assert "'window' must be at least 1" in found


def test_duplicate_codes_across_packs_name_both_files(tmp_path: Path) -> None:
    write_pack(tmp_path, "one", a=GOOD_RULE)
    write_pack(tmp_path, "two", b=GOOD_RULE.replace("thing-said", "other-thing"))
    (found,) = problems(tmp_path)
    assert "code 'XX001' already used in" in found
    assert "one/a.toml" in found
    assert "two/b.toml" in found


def test_broken_toml_is_reported_not_raised(tmp_path: Path) -> None:
    (found,) = problems(write_pack(tmp_path, "custom", broken='code = "XX001'))
    assert found.startswith(str(tmp_path / "custom" / "broken.toml"))


def test_selecting_packs_and_unknown_packs(tmp_path: Path) -> None:
    bundled = bundled_rules_dir()
    assert {r.info.pack for r in load_packs([bundled], packs=["blame-shifting"])} == {
        "blame-shifting"
    }
    with pytest.raises(PackError, match="unknown pack 'no-such-pack'"):
        load_packs([bundled], packs=["no-such-pack"])
    with pytest.raises(PackError, match="not a folder"):
        load_packs([tmp_path / "missing"])
