"""Speech acts a rule needs: a promise of follow-up, a threat to go public, a concrete time.

They run only where a rule phrase hit, on the clause around the hit (clauses.py), with
precompiled regexes and no segmentation.

A promise is the service side's own future commitment to follow up: 我们会尽快联系您,
会有专人联系您, 稍后给您回电, 核实后答复, 安排专人跟进. Not a promise: an invitation (如有
疑问请随时联系我们), a question (工作人员联系您了吗), what was done (已为您反馈), a purpose
(以便我们核实后联系您), another party's process (售后会联系您), a notice that waits on an
event (到货后第一时间通知您, 有结果会短信通知您), handling now (马上帮您处理), an offer
(我可以帮您处理).

A threat is the customer's own intent or act of going to the media, a regulator or the
law: 我要曝光, 已经投诉到工信部了, 再不解决就起诉, 我去12315告你们. Not a threat: a story
about others (我邻居投诉过), news (3·15曝光了…), an @handle or #tag#, a negation (我不是要
曝光), a question about the act (可以投诉到工信部吗?). Decided: a question that threatens in
a question's shape is a threat (你们不怕我投诉到工信部吗? 信不信我去找记者?): a QA reviewer
hears it as one and expects the agent to escalate. A complaint to the company itself (我要
投诉你们) is a complaint, not a threat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum

from replylint.text import cues
from replylint.text.clauses import (
    Clause,
    Person,
    Span,
    negated_in_view,
    person_of,
    previous_in_sentence,
    quoted,
    scope_start,
    split_clauses,
    subject_before,
)
from replylint.text.recognise.times import concrete_time, time_on_template

# Concrete times live with the time recogniser; this module names them for its callers.
__all__ = [
    "Threat",
    "concrete_time",
    "is_promise",
    "is_threat",
    "promise_at",
    "promised_spans",
    "promises_at",
    "threat",
    "threatening_acts",
    "time_on_template",
]

# -- promises ---------------------------------------------------------------------------

# Flat, literal-first alternations (see cues.py). Contact verbs reach the customer later
# (马上联系您 is a promise too); escalation verbs hand the case on, and its outcome comes
# later; handling verbs are a promise unless the agent does it now (马上帮您处理, 查询一下).
_FOLLOW_UP = re.compile(
    r"联系(?!方式|电话|人|地址|号码)|联络|回复(?!率)|答复|回电|回话|回拨|电联|回访"
    r"|致电(?<![导以所一大极细景标别雅兴精]致电)"  # not 导致电压
    r"|通知(?!单|书|】|」)|告知|打个?电话|回个?电话|打给你|给你打(?:个?电话|过去|回去)|打过去"
    r"|私信(?=你)|私讯(?=你)"
    r"|(?<![恢重])[复覆]电|(?<![重回答恢报反])[复覆](?=你)"  # Cantonese 覆电, 覆你: call back
    # 给您一个合理的答复 has its verb; 给您一个满意的解决方案, 一个说法 promise the same
    r"|给你一?个(?:合理|满意|明确|妥善)?的?(?:解决|处理)?(?:方案|说法|交代)"
    r"|上报|报上去|反馈|转交|转给|转告|转达|跟进|安排|派个?(?:人|员|师傅|专人|工作人员)|派单"
    r"|催办|督办|协调|落实|沟通|对接|登记|提交"
    r"|催(?!办|促了|了|过|完|款|缴|费)|约(?=时间|上门)|约(?<=[跟和与同]你约)"
    r"|申请(?!单|表|书|人|的)|上门(?!费|服务|取件)"
    r"|处理(?!结果|意见|方案|进度|方式|情况|为准)|核实(?!通过|无误|完毕)|核查(?!通过|无误|完毕)"
    r"|查询|调查"
    r"|查(?<![检调排审抽普复巡核追稽一]查)(?!询|看|到|了|过|收|验|找|获|一下|一查|清楚了)"
)
_HANDLING = frozenset(cues.words("处理 核实 核查 查询 调查 查 催 约 沟通 对接 申请 派单"))
# Contacting someone else (马上帮您联系快递核实一下) is handling; contacting the customer
# (马上联系您) reaches them later, so it stays a promise.
_CONTACT = frozenset(cues.words("联系 联络"))
_TO_CUSTOMER = re.compile(r"(?:您|你)")
# Done while the customer waits (我帮您登记): a promise only with a future-word (会帮您登记).
_IN_CALL = frozenset(cues.words("登记 提交"))
# Verbs that pass something on; passing on praise follows up nothing.
_PASS_ON = frozenset(cues.words("转达 转告 转给 转交 反馈 上报"))
# 把电话转给技术人员 transfers the call now, as 转接 does.
_TRANSFERRED = re.compile(r"把(?:电话|通话|你|您)(?:的电话)?$")
_INABILITY = re.compile(r"不(?:了|到|上|来|过来)")
_TO_US = re.compile(r"(?:我们|我司|我|客服|小编|本店|小店)")  # 联系我们: the customer acts
_NOW = re.compile(r"马上|立即|立刻|立马|即刻|现在|这就|正在|当场|先|(?<=我)来|(?<=这边)来")
# A notice the system sends (会有短信通知, 结果会以简讯通知), one the customer waits for
# (请等经理通知, 等师傅来处理) or one that depends on someone (这个要看师傅安排) is no
# commitment of the agent's.
_AUTOMATIC = re.compile(
    r"有[^,;。!?]{0,6}?(?:短信|简讯|消息|邮件|推送|提醒)|以(?:短信|简讯|邮件)"
    r"|结果(?:出来)?(?:后|会|将|也会)|自动|系统(?:也|都)?(?:会|将)"
)
# 等我们核实完 is our own act; 耐心等待师傅联系 waits on someone named.
_AWAITED = re.compile(
    rf"等(?<!稍等)(?<!等等)(?!等|待|一下|一会|会儿|候|我)|等待(?={cues.STAFF_WORD.pattern})"
    r"|要看|得看|还看|需要看"
)
# A verb followed by 会 is the subject noun of what follows (停电通知也会在APP推送).
_AS_SUBJECT = re.compile(r"(?:也|都|还)?(?:会|将)(?!员|议|计)")
# A clause that is a condition from its first word; a condition cue this close to a clause's
# end leads into the next clause (有结果了，…).
_HYPOTHETICAL = re.compile(
    r"(?:如果|假如|假设|若|要是|如需|如有|如遇|如若|倘若|万一|一旦|只要|除非|等|待|届时"
    r"|有(?:任何|什么|其他|其它|别的)?(?:问题|疑问|需要|需求|困难))"
)
_ADDRESSED = re.compile(r"(?:那|那么)?(?:你们?)?(?:这边|那边)?(?:后续|以后|之后)?")
_CUE_TAIL = 2
_TRAILING = f"{cues.BLANK},.;:!?~。 "
# A past event told in the cleft 是…的 (是昨天通过短信回复开通的).
_CLEFT_END = re.compile(rf"[^,;。!?]{{0,12}}的[哦呢啊呀喔哈嘛吧]?[{cues.BLANK},.!?~。]*$")
_RIGHT_NOW = re.compile(r"一下")
_CLAUSE_END = re.compile(rf"[{cues.BLANK},.!?~。]*$")
_OFFER = re.compile(r"可以|能够|能(?!不)")
# A habit describes the process, it commits to nothing: 一般会在上门前联系您.
_SAID_BEFORE = re.compile(r"(?:说|讲|答应|承诺|保证)过")
# A day gone by that tells an event, not one that names a thing (上次的事, 之前那个工单).
_PAST_DAY = re.compile(r"(?:昨天|前天|上次|上回|上周|那天|之前)(?![的那这])")
_PAST_SAID = re.compile(rf"(?:{_PAST_DAY.pattern})[^,;。!?]*?说")
_HABIT = re.compile(r"一般|通常|正常情况下|往往|一向|向来")
_NEAR = 10  # view characters before a verb that say when it happens (马上, 现在就)
_GIVE = re.compile(r"给你们?")
_DONE_MARK = re.compile(r"(?<!而)已|刚刚|刚才")
_DONE_AFTER = re.compile(r"(?:你们?)?(?:过|好|完)?了")


def is_promise(clause: Clause | str, *, previous: Clause | None = None) -> bool:
    """Whether a clause (or any clause of a text) promises a follow-up. ``previous`` is
    the clause before it in the same sentence: a condition there (到货后，…) governs it."""
    if isinstance(clause, str):
        clauses = split_clauses(clause)
        return any(
            is_promise(one, previous=previous_in_sentence(clauses, index))
            for index, one in enumerate(clauses)
        )
    return next(promised_spans(clause, previous=previous), None) is not None


def promised_spans(clause: Clause, *, previous: Clause | None = None) -> Iterator[Span]:
    """The original spans of the verbs by which the clause promises a follow-up."""
    if clause.question or clause.purpose or clause.condition:
        return
    if previous is not None and _governs(previous):
        return
    # After an invitation (请您私信单号，我们帮您查询) an act without 会 is an offer that
    # waits on the customer; 请保持电话畅通，我们会联系您 still promises.
    offered = previous is not None and previous.invitation and not previous.question
    view = clause.view
    praise = _passes_on_praise(clause, previous)
    for match in _FOLLOW_UP.finditer(view):
        if praise and match.group() in _PASS_ON:
            continue
        if _promised(view, match, offered=offered):
            span = clause.original_span(*match.span())
            if not quoted(clause, span):
                yield span


def _passes_on_praise(clause: Clause, previous: Clause | None) -> bool:
    """Whether the clause, or the one before it, names praise the agent passes on."""
    return any(cues.PRAISE.search(one.view) for one in (clause, previous) if one is not None)


def _governs(previous: Clause) -> bool:
    """Whether a condition in the clause before governs the next one: the clause is a
    condition (如果…还没到账，您可以…), or ends on one (到货以后，…); an instruction that
    opens on an event (寄出后把单号发给小蓝) is a clause of its own."""
    if previous.question or not previous.condition:
        return False
    view = previous.view.rstrip(_TRAILING)
    opening = _ADDRESSED.match(view)  # 您有任何问题都可以联系我，…: the condition opens it
    start = opening.end() if opening else 0
    return _HYPOTHETICAL.match(view, start) is not None or any(
        cue.end() >= len(view) - _CUE_TAIL for cue in cues.CONDITION.finditer(view)
    )


def promise_at(clauses: Sequence[Clause], index: int, span: Span | None = None) -> bool:
    """`is_promise` on ``clauses[index]``, with its sentence's previous clause; with
    ``span`` (original offsets), only a promise whose verb overlaps it counts."""
    return any(span is None or _overlap(span, verb) for verb in promises_at(clauses, index))


def promises_at(clauses: Sequence[Clause], index: int) -> Iterator[Span]:
    """`promised_spans` of ``clauses[index]``, with its sentence's previous clause."""
    return promised_spans(clauses[index], previous=previous_in_sentence(clauses, index))


def overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(_overlap(span, other) for other in others)


def _overlap(one: Span, other: Span) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _promised(view: str, verb: re.Match[str], *, offered: bool = False) -> bool:
    at, end = verb.span()
    # 处理不了, 联系我们 (the customer acts), 还在调查中 (a state), a negation: no promise.
    if (
        _INABILITY.match(view, end)
        or _TO_US.match(view, end)
        or _AS_SUBJECT.match(view, end)
        or _TRANSFERRED.search(view, max(0, at - _NEAR), at)
        or view.startswith("中", end)
        or negated_in_view(view, at)
    ):
        return False
    subject = subject_before(view, at)
    if not _service_side(subject):
        return False
    lead = view[subject.end() if subject else scope_start(view, at) : at]
    if _not_committed(view, lead, verb) or (offered and not cues.FUTURE.search(lead)):
        return False
    window = view[max(0, at - cues.LOOKBACK) : at]
    if _AUTOMATIC.search(window) or _AWAITED.search(window):
        return False
    return _left_for_later(view, verb, lead)


def _left_for_later(view: str, verb: re.Match[str], lead: str) -> bool:
    """Whether a verb the service side commits to is left for later: an in-call act only
    with a future-word, a handling verb unless it is done now."""
    at, end = verb.span()
    if verb.group() in _IN_CALL:
        return cues.FUTURE.search(lead) is not None
    if verb.group() in _HANDLING:
        return not _handled_now(view, at, end, lead)
    if _contacts_another_party(view, verb):  # but 会马上联系抢修班组 commits to it
        return cues.FUTURE.search(lead) is not None or not _handled_now(view, at, end, lead)
    return True


