"""The words that give a clause its features, as precompiled regexes.

They run on a clause view (clauses.py): folded (simplified, half-width, lower case,
您 -> 你, 麼 -> 么), without spaces, with non-word spans blanked to BLANK. Every quantifier
is bounded, so each search is linear in the clause.

Speed: every pattern is a flat alternation whose branches all begin with a literal
character (lookbehinds come after it: 不(?<!对不)), so that the regex engine skips ahead
to a possible first character in C; a pattern that opens on a group, a class or a
lookbehind is tried at every position and costs ten times more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What a non-word span (@mention, URL, emoji code, placeholder) reads as in a clause view:
# a private-use character, so that no cue matches inside or across it.
BLANK = "\ue000"
HAN = r"\u3400-\u9fff"


def words(text: str) -> tuple[str, ...]:
    """A word list written as one line of space-separated words."""
    return tuple(text.split())


def each(alternatives: Iterable[str], template: str) -> str:
    """One literal-first branch per word: ``template`` with {w} for the word."""
    return "|".join(template.format(w=word) for word in alternatives)


# -- splitting --------------------------------------------------------------------------

# Connectives that open a new clause in unpunctuated ASR text. Only after a word, and not
# after a subject or an adverb that makes them part of the clause (我们另外…, 这只是,
# 不只是, 之所以, 不但), nor as a complement (忙不过来, 说不过去).
_CONNECTIVES = (
    ("但是", ""), ("但", "(?![凡愿])"), ("不过", "(?![来去])"), ("可是", ""), ("然后", ""),
    ("所以", ""), ("而且", ""), ("另外", "(?![一的两几])"), ("只是", ""), ("因此", ""),
    ("并且", ""), ("此外", ""), ("况且", ""), ("何况", ""), ("否则", ""), ("要不然", ""),
    ("不然", ""), ("接着", ""),
)  # fmt: skip
_AFTER_WORD = f"[{HAN}{BLANK}a-z0-9]"
_GUARDS = "[我你他她它们这那也都就还并可而只不之是的得地很真倒却又再要]"
CONNECTIVE = re.compile(
    "|".join(
        f"{word}(?<={_AFTER_WORD}{word})(?<!{_GUARDS}{word}){ahead}" for word, ahead in _CONNECTIVES
    )
)
# A run of punctuation that ends a clause, with the closing quotes and spaces after it. A
# full stop inside a number or a word (1.5, v2.0) and a comma between digits (1,000) are
# none.
_RUN_TAIL = r"[。!?\n;~…—.,]*[”’」』)\]\"'》]*(?: *)"
DELIMITER_RUN = re.compile(
    each(map(re.escape, "。!?\n;~…—"), "{w}" + _RUN_TAIL)
    + rf"|\.(?![0-9a-z]){_RUN_TAIL}|,(?:(?<![0-9],)|(?![0-9])){_RUN_TAIL}"
)
SENTENCE_END = frozenset("。!?\n")
# A token between spaces, punctuation or the ends of the text.
TOKEN = re.compile(r"[^\s,.;:!?~…—。、“”‘’「」『』()\[\]<>\"']+")
# A clause does not end on a preposition, an auxiliary or an adverb, nor begin on a
# particle: a space there is a breath inside the clause, not a pause between clauses.
DANGLING_END = re.compile(
    r"(?:[把被将给为对向跟和与在从往会要能可就也都还又再才很太更最不没别是让请帮替]"
    r"|尽快|马上|立即|稍后)$"
)
ENCLITIC_START = re.compile(r"[了的吗呢吧啊呀哦嘛么着过得]")

# -- features ---------------------------------------------------------------------------

# 呢 is left out on purpose: in chat it softens a statement (这边帮你查询呢). 几 is a
# question only where it is not "a few" (过几天, 这几天, 好几次); 什么 and 谁 not where
# they mean "any" (没什么, 什么都, 有什么问题随时联系).
QUESTION = re.compile(
    rf"\?|吗(?!啡)|么(?<![什怎那这多要]么)(?=[啊呀呢哈]?(?:[^{HAN}]|$))"
    r"|是否|能否|可否|有无|请问|难道|为啥|干嘛|干吗|何时|如何|多久|多长时间|啥|咋"
    r"|谁(?!都|也)|什么(?<![没管论何]什么)(?![^?]{0,8}(?:随时|都|也|会|就|再))|甚么"
    r"|怎么(?<!不怎么)(?!都|也)|哪(?!怕)"
    r"|几(?<![过这那好十前后没些等再几]几)(?!乎)[个天点次号位岁年月周分种样]"
    r"|多少(?<![多或]多少)"
    rf"|不(?<=([{HAN}])不)(?=\1)|没(?<=([{HAN}])没)(?=\2)"  # A不A: 是不是, 有没有, 可不可以
    rf"|了[{HAN}]{{0,6}}没有?$|过[{HAN}]{{0,6}}没有?$"  # 收到了没有
    rf"|你[{HAN}]{{0,4}}没有?$"  # 师傅联系您没有
)
# What the speaker does not know takes a question as its object (不知道什么时候修好): an
# embedded question, not one asked.
NOT_KNOWING = re.compile(r"不知道|不清楚|不确定|不了解|不晓得|不明白|没数")
# A wh-word said twice with one verb asks nothing: 爱找谁找谁, 想说什么就说什么, 爱咋咋地
# (whoever, whatever, however).
FREE_RELATIVE = re.compile(r"(\w)(谁|什么|哪里|哪儿|哪|怎么|咋)就?\1\2|爱(咋|怎么)\3")
# An invitation asks the customer to act: 请您…, 您可以…, 欢迎, 随时, 联系我们.
_ASKED_ACTS = words("私信 私讯 提供 发 拨打 致电 联系 咨询 留言 上传 到 去")
INVITATION = re.compile(
    r"请(?<![申邀聘宴提]请)(?!问|假|客|教|示|求|愿|柬)|你们?可以|欢迎|随时|方便的话|方便时|你方便|烦请|敬请|劳烦"
    r"|麻烦你|"
    + each(("私信", "联系", "致电", "咨询"), "{w}(?:我们|我|小编|客服)")
    + "|"
    + each(_ASKED_ACTS, "麻烦{w}")
    + "|"
    + each(_ASKED_ACTS, "可以(?<![我们这边]可以)(?<!我们可以){w}")
)
# A condition or the event a sentence waits for (到货后, 有结果, 提交后): what follows
# is triggered by it, not promised outright. Own steps (核实后, 查明后) are no events.
_EVENTS = words(
    "到货 发货 签收 收到 提交 通过 完成 修好 修复 恢复 到账 出来 下来 结束 完毕 "
    "处理完 处理好 解决 批准 核准 下单 送出 寄出 付款 设定好 设置好 上班"
)
# Someone arriving: what happens before, at or after it waits on the arrival (工作人员到达
# 前会联系您, 到店时会有短信, 师傅到场后会联系物业). A review (审核后答复您) is the
# service's own step, no event.
_ARRIVALS = words("到场 到达 到店 到府 到家 上门 出发 到")
CONDITION = re.compile(
    r"如果|假如|假设|若是|若(?!干)|要是|如需|如有|如遇|如若|倘若|万一|一旦|只要|除非"
    r"|的话(?<!说的话)|届时|的时候|处理完|结果出来|出结果|"
    + each(_EVENTS, "{w}了?(?:之|以)?后")
    + "|"
    + each(_ARRIVALS, "{w}(?<![收找想看听接得做办遇碰达]到)了?(?:之|以)?[前后]")
    + "|"
    + each(_ARRIVALS, "{w}(?<![收找想看听接得做办遇碰达]到)(?:的)?时(?!间|候)")
    + r"|有(?<!没有)了?(?![专人])[^,;。!?]{0,3}?"
    r"(?:结果|进展|消息|答复|回复|回音|反馈|情况|动态|更新)"
    r"|有(?<!没有)(?:任何|什么|其他|其它|别的)?(?:问题|疑问|需要|需求|困难)"
    r"|等(?<![接对期招款]等)(?!等)到?[^,;。!?]{1,10}?(?:之|以)?后"
    r"|等(?<![接对期招款]等)(?!一下|等|待|会)[^,;。!?]{1,10}?了"
    r"|待(?<![接对期招款]待)(?!会)到?[^,;。!?]{1,10}?(?:之|以)?后"
    # the customer's own act comes first (您在APP提交申请后…); not 您稍后, 您的问题我们…后,
    # nor a word that starts with 后 (您手机后台)
    r"|你(?!们)[^,;。!?我]{1,8}?(?<![稍随然今此往落最午])(?:之|以)?后(?![台面来果续边端排门方悔期天年])"
)
# Praise and thanks the agent passes on (表扬已经记下了，会转给供电所): no case to follow up.
PRAISE = re.compile(r"表扬|好评|谢意|心意|夸奖|赞扬|称赞|锦旗|感谢信|表彰")
PURPOSE = re.compile(
    r"以便|以免|以防|便于|好让|为了|从而|方便(?:我们|我|我司|工作人员|师傅|后续|及时)"
)
# Something already done: 已经…, 已为您, 刚刚, a follow-up verb + 了 (反馈过了, 登记好了).
# 而已 means "merely".
DONE_VERBS = words(
    "反馈 登记 提交 上报 转交 记录 备注 申请 安排 通知 处理 核实 办理 联系 回复 答复 回电 催 转"
)
DONE = re.compile(
    r"已(?<!而已)(?!久)|刚刚|刚才|" + each(DONE_VERBS, "{w}(?:你们?)?(?:过|好|完)?了")
)
# Words after a done-marker that make the clause look ahead again (已经登记了，后续会…).
FUTURE = re.compile(
    r"会(?!员|议)|将|稍后|随后|尽快|尽速|后续|之后|然后|到时|回头|晚点|晚些|待会|一会"
)

# -- references: who speaks, who acts ---------------------------------------------------

# Agent nicknames of Chinese service brands (小沃, 小蜜…) and Latin ones (小U, 小i).
_NICKNAMES = r"小(?:沃|移|翼|蜜|度|冰|美|艺|招|南|天|安|智|助手|助理|[a-z]{1,4}(?![a-z]))"
_KIN = words(
    "老公 老婆 爱人 媳妇 丈夫 妻子 孩子 儿子 女儿 妈妈 妈 爸爸 爸 父亲 母亲 老人 邻居 朋友 同事 "
    "家人 亲戚"
)
# Staff of the company the agent speaks for: a commitment of theirs is the company's.
STAFF = words(
    "专人 专员 工作人员 维修人员 技术人员 相关人员 相关部门 同事 师傅 有人 客户经理 主管 经理"
)
# Another party: their process is not the agent's promise (售后 is one, as the brief has it).
EXTERNAL = words(
    "售后 银行 厂家 厂商 商家 卖家 店家 快递员 快递 物流 其他部门 别的部门 第三方 运营商 "
    "保险公司 物业 官方 平台"
)
_THIRD_WORDS = words(
    "他们 她们 它们 他 她 它 领导 别人 人家 对方 大家 网友 记者 媒体 新闻 报道 央视 3·15 315 "
    "那边 网上 网络上 电视上 报纸上"
)
_FIRST_WORDS = words(
    "我们这边 我这边 我们 我司 我行 我方 咱们 本人 本公司 本店 本行 本平台 本客服 小店 小编 "
    "客服 这边 咱 我"
)
THIRD = re.compile(
    "|".join((f"我们?家?(?:{'|'.join(_KIN)})", *_KIN, *STAFF, *EXTERNAL, *_THIRD_WORDS))
)
# Third parties outside the service: the speaker's own people and the property manager.
# Upset at them (我邻居真是流氓, 物业真是垃圾) is no complaint about the service.
OUTSIDERS = re.compile("|".join((f"我们?家?(?:{'|'.join(_KIN)})", *_KIN, "物业", "房东")))
FIRST = re.compile("|".join((*_FIRST_WORDS, _NICKNAMES)))
# The speaker's "how would I know" (我哪知道, 我们怎么会清楚, 小美哪知道呀) says they do not
# know: its 哪 or 怎么 asks nothing.
RHETORICAL_NOT_KNOWING = re.compile(
    rf"(?:{FIRST.pattern})(?:这边)?(?:也|又|都|可)?(?:哪|哪里|怎么)(?:会|能)?"
    r"(?:知道|晓得|清楚|了解)"
)
SECOND = re.compile(
    r"你们|亲爱的|亲亲|亲(?<![父母双探相乡表娘成近至血]亲)(?!自|戚|人|眼|身|手|属|友|情|切|生"
    r"|子|密|爱|近|历|民|和|热|吻|口)|你|宝宝|宝子|客官|先生|女士|小姐(?!姐)"
)
# Longest first within each person; a kin word after 我 (我邻居) is someone else.
REFERENCE = re.compile("|".join((THIRD.pattern, FIRST.pattern, SECOND.pattern)))
# A reference after a preposition or a verb is an object (给你回电, 联系我们), and one
# before 的 a possessor (你的问题); 你好 is a greeting. None of them is a subject.
OBJECT_MARKERS = frozenset("给为帮替跟和与同向对让叫把被问找祝陪教带派")
# 安排师傅上门: the staff sent are the object; whoever arranges it commits.
OBJECT_VERBS = frozenset(
    words("联系 通知 告诉 告知 回复 答复 感谢 谢谢 打扰 理解 提醒 转告 安排 委派 指派")
)
NOT_SUBJECT_AFTER = frozenset("的好")
# How chat agents address the customer at the start of a clause: a call, not its subject.
VOCATIVES = frozenset(words("亲 亲亲 亲爱的 宝宝 宝子 客官"))
AFTER_VOCATIVE = re.compile(r"这|那|关于|目前|你|我|小")  # 亲 这个…, 亲 您的…, 亲 小U…
BEFORE_APPOSITIVE = frozenset("他她它你们户主")  # 他本人: 本人 only stresses who
STAFF_WORD = re.compile("|".join(STAFF))

# -- negation and its scope -------------------------------------------------------------

# 不过, 不错, 不好意思, 对不起, 没关系, 没问题, 别人, 特别, 未来, 无论, 非常… negate nothing.
NEGATOR = re.compile(
    r"不(?<!对不)(?!过|错|少|断|停|管|然|好意思|仅|但|久|论|如|起|住|得不)"
    r"|没(?!关系|事|错|问题)"
    r"|别(?<![特区级分类识告个性差派辨鉴惜离道送]别)(?![人的处家克墅致扭])"
    r"|未(?!来|必|知|成年)|无(?!论|聊|耻|限|比|数|偿|线|疑|关|奈|语|辜|锡)"
    r"|非(?<![是除]非)(?!常|要|得|法|但|凡|洲)|勿|甭|莫(?!名)"
)
# Words that start a new predicate: a negation or a subject before them governs nothing
# after them (再不解决就起诉: 不 belongs to 解决).
SCOPE_CUT = re.compile(
    r"就|才(?<!刚才)|否则|不然|那么|所以|但是|但|可是|然后|只能|只好|只有|于是|而是|还是|或者"
    r"|不过|因为|因此|要不"
)
# Cuts that follow their subject (我就去, 他才来) rather than precede it (但是我…).
ADVERB_CUTS = frozenset(words("就 才 只能 只好 只有 还是"))
LONGEST_REFERENCE = 8
# How far back (view characters) a query looks for the subject, negation and cuts that
# govern a position: a predicate is a few words long, and the bound keeps queries linear.
LOOKBACK = 48
# The longest lookahead of a cue (不(?!好意思)): a search that stops this far past a
# position still reads every cue before it as a full search would.
LOOKAHEAD = 4

# -- stories ----------------------------------------------------------------------------

# What the speaker passes on rather than lives: hearsay and the news (听说, 新闻里说, 刷到),
# and something seen elsewhere (路上看见有个饭店着火了, 看到路口有台车在冒烟).
STORY = re.compile(
    r"听说|据说|听人说|新闻|报道|刷到|网上说|网上看到"
    r"|看[见到]了?[^,;。!?]{0,8}?(?:有[个台辆家只位]|一[辆个台家只])"
    r"|路上[^,;。!?]{0,4}?(?:有[个台辆家]|一[辆个台家])"
)

# -- quotation --------------------------------------------------------------------------

QUOTED = re.compile(
    r"“[^“”\n]{1,200}”|「[^「」\n]{1,200}」|『[^『』\n]{1,200}』|‘[^‘’\n]{1,200}’"
    r"|\"[^\"\n]{1,200}\"|【[^【】\n]{1,200}】"  # 【…】 names a title or a nickname
)
# Reported speech after a verb of saying and a colon: 他说：…, 短信上写着：…
REPORTED = re.compile(
    each(("说", "讲", "表示", "称", "问", "道", "答", "回复", "写"), "{w}(?:着|道)? ?: ?")
)
REPORTED_SPEECH = re.compile(r"[^。!?\n]{1,200}")

# -- address ----------------------------------------------------------------------------

# 亲 as a form of address (亲，您好 / 亲亲稍等 / 好的亲 / 亲爱的), the online shops' word: at
# the start, or after a stop or a particle, and never inside a word (父亲, 亲自, 亲戚,
# 母亲亲手). Run on the surface view (surface.py), where 親 is 亲 and 您 is 你.
ENDEARMENT = re.compile(
    r"亲(?<![^\s,.!?~:;。、的哦呢哈啦呀嘛吧]亲)"
    r"(?:亲(?![自人戚属身眼手口情友子密切热近])|爱的|(?=$|[\s,.!?~。\[呢哦哈呀啦你稍请这在们]))"
)
