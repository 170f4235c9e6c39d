"""Rules of some channels (``channels = ["phone"]``): which calls they run on, the linter's
default channel, and the channel read once a call, only when such a rule is due. Every
dialogue here is made up for these tests."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint import Linter, Transcript, load_packs
from replylint.engine.ruletest import (
    channel_problems,
    check_rules,
    covered_channels,
    example_channel,
    uncovered_channels,
)
from replylint.kinds import Rule
from replylint.kinds.base import Example
from replylint.kinds.channels import Channel, transcript_channel
from tests.conftest import dialogue, load_problems, load_rule_text

ETIQUETTE = load_packs(packs=["etiquette"])
# The field notes' phone etiquette and restatement, and what only speech has (its rate,
# talking over).
PHONE_RULES = {"ET001", "ET002", "ET003", "ET004", "LS001", "TM003", "TM004"}
# A call with neither greeting nor 工号 nor goodbye, and nothing that names its channel.
BARE = (("agent", "请问有什么事"), ("customer", "我家停电了"), ("agent", "那您等着吧"))


def codes(linter: Linter, call: Transcript) -> set[str]:
    return {f.rule for f in linter.lint(call)}


def with_meta(turns: tuple[tuple[str, str], ...], **meta: str) -> Transcript:
    return Transcript("t", dialogue(*turns).turns, meta)


def test_the_field_notes_phone_rules_are_phone_rules_and_the_rest_fit_every_channel() -> None:
    rules = load_packs()
    phone = {rule.info.code for rule in rules if rule.info.channels == {Channel.PHONE}}
    assert phone == PHONE_RULES
    assert all(not rule.info.channels for rule in rules if rule.info.code not in PHONE_RULES)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [("热线", {"ET001", "ET002", "ET004"}), ("在线客服", set()), ("微博", set())],
)
def test_phone_etiquette_runs_on_calls_whose_metadata_says_phone(
    channel: str, expected: set[str]
) -> None:
    assert codes(Linter(ETIQUETTE), with_meta(BARE, 渠道=channel)) == expected


def test_a_call_nothing_names_gets_only_the_rules_of_every_channel() -> None:
    everything = Linter(load_packs())
    assert codes(everything, with_meta(BARE)) & PHONE_RULES == set()


def test_a_call_whose_text_looks_like_a_call_gets_the_phone_rules() -> None:
    spoken = (("agent", "喂 请讲"), ("customer", "我家停电了"), ("agent", "那您等着吧"))
    assert codes(Linter(ETIQUETTE), with_meta(spoken)) == {"ET001", "ET002", "ET004"}


def test_the_linters_channel_applies_only_where_metadata_and_data_say_nothing() -> None:
    linter = Linter(ETIQUETTE, channel="phone")
    assert codes(linter, with_meta(BARE)) == {"ET001", "ET002", "ET004"}
    assert codes(linter, with_meta(BARE, channel="chat")) == set()
    chatty = (("agent", "亲，请问有什么事"), ("customer", "我的快递呢"), ("agent", "亲亲稍等哦"))
    assert codes(linter, with_meta(chatty)) == set()
    assert codes(Linter(ETIQUETTE, channel=Channel.CHAT), with_meta(BARE)) == set()


def test_a_channel_that_is_none_of_the_three_is_refused() -> None:
    with pytest.raises(ValueError, match="fax"):
        Linter(ETIQUETTE, channel="fax")


def test_the_channel_is_read_once_a_call_and_only_when_a_rule_of_some_channels_would_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []

    def counted(transcript: Transcript, *, default: Channel | None = None) -> Channel | None:
        reads.append(transcript.id)
        return transcript_channel(transcript, default=default)

    monkeypatch.setattr("replylint.engine.scan.transcript_channel", counted)
    scripted = (("agent", "您好，工号[数字1]为您服务"), ("customer", "停电了"), ("agent", "再见"))
    calls = [with_meta(BARE, channel="phone"), with_meta(BARE), with_meta(scripted)]
    some_packs = load_packs(packs=["forbidden-phrases", "listening"])
    every_channel = [rule for rule in some_packs if not rule.info.channels]
    Linter(every_channel).lint_batch(calls)
    assert reads == []
    Linter(ETIQUETTE).lint_batch(calls)  # three findings each on the bare calls, none else
    assert reads == ["t", "t"]


# The closing is judged where the dialogue ends (ET004's final scope).

CLOSING = Linter([rule for rule in ETIQUETTE if rule.info.code == "ET004"], channel="phone")


@pytest.mark.parametrize(
    ("after", "flagged"),
    [
        ((), True),  # the agent had the last word
        ((("customer", "算了"),), True),  # the customer gave up and hung up
        ((("customer", "那什么时候来电？"),), False),  # a question: the dialogue goes on
        ((("customer", "你工号多少"),), False),
        ((("system", "请问您对本次服务满意吗？"),), True),  # the platform's line is no turn
    ],
)
def test_the_closing_is_judged_only_where_the_dialogue_ends(
    after: tuple[tuple[str, str], ...], flagged: bool
) -> None:
    call = with_meta((*BARE, *after))
    assert codes(CLOSING, call) == ({"ET004"} if flagged else set())


# Loading.

RULE = """code = "XX001"
name = "thing-said"
kind = "phrase"
severity = "warning"
message = "m"
suggestion = "s"
description = "d"
source = "s"
phrases = ["不行"]
"""
EXAMPLES = """
[[examples]]
flag = "坐席：不行。"