def _contacts_another_party(view: str, verb: re.Match[str]) -> bool:
    return verb.group() in _CONTACT and not _TO_CUSTOMER.match(view, verb.end())


def _handled_now(view: str, at: int, end: int, lead: str) -> bool:
    """A handling verb done now: a now-word after any future-word before it (马上帮您处理,
    会有专人即刻处理; not 会马上…之后处理), or 一下 after it without a future-word
    (查一下; but 我们会帮您催一下)."""
    before = view[max(0, at - _NEAR) : at]  # 现在就给您处理: the 就 cuts no time word
    now = [match.end() for match in _NOW.finditer(before)]
    future = [match.end() for match in cues.FUTURE.finditer(before)]
    if now and (not future or now[-1] > future[-1]):
        return True
    return bool(_RIGHT_NOW.match(view, end)) and not cues.FUTURE.search(lead)


def _not_committed(view: str, lead: str, verb: re.Match[str]) -> bool:
    """An invitation (请随时联系), an offer (我可以帮您反馈), a habit (一般会联系), a
    noun (您的反馈; but 给您一个合理的答复) or something already done."""
    at = verb.start()
    nominal = view[at - 1 : at] == "的" and not _GIVE.search(lead)
    return bool(
        nominal
        or cues.INVITATION.search(lead)
        or _OFFER.search(lead)
        or _HABIT.search(view, max(0, at - cues.LOOKBACK), at)
        or _reported(view, at)
        or _done(view, lead, verb.span())
    )


