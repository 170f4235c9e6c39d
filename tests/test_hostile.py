"""Hostile packs and settings: huge lists, pathological patterns, deep nesting, gigantic
files, wrong types everywhere, absurd numbers. Each loads and stays linear, or fails with
a clear error naming the file; none raises anything else. Nothing in them is ever run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from replylint import PROFILES, Linter, PackError, Role, Transcript, Turn, load_packs
from replylint.cli import app
from replylint.kinds import KINDS
from replylint.kinds.phrase import PhraseRule
from replylint.kinds.response import MAX_WINDOW
from replylint.output.jsonl import jsonl_block
from replylint.output.reports import render_html
from replylint.output.text import text_block
from replylint.packs.datafile import (
    MAX_BYTES,
    MAX_KEY_PARTS,
    NotRegularFileError,
    read_regular_file,
)
from replylint.packs.profiles import load_profiles
from replylint.packs.schema import rule_keys
from replylint.run import config
from replylint.run.config import ConfigError, load_settings
from replylint.run.result import Result
from replylint.text.normalize import MAX_PHRASE_LENGTH, phrase_variants
from replylint.text.pattern import MAX_GAP, MAX_PARTS
from tests.conftest import dialogue
from tests.test_packs import GOOD_RULE, problems, write_pack

RULE = {
    "code": "XX001",
    "name": "thing-said",
    "kind": "phrase",
    "severity": "warning",
    "message": "m",
    "suggestion": "s",
    "description": "d",
    "source": "seed 003",
    "phrases": ["不行"],
    "examples": [{"flag": "坐席：不行"}, {"pass": "坐席：可以"}],
}


def toml_value(value: object) -> str:
    """A TOML spelling of a value (enough for these tests; strings as JSON strings)."""
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return toml_scalar(value)


def toml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def toml_document(table: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(key)} = {toml_value(value)}\n" for key, value in table.items())


def rule_file(tmp_path: Path, text: str) -> Path:
    return write_pack(tmp_path / "packs", "custom", rule=text)


def rule_with(before: str, after: str) -> str:
    assert before in GOOD_RULE
    return GOOD_RULE.replace(before, after)


def load_error(tmp_path: Path, text: str) -> str:
    """The one problem a hostile rule file gives; it names the file."""
    (problem,) = problems(rule_file(tmp_path, text))
    assert problem.startswith(str(tmp_path / "packs" / "custom" / "rule.toml"))
    return problem


# --------------------------------------------------------------------------- huge lists


PHRASES = 200_000


def numbered_phrase(number: int) -> str:
    return f"工单{number:06d}号"


def test_a_pack_of_200000_phrases_loads_and_finds_exactly_the_phrases_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    phrases = ", ".join(f'"{numbered_phrase(n)}"' for n in range(PHRASES))
    root = rule_file(tmp_path, rule_with('phrases = ["不行"]', f"phrases = [{phrases}]"))
    (rule,) = load_packs([root])
    assert isinstance(rule, PhraseRule)
    assert len(rule.phrases) == PHRASES
    compiled: list[str] = []  # the work of compiling is per phrase: once each
    variants = phrase_variants

    def counted(phrase: str) -> frozenset[str]:
        compiled.append(phrase)
        return variants(phrase)

    monkeypatch.setattr("replylint.engine.linter.phrase_variants", counted)
    linter = Linter([rule])  # its automata are built on first need
    present = [numbered_phrase(n) for n in (0, 123_456, PHRASES - 1)]
    text = "您的" + "，还有".join(present) + "，以及工单200000号和工单12345号都在处理"
    assert [f.text for f in linter.lint(text)] == present
    assert [f.text for f in linter.lint(text)] == present
    assert len(compiled) == PHRASES


def test_a_duplicate_at_the_end_of_a_huge_list_is_the_one_problem(tmp_path: Path) -> None:
    phrases = ", ".join(f'"{numbered_phrase(n)}"' for n in (*range(50_000), 7))
    problem = load_error(tmp_path, rule_with('phrases = ["不行"]', f"phrases = [{phrases}]"))
    assert problem.endswith(
        "'phrases': '工单000007号' is the same as '工单000007号' after normalisation"
    )


def test_a_phrase_of_a_million_characters_is_a_load_error(tmp_path: Path) -> None:
    problem = load_error(tmp_path, rule_with('"不行"]', f'"{"不行" * 500_000}"]'))
    reason = f"is longer than {MAX_PHRASE_LENGTH} characters"
    assert problem.endswith(f"[XX001]: 'phrases': '不行不行不行不行不行不行'… {reason}")


def test_a_repetitive_phrase_of_the_longest_length_finds_every_occurrence(
    tmp_path: Path,
) -> None:
    phrase = "不行" * (MAX_PHRASE_LENGTH // 2)
    (rule,) = load_packs([rule_file(tmp_path, rule_with('"不行"]', f'"{phrase}"]'))])
    text = "不行" * 50_000  # 500 phrases end to end, and a match could start anywhere
    findings = Linter([rule]).lint(text)
    assert [(f.start, f.end) for f in findings] == [
        (start, start + MAX_PHRASE_LENGTH) for start in range(0, len(text), MAX_PHRASE_LENGTH)
    ]


# --------------------------------------------------------------------------- patterns

PATTERN_RULE = rule_with('kind = "phrase"', 'kind = "pattern"')


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("…".join(["好的"] * (MAX_PARTS + 1)), f"{MAX_PARTS + 1} parts: at most {MAX_PARTS}"),
        (f"是您…{{0,{MAX_GAP + 1}}}的问题", f"at most {MAX_GAP} characters"),
        ("是您…{0," + "9" * 5000 + "}的问题", f"at most {MAX_GAP} characters"),
        ("是您…{" + "9" * 5000 + ",1}的问题", f"at most {MAX_GAP} characters"),
        ("((这|那)|哪)个问题", "brackets must close and cannot nest"),
        ("(" * 5000 + "问题" + ")" * 5000, "brackets must close and cannot nest"),
    ],
    ids=[
        "too-many-parts",
        "gap-too-long",
        "gap-of-5000-digits",
        "least-of-5000-digits",
        "nested-alternatives",
        "5000-deep-brackets",
    ],
)
def test_a_pathological_pattern_is_a_load_error_naming_file_and_rule(
    tmp_path: Path, pattern: str, reason: str
) -> None:
    problem = load_error(
        tmp_path, PATTERN_RULE.replace('phrases = ["不行"]', f'patterns = ["{pattern}"]')
    )
    assert "[XX001]: 'patterns': " in problem
    assert reason in problem


def test_a_pattern_of_20000_alternatives_loads_and_matches(tmp_path: Path) -> None:
    group = "|".join(numbered_phrase(n) for n in range(20_000))
    text = PATTERN_RULE.replace('phrases = ["不行"]', f'patterns = ["({group})…{{0,3}}不行"]')
    (rule,) = load_packs([rule_file(tmp_path, text)])
    (finding,) = Linter([rule]).lint("工单019999号真的不行")
    assert finding.text == "工单019999号真的不行"


def test_a_response_window_beyond_the_limit_is_a_load_error(tmp_path: Path) -> None:
    text = rule_with('kind = "phrase"', 'kind = "response"').replace(
        'phrases = ["不行"]',
        'trigger_roles = ["customer"]\ntriggers = ["投诉"]\nresponse_roles = ["agent"]\n'
        f'responses = ["抱歉"]\nwindow = {2**63 - 1}',
    )
    problem = load_error(tmp_path, text)
    assert problem.endswith(f"[XX001]: 'window' must be at most {MAX_WINDOW} turns")


# --------------------------------------------------------------------------- deep nesting


@pytest.mark.parametrize(
    ("nesting", "reason"),
    [
        ("phrases = " + "[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ("x = " + "{a = " * 10_000 + "1" + "}" * 10_000, "nested too deeply"),
        (".".join(["a"] * 3000) + " = 1", f"more than {MAX_KEY_PARTS} dotted parts"),
        ("[" + ".".join(['"a"'] * 3000) + "]", f"more than {MAX_KEY_PARTS} dotted parts"),
        ("[[" + " . ".join(["a"] * 3000) + "]]", f"more than {MAX_KEY_PARTS} dotted parts"),
        ("x = {" + ".".join(["a"] * 3000) + " = 1}", f"more than {MAX_KEY_PARTS} dotted parts"),
        ("x = " + "9" * 5000, "an integer of more than 4300 digits"),
    ],
    ids=[
        "arrays",
        "inline-tables",
        "dotted-key",
        "quoted-table-header",
        "array-of-tables",
        "inline-dotted-key",
        "5000-digit-integer",
    ],
)
def test_deep_nesting_and_long_keys_are_a_clean_error(
    tmp_path: Path, nesting: str, reason: str
) -> None:
    """tomllib recurses on nesting (RecursionError), and its time and memory grow with the
    square of a key's parts: a 100,000-part key, 200 kB of text, takes gigabytes."""
    rule = rule_with('phrases = ["不行"]', 'phrases = ["不行"]\n' + nesting)
    assert reason in load_error(tmp_path, rule)
    config = tmp_path / "replylint.toml"
    config.write_text(nesting + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(explicit_path=config)
    (problem,) = caught.value.problems
    assert problem.startswith(str(config))
    assert reason in problem


def test_dotted_keys_and_dots_in_strings_within_the_limit_load(tmp_path: Path) -> None:
    dots = ".".join(["a"] * MAX_KEY_PARTS)
    text = rule_with(
        'description = "d"',
        f'description = "{"。. " * 100}" # {"." * 100}\n',
    ).replace('phrases = ["不行"]', f'phrases = ["不行", "{dots}"]')
    (rule,) = load_packs([rule_file(tmp_path, text)])
    assert isinstance(rule, PhraseRule)
    assert rule.phrases == ("不行", dots)
    config = tmp_path / "replylint.toml"
    config.write_text(f"{dots} = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings(explicit_path=config)  # read, then refused for its key: not a crash


# --------------------------------------------------------------------------- gigantic files


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    root = rule_file(tmp_path, GOOD_RULE)
    with (root / "custom" / "rule.toml").open("ab") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: cheap to make, and refused before parsing
    (problem,) = problems(root)
    assert problem.endswith("rule.toml: larger than 32 MB")


def test_a_rule_file_that_is_an_endless_device_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "packs" / "custom"
    folder.mkdir(parents=True)
    (folder / "rule.toml").symlink_to("/dev/zero")
    (problem,) = problems(tmp_path / "packs")
    assert "rule.toml: not a regular file" in problem


def test_a_named_pipe_in_a_pack_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Issue 16, item 19: opening a pipe with no writer waited forever."""
    folder = tmp_path / "packs" / "custom"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "rule.toml")
    os.mkfifo(folder / "pack.toml")
    found = problems(tmp_path / "packs")
    assert [p.split(": ", 1)[0] for p in found] == [
        str(folder / "pack.toml"),
        str(folder / "rule.toml"),
    ]
    assert all("not a regular file" in p for p in found)


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_data_file_that_is_not_a_regular_file_is_refused_before_it_is_read(
    tmp_path: Path, kind: str
) -> None:
    """Issue 16, item 19, for what a user names as data (a baseline, verdicts): a named
    pipe waited forever, /dev/zero ran out of memory."""
    path = tmp_path / "baseline.json"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(NotRegularFileError):
        read_regular_file(path, 1 << 20)
    regular = tmp_path / "verdicts.tsv"
    regular.write_bytes(b"a\tb\n")
    assert read_regular_file(regular, 1 << 20) == b"a\tb\n"


# --------------------------------------------------------------------------- wrong types

toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.dates(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=12,
)
# Every key any kind takes, and one no kind takes.
RULE_KEYS = sorted(
    {*RULE, "rationale", "unknown", *(k for kind in KINDS.values() for k in rule_keys(kind.record))}
)
# Every setting and an unknown one; not extra_packs: a random folder name could be ".."
# and load every pack around.
SETTING_KEYS = sorted({*config._KEYS, "unknown"} - {"extra_packs"})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(st.sampled_from(RULE_KEYS), toml_values, min_size=1, max_size=6),
    kind=st.sampled_from(list(KINDS)),
)
def test_a_rule_with_wrong_types_anywhere_loads_or_is_refused_with_its_file(
    tmp_path: Path, changes: dict[str, object], kind: str
) -> None:
    root = rule_file(tmp_path, toml_document({**RULE, "kind": kind, **changes}))
    assert all(p.startswith(str(root / "custom" / "rule.toml")) for p in load_problems(root))


def load_problems(root: Path) -> tuple[str, ...]:
    """The problems loading the packs under ``root`` gives; what loads must also lint."""
    try:
        rules = load_packs([root])
    except PackError as error:
        return error.problems
    Linter(rules).lint(TIMED_CALL)
    return ()


# Spoken turns with ASR times, for the kinds that look at them.
TIMED_CALL = Transcript(
    "timed", (Turn(Role.CUSTOMER, "我要投诉", 0, 1500), Turn(Role.AGENT, "不行", 9000, 9600))
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.dictionaries(st.sampled_from(SETTING_KEYS), toml_values, min_size=1, max_size=4),
    score=st.dictionaries(
        st.sampled_from(
            [
                "pass_mark",
                "severity_weights",
                "rule_weights",
                "veto_rules",
                "per_rule_cap",
                "unknown",
            ]
        ),
        toml_values,
        max_size=3,
    ),
)
def test_settings_with_wrong_types_anywhere_load_or_are_refused_with_their_file(
    tmp_path: Path, table: dict[str, object], score: dict[str, object]
) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text(toml_document({**table, "score": score}), encoding="utf-8")
    assert all(p.startswith(str(config)) for p in settings_problems(config))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.dictionaries(
        st.sampled_from(["prefix", "title", "phrase_exceptions", "unknown"]),
        toml_values,
        max_size=4,
    ),
    markers=st.dictionaries(st.sampled_from(["after", "before", "unknown"]), toml_values),
)
def test_a_pack_file_with_wrong_types_anywhere_loads_or_is_refused_with_its_folder(
    tmp_path: Path, table: dict[str, object], markers: dict[str, object]
) -> None:
    root = rule_file(tmp_path, toml_document(RULE))
    document = toml_document(table)
    if markers and "phrase_exceptions" not in table:
        document += "[phrase_exceptions]\n" + toml_document(markers)
    (root / "custom" / "pack.toml").write_text(document, encoding="utf-8")
    assert all(p.startswith(str(root / "custom")) for p in load_problems(root))


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tables=st.dictionaries(
        st.sampled_from([*PROFILES, "retail"]),
        st.dictionaries(st.sampled_from(["title", "thresholds", "ignore", "unknown"]), toml_values),
        max_size=6,
    )
)
def test_a_profiles_file_with_wrong_types_anywhere_loads_or_is_refused_with_its_name(
    tmp_path: Path, tables: dict[str, dict[str, object]]
) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        "".join(f"[{name}]\n{toml_document(table)}" for name, table in tables.items()),
        encoding="utf-8",
    )
    assert all(p.startswith(str(path)) for p in profile_problems(path))


def profile_problems(path: Path) -> tuple[str, ...]:
    try:
        load_profiles(path)
    except PackError as error:
        return error.problems
    return ()


def settings_problems(config: Path) -> tuple[str, ...]:
    """The problems the settings in ``config`` give, or the packs they then load."""
    try:
        load_settings(explicit_path=config).load_rules()
    except (ConfigError, PackError) as error:
        return error.problems
    return ()


@pytest.mark.parametrize("folders", [5, "packs", [1], ["nowhere"], [""], [[]]])
def test_extra_packs_of_the_wrong_kind_are_errors_naming_file_and_key(
    tmp_path: Path, folders: object
) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text(toml_document({"extra_packs": folders}), encoding="utf-8")
    (problem,) = settings_problems(config)
    assert problem.startswith(f"{config}: 'extra_packs': ")


# --------------------------------------------------------------------------- absurd numbers


@pytest.mark.parametrize(
    ("score", "reason"),
    [
        ("pass_mark = " + "9" * 4000, "pass_mark is far too large a number"),
        ("pass_mark = 1e999", "pass_mark must be between 0 and 100"),
        ("pass_mark = nan", "pass_mark must be between 0 and 100"),
        ("pass_mark = -1", "pass_mark must be between 0 and 100"),
        ("per_rule_cap = -inf", "per_rule_cap must be a finite number >= 0"),
        ("severity_weights = {error = " + "9" * 4000 + "}", "is far too large a number"),
        ("rule_weights = {FP001 = inf}", "must be a finite number >= 0"),
        ("veto_rules = 5", "veto_rules"),
    ],
)
def test_absurd_numbers_in_the_settings_are_errors_naming_file_and_key(
    tmp_path: Path, score: str, reason: str
) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text(f"[score]\n{score}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(explicit_path=config)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{config}: 'score': ")
    assert reason in problem


@pytest.mark.parametrize(
    "option",
    [
        ["--jobs", "0"],
        ["--jobs", "-4"],
        ["--jobs", "100000"],
        ["--pass-mark", "1e999"],
        ["--pass-mark", "-1"],
        ["--pass-mark", "nan"],
    ],
)
def test_absurd_numbers_on_the_command_line_are_usage_errors(option: list[str]) -> None:
    """Refused before anything is linted, by the switch's range (click) or, where an older
    click lets nan through, by the settings' own check: exit 2 and the switch's value named."""
    result = CliRunner().invoke(app, ["check", *option, "corpus"])
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing linted
    switch = option[0].strip("-")  # named as the switch (click) or as the setting
    assert switch in result.stderr or switch.replace("-", "_") in result.stderr


def test_every_unknown_selector_of_100000_is_named(tmp_path: Path) -> None:
    config = tmp_path / "replylint.toml"
    selectors = [f"ZZ{n:05d}" for n in range(100_000)]
    config.write_text(toml_document({"ignore": selectors}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(explicit_path=config).load_rules()
    assert len(caught.value.problems) == 100_000
    assert caught.value.problems[-1].endswith("'ZZ99999' matches no rule code, code prefix or pack")


# --------------------------------------------------------------------------- nothing runs

PAYLOADS = [
    "__import__('pathlib').Path({marker!r}).touch()",
    "{{0.__class__.__mro__}}",
    "$(touch {marker})",
    "`touch {marker}`",
    "%(marker)s ${{HOME}}",
]


def test_nothing_in_a_pack_or_settings_is_executed_or_imported(tmp_path: Path) -> None:
    """Strings that look like code stay text, everywhere they go; Python files beside the
    rules are never imported."""
    marker = tmp_path / "ran"
    payloads = [p.format(marker=str(marker)) for p in PAYLOADS]
    text = rule_with('message = "m"', f"message = {json.dumps(' '.join(payloads))}")
    root = rule_file(tmp_path, text)
    for name in ("__init__.py", "rule.py", "conftest.py"):
        (root / "custom" / name).write_text(
            f"import pathlib\npathlib.Path({str(marker)!r}).touch()\n", encoding="utf-8"
        )
    (rule,) = load_packs([root])
    config = tmp_path / "replylint.toml"
    config.write_text(
        toml_document({"extra_packs": ["packs"], "ignore": payloads[:1], "entry_points": False}),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=re.escape(repr(payloads[0]))):
        load_settings(explicit_path=config).load_rules()
    message = " ".join(payloads)
    findings = Linter([rule]).lint("不行")
    assert [f.message for f in findings] == [message]
    result = Result.scored(dialogue(("agent", "不行")), findings)
    assert f"    {message}" in text_block(result, color=False)
    assert [json.loads(line)["message"] for line in jsonl_block(result)] == [message]
    assert html.escape(message) in render_html([result])
    assert not marker.exists()