[[examples]]
pass = "坐席：可以。"
"""


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('channels = ["fax"]', "'channels' must be one of phone, chat, social; got 'fax'"),
        ("channels = []", "'channels' must not be empty"),
        (
            '[[examples]]\nchannel = "fax"\npass = "坐席：好的。"',
            "example 3: 'channel' must be one of phone, chat, social; got 'fax'",
        ),
    ],
)
def test_unknown_channels_are_refused_at_load(tmp_path: Path, extra: str, problem: str) -> None:
    top_level = extra.startswith("channels")
    text = f"{RULE}{extra}\n{EXAMPLES}" if top_level else f"{RULE}{EXAMPLES}\n{extra}\n"
    assert load_problems(tmp_path, text) == [problem]


def test_a_rule_of_ones_own_may_name_its_channels_and_its_examples_theirs(tmp_path: Path) -> None:
    text = RULE + 'channels = ["chat", "social"]\n' + EXAMPLES
    text += '\n[[examples]]\nchannel = "phone"\npass = "坐席：不行。"\n'
    (rule,) = load_rule_text(tmp_path, text)
    assert rule.info.channels == {Channel.CHAT, Channel.SOCIAL}
    assert [example.channel for example in rule.info.examples] == [None, None, Channel.PHONE]
    said = (("agent", "不行"),)
    assert codes(Linter([rule]), with_meta(said, channel="weibo")) == {"XX001"}
    assert codes(Linter([rule]), with_meta(said, channel="phone")) == set()


# Whatever the call, a rule never runs on a call of a channel it is not written for.

CHANNEL_NAMES = st.sampled_from(["phone", "电话", "chat", "在线客服", "social", "微博", "其他"])
TEXTS = st.sampled_from(["喂 请讲", "亲，在的呢", "@某某客服 停电了", "那您等着吧", "好的", ""])


@given(
    st.lists(st.tuples(st.sampled_from(["agent", "customer"]), TEXTS), max_size=6),
    st.none() | CHANNEL_NAMES,
    st.none() | st.sampled_from(list(Channel)),
)
def test_a_rule_runs_only_on_calls_of_its_channels(
    turns: list[tuple[str, str]], named: str | None, default: Channel | None
) -> None:
    call = with_meta(tuple(turns), **({} if named is None else {"channel": named}))
    linter = Linter(ETIQUETTE, channel=default)
    channel = transcript_channel(call, default=default)
    for finding in linter.lint(call):
        (rule,) = (r for r in ETIQUETTE if r.info.code == finding.rule)
        assert channel in rule.info.channels


# Examples cover channels (issue 14: a case per channel a rule applies to). An example
# covers the channel it runs as: its `channel`, else what its words show, else the rule's
# first channel; a dialogue nobody can place covers none.

SAID_ON = {
    Channel.PHONE: "客户：喂 我家停电了\n坐席：嗯 那个不行",
    Channel.CHAT: "客户：我的快递呢\n客服：亲 这个不行哦[微笑]",
    Channel.SOCIAL: "客户：@某某客服 我家停电了\n客服：不行。",
}


def rule_with_examples(tmp_path: Path, *examples: str, channels: str = "") -> Rule:
    tmp_path.mkdir(exist_ok=True)
    text = RULE + (f"channels = {channels}\n" if channels else "") + EXAMPLES
    (rule,) = load_rule_text(tmp_path, text + "".join(f"\n{e}\n" for e in examples))
    return rule


def test_an_example_covers_the_channel_its_words_show(tmp_path: Path) -> None:
    examples = [f"[[examples]]\npass = {json.dumps(said)}" for said in SAID_ON.values()]
    rule = rule_with_examples(tmp_path, *examples)
    ran_as = [example_channel(rule, e.dialogue, e.channel) for e in rule.info.examples]
    assert ran_as == [None, None, *SAID_ON]  # the two plain examples: nobody can say
    assert covered_channels(rule) == set(Channel)
    assert uncovered_channels(rule) == []


def test_an_example_naming_its_channel_covers_that_one_whatever_its_words(tmp_path: Path) -> None:
    rule = rule_with_examples(
        tmp_path, f'[[examples]]\nchannel = "chat"\npass = {json.dumps(SAID_ON[Channel.PHONE])}'
    )
    assert covered_channels(rule) == {Channel.CHAT}
    assert uncovered_channels(rule) == [Channel.PHONE, Channel.SOCIAL]


def test_a_rule_of_some_channels_reads_a_plain_example_as_its_first_and_needs_no_other(
    tmp_path: Path,
) -> None:
    phone_only = rule_with_examples(tmp_path / "a", channels='["phone"]')
    assert covered_channels(phone_only) == {Channel.PHONE}
    assert uncovered_channels(phone_only) == []
    social = f"[[examples]]\npass = {json.dumps(SAID_ON[Channel.SOCIAL])}"
    chat_and_social = rule_with_examples(tmp_path / "b", social, channels='["social", "chat"]')
    assert covered_channels(chat_and_social) == {Channel.CHAT, Channel.SOCIAL}


def test_each_channel_no_example_covers_is_a_data_problem_of_test_rules_with_channels(
    tmp_path: Path,
) -> None:
    rule = rule_with_examples(tmp_path, f"[[examples]]\npass = {json.dumps(SAID_ON[Channel.CHAT])}")
    assert len(list(channel_problems([rule]))) == 2  # phone and social
    assert check_rules([rule]).problems == ()
    assert len(check_rules([rule], channels=True).problems) == 2


@given(TEXTS, st.sampled_from(list(Channel)))
def test_an_example_with_a_channel_covers_exactly_it(text: str, channel: Channel) -> None:
    rule = replace_examples(Example(f"坐席：{text or '好的'}", should_flag=False, channel=channel))
    assert covered_channels(rule) == {channel}


def replace_examples(*examples: Example) -> Rule:
    (some,) = (rule for rule in ETIQUETTE if rule.info.code == "ET001")
    every_channel = dataclasses.replace(some.info, channels=frozenset(), examples=examples)
    return dataclasses.replace(some, info=every_channel)
