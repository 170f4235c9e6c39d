"""--redact: personal data is masked in every output of `check` and `report`, the offsets
still hold, rules still see the real text, and the setting can come from replylint.toml."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import Finding, Role, Severity, Transcript, Turn
from replylint.cli import app
from replylint.model import Annotations, Tag
from replylint.redact import redact, redact_annotations

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()

# Each kind of personal data, as written in the call, and every form it may take in output.
TURNS = [
    ("customer", "我的手机号是13812345678，身份证号110105199003071239，记好了"),
    ("agent", "好的我记一下 6222 0212 3456 7894 对吧"),
    ("customer", "邮箱是zhang.san88@qq.com，座机010-62345678，号码就是这些"),
]
META = {"agent": "A1207", "team": "夜班二组", "date": "2026-07-18", "caller": "13900139000"}
META_NUMBER = 13700137000  # a caller number a spreadsheet stored as a number
IN_TURNS = ["13812345678", "110105199003071239", "6222 0212 3456 7894", "zhang.san88"]
IN_TURNS += ["010-62345678"]
SECRETS = [*IN_TURNS, "13900139000", "13700137000"]  # shown without --redact
OTHER_FORMS = ["6222021234567894", "01062345678", "62345678", "03071239"]
MASKED = ["138****5678", "110***********1239", "622* **** **** 7894", "z****.*****@qq.com"]

# Rules whose findings hold personal data: a customer giving numbers and an email, an agent
# reading a card number back.
RULES = {
    "PD001": ("number-read-back", "agent", "记一下…{0,20}对吧"),
    "PD002": ("contact-given", "customer", "邮箱是…{0,20}座机…{0,20}号码"),
    "PD003": ("numbers-given", "customer", "手机号是…{0,20}身份证号…{0,20}记好了"),
}


def rule_file(code: str, name: str, role: str, pattern: str) -> str:
    return (
        f'code = "{code}"\nname = "{name}"\nkind = "pattern"\nseverity = "warning"\n'
        f'message = "说了号码。"\nsuggestion = "不要复述。"\ndescription = "说了号码。"\n'
        f'source = "测试"\nroles = ["{role}"]\npatterns = ["{pattern}"]\n'
        f'[[examples]]\nflag = "坐席：{pattern.replace("…{0,20}", "1")}"\n'
        f'[[examples]]\npass = "坐席：您好"\n'
    )


def write_pack(pack: Path) -> Path:
    """The pack of `RULES` in the folder ``pack``."""
    pack.mkdir()
    for code, (name, role, pattern) in RULES.items():
        (pack / f"{name}.toml").write_text(rule_file(code, name, role, pattern), "utf-8")
    return pack


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the call (as JSONL) and the pack of the rules; the working folder."""
    monkeypatch.chdir(tmp_path)
    write_pack(tmp_path / "pd")
    call = {
        "id": "pd-1",
        "turns": [{"role": role, "text": text} for role, text in TURNS],
        "meta": META | {"account": META_NUMBER},
    }
    inputs = tmp_path / "calls"
    inputs.mkdir()
    (inputs / "calls.jsonl").write_text(json.dumps(call, ensure_ascii=False) + "\n", "utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, bytes]:
    result = runner.invoke(app, [*args, "--rules", "pd", "--quiet"])
    return result.exit_code, result.stdout_bytes


def report_bytes(path: Path) -> bytes:
    """The file's bytes; a workbook's are those of every part inside the zip."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as workbook:
        return b"".join(workbook.read(name) for name in workbook.namelist())


def shown(output: bytes) -> list[str]:
    """The personal data in the output, in any form it was given or could take."""
    text = output.decode("utf-8")
    return [secret for secret in SECRETS + OTHER_FORMS if secret in text]


def test_the_two_rules_find_personal_data_in_their_findings(calls: Path) -> None:
    code, out = run("check", "calls", "-f", "jsonl")
    records = [json.loads(line) for line in out.decode().splitlines()]
    assert code == 1
    assert [(r["rule"], r["text"]) for r in records] == [
        ("PD003", "手机号是13812345678，身份证号110105199003071239，记好了"),
        ("PD001", "记一下 6222 0212 3456 7894 对吧"),
        ("PD002", "邮箱是zhang.san88@qq.com，座机010-62345678，号码"),
    ]
    assert set(SECRETS) <= set(shown(out))  # without --redact, everything is shown as it is


@pytest.mark.parametrize("output_format", ["text", "json", "jsonl", "csv"])
def test_check_masks_every_format(calls: Path, output_format: str) -> None:
    code, out = run("check", "calls", "-f", output_format, "--redact", "--no-color")
    assert code == 1
    assert shown(out) == []
    assert all(masked in out.decode() for masked in MASKED)


def test_jsonl_offsets_hold_in_the_masked_turn(calls: Path) -> None:
    _, out = run("check", "calls", "-f", "jsonl", "--redact")
    records = [json.loads(line) for line in out.decode().splitlines()]
    masked_turns = [redact(text) for _, text in TURNS]
    assert [r["text"] for r in records] == [
        "手机号是138****5678，身份证号110***********1239，记好了",
        "记一下 622* **** **** 7894 对吧",
        "邮箱是z****.*****@qq.com，座机010-****5678，号码",
    ]
    assert all(masked_turns[r["turn"]][r["start"] : r["end"]] == r["text"] for r in records)
    assert records[0]["meta"] == META | {"caller": "139****9000", "account": "137****7000"}


def test_json_summary_says_it_is_redacted(calls: Path) -> None:
    masked = json.loads(run("check", "calls", "-f", "json", "--redact")[1])
    plain = json.loads(run("check", "calls", "-f", "json")[1])
    assert masked["summary"] == plain["summary"] | {"redacted": True}
    assert "redacted" not in plain["summary"]


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv"])
def test_report_masks_every_format(calls: Path, suffix: str) -> None:
    plain, masked = calls / f"plain{suffix}", calls / f"masked{suffix}"
    assert run("report", "calls", "-o", str(plain))[0] == 1
    assert run("report", "calls", "-o", str(masked), "--redact")[0] == 1
    assert set(IN_TURNS) <= set(shown(report_bytes(plain)))
    assert shown(report_bytes(masked)) == []
    assert all(text in report_bytes(masked).decode("utf-8") for text in MASKED)


def test_the_setting_in_replylint_toml_and_the_option_that_overrides_it(calls: Path) -> None:
    (calls / "replylint.toml").write_text("redact = true\n", "utf-8")
    assert shown(run("check", "calls", "-f", "jsonl")[1]) == []
    assert set(SECRETS) <= set(shown(run("check", "calls", "-f", "jsonl", "--no-redact")[1]))
    settings = runner.invoke(app, ["check", "--show-settings"]).stdout
    assert f"redact = true  # {calls / 'replylint.toml'}" in settings.splitlines()


def test_output_does_not_depend_on_jobs(calls: Path) -> None:
    second = (calls / "calls" / "calls.jsonl").read_text("utf-8").replace("pd-1", "pd-2")
    (calls / "calls" / "more.jsonl").write_text(second, "utf-8")
    one = run("check", "calls", "-f", "jsonl", "--redact", "--jobs", "1")
    two = run("check", "calls", "-f", "jsonl", "--redact", "--jobs", "2")
    assert one == two
    assert shown(two[1]) == []


def test_verdicts_and_baselines_see_the_masked_text(calls: Path) -> None:
    """A reviewer only sees masked text, so a verdict made from a redacted report holds."""
    verdict = {
        "transcript": "pd-1",
        "rule": "PD001",
        "text": "记一下 622* **** **** 7894 对吧",
        "verdict": "false-positive",
        "reviewer": "qa",
        "date": "2026-07-20",
        "note": "",
    }
    (calls / "verdicts.jsonl").write_text(json.dumps(verdict, ensure_ascii=False) + "\n", "utf-8")
    reviewed = ["--verdicts", "verdicts.jsonl"]
    _, out = run("check", "calls", "-f", "jsonl", "--redact", *reviewed)
    assert [json.loads(line)["rule"] for line in out.decode().splitlines()] == ["PD003", "PD002"]
    assert run("check", "calls", "--redact", "--write-baseline", "base.json")[0] == 0
    assert shown((calls / "base.json").read_bytes()) == []
    assert run("check", "calls", "--redact", "--baseline", "base.json")[0] == 0


def test_the_corpus_holds_no_personal_data_but_the_numbers_its_privacy_calls_read_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Placeholders, 工号, hotlines, amounts and dates are all kept: the redacted output of
    the corpus is the golden one, but for the two numbers the privacy calls read out (the
    evaluation set's privacy cases read out made-up card numbers of their own)."""
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["check", "corpus", "-f", "jsonl", "--redact", "--quiet"])
    golden = (GOLDEN / "check-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    changed = [
        (json.loads(ours)["text"], json.loads(theirs)["text"])
        for ours, theirs in zip(result.stdout.splitlines(), golden, strict=True)
        if ours != theirs and not json.loads(theirs)["file"].startswith("corpus/eval/")
    ]
    assert changed == [
        ("622************0128", "6222021234567890128"),
        ("110***********002X", "11010519491231002X"),
    ]


def test_redact_annotations_masks_turns_findings_tags_and_metadata() -> None:
    text = "请记一下13812345678"
    finding = Finding(
        "t", 0, Role.AGENT, 3, 15, text[3:15], "PD001", "n", "pd", Severity.INFO, "m", "s"
    )
    tags = [
        Tag("t", "topic", "留号码", "TG001", 0, 1, 15, text[1:]),
        Tag("t", "x", "y", "Z", 0, 0, 1, "请"),
    ]
    meta = {"caller": ["13900139000", {"again": 13900139000}], "vip": True, "score": 1.5}
    transcript = Transcript("t", (Turn(Role.AGENT, text),), meta)
    masked, annotations = redact_annotations(transcript, Annotations([finding], tags))
    assert masked.turns[0].text == "请记一下138****5678"
    assert [f.text for f in annotations.findings] == ["下138****5678"]
    assert [(t.tag, t.text) for t in annotations.tags] == [
        ("留号码", "记一下138****5678"),
        ("y", "请"),
    ]
    assert dict(masked.meta) == {
        "caller": ["139****9000", {"again": "139****9000"}],
        "vip": True,
        "score": 1.5,
    }
    assert transcript.turns[0].text == text  # the original is left alone
