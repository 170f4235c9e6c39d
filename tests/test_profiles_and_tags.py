"""Issue #6's rule-format additions: profiles, whole-turn phrases, the address detector and
tags (labels on a call that are not violations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replylint import Linter, Role, Severity, Transcript, Turn, load_packs
from replylint.kinds.base import Boundary, MatchOptions, RuleInfo
from replylint.kinds.phrase import PhraseRule
from replylint.kinds.response import Detector, ResponseRule
from replylint.kinds.tag import TagRule
from replylint.model import Tag
from replylint.output.json import json_parts
from replylint.output.jsonl import jsonl_lines
from replylint.output.text import summary_line, text_lines
from replylint.run.config import ConfigError, Settings, load_settings
from replylint.run.result import Result, Summary
from tests.conftest import dialogue
from tests.test_packs import problems, write_pack


def info(code: str = "XX001", profiles: frozenset[str] = frozenset()) -> RuleInfo:
    texts = ("m", "s", "d", "seed")
    return RuleInfo(
        code, "thing-said", "custom", Severity.WARNING, *texts, (), "x.toml", profiles=profiles
    )


TAG_RULE = """
code = "TP901"
name = "topic-outage"
kind = "tag"
category = "topic"
tag = "停电"
message = "通话涉及停电。"
description = "客户说到停电。"
source = "seed 001"
phrases = ["停电", "没电了"]
exceptions = ["停电通知"]
profiles = ["power"]

[[examples]]
flag = "客户：我家又停电了。"
text = "停电"

