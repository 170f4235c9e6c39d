"""Speech acts: a promise of follow-up, a threat to go public, a concrete time.

Every sentence is written for these tests, after the patterns of DOMAIN.md and the field
notes, in the three channels (phone ASR, chat, social media) and both scripts.
"""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.text.clauses import clause_index, split_clauses
from replylint.text.normalize import fold
from replylint.text.recognise.times import find_concrete_time
from replylint.text.speech import (
    Threat,
    concrete_time,
    is_promise,
    is_threat,
    promise_at,
    threat,
    time_on_template,
)
from tests.test_clauses import SERVICE_TEXT

to_traditional = opencc.OpenCC("s2t")


@pytest.mark.parametrize(
    "text",
    [
        # phone, punctuated
        "您反映的情况我记下了，我们会尽快安排维修人员联系您。",
        "这个我帮您上报到区县公司。",
        "稍后会有工作人员给您回个电话。",
        "工单已经提交了，后续会有专人跟进。",
        "明天一早安排师傅上门看看",
        "这边尽快回复",
        "我们一定给您一个满意的答复",
        "好的好的 明白 那我们这边派个师傅过去看看",
        "我们这边会再给您打过去的",
        "收到您的私信了，我们会安排专人核实后回复您",
        # phone, ASR
        "嗯 好的 那这个我们这边会尽快给您回复的",
        "我 们 会 再 联 系 您",
        "然后我这边给您反馈上去",
        "您先别着急我们会马上联系抢修班组",
        # chat
        "亲亲，这边已经登记好了，稍后专员会电话联系您哦[玫瑰]",
        "小蜜会尽快帮您跟进的哦",
        "亲，[姓名x]这边核实后给您答复哈",
        # social
        "@小林同学 您好，您的问题我们已经收到，会尽快私信回复您。",
        "已私信，请查收。稍后客服会与您电话联系。",
        # traditional
        "我們會在核實後盡快回覆您",
        "退款申请提交了我们会尽快审核回复您",  # 申请 is no 请
        "稍後會有專人與您聯繫",
        "這邊幫您轉交給相關部門處理",
        # own steps before the follow-up are no events; other verbs of following up
        "退费核对后会短信告知您结果",
        "后台复核后会给您一个合理的答复",
        "师傅会跟您约的",
        "我们这边会再查的",
        "我们会帮您催一下物流的",
        "我們會再派員過去看看",
        "亲 这个情况小橙帮您反馈上去",
        # a clause that opens on an event is its own instruction, not the next one's condition
        "寄回以后把单号发给我们 补贴核对后会短信告知您",
        "@小林 收到，稍后私信您处理方案",
        "资料齐了我们会帮您提交申请",
        # contacting another party is a promise when it is left for later
        "我们会联系中转站核实后短信告知您",
        "我们会联系快递",
        "我们核实后与您电话联系",
        "我们这边会尽快回复",
        "感谢您的反馈 我们会尽快上报处理",  # thanks is no praise to pass on
        "您稍后会接到电话 我们会联系您",  # 您稍后 is no act of the customer's
        "好的 那我们这边会给您一个合理的解决方案",
        "好嘅 我哋稍後會覆電俾你",  # Cantonese: call back
        "师傅明天来处理",  # 来 is coming, not now
        # a past matter we act on now
        "上次的事情我们这边跟进一下",
        "之前那个工单我们再帮您催",
        "上次您说的问题我们会尽快处理",
        "您说过的问题我们会处理",
        "好的 那我这边给您报上去",
        "我会把您的问题转给技术人员",  # the case, not the call, is passed on
    ],
)
def test_promises(text: str) -> None:
    assert is_promise(text)


