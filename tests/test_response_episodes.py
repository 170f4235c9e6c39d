"""A response rule reads upset over several turns, as a QA reviewer does: weak triggers
(``trigger_follow_ups``) that need a second sign, turns that laugh (``trigger_turn_exceptions``),
and a burst of messages as one episode (``episodes``). Then the bundled MA001 on the kinds of
upset the field notes name, and their traps.

Every sentence here is written for these tests, after the patterns of the field notes.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter
from replylint.kinds import Rule
from replylint.kinds.response import ResponseRule
from tests.conftest import CONTRACT_RULES, dialogue
from tests.test_reading_rules import found, load, response_file

UPSET = {"triggers": ["太差了"], "responses": ["抱歉"]}


def episode_rule(tmp_path: Path, **keys: object) -> tuple[Rule, ...]:
    return load(tmp_path, response_file(**(UPSET | keys)))


# -- follow-ups: weak triggers --------------------------------------------------------------


def test_a_follow_up_alone_is_no_trigger(tmp_path: Path) -> None:
    rules = episode_rule(tmp_path, trigger_follow_ups=["问谁"])
    assert found(rules, ("customer", "退款的事问谁"), ("agent", "问卖家")) == []


def test_a_follow_up_counts_while_an_earlier_trigger_is_unanswered(tmp_path: Path) -> None:
    rules = episode_rule(tmp_path, trigger_follow_ups=["问谁"])
    turns = [("customer", "太差了"), ("agent", "问卖家吧"), ("customer", "问谁"), ("agent", "卖家")]
    assert found(rules, *turns) == [(0, "XX001", "太差了"), (2, "XX001", "问谁")]


def test_an_answer_in_between_ends_the_upset(tmp_path: Path) -> None:
    (rule,) = episode_rule(tmp_path, trigger_follow_ups=["问谁"], window=2)
    turns = [
        ("customer", "太差了"),
        ("agent", "抱歉"),
        ("customer", "问谁"),
        ("agent", "问卖家"),
    ]
    assert found((rule,), *turns) == []


def test_an_exclamation_backs_a_follow_up(tmp_path: Path) -> None:
    rules = episode_rule(tmp_path, trigger_follow_ups=["问谁"])
    for text in ("问谁！", "问谁？？", "问谁?!"):
        assert found(rules, ("customer", text), ("agent", "问卖家")) == [(0, "XX001", "问谁")]
    assert found(rules, ("customer", "问谁？"), ("agent", "问卖家")) == []


def test_a_strong_trigger_is_reported_before_a_follow_up(tmp_path: Path) -> None:
    rules = episode_rule(tmp_path, trigger_follow_ups=["问谁"])
    assert found(rules, ("customer", "问谁！太差了"), ("agent", "好的")) == [(0, "XX001", "太差了")]


# -- turn exceptions and episodes -------------------------------------------------------------


def test_a_turn_exception_anywhere_in_the_turn_makes_it_no_trigger(tmp_path: Path) -> None:
    rules = episode_rule(tmp_path, trigger_turn_exceptions=["哈哈"])
    assert found(rules, ("customer", "太差了 哈哈 开个玩笑"), ("agent", "好的")) == []
    assert found(rules, ("customer", "太差了"), ("agent", "好的")) == [(0, "XX001", "太差了")]


def test_a_burst_before_any_answer_is_one_episode(tmp_path: Path) -> None:
    turns = [("customer", "太差了"), ("customer", "真的太差了"), ("agent", "好的")]
    (tmp_path / "plain").mkdir()
    assert found(episode_rule(tmp_path, episodes=True), *turns) == [(0, "XX001", "太差了")]
    assert len(found(episode_rule(tmp_path / "plain"), *turns)) == 2


def test_the_new_keys_load_with_their_defaults(tmp_path: Path) -> None:
    (rule,) = episode_rule(tmp_path)
    assert isinstance(rule, ResponseRule)
    assert (rule.trigger_follow_ups, rule.trigger_turn_exceptions, rule.episodes) == ((), (), False)


# -- the bundled MA001 ------------------------------------------------------------------------

MA001 = Linter(tuple(rule for rule in CONTRACT_RULES if rule.info.code == "MA001"))


def ma001(*turns: tuple[str, str]) -> list[int]:
    return [finding.turn for finding in MA001.lint(dialogue(*turns))]


def test_ma001_reads_insults_neglect_pushback_and_grievances() -> None:
    for upset in (
        "你们这个垃圾公司",
        "私信你们也不回",
        "你这是什么态度",
        "排什么排 出了事谁管",
        "十天了还没发货",
        "这个月第三回了",
        "你們師傅一直不給修",  # 你們師傅: the addressee's side, no third party
        "师傅说好下午来 结果到现在都没来",  # staff are the service's side, no outsider
        "快递三天了还没到",
        "靠北喔，付款後才說缺貨",
    ):
        assert ma001(("customer", upset), ("agent", "请提供订单号")) == [0], upset


def test_ma001_is_silent_on_thanks_questions_third_parties_and_jokes() -> None:
    for calm in (
        "好的，谢谢你啊",
        "那大概什么时候能到",
        "不是 我问的是流量包",
        "你等着 我找一下户号",
        "我楼下那个物业真是流氓",
        "我邻居真是个神经病",
        "今天有个骗子冒充你们客服打电话",
        "你们家辣条太好吃了 哈哈 气死我了",
        "最近老收到垃圾短信",
    ):
        assert ma001(("customer", calm), ("agent", "好的")) == [], calm


def test_ma001_counts_a_pointed_question_while_the_customer_is_still_upset() -> None:
    turns = [
        ("customer", "你们就是骗子"),
        ("agent", "您可以自己看合同"),
        ("customer", "合同里哪条写了？"),
        ("agent", "第十二条"),
    ]
    assert ma001(*turns) == [0, 2]
    assert ma001(*turns[2:]) == []


UPSET_WORDS = [
    "垃圾公司",
    "太差了",
    "凭什么",
    "问谁",
    "哈哈",
    "十天了还没",
    "！",
    "？？",
    "你们",
    "好的",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(UPSET_WORDS), min_size=1, max_size=6))
def test_an_apology_in_the_next_agent_turn_always_answers(words: list[str]) -> None:
    turns = [("customer", "".join(words)), ("agent", "非常抱歉给您带来不便")]
    assert ma001(*turns) == []