[[examples]]
pass = "客户：我收到一条停电通知。"
"""


def test_a_tag_rule_loads_with_its_category_label_and_profiles(tmp_path: Path) -> None:
    (rule,) = load_packs([write_pack(tmp_path, "topics", outage=TAG_RULE)])
    assert isinstance(rule, TagRule)
    assert (rule.category, rule.tag, rule.roles) == ("topic", "停电", frozenset({Role.CUSTOMER}))
    assert rule.info.profiles == frozenset({"power"})


def test_a_tag_rule_with_a_severity_or_a_bad_profile_is_refused(tmp_path: Path) -> None:
    bad = TAG_RULE.replace('profiles = ["power"]', 'profiles = ["mining"]\nseverity = "error"')
    found = problems(write_pack(tmp_path, "topics", outage=bad))
    assert any("unknown key 'severity'" in p for p in found)
    assert any("'profiles': ['mining'] unknown" in p for p in found)


def test_tags_label_the_call_once_and_are_never_findings(tmp_path: Path) -> None:
    rules = load_packs([write_pack(tmp_path, "topics", outage=TAG_RULE)])
    call = dialogue(
        ("customer", "你好，我家停电了。"),
        ("agent", "您好，停电的原因我帮您查。"),  # an agent turn: not searched by this rule
        ("customer", "昨天也没电了，上周还收到停电通知。"),
    )
    annotations = Linter(rules, profile="power").annotate(call)
    assert annotations.findings == []
    assert annotations.tags == [Tag("t", "topic", "停电", "TP901", 0, 5, 7, "停电")]
    assert Linter(rules, profile="power").lint(call) == []


OUTBOUND_TAG_RULE = TAG_RULE.replace(
    'exceptions = ["停电通知"]', 'exceptions = ["停电通知"]\noutbound_roles = ["agent"]'
)


@pytest.mark.parametrize(
    ("meta", "tagged_at"),
    [
        ({"channel": "outbound"}, [(1, "停电")]),  # the agent raises it on an outbound call
        ({"呼叫类型": "外呼"}, [(1, "停电")]),
        ({"direction": "回访"}, [(1, "停电")]),
        ({"channel": "phone"}, []),  # an inbound call: the agent's words are not the topic
        ({}, []),
    ],
)
def test_on_an_outbound_call_the_agent_s_words_carry_the_topic(
    tmp_path: Path, meta: dict[str, str], tagged_at: list[tuple[int, str]]
) -> None:
    rules = load_packs([write_pack(tmp_path, "topics", outage=OUTBOUND_TAG_RULE)])
    call = Transcript(
        "t",
        (
            Turn(Role.AGENT, "您好，这里是供电所。"),
            Turn(Role.AGENT, "明天上午您那边计划停电检修，提前通知您。"),
            Turn(Role.AGENT, "停电通知已经贴在楼下了。"),  # an exception, as for the customer
            Turn(Role.CUSTOMER, "好的，知道了。"),
        ),
        meta,
    )
    for linter in (Linter(rules, profile="power"), Linter(rules, profile="power", reference=True)):
        assert [(t.turn, t.text) for t in linter.annotate(call).tags] == tagged_at


def test_the_customer_s_own_words_come_first_on_an_outbound_call(tmp_path: Path) -> None:
    rules = load_packs([write_pack(tmp_path, "topics", outage=OUTBOUND_TAG_RULE)])
    call = Transcript(
        "t",
        (Turn(Role.CUSTOMER, "我家停电了"), Turn(Role.AGENT, "停电的事我们回访一下")),
        {"channel": "outbound"},
    )
    (tag,) = Linter(rules, profile="power").annotate(call).tags
    assert (tag.turn, tag.text) == (0, "停电")


def test_an_industry_s_rule_applies_to_calls_whose_metadata_names_that_industry(
    tmp_path: Path,
) -> None:
    linter = Linter(load_packs([write_pack(tmp_path, "topics", outage=TAG_RULE)]))
    turns = (Turn(Role.CUSTOMER, "停电了"),)
    industries = [None, "power", "电力", " Power ", "telecom", "电商"]
    calls = [
        Transcript(str(n), turns, {} if value is None else {"industry": value})
        for n, value in enumerate(industries)
    ]
    calls.append(Transcript("行业", turns, {"行业": "供电"}))
    assert [bool(a.tags) for a in linter.annotate_batch(calls)] == [
        False, True, True, True, False, False, True
    ]  # fmt: skip
    forced = Linter(linter.rules, profile="power")  # the caller chose the industry
    assert all(a.tags for a in forced.annotate_batch(calls))


def test_tags_come_out_of_a_batch_beside_findings(linter: Linter, tmp_path: Path) -> None:
    rules = (*load_packs(), *load_packs([write_pack(tmp_path, "topics", outage=TAG_RULE)]))
    calls = [dialogue(("customer", "停電了")), dialogue(("agent", "这个我不知道"))]
    batch = Linter(rules, profile="power").annotate_batch(calls)
    assert [[(t.rule, t.tag) for t in a.tags] for a in batch] == [
        [("TP001", "停电"), ("TP901", "停电")],  # the bundled topic and this one
        [],
    ]
    forbidden = [[f.rule for f in a.findings if f.pack == "forbidden-phrases"] for a in batch]
    assert forbidden == [[], ["FP005"]]


def test_a_whole_turn_phrase_flags_a_flat_refusal_only() -> None:
    rule = PhraseRule(
        info=info(),
        roles=frozenset({Role.AGENT}),
        phrases=("不行",),
        options=MatchOptions(boundary=Boundary.TURN),
    )
    linter = Linter([rule])
    flagged = [
        len(linter.lint(dialogue(("agent", text))))
        for text in ("不行。", " 不行！！", "不行", "這不行", "不行，您得先交费。", "不行不行")
    ]
    assert flagged == [1, 1, 1, 0, 0, 0]


def test_the_address_detector_answers_a_customer_who_gave_a_surname() -> None:
    rule = ResponseRule(
        info=info(),
        trigger_roles=frozenset({Role.CUSTOMER}),
        triggers=("我姓",),
        response_roles=frozenset({Role.AGENT}),
        window=20,
        response_detector=Detector.ADDRESS,
    )
    linter = Linter([rule])

    def flagged(reply: str) -> bool:
        return bool(linter.lint(dialogue(("customer", "我姓王。"), ("agent", reply))))

    assert not flagged("好的王先生，我帮您查。")
    assert not flagged("好的，陳小姐。")
    assert flagged("好的，我帮您查。")
    assert flagged("好的，谢谢先生。")  # thanks, not a surname


def test_a_profile_keeps_only_rules_written_for_it_or_for_every_industry() -> None:
    power = PhraseRule(
        info=info("XX001", frozenset({"power"})), roles=frozenset({Role.AGENT}), phrases=("台区",)
    )
    everyone = PhraseRule(info=info("XX002"), roles=frozenset({Role.AGENT}), phrases=("不知道",))
    assert Settings().apply([power, everyone]) == (power, everyone)
    assert Settings(profile="power").apply([power, everyone]) == (power, everyone)
    assert Settings(profile="telecom").apply([power, everyone]) == (everyone,)


def test_the_profile_is_a_setting_and_a_bad_one_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text('profile = "bank"\n', encoding="utf-8")
    assert load_settings(explicit_path=config).profile == "bank"
    config.write_text('profile = "mining"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'profile': must be one of power, telecom"):
        load_settings(explicit_path=config)


def test_tags_travel_into_every_output_format() -> None:
    call = Transcript(
        "c1", (Turn(Role.CUSTOMER, "停电了，我要投诉"), Turn(Role.AGENT, "我不知道")), {}, "x.jsonl"
    )
    outage = Tag("c1", "topic", "停电", "TP901", 0, 0, 2, "停电")
    repeat = Tag("c1", "customer-type", "重复来电", "CT901", 0, 3, 5, "投诉")
    result = Result.scored(call, Linter(load_packs()).lint(call), (outage, repeat))
    records = [json.loads(line) for line in jsonl_lines(result)]
    assert {json.dumps(r["tags"], ensure_ascii=False) for r in records} == {
        '{"topic": ["停电"], "customer-type": ["重复来电"]}'
    }
    parts = json_parts(result)
    assert parts.transcript["tags"][0] == {
        "category": "topic", "tag": "停电", "rule": "TP901", "turn": 0, "start": 0, "end": 2,
        "text": "停电",
    }  # fmt: skip
    assert list(text_lines(result))[-1] == "    标签 tags: topic 停电; customer-type 重复来电"
    summary = Summary()
    summary.add(result)
    summary.add(Result.scored(call, [], (outage,)))
    assert summary.as_dict()["by_tag"] == {"customer-type": {"重复来电": 1}, "topic": {"停电": 2}}
    assert summary_line(summary).splitlines()[1:3] == [
        "by customer-type: 重复来电 1",
        "by topic: 停电 2",
    ]
