"""The repeat-question kind (listening LS003–LS007), as the spec of issue #6's "asking for
information already given": what counts as given, what excuses an ask, where the finding
stands, and the fast path against the reference path."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, Role, Transcript, Turn, load_packs, parse_text
from replylint.kinds.repeat_question import RepeatQuestionRule
from replylint.packs import PackError
from replylint.text.recognise.answers import Answer, has_answer
from tests.conftest import dialogue

LISTENING = load_packs(packs=["listening"])
REPEATS = tuple(rule for rule in LISTENING if isinstance(rule, RepeatQuestionRule))
LINTER = Linter(REPEATS)
REFERENCE = Linter(REPEATS, reference=True)


def found(*turns: tuple[str, str]) -> list[tuple[int, str, str]]:
    return [(f.turn, f.rule, f.text) for f in LINTER.lint(dialogue(*turns))]


EVALUATION_SET = Path(__file__).parent / "data" / "repeat_questions.tsv"


def evaluation_rows() -> list[tuple[str, str, str, str]]:
    """The evaluation set: a dialogue (``\\n`` between turns), the rule code and finding
    text expected (``-``: no repeat-question finding) and a note. A note starting with
    ``gap:`` marks recall given up for precision: the row expects what the rules do."""
    rows = []
    for line in EVALUATION_SET.read_text(encoding="utf-8").splitlines()[1:]:
        call, rule, text, note = line.split("\t")
        rows.append((call.replace("\\n", "\n"), rule, text, note))
    return rows


ROWS = evaluation_rows()


def test_the_evaluation_set_is_half_near_misses_and_covers_every_rule() -> None:
    expected = [rule for _, rule, _, _ in ROWS]
    assert len(ROWS) >= 80
    assert {rule for rule in expected if rule != "-"} == {r.info.code for r in REPEATS}
    assert 0.4 <= expected.count("-") / len(ROWS) <= 0.6


@pytest.mark.parametrize(
    ("call", "rule", "text", "note"), ROWS, ids=[f"line{n}" for n in range(2, len(ROWS) + 2)]
)
def test_the_evaluation_set(call: str, rule: str, text: str, note: str) -> None:
    transcript = parse_text(call, transcript_id="row")
    findings = LINTER.lint(transcript)
    assert [(f.rule, f.text) for f in findings] == ([] if rule == "-" else [(rule, text)]), note
    assert REFERENCE.lint(transcript) == findings


def test_the_listening_pack_has_a_repeat_question_rule_per_item() -> None:
    assert [(r.info.code, r.answer) for r in REPEATS] == [
        ("LS003", Answer.NUMBER),
        ("LS005", Answer.PLACE),
        ("LS007", Answer.NUMBER),
        ("LS006", Answer.NUMBER),
        ("LS004", Answer.NUMBER),
    ]


def test_an_ask_after_the_customer_named_the_item_with_its_value_is_flagged() -> None:
    call = dialogue(
        ("agent", "您好，95598。"),
        ("customer", "我家停电了，户号是[数字1]。"),
        ("agent", "非常抱歉。请问您的户号是多少？"),
    )
    (finding,) = LINTER.lint(call)
    assert (finding.turn, finding.rule, finding.text, finding.start, finding.end) == (
        2,
        "LS003",
        "请问您的户号",
        5,
        11,
    )
    assert (
        finding.message
        == "客户在 turn 1 已经报过户号，坐席又问了一遍：客户会觉得自己没有被认真听。"
    )


def test_a_value_in_the_reply_to_an_earlier_ask_is_given_too() -> None:
    assert found(
        ("agent", "请问您的户号是多少？"),
        ("customer", "[数字1]"),
        ("agent", "好的。麻烦您再提供一下户号。"),
    ) == [(2, "LS003", "提供一下户号")]


def test_every_later_ask_is_a_finding_and_names_the_first_giving_turn() -> None:
    call = dialogue(
        ("customer", "户号是 <NUM>"),
        ("agent", "户号是多少"),
        ("customer", "<NUM>"),
        ("agent", "户号多少"),
    )
    findings = LINTER.lint(call)
    assert [(f.turn, f.text) for f in findings] == [(1, "户号是多少"), (3, "户号多少")]
    assert {f.message.split(" 已经")[0] for f in findings} == {"客户在 turn 0"}


@pytest.mark.parametrize(
    "turns",
    [
        # Never given: the first ask.
        (("customer", "我家停电了。"), ("agent", "请问您的户号是多少？")),
        # Named without a value, or the customer asking.
        (("customer", "户号在哪里看？"), ("agent", "请问您的户号是多少？")),
        (("customer", "户号是多少位的？"), ("agent", "十位。请问您的户号是多少？")),
        # A reply that refuses gives nothing, even with a number in it (another item's).
        (
            ("agent", "请问户号是多少？"),
            ("customer", "户号我不知道，电话是13800138000。"),
            ("agent", "没关系，电费单上能看到户号，户号是多少您看一下。"),
        ),
        # Checking or not heard: an excused ask.
        (("customer", "户号是[数字1]。"), ("agent", "您的户号是[数字1]，对吗？")),
        (("customer", "户号是[数字1]。"), ("agent", "信号不好没听清，请问户号是多少？")),
        # Another item of the same kind.
        (
            ("customer", "户号是[数字1]，我妈那边也停了。"),
            ("agent", "请问您母亲那边的户号是多少？"),
        ),
        # Another item's number right after the name (电话 … 户号).
        (
            ("customer", "我打了三次电话，户号是[数字1]。"),
            ("agent", "好的，请问您的联系电话是多少？"),
        ),
        # The value too far from the name.
        (
            ("customer", "户号我记得在电费单上面有写着的[数字1]"),
            ("agent", "请问您的户号是多少？"),
        ),
        # An earlier ask answered by the agent's own turn is no customer giving it.
        (("agent", "户号是[数字1]。请问户号是多少？"), ("agent", "请问户号是多少？")),
    ],
)
def test_asks_that_are_not_repeat_questions(turns: tuple[tuple[str, str], ...]) -> None:
    assert found(*turns) == []


def test_a_name_and_its_value_in_any_script_and_mask() -> None:
    assert found(("customer", "戶號 <NUM>"), ("agent", "請問戶號多少")) == [
        (1, "LS003", "請問戶號")
    ]
    assert found(("customer", "户号是１２３４５６"), ("agent", "户号多少")) == [
        (1, "LS003", "户号多少")
    ]
    assert found(("customer", "户号幺三五七九"), ("agent", "户号多少")) == [
        (1, "LS003", "户号多少")
    ]


def test_a_refusal_cancels_a_value_only_between_the_name_and_the_value() -> None:
    ask = ("agent", "请问户号是多少？")
    assert found(("customer", "户号我不知道，电话是13800138000。"), ask) == []
    assert found(("customer", "户号是13800138，别的我不知道。"), ask) == [(1, "LS003", "请问户号")]


def test_an_address_is_given_as_a_place() -> None:
    assert found(
        ("customer", "户号我不知道 我是邻居 地址是[地址6] 幸福小区 五栋"),
        ("agent", "没有户号的话 请您提供一下小区地址"),
    ) == [(1, "LS005", "提供一下小区地址")]
    assert (
        found(
            ("customer", "你们营业厅地址在哪？"),
            ("agent", "在人民路。请问您的地址是哪里？"),
        )
        == []
    )


@pytest.mark.parametrize(
    ("answer", "text", "expected"),
    [
        (Answer.NUMBER, "户号是数字1", True),
        (Answer.NUMBER, "户号num", True),
        (Answer.NUMBER, "卡号***1234", True),
        (Answer.NUMBER, "幺三八零零", True),
        (Answer.NUMBER, "12", False),
        (Answer.NUMBER, "三个", False),
        # A number with a unit is a year, an amount or a count, not an identifier.
        (Answer.NUMBER, "手机2019年买的", False),
        (Answer.NUMBER, "二零一九年", False),
        (Answer.NUMBER, "欠费数字4元", False),
        (Answer.NUMBER, "num块钱", False),
        (Answer.NUMBER, "用了300度电", False),
        (Answer.NUMBER, "2019年的单号20191234", True),
        (Answer.PLACE, "地址6幸福小区", True),
        (Answer.PLACE, "光明路", True),
        (Answer.PLACE, "三号楼", True),
        (Answer.PLACE, "我不知道", False),
        (Answer.PLACE, "路灯坏了", False),
        (Answer.PLACE, "我家在农村", False),
        (Answer.PLACE, "幸福村", True),
        (Answer.PLACE, "线路老化了", False),
        (Answer.PLACE, "网路不通", False),
        (Answer.PLACE, "地址是***", True),
    ],
)
def test_what_a_value_looks_like(answer: Answer, text: str, expected: bool) -> None:
    assert has_answer(answer, text) is expected


def test_a_value_must_start_inside_the_window() -> None:
    assert has_answer(Answer.NUMBER, "户号是12345", 2, 4)
    assert not has_answer(Answer.NUMBER, "户号是我也不太记得了12345", 2, 6)


RULE = """\
code = "XQ001"
name = "thing-asked-again"
kind = "repeat-question"
severity = "warning"
message = "m {value}"
suggestion = "s"
description = "d"
source = "test"
answer = "number"
given = ["编号"]
asked = ["编号是多少"]
"""
EXAMPLES = """
[[examples]]
flag = "客户：编号123。\\n坐席：编号是多少？"