def _reported(view: str, at: int) -> bool:
    """Someone's earlier word told again (同事跟您说过会回电话, 昨天有人打电话说要上门):
    a promise made before, not the agent's now."""
    window = view[max(0, at - cues.LOOKBACK) : at]
    return _told_after(_SAID_BEFORE, window) or _told_after(_PAST_SAID, window)


def _told_after(mark: re.Pattern[str], before: str) -> bool:
    """Whether ``mark`` stands in the words before a verb with no first person after it:
    上次的事我们会跟进 and 您说过的问题我们会处理 are ours to do now."""
    ends = [found.end() for found in mark.finditer(before)]
    return bool(ends) and "我" not in before[ends[-1] :]


def _service_side(subject: re.Match[str] | None) -> bool:
    """We, nobody named (稍后给您回电), or our staff (专人, 工作人员, 师傅); not the
    customer, and not another party (售后, 银行, 快递) or an unnamed 他."""
    person = person_of(subject)
    if subject is None or person is Person.FIRST:
        return True
    return person is Person.THIRD and cues.STAFF_WORD.fullmatch(subject.group()) is not None


def _done(view: str, lead: str, verb: Span) -> bool:
    """Already done: a done-marker before the verb with no look ahead after it (已经登记了
    后续会联系您 looks ahead), the verb in the perfect (联系过您了), or told in the cleft
    是…的, whose 是 may stand before the subject (上次是我们的同事跟您联系的吧)."""
    at, verb_end = verb
    marker_ends = [marker.end() for marker in _DONE_MARK.finditer(lead)]
    if marker_ends and not cues.FUTURE.search(lead, marker_ends[-1]):
        return True
    told = view[scope_start(view, at) : at]
    if _told_after(_PAST_DAY, told) and not cues.FUTURE.search(told):
        return True  # 昨天有人打电话: a past event
    named = _CLEFT_END.match(view, verb_end) or _CLAUSE_END.match(view, verb_end)
    if "是" in told and named and not cues.FUTURE.search(told):
        return True  # 是…的 tells the past; 我这边是电力公司回访 names the call
    return bool(_DONE_AFTER.match(view, verb_end)) and not cues.FUTURE.search(lead)


# -- threats ----------------------------------------------------------------------------


class Threat(Enum):
    MEDIA = "media"  # 曝光, 找记者, 发微博, 上新闻
    REGULATOR = "regulator"  # 工信部, 12315, 消协, 市场监管, 举报
    LEGAL = "legal"  # 起诉, 律师, 法院, 告你们, 报警


# Regulators, complaint lines and platforms that act on complaints; longest spelling first.
_REGULATORS = cues.words(
    "工信部 12315 12345 12398 12378 12321 12365 12358 市长热线 政府热线 消协 消费者协会 消委会 "
    "消基会 消保官 市场监管局 市场监管部门 市场监管 工商局 工商 银保监会 银保监 银监会 银监 金管会 "
    "证监会 人民银行 人行 央行 能源局 发改委 物价局 信访局 信访办 信访 通信管理局 通管局 监管部门 "
    "有关部门 纪委 3·15 315 黑猫投诉 ncc 公平会"
)
_REGULATOR = "|".join(_REGULATORS)
_MEDIA = (
    r"曝光|爆料|上(?:新闻|电视|热搜|头条)|让(?:大家|所有人|全网)都?(?:看看|知道)|公之于众|"
    + cues.each(("找", "联系", "告诉", "叫", "让", "向", "给"), "{w}(?:记者|媒体|电视台|报社)")
)
# Posting is everyday (我发微博问一下, 我也就发发微博): it threatens only with an intent
# (我要发微博, 我就把账单po到网上, 放上连登).
_POSTING = (
    r"发(?<!发发)到?(?:微博|抖音|网上|网路上|朋友圈|小红书|快手|头条)"
    r"|po(?:到|上)?(?:网上|网路上|网|脸书|facebook|fb|ig)|放(?:上|到)(?:网|连登|脸书|facebook|fb|ig)"
)
_TO_REGULATOR = (
    cues.each(("投诉", "举报", "检举", "反映", "申诉"), rf"{{w}}(?:到|去|给|向)?(?:{_REGULATOR})")
    + "|"
    + cues.each(("找", "打", "拨打", "去", "到", "致电", "向", "给"), rf"{{w}}了?(?:{_REGULATOR})")
    + "|"
    + cues.each(_REGULATORS, "{w}(?:投诉|举报)")
    + "|举报|检举"
)
_LEGAL = (
    r"起诉|提告|上诉|打官司|请[了好]?个?律师|找[了好]?个?律师|律师函|走法律(?:途径|程序)|法律途径"
    r"|诉诸法律|去法院|到法院|上法院|告(?<![广警报忠公通预劝转宣被原]告)(?:你们?|到|上)"
    r"|报警|报案|仲裁|法庭见|法院见|传票"
)
_ACTS = {
    Threat.MEDIA: re.compile(f"{_MEDIA}|{_POSTING}"),
    Threat.REGULATOR: re.compile(_TO_REGULATOR),
    Threat.LEGAL: re.compile(_LEGAL),
}
_ACT = re.compile("|".join((_MEDIA, _POSTING, _TO_REGULATOR, _LEGAL)))
_POSTS = re.compile(_POSTING)


