"""Clauses: where a turn splits, what each clause says about itself, and span queries.

Every sentence here is written for these tests, after the patterns of DOMAIN.md and the
field notes: phone (ASR, no punctuation, fillers, spaces), chat (亲, emoji codes,
[数字x]) and social media (@, #tag#, 私信), simplified and traditional.
"""

from __future__ import annotations

from itertools import pairwise

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.text.clauses import (
    Clause,
    Opening,
    Person,
    actor,
    clause_at,
    clause_index,
    in_mark,
    negated,
    previous_in_sentence,
    quoted,
    split_clauses,
)
from replylint.text.cues import words
from replylint.text.marks import MarkKind, find_marks, masked_spans
from replylint.text.surface import surface_view

to_traditional = opencc.OpenCC("s2t")


def pieces(text: str) -> list[str]:
    return [text[clause.start : clause.end] for clause in split_clauses(text)]


def span_of(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def clause_of(text: str, word: str) -> Clause:
    return clause_at(split_clauses(text), text.index(word))


# -- where a turn splits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sentence and clause punctuation, full and half width
        (
            "您好，这边是供电服务中心。请问您家是哪个小区？",
            ["您好，", "这边是供电服务中心。", "请问您家是哪个小区？"],
        ),
        ("好的,我帮您看一下.稍等!", ["好的,", "我帮您看一下.", "稍等!"]),
        ("这个嘛……我再确认一下", ["这个嘛……", "我再确认一下"]),
        ("收到\n马上给您安排", ["收到\n", "马上给您安排"]),
        ("第一步重启光猫；第二步重新拨号", ["第一步重启光猫；", "第二步重新拨号"]),
        ("您稍等哈~我去问问同事", ["您稍等哈~", "我去问问同事"]),
        # closing quotes stay with their clause
        ("他跟我讲：“明天再来。”我就一直等到现在", ["他跟我讲：“明天再来。”", "我就一直等到现在"]),
        # numbers and links are no boundary
        (
            "这个月电费1,280.50元，比上个月多了3.5度",
            ["这个月电费1,280.50元，", "比上个月多了3.5度"],
        ),
        (
            "详情见https://help.example.com/q?a=1,b=2。谢谢",
            ["详情见https://help.example.com/q?a=1,b=2。", "谢谢"],
        ),
        ("升级到v2.0以后就好了", ["升级到v2.0以后就好了"]),
        # punctuation or space alone is never a clause
        ("，，行吧", ["，，行吧"]),
        ("好的。 ", ["好的。 "]),
        ("", [""]),
        ("   ", ["   "]),
        # ASR pauses: a space between two words
        (
            "喂 您好 我家里从昨天晚上开始就没电了 到现在都没人来看",
            ["喂 您好 ", "我家里从昨天晚上开始就没电了 ", "到现在都没人来看"],
        ),
        ("好的 我这边马上给您登记", ["好的 ", "我这边马上给您登记"]),
        ("这个问题我们处理的 请您放心", ["这个问题我们处理的 ", "请您放心"]),
        # ... but not the spaces of ASR that spells out characters or words
        ("我 们 会 尽 快 处 理 的", ["我 们 会 尽 快 处 理 的"]),
        ("我们 已经 把 您 的 情况 记录 下来 了", ["我们 已经 把 您 的 情况 记录 下来 了"]),
        # ... nor a breath after a word that cannot end a clause
        ("我们会尽快 跟进处理 您别着急", ["我们会尽快 跟进处理 ", "您别着急"]),
        ("3 个 工 作 日 内", ["3 个 工 作 日 内"]),
        # connectives open a clause in unpunctuated text
        ("我们已经派人过去了但是路上有点堵", ["我们已经派人过去了", "但是路上有点堵"]),
        ("师傅在路上了然后大概半小时能到", ["师傅在路上了", "然后大概半小时能到"]),
        ("價格沒問題不過運費太貴了", ["價格沒問題", "不過運費太貴了"]),
        # ... but not inside the clause they belong to
        ("我们另外给您安排一个师傅", ["我们另外给您安排一个师傅"]),
        ("这只是一个初步的判断", ["这只是一个初步的判断"]),
        ("最近订单太多实在忙不过来", ["最近订单太多实在忙不过来"]),
        ("之所以停电是因为线路检修", ["之所以停电是因为线路检修"]),
        ("不但没修好还多收了钱", ["不但没修好还多收了钱"]),
        # marks are never split
        ("@电力客服 你们好 #停电#", ["@电力客服 ", "你们好 ", "#停电#"]),
    ],
)
def test_where_a_turn_splits(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_openings_and_sentences() -> None:
    clauses = split_clauses("您好，请稍等。我们查一下然后回复您")
    assert [c.opening for c in clauses] == [
        Opening.START,
        Opening.CLAUSE,
        Opening.SENTENCE,
        Opening.CONNECTIVE,
    ]
    assert [c.sentence for c in clauses] == [0, 0, 1, 1]
    assert previous_in_sentence(clauses, 1) == clauses[0]
    assert previous_in_sentence(clauses, 2) is None


def test_pause_opening() -> None:
    clauses = split_clauses("嗯 好的 那个 我们会安排师傅上门")
    assert clauses[-1].opening is Opening.PAUSE


def test_a_span_is_placed_in_its_clause() -> None:
    text = "您好，您的快递已经到了。请问还有什么可以帮您？"
    clauses = split_clauses(text)
    for offset in range(len(text)):
        clause = clause_at(clauses, offset)
        assert clause.start <= offset < clause.end
    assert clause_index(clauses, len(text)) == len(clauses) - 1


# -- features ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问您的户号是多少", True),
        ("师傅到了没有", True),
        ("师傅后来联系您没有", True),
        ("这跟您没有关系", False),
        ("您是不是已经重启过了", True),
        ("能不能帮我加急一下", True),
        ("这个套餐每个月多少钱", True),
        ("你们到底什么时候来修", True),
        ("為什麼又停電了", True),
        ("您收到短信了吗", True),
        ("是这个号码么", True),
        ("退款几天能到账", True),
        ("订单是否已经发货", True),
        ("好的?", True),
        ("不知道您说的是哪一款", True),  # a polite hedge asks
        ("不知道您家里有没有制氧机", True),
        ("我也不知道是不是真的吗", True),  # 吗 asks whatever comes before
        ("你 们 到 底 管 不 管", True),
        # 呢 in chat softens a statement; "a few" and "any" are no questions
        ("这边帮您查询呢", False),
        ("过几天就恢复了", False),
        ("没什么问题了", False),
        ("有什么问题可以随时联系我们", False),
        ("您这么说我就明白了", False),
        ("不管什么情况都会有人处理", False),
        ("我们会尽快给您答复", False),
        ("那么我们先挂了", False),
        # a question word inside what the speaker does not know is embedded, not asked
        ("我也不知道什么时候能修好", False),
        ("这个我们不清楚是哪个部门管的", False),
        # the speaker's "how would I know" says they do not know
        ("这个我哪知道", False),
        ("仓库怎么发出来的我哪知道呀", False),
        ("小美哪知道呀", False),
        ("您哪天方便", True),
        # a wh-word said twice with one verb means "whoever", "whatever"
        ("你爱找谁找谁", False),
        ("您想说什么就说什么", False),
        ("你爱咋咋地", False),
        ("您找谁", True),
    ],
)
def test_question(text: str, expected: bool) -> None:
    assert split_clauses(text)[-1].question is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请您保持手机畅通", True),
        ("您可以在APP上查看进度", True),
        ("欢迎您再次光临", True),
        ("有问题随时找我们哦", True),
        ("方便的话留一个联系电话", True),
        ("麻烦您提供一下订单号", True),
        ("私信我们您的手机号", True),
        ("請您耐心等候", True),
        ("麻烦私信一下寄修单号", True),
        ("也可以私信地址给小编", True),
        ("我们可以发一份说明给您", False),  # an offer of ours, no ask
        ("请问您贵姓", False),
        ("退款申请已经通过了", False),  # 申请 is no 请
        ("我们会联系您", False),
        ("已经为您登记", False),
    ],
)
def test_invitation(text: str, expected: bool) -> None:
    assert split_clauses(text)[-1].invitation is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("如果明天还没来电", True),
        ("若您对处理结果不满意", True),
        ("快递签收后请检查包裹", True),
        ("有进展我第一时间告诉您", True),
        ("万一还是不行您再打过来", True),
        ("如需开具发票", True),
        ("等师傅检测完之后再说", True),
        ("审核结果出来了", True),
        ("有任何疑问都可以找我", True),
        ("有其他问题都可以联系我", True),
        ("有物流进展会再告诉您", True),
        ("维修人员到达前会先打电话", True),
        ("师傅到场后会联系物业", True),
        ("到店时会有取货短信", True),
        ("下单后专员会联系您", True),
        ("人工客服上班后会第一时间回复您", True),
        ("您在APP提交申请后", True),  # the customer's own act comes first
        ("您把旧件寄回以后", True),
        ("您稍后会收到短信", False),
        ("您的问题我们核实后", False),
        ("那就是您手机后台在偷跑流量", False),  # 后台 is a word
        ("后台复核后会给您答复", False),  # a review is the service's own step
        ("核实后给您答复", False),  # our own step, not an event
        ("我们先核实一下", False),
        ("没有问题了", False),
        ("您刚才说的话我都记下了", False),
    ],
)
def test_condition(text: str, expected: bool) -> None:
    assert split_clauses(text)[-1].condition is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请留下电话以便师傅上门前联系", True),
        ("为了您的用电安全", True),
        ("方便我们尽快核实", True),
        ("好让工作人员提前准备", True),
        ("这个方法比较方便", False),
        ("我们会尽快核实", False),
    ],
)
def test_purpose(text: str, expected: bool) -> None:
    assert split_clauses(text)[-1].purpose is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已经给您登记好了", True),
        ("刚刚帮您提交了工单", True),
        ("我这边反馈过了", True),
        ("已為您轉交相關部門", True),
        ("我们会尽快反馈", False),
        ("这只是建议而已", False),
        ("稍后给您回电", False),
    ],
)
def test_done(text: str, expected: bool) -> None:
    assert split_clauses(text)[-1].done is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我这边帮您查一下", Person.FIRST),
        ("本店所有商品都是正品", Person.FIRST),
        ("小沃马上为您查询", Person.FIRST),
        ("小U这就帮你看看", Person.FIRST),
        ("客服这边已经收到了", Person.FIRST),
        ("您好我们会尽快处理", Person.FIRST),  # 您好 is a greeting, not the subject
        ("您稍等一下", Person.SECOND),
        ("亲亲可以看一下订单详情哦", Person.SECOND),
        ("王先生您好", Person.SECOND),
        ("師傅下午會上門", Person.THIRD),
        ("快递那边还没有揽收", Person.THIRD),
        ("我邻居家也停电了", Person.THIRD),
        ("您的快递已经签收了", Person.THIRD),  # 您的 owns, 快递 acts
        ("稍后给您回电", None),
        ("感谢您的耐心等待", None),
        ("这个亲自来一趟就行", None),  # 亲自 is no 亲
        ("亲 这个订单我帮您看看", Person.FIRST),  # 亲 calls the customer, 我 acts
        ("亲 小U帮您看看", Person.FIRST),
        ("需要他本人来网点办理", Person.THIRD),  # 本人 stresses 他
    ],
)
def test_person(text: str, expected: Person | None) -> None:
    assert split_clauses(text)[-1].person is expected


