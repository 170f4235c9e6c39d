"""Rules that read the sentence: lexicon slots in rule files, the clause options every
phrase-bearing kind shares (``unless``, ``speech_act``), non-word marks, templates that are
no time, and one finding for one behaviour (``supersedes``).

Every sentence here is written for these tests, after the patterns of the field notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, PackError, Role, Transcript, Turn, load_packs
from replylint.kinds import Rule
from replylint.kinds.response import ResponseRule
from replylint.text.marks import MarkKind, find_marks
from replylint.text.reading import ClauseFeature, SpeechAct
from tests.conftest import dialogue

EXAMPLES = {"examples": [{"flag": "坐席：甲"}, {"pass": "坐席：乙"}]}


def rule_file(code: str, kind: str = "phrase", /, **keys: object) -> str:
    """A rule file: the common keys, then ``keys`` (JSON values are TOML values here)."""
    lines = [
        f'code = "{code}"',
        f'name = "rule-{code.lower()}"',
        f'kind = "{kind}"',
        'severity = "warning"',
        'message = "m"',
        'suggestion = "s"',
        'description = "d"',
        'source = "seed 003"',
    ]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in keys.items()]
    lines += ["", "[[examples]]", 'flag = "坐席：甲"', "", "[[examples]]", 'pass = "坐席：乙"']
    return "\n".join(lines) + "\n"


def response_file(**keys: object) -> str:
    """A response rule: the customer triggers, the agent answers in the next turn."""
    defaults: dict[str, object] = {
        "trigger_roles": ["customer"],
        "response_roles": ["agent"],
        "window": 1,
    }
    return rule_file("XX001", "response", **(defaults | keys))


def load(tmp_path: Path, *files: str, lexicons: dict[str, str] | None = None) -> tuple[Rule, ...]:
    pack = tmp_path / "custom"
    pack.mkdir(exist_ok=True)
    for number, text in enumerate(files):
        (pack / f"r{number}.toml").write_text(text, encoding="utf-8")
    for name, text in (lexicons or {}).items():
        (tmp_path / "lexicons").mkdir(exist_ok=True)
        (tmp_path / "lexicons" / f"{name}.txt").write_text(text, encoding="utf-8")
    return load_packs([tmp_path])


def problems(tmp_path: Path, *files: str) -> str:
    with pytest.raises(PackError) as caught:
        load(tmp_path, *files)
    return "\n".join(caught.value.problems)


def found(rules: tuple[Rule, ...], *turns: tuple[str, str]) -> list[tuple[int, str, str]]:
    return [(f.turn, f.rule, f.text) for f in Linter(rules).lint(dialogue(*turns))]


def agent(rules: tuple[Rule, ...], text: str) -> list[str]:
    return [text for _, _, text in found(rules, ("agent", text))]


# -- lexicon slots ------------------------------------------------------------------------


def test_a_slot_in_a_phrase_list_is_every_phrase_of_its_class_and_brings_its_exceptions(
    tmp_path: Path,
) -> None:
    (rule,) = load(tmp_path, rule_file("XX001", phrases=["{anger-insult}"]))
    assert "垃圾公司" in rule.phrases  # type: ignore[attr-defined]
    assert "垃圾短信" in rule.exceptions  # type: ignore[attr-defined]
    assert agent((rule,), "你们就是垃圾公司") == ["垃圾公司"]
    assert agent((rule,), "这条垃圾短信是谁发的") == []


def test_a_slot_inside_a_phrase_spells_out_each_phrase(tmp_path: Path) -> None:
    (rule,) = load(tmp_path, rule_file("XX001", phrases=["是{third-party}的问题", "银行的事"]))
    assert {"是快递的问题", "是厂家的问题", "银行的事"} <= set(rule.phrases)  # type: ignore[attr-defined]
    assert agent((rule,), "这是快递的问题") == ["是快递的问题"]


def test_a_response_rule_takes_slots_in_triggers_and_responses(tmp_path: Path) -> None:
    text = response_file(
        triggers=["{legal}"],
        responses=["{escalation-acts}"],
    )
    (rule,) = load(tmp_path, text)
    assert isinstance(rule, ResponseRule)
    assert "广告你" in rule.trigger_exceptions  # legal's exceptions go to the triggers'
    assert "转接" in rule.responses
    rules = (rule,)
    assert found(rules, ("customer", "我要找律师"), ("agent", "好的")) == [(0, "XX001", "律师")]
    assert found(rules, ("customer", "我要找律师"), ("agent", "我帮您转接主管")) == []
    assert found(rules, ("customer", "看到广告你们在搞活动"), ("agent", "是的")) == []


def test_a_class_of_patterns_named_alone_brings_each_entry_as_a_pattern(tmp_path: Path) -> None:
    text = response_file(
        triggers=["多次来电"],
        trigger_patterns=["{repeat-contact}"],
        responses=["加急"],
    )
    (rule,) = load(tmp_path, text)
    rules = (rule,)
    assert found(rules, ("customer", "我都打了三次电话了"), ("agent", "好的")) == [
        (0, "XX001", "打了三次")
    ]
    assert found(rules, ("customer", "这是第五次来电了"), ("agent", "好的")) == [
        (0, "XX001", "第五次来电")
    ]
    assert found(rules, ("customer", "我已经多次来电"), ("agent", "好的")) == [
        (0, "XX001", "多次来电")
    ]
    assert found(rules, ("customer", "我打了一次电话"), ("agent", "好的")) == []


def test_an_apology_rule_can_take_its_triggers_from_the_anger_and_complaint_lexicons(
    tmp_path: Path,
) -> None:
    text = response_file(
        triggers=["{anger-insult}", "{complaint-acts}"],
        trigger_patterns=["{complaint-facts}"],
        responses=["{apology}"],
        unless=["negated", "quoted"],
    )
    rules = load(tmp_path, text)
    assert found(rules, ("customer", "你们就是垃圾公司"), ("agent", "请问户号")) != []
    assert found(rules, ("customer", "三天了根本没人联系我"), ("agent", "请问户号")) != []
    assert found(rules, ("customer", "说好的上门呢"), ("agent", "请问户号")) != []
    assert found(rules, ("customer", "又收到一条垃圾短信"), ("agent", "请问户号")) == []
    assert found(rules, ("customer", "我不是要投诉"), ("agent", "好的")) == []
    assert found(rules, ("customer", "你们就是垃圾公司"), ("agent", "非常抱歉")) == []


def test_a_pattern_holds_slots_as_groups(tmp_path: Path) -> None:
    (rule,) = load(tmp_path, rule_file("XX001", "pattern", patterns=["是{third-party}…{0,4}问题"]))
    assert agent((rule,), "那是快递那边的问题") == ["是快递那边的问题"]


def test_a_pack_folder_may_bring_its_own_lexicons(tmp_path: Path) -> None:
    header = "# shops: our own shop names.\n# Leaves out: nothing.\n"
    (rule,) = load(
        tmp_path,
        rule_file("XX001", phrases=["{shops}关门了"]),
        lexicons={"shops": header + "一号店\n二号店\n"},
    )
    assert agent((rule,), "二号店关门了") == ["二号店关门了"]


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({"phrases": ["{no-such-class}"]}, "unknown lexicon {no-such-class}"),
        ({"phrases": ["{complaint-facts}"]}, "holds patterns"),
        ({"kind": "pattern", "patterns": ["{no-such-class}的问题"]}, "unknown lexicon"),
        ({"kind": "pattern", "patterns": ["{no-such-class}"]}, "unknown lexicon"),
    ],
)
def test_a_slot_that_cannot_be_spelled_is_a_problem_naming_file_rule_and_key(
    tmp_path: Path, keys: dict[str, object], named: str
) -> None:
    kind = str(keys.pop("kind", "phrase"))
    reported = problems(tmp_path, rule_file("XX001", kind, **keys))
    assert "r0.toml [XX001]" in reported
    assert "'phrases'" in reported or "'patterns'" in reported
    assert named in reported


# -- clause options ---------------------------------------------------------------------


def phrase_rule(tmp_path: Path, phrases: list[str], **options: object) -> tuple[Rule, ...]:
    return load(tmp_path, rule_file("XX001", phrases=phrases, **options))


def test_options_load_as_features_and_acts(tmp_path: Path) -> None:
    (rule,) = phrase_rule(
        tmp_path, ["联系你"], unless=["question", "done"], speech_act="promise", handles=True
    )
    assert rule.options.unless == {ClauseFeature.QUESTION, ClauseFeature.DONE}
    assert rule.options.speech_act is SpeechAct.PROMISE
    assert rule.options.handles


def test_unknown_features_and_acts_are_named(tmp_path: Path) -> None:
    reported = problems(
        tmp_path, rule_file("XX001", phrases=["甲"], unless=["rhetorical"], speech_act="vow")
    )
    assert "'unless' must be one of" in reported
    assert "'speech_act' must be one of" in reported


@pytest.mark.parametrize(
    ("feature", "phrase", "flagged", "clean"),
    [
        ("question", "不知道", "这个我不知道。", "不知道您说的是哪一款？"),
        ("negated", "是你的问题", "这是您的问题。", "这不是您的问题。"),
        ("quoted", "不是我们的事", "不是我们的事。", "您说的“不是我们的事”是谁说的？"),
        ("invitation", "联系", "我们会联系您。", "如有疑问请随时联系我们。"),
        ("done", "反馈", "我帮您反馈。", "已经为您反馈了。"),
        ("purpose", "联系你", "我们会联系您。", "请提供单号，以便我们核实后联系您。"),
        ("condition", "通知你", "我们会通知您。", "到货后，第一时间通知您。"),
        ("third-person", "联系你", "我们会联系您。", "售后会联系您。"),
        ("second-person", "不知道", "我不知道。", "您不知道也没关系。"),
        ("first-person", "不知道", "他不知道。", "我不知道。"),
    ],
)
def test_a_hit_in_a_clause_with_an_unless_feature_is_no_match(
    tmp_path: Path, feature: str, phrase: str, flagged: str, clean: str
) -> None:
    rules = phrase_rule(tmp_path, [phrase], unless=[feature])
    assert agent(rules, flagged) != []
    assert agent(rules, clean) == []
    assert agent(phrase_rule(tmp_path, [phrase]), clean) != []  # the option, not the phrase


def test_a_risk_told_as_a_story_is_not_the_speakers_own(tmp_path: Path) -> None:
    rules = load(
        tmp_path, rule_file("XX001", roles=["customer"], phrases=["着火"], unless=["story"])
    )
    assert found(rules, ("customer", "我家厨房着火了！")) == [(0, "XX001", "着火")]
    assert found(rules, ("customer", "昨天路上看见有家饭店着火了")) == []
    assert found(rules, ("customer", "听说隔壁小区着火了")) == []


def test_a_hit_the_options_exclude_gives_way_to_the_next_one(tmp_path: Path) -> None:
    rules = phrase_rule(tmp_path, ["不知道"], unless=["question"])
    assert agent(rules, "不知道您要哪一款？这个我真不知道。") == ["不知道"]
    (finding,) = Linter(rules).lint(dialogue(("agent", "不知道您要哪一款？这个我真不知道。")))
    assert finding.start == 13


@pytest.mark.parametrize(
    ("text", "promised"),
    [
        ("我们会尽快与您电话联系。", True),
        ("核实后答复您。", True),
        ("稍后给您回电。", True),
        ("工作人员联系您了吗？", False),
        ("已为您反馈。", False),
        ("在官网提交后，售后会联系您。", False),
        ("到货后第一时间通知您。", False),
        ("有什么问题我可以帮您处理呢？", False),
    ],
)
def test_a_promise_rule_matches_only_where_the_clause_promises(
    tmp_path: Path, text: str, promised: bool
) -> None:
    rules = phrase_rule(tmp_path, ["{contact-verbs}", "{follow-up-verbs}"], speech_act="promise")
    assert bool(agent(rules, text)) is promised


@pytest.mark.parametrize(
    ("text", "threatens"),
    [
        ("我要找记者曝光你们", True),
        ("我已经投诉到工信部了", True),
        ("我在抖音上刷到一个记者说要停电", False),
        ("3·15晚会曝光了好多电饭煲", False),
        ("工信部不是说可以一键查号码吗？", False),
    ],
)
def test_a_threat_rule_matches_only_where_the_speaker_threatens(
    tmp_path: Path, text: str, threatens: bool
) -> None:
    text_rule = rule_file(
        "XX001",
        roles=["customer"],
        phrases=["{media}", "曝光", "{regulators}"],
        speech_act="threat",
    )
    rules = load(tmp_path, text_rule)
    assert bool(found(rules, ("customer", text))) is threatens


def test_a_response_with_an_unless_feature_is_no_response(tmp_path: Path) -> None:
    text = response_file(
        triggers=["找你们领导"],
        responses=["领导", "主管", "转接"],
        response_unless=["negated", "question"],
    )
    rules = load(tmp_path, text)
    demand = ("customer", "我要找你们领导")
    assert found(rules, demand, ("agent", "领导不在，您改天再打吧。")) != []
    assert found(rules, demand, ("agent", "主管今天不在。")) != []
    assert found(rules, demand, ("agent", "我没法给您转接。")) != []
    assert found(rules, demand, ("agent", "您要我转接吗？")) != []
    assert found(rules, demand, ("agent", "我现在帮您转接值班主管。")) == []


# -- marks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@数码曝光小能手 推荐的那款有吗",
        "我在微博看到#315晚会曝光#那个话题",
        "看这个 https://example.com/baoguang/index.html 链接",
        "[曝光] 哈哈",
    ],
)
def test_a_hit_inside_a_mention_tag_link_or_emoji_code_is_never_a_match(
    tmp_path: Path, text: str
) -> None:
    plain = load(tmp_path, rule_file("XX001", roles=["customer"], phrases=["曝光", "baoguang"]))
    assert found(plain, ("customer", text)) == []
    assert found(plain, ("customer", text + " 我要曝光")) == [(0, "XX001", "曝光")]


def test_with_handles_the_account_a_mention_names_counts(tmp_path: Path) -> None:
    rules = load(
        tmp_path,
        rule_file(
            "XX001",
            roles=["customer"],
            phrases=["都市报", "曝光"],
            handles=True,
            speech_act="threat",
        ),
    )
    assert found(rules, ("customer", "@某某银行 @某某都市报 大家评评理")) == [
        (0, "XX001", "都市报")
    ]
    assert found(rules, ("customer", "@数码曝光小能手 推荐的")) == []


# -- templates are no time ----------------------------------------------------------------


def test_an_address_template_is_no_time_for_the_time_detector(tmp_path: Path) -> None:
    text = response_file(
        trigger_roles=["agent"],
        include_trigger_turn=True,
        triggers=["联系你"],
        response_detector="time",
    )
    rules = load(tmp_path, text)
    assert agent(rules, "已登记（xx市xx区xx路xx号），师傅会联系您。") == ["联系您"]
    assert agent(rules, "已登记（*省*市*区*号），师傅会联系您。") == ["联系您"]
    assert agent(rules, "师傅[数字x]个工作日内联系您。") == []
    assert agent(rules, "师傅明天上午联系您，地址（xx市xx区xx号）。") == []


# -- one behaviour, one finding ---------------------------------------------------------


def test_a_superseding_rule_keeps_the_only_finding_on_overlapping_words(tmp_path: Path) -> None:
    general = rule_file("XX001", phrases=["是你的问题"])
    specific = rule_file("XX002", "pattern", patterns=["是你…{1,8}的问题"], supersedes=["XX001"])
    rules = load(tmp_path, general, specific)
    assert agent(rules, "是您自己操作的问题。") == ["是您自己操作的问题"]
    assert found(rules, ("agent", "是您的问题。")) == [(0, "XX001", "是您的问题")]
    both = found(rules, ("agent", "是您的问题，是您自己操作的问题。"))
    assert [rule for _, rule, _ in both] == ["XX001", "XX002"]  # apart: two findings
    assert agent(tuple(r for r in rules if r.info.code == "XX001"), "是您的问题。") != []


def test_supersedes_names_codes(tmp_path: Path) -> None:
    reported = problems(tmp_path, rule_file("XX001", phrases=["甲"], supersedes=["bs1"]))
    assert "'supersedes' must list rule codes" in reported


# -- invariants -----------------------------------------------------------------------------

MATERIAL = ["曝光", "@数码曝光小能手 ", "#曝光#", "[曝光]", "你好", "，", " ", "我要", "吗？"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(MATERIAL), max_size=8).map("".join))
def test_no_finding_of_any_rule_starts_or_ends_inside_a_mark(text: str) -> None:
    transcript = Transcript("m", (Turn(Role.CUSTOMER, text), Turn(Role.AGENT, "好的")))
    marks = [m for m in find_marks(text) if m.kind is not MarkKind.NUMBER]
    marks = [m for m in marks if m.kind is not MarkKind.TEMPLATE]
    for finding in Linter(READING_RULES).lint(transcript):
        for edge in (finding.start, finding.end - 1):
            assert not any(m.start <= edge < m.end for m in marks), (finding, marks)


READING_RULES = load_packs(packs=["escalation", "missing-apology"])