[[examples]]
pass = "坐席：编号是多少？"
"""


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('answer = "colour"', "'answer' must be one of number, place; got 'colour'"),
        ('given_roles = ["agent"]', "'asking_roles' and 'given_roles' must not share a role"),
        ("reach = 41", "'reach' must be from 0 to 40 characters"),
        ('excuse = ["x"]', "unknown key 'excuse'"),
    ],
)
def test_pack_mistakes_are_reported(tmp_path: Path, extra: str, problem: str) -> None:
    text = RULE.replace('answer = "number"\n', "") if extra.startswith("answer") else RULE
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "r.toml").write_text(text + extra + "\n" + EXAMPLES, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_packs([tmp_path])
    assert [p.split("]: ", 1)[1] for p in error.value.problems] == [problem]


def test_a_rule_of_ones_own_runs_with_its_value_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "r.toml").write_text(RULE + EXAMPLES, encoding="utf-8")
    (rule,) = load_packs([tmp_path])
    call = dialogue(("customer", "编号123"), ("agent", "好"), ("agent", "编号是多少"))
    assert [(f.turn, f.message) for f in Linter([rule]).lint(call)] == [(2, "m 0")]


MATERIAL = [
    "户号是",
    "[数字1]",
    "<NUM>",
    "12345",
    "请问您的户号是多少",
    "户号多少",
    "不知道",
    "对吗",
    "没听清",
    "地址是",
    "[地址6]",
    "光明路",
    "请问地址是哪里",
    "电话",
    "留个电话",
    "订单号",
    "卡号后四位",
    "请问您的卡号",
    "另一个户号",
    "，",
    " ",
]
texts = st.lists(st.sampled_from(MATERIAL), max_size=6).map("".join)
calls = st.lists(st.tuples(st.sampled_from([Role.AGENT, Role.CUSTOMER]), texts), max_size=6)
to_traditional = opencc.OpenCC("s2t")


def as_call(pairs: list[tuple[Role, str]]) -> Transcript:
    return Transcript("h", tuple(Turn(role, text) for role, text in pairs))


@settings(max_examples=300, deadline=None)
@given(calls)
def test_the_fast_path_equals_the_reference_and_offsets_hold(pairs: list[tuple[Role, str]]) -> None:
    call = as_call(pairs)
    expected = REFERENCE.lint(call)
    assert LINTER.lint(call) == expected
    assert LINTER.lint_batch([call, call]) == [expected, expected]
    for finding in expected:
        assert call.turns[finding.turn].text[finding.start : finding.end] == finding.text


@settings(max_examples=200, deadline=None)
@given(calls)
def test_traditional_script_gives_the_same_findings(pairs: list[tuple[Role, str]]) -> None:
    traditional = [(role, to_traditional.convert(text)) for role, text in pairs]

    def places(found_in: list[tuple[Role, str]]) -> list[tuple[int, int, int, str]]:
        return [(f.turn, f.start, f.end, f.rule) for f in LINTER.lint(as_call(found_in))]

    assert places(pairs) == places(traditional)


def test_a_reply_answers_the_last_ask_before_it() -> None:
    """After a second ask (for the phone), the customer's number is the phone, not the 户号."""
    assert (
        found(
            ("agent", "请问户号是多少？"),
            ("agent", "先留个电话吧。"),
            ("customer", "13812345678"),
            ("agent", "好的，户号是多少？"),
        )
        == []
    )


def test_a_reply_holding_a_given_exception_gives_nothing() -> None:
    assert (
        found(
            ("agent", "请问您的电话是多少？"),
            ("customer", "你们的电话是95598吗？"),
            ("agent", "是的，请问您的电话是多少？"),
        )
        == []
    )


def test_a_mask_followed_by_a_count_is_still_a_value() -> None:
    """[数字4]，3天 folds to 数字43天: the mask's number is the order number."""
    assert found(
        ("customer", "订单号[数字4]，3天了还没发货。"), ("agent", "亲，麻烦提供一下订单号哦")
    ) == [(1, "LS006", "提供一下订单号")]


def test_a_long_turn_of_names_is_read_in_one_pass_per_name() -> None:
    """Each name looks for its value in a window of `reach` characters only."""
    view = "户号" * 5000 + "12345"
    assert has_answer(Answer.NUMBER, view, 0, 7) is False
    assert has_answer(Answer.NUMBER, view, len(view) - 7, len(view)) is True
    assert found(("customer", "电话" * 5000), ("agent", "请问您的电话是多少？")) == []