# -- span queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("我不是要投诉你们", "投诉", True),
        ("这个我们没有办法处理", "处理", True),
        ("我们无法在今天上门", "上门", True),
        ("请勿关闭页面", "关闭", True),
        ("別擔心，師傅尚未出發", "出發", True),
        ("您不用担心我们会处理", "处理", False),  # the negation belongs to 担心
        ("再不修好我就找媒体", "找媒体", False),  # ... to 修好
        ("是不是要重新登记", "登记", False),  # A不A asks
        ("不好意思让您久等了", "久等", False),
        ("对不起给您添麻烦了", "添麻烦", False),
        ("没问题我们马上安排", "安排", False),
        ("非常感谢您的理解", "理解", False),
    ],
)
def test_negated(text: str, word: str, expected: bool) -> None:
    span = span_of(text, word)
    assert negated(clause_of(text, word), span) is expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("售后会联系您", "联系", Person.THIRD),
        ("我们明天会联系您", "联系", Person.FIRST),
        ("稍后给您回电", "回电", None),
        ("您可以联系客服", "联系", Person.SECOND),
        ("你们再不处理我就去投诉", "投诉", Person.FIRST),
        ("再不解决就起诉你们", "起诉", None),
        ("我 们 会 联 系 您", "联", Person.FIRST),
        ("你们银行是不是把钱吞了", "吞", Person.SECOND),  # the addressee's bank: their side
        ("你们师傅一直不来", "来", Person.SECOND),
        ("银行说钱已经退了", "退", Person.THIRD),
        # a hit that opens with its own subject is acted by it, not by a topic before it
        ("业务员怎么讲的我不知道", "我不知道", Person.FIRST),
        ("售后让您去找银行", "您去找", Person.THIRD),  # 让您: an object, not a subject
        ("师傅也不清楚", "不清楚", Person.THIRD),
    ],
)
def test_actor(text: str, word: str, expected: Person | None) -> None:
    assert actor(clause_of(text, word), text.index(word)) is expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("客户说：“你们就是骗子”", "骗子", True),
        ("他在短信里写着：明天上午停电", "停电", True),
        ("「我要退貨」是他的原話", "退貨", True),
        ('邻居说"要去投诉"', "投诉", True),
        ("你们就是骗子", "骗子", False),
        ("我们的“专人”会联系您", "联系", False),
    ],
)
def test_quoted(text: str, word: str, expected: bool) -> None:
    assert quoted(clause_of(text, word), span_of(text, word)) is expected