@pytest.mark.parametrize(
    "text",
    [
        # invitations: the customer is asked to act
        "您如果还有别的问题，欢迎随时联系我们",
        "有需要您可以直接私信小编哦",
        "您也可以拨打我们的热线咨询",
        "如有任何疑問，歡迎隨時與我們聯繫",
        # questions
        "请问师傅联系过您了吗？",
        "之前有没有人给您回过电话",
        "亲，有什么问题小店可以帮您处理的吗？",
        "有什么可以帮您处理的呢",
        # what was already done
        "这个问题已经帮您反馈给技术部门了",
        "我刚刚已经给您回过电话了",
        # purpose clauses
        "麻烦把您的户号发一下，方便我们核实后给您回复",
        "請您提供訂單號碼，以便我們為您查詢",
        # another party's process
        "退货申请提交以后，商家会在后台联系您",
        "银行那边会通知您的",
        # notices that wait on an event
        "等包裹到了驿站，我们会第一时间短信通知您",
        "有新的进展会再通知您",
        "检测结果出来了会短信告知您",
        "运营同事处理完会第一时间回复您的",
        # handling now
        "我这就帮您处理一下",
        "我这边现在就给您处理",
        "现在就给您转接人工",
        "正在为您查询，请稍候",
        # offers, refusals, negations
        "我们可以帮您反馈一下",
        "亲亲 您这边可以先申请退款哦",
        # a habit describes the process; a noun names the thing
        "正常情况下三个工作日会有人联系您",
        "我们的工作人员一般会在上门前联系您",
        "感谢您的反馈",
        "这个我们确实没办法处理",
        "我们这边处理不了这种情况",
        # someone else's words
        "短信里写着：我们会在三天内联系您",
        "你们说好的会联系我",
        # notices the system sends, or that wait on an arrival or an order
        "到了自提点会有取件短信通知的",
        "设置完成后会有一条短信通知",
        "审核结果会以短信通知",
        "维修人员到达前会先打电话给您",
        "师傅到场后会联系物业开门",
        "下单后厂家的专员会联系您",
        "有物流进展会第一时间通知您",
        # the past told as 是…的; a negation in Cantonese; something the customer awaits
        "是昨天通过短信回复开通的哦",
        "我哋唔會打電話叫你轉賬",
        "请耐心等经理通知",
        "具体以实际处理为准",
        "【停电通知】线路检修",
        # an offer after an invitation waits on the customer
        "麻烦私信订单号，我们帮您查询物流",
        "也可以私信地址，我们帮您登记上门检测",
        "有什么问题随时私信我们，我们都会帮您处理哦",
        # done now
        "亲 我这边给您催一下物流",
        "想跟您约一下保养时间",
        "已私信您，请查收",
        "好的 我帮您登记",  # done while the customer waits
        "这个事情还在调查中",
        "线路老化导致电压不稳",  # 致电 inside 导致电压
        "您可以私信我们订单号",
        "亲 催完一般第二天就有物流了",
        # an offer reaches the staff it sends; what depends on others; what is done
        "我们可以安排技术人员上门检查",
        "这个要看师傅安排",
        "核实通过 您的卡已经冻结了",
        # contacting another party now is handling; a notice the system sends by itself
        "亲 我这边马上帮您联系快递核实一下 请稍等",
        "我联系一下仓库",
        "系统会自动发送短信通知",
        # a verb before 会 is the subject noun of what follows
        "停电通知也会在APP推送",
        "处理结果会以短信形式发送给您",
        # waiting on someone named
        "请您耐心等待师傅联系",
        # the customer's own act comes first
        "您在APP提交申请后 客服专员会联系您",
        # praise passed on follows up nothing
        "表扬已经记下了 会转给那边的供电所",
        "您的好评我们会转达给师傅",
        # a question that ends on 没有; the past told in 是…的吧; applying or dispatching now
        "那您看 师傅后来联系您没有",
        "嗯 上次是我们这边的同事跟您联系的吧",
        "好的 现在就给您申请退款",
        "我这边马上给您派单",
        "您好 请问遇到什么问题了 我来帮您处理",  # 我来: handled here and now
        # an earlier word told again, a past event, a call named by 是
        "对 之前那个同事应该是跟您说过会回电话的 是吧",
        "您是说 昨天有人打电话说要上门 对吧",
        "您好 我这边是电力公司回访",
        # a condition that opens after the customer's name governs the next clause
        "您有任何问题都可以联系我，我会帮您跟进的",
        "您后续有问题，我们会帮您处理",
        "您有其他问题都可以联系我 小桃会帮您跟进的",
        # a call transferred now; a reply that waits on the staff's shift
        "我把电话转给技术人员 他会帮您处理",
        "亲 人工客服已下班 上班后会第一时间回复您",
        "电力已经恢复电压正常",  # 复电 inside 恢复电压
    ],
)
def test_not_promises(text: str) -> None:
    assert not is_promise(text)


