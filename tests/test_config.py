"""Configuration: where it is found, what it selects, how the command line overrides it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import Linter, load_packs
from replylint.cli import app
from replylint.kinds import Rule
from replylint.model import Severity
from replylint.output.settings import describe
from replylint.run.config import (
    CommandLine,
    ConfigError,
    Settings,
    find_config,
    load_settings,
)
from replylint.run.options import Options
from replylint.run.scoring import DEFAULT_CONFIG
from tests.conftest import CONTRACT_RULES

TEST_PACKS = Path(__file__).parent / "data" / "packs"
BUNDLED = load_packs()
runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(settings: Settings, rules: tuple[Rule, ...] = BUNDLED) -> list[str]:
    return sorted(rule.info.code for rule in settings.apply(rules))


# Where settings are found


def test_the_nearest_replylint_toml_above_the_start_folder(tmp_path: Path) -> None:
    config = write(tmp_path / "replylint.toml", 'ignore = ["FP009"]\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b") == config
    settings = load_settings(tmp_path / "a" / "b")
    assert (settings.ignore, settings.config_file) == (("FP009",), config)
    assert settings.origin("ignore") == str(config)
    assert settings.origin("select") == "default"


def test_a_pyproject_counts_only_with_a_tool_replylint_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nselect = ["FP"]\n')
    write(tmp_path / "inner" / "pyproject.toml", "[tool.other]\nx = 1\n")
    assert load_settings(tmp_path / "inner").select == ("FP",)
    write(tmp_path / "inner" / "replylint.toml", 'select = ["BS"]\n')
    assert load_settings(tmp_path / "inner").select == ("BS",)


def test_no_configuration_means_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert (settings.select, settings.score, settings.config_file) == (
        ("ALL",),
        DEFAULT_CONFIG,
        None,
    )


def test_an_explicit_file_wins_and_must_exist(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'select = ["FP"]\n')
    other = write(tmp_path / "elsewhere" / "qa.toml", 'select = ["BS"]\n')
    assert load_settings(tmp_path, other).select == ("BS",)
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path, tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match=r"no \[tool.replylint\] table"):
        load_settings(tmp_path, write(tmp_path / "pyproject.toml", "[tool.other]\n"))


# What settings select


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (Settings(select=("blame-shifting",)), ["BS001", "BS002", "BS003"]),
        (Settings(select=("BS00", "MA001")), ["BS001", "BS002", "BS003", "MA001"]),
        (Settings(select=("BS",), ignore=("BS002",)), ["BS001", "BS003"]),
        (Settings(select=("BS",), extend_select=("NT001",)), ["BS001", "BS002", "BS003", "NT001"]),
        # The most specific selector decides: a code beats its prefix, a prefix its pack.
        (Settings(select=("BS001",), ignore=("blame-shifting",)), ["BS001"]),
        (
            Settings(select=("FP", "BS"), ignore=("FP",), extend_select=("FP003",)),
            ["BS001", "BS002", "BS003", "FP003"],
        ),
        # On a tie, ignore wins.
        (Settings(ignore=("ALL",)), []),
        (Settings(select=("MA001",), ignore=("MA001",)), []),
    ],
)
def test_select_extend_select_and_ignore(settings: Settings, expected: list[str]) -> None:
    assert codes(settings) == expected


def test_a_new_select_drops_the_earlier_ignore_and_extend_select() -> None:
    configured = Settings(ignore=("FP009",), extend_select=("BS001",), select=("FP",))
    assert "FP009" not in codes(configured)
    assert codes(configured.override("command line", select=("FP009",))) == ["FP009"]
    narrowed = configured.override("command line", ignore=("FP005",))
    assert ("FP009" in codes(narrowed), "FP005" in codes(narrowed)) == (True, False)


def test_severity_overrides_change_the_findings() -> None:
    rules = Settings(severity={"FP005": Severity.INFO}).apply(CONTRACT_RULES)
    (finding,) = Linter(rules).lint("这个我不知道")
    assert (finding.rule, finding.severity) == ("FP005", Severity.INFO)


def test_selectors_and_codes_that_name_no_rule_are_errors() -> None:
    settings = Settings(
        select=("FP", "XX"), ignore=("nonsense",), severity={"ZZ001": Severity.INFO}
    )
    with pytest.raises(ConfigError) as caught:
        settings.apply(BUNDLED)
    assert caught.value.problems == (
        "default: 'select': 'XX' matches no rule code, code prefix or pack",
        "default: 'ignore': 'nonsense' matches no rule code, code prefix or pack",
        "default: 'severity': no rule has the code 'ZZ001'",
    )
    close = Settings(select=("FP999",), severity={"fp005": Severity.INFO})
    with pytest.raises(ConfigError) as caught:
        close.apply(BUNDLED)
    assert [problem.rsplit("did you mean ", 1)[1] for problem in caught.value.problems] == [
        "FP009?",
        "FP005, FP010, FP009?",
    ]


def test_extra_packs_are_relative_to_the_config_file(tmp_path: Path) -> None:
    shutil.copytree(TEST_PACKS, tmp_path / "ours")
    write(tmp_path / "replylint.toml", 'extra_packs = ["ours"]\nselect = ["example-etiquette"]\n')
    settings = load_settings(tmp_path)
    assert settings.extra_packs == ((tmp_path / "ours").resolve(),)
    assert [r.info.code for r in settings.load_rules()] == ["XT002", "XT003", "XT001"]
    assert [r.info.code for r in settings.load_rules(packs=["example-etiquette"])] == [
        "XT002",
        "XT003",
        "XT001",
    ]


def test_every_problem_in_a_file_is_reported_with_its_key(tmp_path: Path) -> None:
    config = write(
        tmp_path / "replylint.toml",
        'selct = ["FP"]\nignore = "FP009"\nextra_packs = ["gone"]\nredact = "yes"\n'
        '[severity]\nFP005 = "fatal"\nFP006 = ["info"]\n[score]\npass_mark = 120\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert [p.removeprefix(f"{config}: ") for p in caught.value.problems] == [
        "'selct': unknown setting; expected one of select, extend_select, ignore, extra_packs, "
        "entry_points, redact, profile, channel, min_severity, severity, thresholds, score",
        "'ignore': must be a list of non-empty strings, got 'FP009'",
        f"'extra_packs': 'gone' is not a folder (looked for {tmp_path.resolve() / 'gone'})",
        "'redact': must be true or false, got 'yes'",
        "'severity.FP005': must be one of error, warning, info, got 'fatal'",
        "'severity.FP006': must be one of error, warning, info, got ['info']",
        "'score': pass_mark must be between 0 and 100, got 120",
    ]


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    config = write(tmp_path / "replylint.toml", "select = [\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{config}: ")


def test_overrides_record_where_they_came_from() -> None:
    settings = Settings().override("command line", ignore=("FP009",), select=None)
    settings = settings.override_score("command line", pass_mark=60.0)
    assert (settings.ignore, settings.score.pass_mark) == (("FP009",), 60.0)
    assert [settings.origin(k) for k in ("ignore", "select", "score.pass_mark")] == [
        "command line",
        "default",
        "command line",
    ]


def test_describe_gives_toml_lines_with_their_origins(tmp_path: Path) -> None:
    write(
        tmp_path / "replylint.toml", '[severity]\nNT001 = "info"\n[score]\nveto_rules = ["FP003"]\n'
    )
    config = tmp_path / "replylint.toml"
    lines = describe(load_settings(tmp_path).override("command line", ignore=("MA",)), BUNDLED)
    assert lines[0] == f"# configuration file: {config}"
    assert 'ignore = ["MA"]  # command line' in lines
    assert f'severity = {{ NT001 = "info" }}  # {config}' in lines
    assert f'score.veto_rules = ["FP003"]  # {config}' in lines
    assert "score.pass_mark = 80  # default" in lines
    assert "# score.per_rule_cap is not set  # default" in lines
    total = len(load_packs())
    assert lines[-1].startswith(f"# enabled rules ({total - 1} of {total}): BS001, BS002, BS003")


# The command line


# A whole call, opening and goodbye included, so that only the two forbidden phrases are found.
CALL = (
    "坐席：您好，工号1024，请问有什么可以帮您？\n客户：我家停电了。\n"
    "坐席：这个我不知道，这种问题我们见得多了。\n坐席：请问还有什么可以帮您？\n"
)


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "call.txt", CALL)
    result = runner.invoke(app, ["check", "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


def rules_found(out: str) -> list[str]:
    return [json.loads(line)["rule"] for line in out.splitlines()]


def test_check_uses_the_config_found_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert rules_found(check(tmp_path, monkeypatch, "-f", "jsonl", "call.txt")[1]) == [
        "FP005",
        "FP009",
    ]
    write(tmp_path / "replylint.toml", 'ignore = ["FP009"]\n[score]\npass_mark = 90\n')
    code, out, _ = check(tmp_path, monkeypatch, "-f", "jsonl", "call.txt")
    assert code == 1
    assert [(r["rule"], r["score"], r["passed"]) for r in map(json.loads, out.splitlines())] == [
        ("FP005", 80, False)
    ]


def test_command_line_options_override_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "replylint.toml",
        'ignore = ["FP009"]\n[score]\npass_mark = 90\nfail_on = "score"\n',
    )
    code, out, _ = check(
        tmp_path, monkeypatch, "-f", "jsonl", "--ignore", "FP005", "--pass-mark", "70", "call.txt"
    )
    assert code == 1
    assert [(r["rule"], r["passed"]) for r in map(json.loads, out.splitlines())] == [
        ("FP009", True)
    ]
    assert rules_found(
        check(tmp_path, monkeypatch, "-f", "jsonl", "--select", "FP009,BS", "call.txt")[1]
    ) == ["FP009"]


def test_show_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nignore = ["FP009"]\n')
    code, out, _ = check(tmp_path, monkeypatch, "--show-settings", "--pass-mark", "70")
    assert code == 0
    assert f'ignore = ["FP009"]  # {tmp_path / "pyproject.toml"}' in out.splitlines()
    assert "score.pass_mark = 70  # command line" in out.splitlines()


def test_a_bad_config_is_a_configuration_error_naming_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "qa.toml", 'ignore = ["FP999"]\n')
    code, out, err = check(tmp_path, monkeypatch, "--config", str(config), "call.txt")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {config}: 'ignore': 'FP999' matches no rule code")
    code, _, err = check(tmp_path, monkeypatch, "--veto", "", "call.txt")
    assert code == 2
    assert err.startswith("error: --veto: ")


def test_report_uses_the_settings_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "replylint.toml", 'ignore = ["ALL"]\n')
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "call.txt", CALL)
    result = runner.invoke(app, ["report", "call.txt", "-o", "r.csv", "--quiet"])
    assert result.exit_code == 0
    assert "0 findings" in result.stderr


def test_a_command_line_goes_over_the_file_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "replylint.toml").write_text(
        'ignore = ["FP009"]\n[score]\npass_mark = 70\n', encoding="utf-8"
    )
    given = CommandLine(ignore=["FP005, NT001", "MA"], pass_mark=90.0)
    settings = given.settings(start_dir=tmp_path)
    assert settings.ignore == ("FP005", "NT001", "MA")
    assert settings.score.pass_mark == 90.0
    assert settings.origin("ignore") == settings.origin("score.pass_mark") == "command line"
    assert CommandLine().settings(start_dir=tmp_path).ignore == ("FP009",)
    with pytest.raises(ConfigError):
        CommandLine(profile="no-such-industry").settings(start_dir=tmp_path)


# Every option and setting that names rules: one syntax, one check


RULE_NAMING_OPTIONS = ("--select", "--extend-select", "--ignore", "--veto")


@pytest.mark.parametrize("option", RULE_NAMING_OPTIONS)
def test_every_rule_naming_option_rejects_an_unknown_code_and_offers_the_closest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    for value in ("FP999", "FP005,FP999", "FP005, FP999"):
        code, out, err = check(tmp_path, monkeypatch, option, value, "call.txt")
        assert (code, out) == (2, "")
        assert "'FP999'" in err
        assert err.rstrip().endswith("FP009?")
    code, _, err = check(tmp_path, monkeypatch, option, "forbiden-phrases", "call.txt")
    assert (code, err.rstrip().endswith("forbidden-phrases?")) == (2, True)


@pytest.mark.parametrize(
    "table",
    [
        'select = ["FP999"]',
        'extend_select = ["FP999"]',
        'ignore = ["FP999"]',
        '[score]\nveto_rules = ["FP999"]',
        "[score]\nrule_weights = { FP999 = 30 }",
        '[severity]\nFP999 = "info"',
        "[thresholds]\nFP999 = 5",
    ],
)
def test_every_setting_that_names_rules_rejects_an_unknown_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    write(tmp_path / "replylint.toml", table + "\n")
    code, out, err = check(tmp_path, monkeypatch, "call.txt")
    assert (code, out) == (2, "")
    assert "replylint.toml" in err
    assert err.rstrip().endswith("FP009?")


def test_an_unknown_pack_is_refused_with_the_closest_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = check(tmp_path, monkeypatch, "--pack", "forbiden-phrases", "call.txt")
    assert (code, err.rstrip().endswith("forbidden-phrases?")) == (2, True)


def scores(out: str) -> list[tuple[str, int]]:
    return [(record["rule"], record["score"]) for record in map(json.loads, out.splitlines())]


@pytest.mark.parametrize(
    "vetoes",
    [
        ["FP005"],
        ["FP005,BS002"],
        ["BS002", "FP005"],
        ["FP00"],
        ["forbidden-phrases"],
    ],
)
def test_veto_takes_codes_prefixes_packs_and_comma_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vetoes: list[str]
) -> None:
    args = [arg for veto in vetoes for arg in ("--veto", veto)]
    code, out, _ = check(tmp_path, monkeypatch, "-f", "jsonl", *args, "call.txt")
    assert code == 1
    assert scores(out) == [("FP005", 0), ("FP009", 0)]


def test_veto_rules_in_the_settings_take_the_same_selectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "replylint.toml", '[score]\nveto_rules = ["forbidden-phrases"]\n')
    _, out, _ = check(tmp_path, monkeypatch, "-f", "jsonl", "call.txt")
    assert scores(out) == [("FP005", 0), ("FP009", 0)]
    settings = load_settings(tmp_path)
    options = Options.from_settings(settings)
    assert "FP005" in options.scoring.veto_rules
    assert not {code for code in options.scoring.veto_rules if not code.startswith("FP")}