# -- non-word spans ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@燃气客服小助手 怎么还没人来", [("@燃气客服小助手", MarkKind.MENTION)]),
        (
            "//@路人甲:转发 #断网三天#",
            [("@路人甲", MarkKind.MENTION), ("#断网三天#", MarkKind.TAG)],
        ),
        ("#双十一 快递太慢", [("#双十一", MarkKind.TAG)]),
        ("5#楼停电", []),  # a building number, no tag
        ("进度查这里https://t.cn/Ab12Cd。", [("https://t.cn/Ab12Cd", MarkKind.URL)]),
        ("官网www.example.com.cn/help有说明", [("www.example.com.cn/help", MarkKind.URL)]),
        ("发到li.si_01@example.cn就行", [("li.si_01@example.cn", MarkKind.URL)]),
        ("好的[微笑][抱拳]", [("[微笑]", MarkKind.EMOJI), ("[抱拳]", MarkKind.EMOJI)]),
        ("亲[玫瑰]", [("[玫瑰]", MarkKind.EMOJI)]),
        ("预计[数字x]个工作日内到账", [("[数字x]", MarkKind.NUMBER)]),
        ("退款[金额x]元", [("[金额x]", MarkKind.NUMBER)]),
        ("您是[姓名x]本人吗", [("[姓名x]", MarkKind.TEMPLATE)]),
        ("<NUM>小时内回复", [("<NUM>", MarkKind.NUMBER)]),
        ("这是第**次打电话了", [("**", MarkKind.NUMBER)]),
        ("尾号是139****0000的手机", [("****", MarkKind.NUMBER)]),
        ("XX先生您好", [("XX", MarkKind.TEMPLATE)]),
        ("请在ｘｘ号之前缴费", [("ｘｘ", MarkKind.NUMBER)]),  # a masked day is a number
        ("xx月xx日上门", [("xx", MarkKind.NUMBER), ("xx", MarkKind.NUMBER)]),
        # an address run is a template, 号 and all
        ("（xx市xx区xx路xx号）", [("xx", MarkKind.TEMPLATE)] * 4),
        ("（*省*市*区*号）", [("*", MarkKind.TEMPLATE)] * 4),
        ("［數字x］棟［數字x］單元", [("［數字x］", MarkKind.TEMPLATE)] * 2),
        ("××市××区", [("××", MarkKind.TEMPLATE)] * 2),
        ("Xbox和3x都不是", []),
    ],
)
def test_marks(text: str, expected: list[tuple[str, MarkKind]]) -> None:
    assert [(text[m.start : m.end], m.kind) for m in find_marks(text)] == expected