def test_promise_at_reads_the_sentence_around_the_clause() -> None:
    text = "到货以后，第一时间通知您。明天我们再联系您"
    clauses = split_clauses(text)
    notice = clause_index(clauses, text.index("通知"))
    promise = clause_index(clauses, text.index("再联系"))
    assert not promise_at(clauses, notice)
    assert promise_at(clauses, promise)
    assert is_promise(clauses[notice])  # the clause alone does not know its condition


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("再拖下去我就找电视台来曝光你们", Threat.MEDIA),
        ("我已经把这事发到微博上了", Threat.MEDIA),
        ("你们再这样 我直接找记者了", Threat.MEDIA),
        ("我會向媒體爆料", Threat.MEDIA),
        ("明天我就去市场监管局举报你们", Threat.REGULATOR),
        ("我昨天已经打了12345", Threat.REGULATOR),
        ("不给我个说法我就投诉到消协", Threat.REGULATOR),
        ("我要向银保监会反映你们乱收费", Threat.REGULATOR),
        ("再不處理我就去消基會申訴", Threat.REGULATOR),
        ("这件事我会请律师跟你们谈", Threat.LEGAL),
        ("你们等着接法院传票吧", Threat.LEGAL),
        ("再不退钱咱们法庭见", Threat.LEGAL),
        ("你哋再唔處理我就搵律師", Threat.LEGAL),  # Cantonese
        ("我要发朋友圈让大家都看看", Threat.MEDIA),
        ("我要让媒体来评评理", Threat.MEDIA),
        ("我們已經找好律師了", Threat.LEGAL),
        # a question in a threat's shape is a threat (decided: see speech.py)
        ("信不信我明天就去12315投诉你们？", Threat.REGULATOR),
        ("你们是不是非要我去找媒体才肯处理", Threat.MEDIA),
        ("信不信我把聊天记录发到网上", Threat.MEDIA),
        ("别逼我去找记者", Threat.MEDIA),
    ],
)
def test_threats(text: str, kind: Threat) -> None:
    assert threat(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "我看新闻说有人去12315投诉了你们",  # a story about others
        "3·15晚会上曝光过这个牌子",  # news
        "我表哥是律师",  # a word, no act
        "@北京消协 你好 想咨询一下",  # a handle
        "#315曝光# 这次轮到谁",  # a tag
        "我也不想闹到要起诉的地步",  # names the act
        "我没打算投诉到工信部",  # negated
        "我不会找律师的",
        "我看到微博上有人曝光你们",
        "别逼我去投诉",  # a complaint to the company
        "投诉到工信部有用吗",  # a question about the act
        "你们工作人员让我去找消协",  # someone else's advice
        "这个广告你们还发不发了",  # 告你们 inside 广告你们
        "系统提示警告你们的账号有风险",
        "我昨天发微博问过你们",  # posting is everyday; no intent
        "我要投诉这个客服",  # a complaint to the company is no threat
        "举报电话是多少",
        "他們說要去告你們",
        "您可以拨打12315咨询",  # the agent's advice
    ],
)
def test_not_threats(text: str) -> None:
    assert not is_threat(text)


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("我们会在[数字x]个工作日内给您答复", "[数字x]个工作日内"),
        ("寄到（*省*市*区*号）后三天内退款", "三天内"),
        ("请在xx号之前完成缴费", "xx号"),  # a masked day is a day
        ("师傅（xx市xx区xx号）会尽快上门", None),
        ("收货地址：××省××市××区××号，我们尽快发出", None),
        ("我们尽快给您回复", None),
        ("兩個工作日內回覆您", "兩個工作日內"),
        ("安排同事半個鐘內上門", "半個鐘內"),  # Cantonese: 个钟 is an hour
        ("结果会在[日期2]前通知您", "[日期2]"),  # a masked date is a date
        ("台区经理下午给您回电", "下午"),  # this afternoon
        ("维修师傅明早会联系您", "明早"),  # tomorrow morning
        ("后天晚上给您回电", "后天晚上"),
        ("这说明早就该换了", None),  # 明 ends 说明
        ("安检员定在[时间2]上门", "[时间2]"),  # a masked time of day is a time
        ("第一时间通知您", None),
    ],
)
def test_concrete_time_ignores_templates(text: str, time: str | None) -> None:
    span = concrete_time(text)
    assert (None if span is None else text[span[0] : span[1]]) == time


def test_a_template_is_what_the_time_detector_misread() -> None:
    text = "师傅（xx市xx区xx号）会尽快上门"
    folded = fold(text)
    match = find_concrete_time(folded.view)
    assert match is not None  # the bare detector reads 号 as a date
    assert time_on_template(text, folded.original_span(*match.span()))
    day = "请在xx号之前完成缴费"
    day_folded = fold(day)
    day_match = find_concrete_time(day_folded.view)
    assert day_match is not None
    assert not time_on_template(day, day_folded.original_span(*day_match.span()))


def test_concrete_time_reuses_the_callers_fold() -> None:
    text = "24小时内给您回电"
    assert concrete_time(text, fold(text)) == concrete_time(text) == (0, 5)


@given(st.text(max_size=80))
def test_speech_acts_answer_any_text(text: str) -> None:
    is_promise(text)
    threat(text)
    span = concrete_time(text)
    assert span is None or 0 <= span[0] < span[1] <= len(text)


@given(SERVICE_TEXT)
def test_simplified_and_traditional_act_alike(text: str) -> None:
    traditional = to_traditional.convert(text)
    assert is_promise(traditional) == is_promise(text)
    assert threat(traditional) == threat(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们会联系您" * 20000,  # one clause, a verb every few characters
        "我不" * 50000,
        "xx市" * 30000,
        "“" * 100000,
        "他说：" * 30000,
        "信不信我去找记者" * 10000 + "?",
        "好的 我们会处理 " * 10000,
    ],
)
def test_long_turns_are_read_in_one_pass(text: str) -> None:
    # Every query looks back a bounded window: a megabyte-sized turn is no quadratic trap.
    clauses = split_clauses(text)
    assert clauses[-1].end == len(text)
    is_promise(text)
    threat(text)
    concrete_time(text)