# Words between the customer and the act that commit to it: intent, resolve, time.
_INTENT = re.compile(
    r"要(?!是|不)|会(?!员)|就|去|得|必须|一定|肯定|马上|立刻|立即|直接|准备|打算|想|再|只能"
    r"|只好|到时候?|明天|今天|现在|非得|非要|必|绝对|坚决|宁可|干脆|正在|等着|已|刚|还|也|都"
)
_ADVERBS_ONLY = re.compile(rf"(?:{_INTENT.pattern}|真的|这就|真|立马|一|先)*")
# A question that threatens in a question's shape.
_THREAT_FRAME = re.compile(r"不怕我|信不信我|要不要我|是不是要我|非要我|非得我|逼我")
_WAIT_FOR = re.compile(r"等着")
_CONSEQUENCE = re.compile(r"(?:就|才|否则|不然|那么|要不)$")
_ACT_DONE_OR_AIMED = re.compile(r"(?:你们?|了|过|他们|这家)")
_FUTILE = re.compile(r"(?:也|都|又|还)?(?:没用|没有用|不管用|没人管|不管)")


def threat(clause: Clause | str, span: Span | None = None) -> Threat | None:
    """The kind of threat a clause (or the first threatening clause of a text) makes; with
    ``span`` (original offsets), only a threat whose act overlaps it counts."""
    if isinstance(clause, str):
        return next(filter(None, (threat(one, span) for one in split_clauses(clause))), None)
    return next(
        (kind for kind, act in threatening_acts(clause) if span is None or _overlap(span, act)),
        None,
    )


def threatening_acts(clause: Clause) -> Iterator[tuple[Threat, Span]]:
    """The threats a clause makes: each kind with its act's original span."""
    view = clause.view
    question = clause.question
    for act in _ACT.finditer(view):
        frame_from = max(0, act.start() - cues.LOOKBACK)
        framed = _THREAT_FRAME.search(view, frame_from, act.start()) is not None
        if question and not framed:
            continue
        original = clause.original_span(*act.span())
        if _threatens(view, act, framed=framed) and not quoted(clause, original):
            kind = next(kind for kind, acts in _ACTS.items() if acts.fullmatch(act.group()))
            yield kind, original


def is_threat(clause: Clause | str) -> bool:
    return threat(clause) is not None


def _threatens(view: str, act: re.Match[str], *, framed: bool) -> bool:
    """Whether an act is the customer's own and committed to; ``framed``: it stands in a
    threat's frame (信不信我…, 别逼我…), which commits it."""
    at, end = act.span()
    if view.startswith("的", end) or view[at - 1 : at] == "被" or _FUTILE.match(view, end):
        return False  # 我投诉的事 names it; 被曝光 happens to someone; 投诉了也没用
    if negated_in_view(view, at):
        return False
    subject = subject_before(view, at)
    start = subject.end() if subject else scope_start(view, at)
    lead = view[start:at]
    person = person_of(subject)
    if person not in (None, Person.FIRST):
        # A story about others, the news, or 你们 told to go; but 你们等着收律师函吧.
        return person is Person.SECOND and _WAIT_FOR.search(lead) is not None
    if _POSTS.fullmatch(act.group()):
        return framed or _INTENT.search(lead) is not None
    return bool(
        framed
        or _ADVERBS_ONLY.fullmatch(lead)
        or _INTENT.search(lead)
        or _CONSEQUENCE.search(view, max(0, start - 2), start)
        or _ACT_DONE_OR_AIMED.match(view, end)
    )
