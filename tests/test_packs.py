"""Strict pack loading: every problem, with its file and rule, reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint import PackError, load_packs
from replylint.kinds.base import Boundary
from replylint.kinds.occurrence import OccurrenceRule
from replylint.kinds.phrase import PhraseRule
from replylint.model import Role, Severity
from replylint.packs import bundled_rules_dir, load_pack_folders

ROOT = Path(__file__).parent.parent

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


# --------------------------------------------------------------------------- pack.toml

PACK_TOML = 'prefix = "XX"\ntitle = "测试"\n'


def write_pack_file(root: Path, pack: str, text: str) -> None:
    (root / pack).mkdir(parents=True, exist_ok=True)
    (root / pack / "pack.toml").write_text(text, encoding="utf-8")


def test_a_pack_file_gives_the_pack_a_title_and_is_no_rule(tmp_path: Path) -> None:
    write_pack(tmp_path, "custom", thing=GOOD_RULE)
    write_pack_file(tmp_path, "custom", PACK_TOML)
    loaded = load_pack_folders([tmp_path])
    assert [rule.info.code for rule in loaded.rules] == ["XX001"]
    assert (loaded.packs["custom"].prefix, loaded.packs["custom"].title) == ("XX", "测试")


def test_every_code_carries_the_prefix_its_pack_declares(tmp_path: Path) -> None:
    write_pack(tmp_path, "custom", thing=GOOD_RULE)
    write_pack_file(tmp_path, "custom", PACK_TOML.replace('"XX"', '"FP"'))
    (found,) = problems(tmp_path)
    assert found.startswith(str(tmp_path / "custom" / "thing.toml") + " [XX001]: ")
    assert "prefix 'FP'" in found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('prefix = "XX"\n', "missing key 'title'"),
        (PACK_TOML + 'colour = "red"\n', "unknown key 'colour'"),
        (PACK_TOML.replace('"XX"', '"x1"'), "'prefix' 'x1' must be two to four capitals"),
        (PACK_TOML + "[phrase_exceptions]\nafter = [3]\n", "'phrase_exceptions': 'after': 3"),
    ],
)
def test_a_broken_pack_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    write_pack(tmp_path, "custom", thing=GOOD_RULE)
    write_pack_file(tmp_path, "custom", text)
    found = problems(tmp_path)
    assert any(p.startswith(str(tmp_path / "custom" / "pack.toml")) for p in found)
    assert any(message in p for p in found), found


def test_shared_exceptions_are_each_phrase_with_the_declared_words(tmp_path: Path) -> None:
    """What jargon's pack.toml declares once instead of ten exceptions a term by hand."""
    rule = GOOD_RULE.replace(
        'phrases = ["不行"]', 'phrases = ["台区", "互感器"]\nexceptions = ["台区经理"]'
    )
    write_pack(tmp_path, "custom", thing=rule)
    write_pack_file(
        tmp_path,
        "custom",
        PACK_TOML + '[phrase_exceptions]\nafter = ["也就是"]\nbefore = ["所谓"]\n',
    )
    (loaded,) = load_packs([tmp_path])
    assert isinstance(loaded, PhraseRule)
    assert loaded.exceptions == ("台区经理", "台区也就是", "所谓台区", "互感器也就是", "所谓互感器")


def test_shared_exceptions_need_rules_that_have_exceptions(tmp_path: Path) -> None:
    timing = (ROOT / "rules" / "timing" / "reply-delayed.toml").read_text(encoding="utf-8")
    write_pack(tmp_path, "custom", timing=timing.replace('"TM001"', '"XX001"'))
    write_pack_file(tmp_path, "custom", PACK_TOML + '[phrase_exceptions]\nafter = ["也就是"]\n')
    (found,) = problems(tmp_path)
    assert "'phrase_exceptions'" in found


def test_the_bundled_jargon_exceptions_come_from_its_pack_file() -> None:
    jargon = load_pack_folders(packs=["jargon"])
    markers = jargon.packs["jargon"].phrase_exceptions
    assert len(markers.after) + len(markers.before) == 10
    for rule in jargon.rules:
        assert isinstance(rule, OccurrenceRule)
        assert rule.exceptions == tuple(markers.of(list(rule.phrases)))


# --------------------------------------------------------------------------- phrase files


def test_a_long_phrase_list_may_live_in_a_text_file_beside_the_rule(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace('phrases = ["不行"]', 'phrases = { file = "refusals.txt" }')
    write_pack(tmp_path, "custom", thing=rule)
    lines = "# flat refusals\n不行\n\n  没办法  \n# the end\n"
    (tmp_path / "custom" / "refusals.txt").write_text(lines, encoding="utf-8")
    (loaded,) = load_packs([tmp_path])
    assert isinstance(loaded, PhraseRule)
    assert loaded.phrases == ("不行", "没办法")


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ('{ file = "missing.txt" }', "missing.txt"),
        ('{ file = "../rules.txt" }', "must be a .txt file beside the rule"),
        ('{ file = "empty.txt" }', "'phrases' must not be empty"),
        ('{ file = "dup.txt" }', "the same as '不行' after normalisation"),
    ],
)
def test_a_bad_phrase_file_is_named_with_the_rule(
    tmp_path: Path, reference: str, message: str
) -> None:
    write_pack(tmp_path, "custom", thing=GOOD_RULE.replace('["不行"]', reference))
    (tmp_path / "custom" / "empty.txt").write_text("# nothing yet\n", encoding="utf-8")
    (tmp_path / "custom" / "dup.txt").write_text("不行\n不 行\n", encoding="utf-8")
    found = problems(tmp_path)
    assert all(p.startswith(str(tmp_path / "custom" / "thing.toml")) for p in found)
    assert any(message in p for p in found), found


def test_every_bundled_pack_has_a_pack_file_with_a_title() -> None:
    loaded = load_pack_folders()
    assert set(loaded.packs) == {rule.info.pack for rule in loaded.rules}
    assert all(info.title.strip() for info in loaded.packs.values())