def test_masked_spans_are_the_placeholders() -> None:
    text = "@客服 [微笑] 您的单号[数字x]，地址xx市xx区"
    assert [m.kind for m in masked_spans(text)] == [
        MarkKind.NUMBER,
        MarkKind.TEMPLATE,
        MarkKind.TEMPLATE,
    ]


def test_no_cue_is_read_inside_a_mark() -> None:
    # The handle holds 投诉 and 曝光; the clause after it says nothing of the kind.
    text = "@消费者投诉曝光台 你好"
    clause = split_clauses(text)[0]
    assert in_mark(clause, span_of(text, "投诉"))
    assert "投诉" not in clause.view


# -- invariants -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        *"，。？！,.?! \n…；：“”「」",
        *words("我们 您 你们 亲 他 师傅 售后 小U 这边 会 将 尽快 稍后 马上 已经 刚刚 了 吗 么 呢"),
        *words("如果 如需 到货后 有结果 请 以便 为了 但是 然后 所以 不 没有 别 是不是 什么 几天"),
        *words("联系您 回复 处理 反馈 跟进 核实 通知 投诉 曝光 起诉 12315 记者 律师 就 说："),
        *words("[数字x] 个工作日内 xx市 *号 @客服小王 #停电# [微笑] https://t.cn/x 1.5 小时 邻居"),
        *words("好的 嗯 那个 我家 停电 三天 谢谢 不好意思 一下 可以 随时"),
    ]
)
SERVICE_TEXT = st.lists(FRAGMENTS, max_size=30).map("".join)


def features(clause: Clause) -> tuple[object, ...]:
    return (
        clause.opening,
        clause.sentence,
        clause.question,
        clause.invitation,
        clause.condition,
        clause.purpose,
        clause.done,
        clause.person,
        [(m.start, m.end, m.kind) for m in clause.marks],
        clause.quotes,
    )


def check_cover(text: str, clauses: tuple[Clause, ...]) -> None:
    assert clauses[0].start == 0
    assert clauses[-1].end == len(text)
    for before, after in pairwise(clauses):
        assert before.end == after.start
        assert before.start < before.end
    surface = surface_view(text)
    for clause in clauses:
        assert 0 <= clause.start <= clause.end <= len(text)
        for index, char in enumerate(clause.view):
            start, end = clause.original_span(index, index + 1)
            assert clause.start <= start < end <= clause.end
            assert char in (surface[start], "\ue000")


@given(SERVICE_TEXT)
def test_clauses_cover_service_text_exactly(text: str) -> None:
    check_cover(text, split_clauses(text))


@given(st.text(max_size=80))
def test_any_text_splits_and_answers(text: str) -> None:
    clauses = split_clauses(text)
    check_cover(text, clauses)
    for clause in clauses:
        features(clause)
        for offset in (clause.start, (clause.start + clause.end) // 2, clause.end):
            actor(clause, offset)
            negated(clause, (offset, offset))
            quoted(clause, (offset, offset))
            in_mark(clause, (offset, offset))


@given(SERVICE_TEXT)
def test_simplified_and_traditional_read_alike(text: str) -> None:
    traditional = to_traditional.convert(text)
    simplified_clauses = split_clauses(text)
    traditional_clauses = split_clauses(traditional)
    assert [features(c) for c in simplified_clauses] == [features(c) for c in traditional_clauses]
    if len(traditional) == len(text):
        assert [(c.start, c.end) for c in simplified_clauses] == [
            (c.start, c.end) for c in traditional_clauses
        ]
