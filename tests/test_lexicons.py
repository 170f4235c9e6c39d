"""Lexicons: the loader's strictness, slots in the pattern language, and the bundled word
classes tested like code (codespell's style: every problem collected before failing)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.packs.lexicons import (
    MAX_SLOT_ALTERNATIVES,
    Lexicon,
    LexiconError,
    Problem,
    entry_key,
    expand_slots,
    load_lexicons,
    slot_exceptions,
    slot_names,
)
from replylint.text.normalize import fold_phrase, phrase_variants
from replylint.text.pattern import PatternError, PatternMatcher, parse_pattern

RULES = Path(__file__).resolve().parents[1] / "rules"
BUNDLED = load_lexicons(RULES)
HEADER = "# demo: a class for tests.\n# Leaves out: nothing.\n"


def write(root: Path, name: str, text: str) -> Path:
    folder = root / "lexicons"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, int | None, Problem]]:
    """(file name, line, kind) of every problem the loader reports."""
    with pytest.raises(LexiconError) as caught:
        load_lexicons(root)
    return [(p.path.name, p.line, p.kind) for p in caught.value.problems]


# The loader


def test_a_good_file_loads_entries_notes_and_header(tmp_path: Path) -> None:
    write(tmp_path, "third-party", HEADER + "\n厂家  # a maker\n快递\n银行\n")
    write(tmp_path, "third-party.exceptions", HEADER + "银行卡\n")
    (lexicon,) = load_lexicons(tmp_path).values()
    assert lexicon == Lexicon(
        "third-party",
        "demo: a class for tests.\nLeaves out: nothing.",
        ("厂家", "快递", "银行"),
        ("银行卡",),
    )


def test_a_folder_without_lexicons_has_none(tmp_path: Path) -> None:
    assert load_lexicons(tmp_path) == {}


def test_a_byte_order_mark_is_no_problem(tmp_path: Path) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "demo.txt").write_text(HEADER + "银行\n", encoding="utf-8-sig")
    assert load_lexicons(tmp_path)["demo"].entries == ("银行",)


@pytest.mark.parametrize(
    ("body", "line", "kind"),
    [
        ("厂家\n 银行\n", 4, Problem.LINE_SHAPE),
        ("厂家\n银行 快递\n", 4, Problem.LINE_SHAPE),
        ("厂家\n银行 \n", 4, Problem.LINE_SHAPE),
        ("銀行\n银行\n", 4, Problem.DUPLICATE),
        ("你好\n您好\n", 4, Problem.DUPLICATE),
        ("银行\n快递\n", 4, Problem.UNSORTED),
        ("，。\n", 3, Problem.BAD_ENTRY),
        ("说好的…\n", 3, Problem.BAD_ENTRY),
        ("说好的(呢\n", 3, Problem.BAD_ENTRY),
        ("{legal}的\n", 3, Problem.BAD_ENTRY),
        ("", None, Problem.EMPTY),
    ],
)
def test_each_kind_of_mistake_is_named_with_its_line(
    tmp_path: Path, body: str, line: int | None, kind: Problem
) -> None:
    assert problems(write(tmp_path, "demo", HEADER + body)) == [("demo.txt", line, kind)]


def test_a_file_must_open_with_what_the_class_is(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "demo", "银行\n# a late comment\n")) == [
        ("demo.txt", 1, Problem.NO_HEADER)
    ]


def test_names_are_lower_case_words(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "Third_Party", HEADER + "银行\n")) == [
        ("Third_Party.txt", None, Problem.BAD_NAME)
    ]


def test_exceptions_belong_to_a_class_and_hold_phrases_not_entries(tmp_path: Path) -> None:
    write(tmp_path, "insult", HEADER + "垃圾\n流氓\n")
    write(tmp_path, "insult.exceptions", HEADER + "垃圾\n垃圾…短信\n")
    write(tmp_path, "nothing.exceptions", HEADER + "垃圾短信\n")
    assert sorted(problems(tmp_path), key=str) == sorted(
        [
            ("insult.exceptions.txt", 3, Problem.CONFLICT),
            ("insult.exceptions.txt", 4, Problem.BAD_ENTRY),
            ("nothing.exceptions.txt", None, Problem.ORPHAN_EXCEPTIONS),
        ],
        key=str,
    )


def test_a_class_defined_in_two_rules_folders_names_both(tmp_path: Path) -> None:
    first = write(tmp_path / "one", "legal", HEADER + "律师\n")
    second = write(tmp_path / "two", "legal", HEADER + "法院\n")
    with pytest.raises(LexiconError) as caught:
        load_lexicons([first, second])
    (problem,) = caught.value.problems
    assert problem.kind is Problem.DEFINED_TWICE
    assert str(first) in str(problem)
    assert str(second) in str(problem)


def test_every_problem_is_reported_at_once_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "demo", "银行\n银行\n a\n")
    write(tmp_path, "other", HEADER)
    found = problems(tmp_path)
    assert found == [
        ("demo.txt", 3, Problem.LINE_SHAPE),
        ("demo.txt", 1, Problem.NO_HEADER),
        ("demo.txt", 2, Problem.DUPLICATE),
        ("other.txt", None, Problem.EMPTY),
    ]


def test_problems_print_as_file_line_and_kind(tmp_path: Path) -> None:
    write(tmp_path, "demo", HEADER + "银行\n快递\n")
    with pytest.raises(LexiconError) as caught:
        load_lexicons(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'lexicons' / 'demo.txt'}:4: ")
    assert str(caught.value).endswith("[unsorted]")


@given(st.sets(st.text("一二三四五六七八九十", min_size=1, max_size=4), min_size=1, max_size=12))
def test_sorted_unique_entries_load_as_written(entries: set[str]) -> None:
    lexicon = parse_lexicon(sorted(entries))
    assert lexicon.entries == tuple(sorted(entries))
    assert lexicon.phrases == lexicon.entries
    assert lexicon.patterns == ()


def parse_lexicon(entries: list[str]) -> Lexicon:
    """Load one lexicon from entries, through a temporary folder."""
    import tempfile  # noqa: PLC0415 - hypothesis examples must not share pytest's tmp_path

    with tempfile.TemporaryDirectory() as root:
        write(Path(root), "demo", HEADER + "".join(f"{e}\n" for e in entries))
        return load_lexicons(Path(root))["demo"]


# Slots in the pattern language

DEMO = {
    "party": Lexicon("party", "", ("厂家", "快递公司", "银行")),
    "self": Lexicon("self", "", ("我们", "我司")),
    "facts": Lexicon("facts", "", ("没人管", "说好的…呢")),
    "insult": Lexicon("insult", "", ("垃圾",), ("垃圾短信",)),
}


def matches(pattern_source: str, text: str, lexicons: dict[str, Lexicon] = DEMO) -> list[str]:
    """The folded text of every match of a slotted pattern, by the reference matcher."""
    view = fold_phrase(text)
    matcher = PatternMatcher([parse_pattern(expand_slots(pattern_source, lexicons))])
    return [view[start:end] for start, end in matcher.reference_spans(view)]


def test_a_slot_is_an_alternation_of_its_class() -> None:
    assert expand_slots("{party}的(问题|事)", DEMO) == "(厂家|快递公司|银行)的(问题|事)"
    assert matches("{party}的(问题|事)", "这是银行的问题") == ["银行的问题"]
    assert matches("{party}的(问题|事)", "這是快遞公司的事") == ["快递公司的事"]
    assert matches("{party}的(问题|事)", "这是我们的问题") == []


def test_an_optional_slot_and_slots_beside_gaps() -> None:
    assert expand_slots("是{self}?…{0,4}的问题", DEMO) == "是(我们|我司)?…{0,4}的问题"
    assert matches("是{self}?…{0,4}的问题", "是系统的问题") == ["是系统的问题"]


def test_a_slot_inside_a_group_adds_alternatives() -> None:
    assert expand_slots("(别人|找{party})去", DEMO) == "(别人|找厂家|找快递公司|找银行)去"
    assert matches("(别人|找{party})去", "你找厂家去") == ["找厂家去"]


def test_alternatives_that_fold_alike_are_kept_once() -> None:
    assert expand_slots("(我们|{self}|我們)的", DEMO) == "(我们|我司)的"


def test_full_width_braces_are_a_slot_too() -> None:
    assert expand_slots("｛self｝的", DEMO) == "(我们|我司)的"


def test_a_pattern_without_slots_is_unchanged() -> None:
    for source in ("是您…{1,8}的问题", "不可能…{0,8}(这种|那种)话", "是您...｛0,6｝（问题｜原因）"):
        assert expand_slots(source, DEMO) == source


@given(st.text())
def test_text_without_a_slot_is_never_touched(source: str) -> None:
    if not slot_names(source):
        assert expand_slots(source, {}) == source


@given(
    st.sets(st.text("一二三四五六七八九十", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text("一二三四五六七八九十", min_size=1, max_size=4),
)
def test_a_slot_matches_exactly_its_entries(entries: set[str], other: str) -> None:
    lexicons = {"x": Lexicon("x", "", tuple(sorted(entries)))}
    for entry in entries:
        assert matches("甲{x}乙", f"甲{entry}乙", lexicons) == [f"甲{entry}乙"]
    if other not in entries:
        assert matches("甲{x}乙", f"甲{other}乙", lexicons) == []


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{nobody}的问题", ("nobody",)),
        ("{facts}", ("facts", "pattern")),
        ("(找{party}{party}{party}{party})", (str(MAX_SLOT_ALTERNATIVES), "alternatives")),
    ],
)
def test_unknown_slots_pattern_classes_and_huge_groups_are_errors(
    source: str, words: tuple[str, ...]
) -> None:
    lexicons = {**DEMO, "party": Lexicon("party", "", tuple("一二三四五六七八九十"))}
    with pytest.raises(PatternError, match=words[0]) as caught:
        expand_slots(source, lexicons)
    assert all(word in str(caught.value) for word in words)


def test_a_rule_using_a_slot_takes_its_class_exceptions() -> None:
    assert slot_names("{insult}…{party}…{insult}") == ("insult", "party")
    assert slot_exceptions("{insult}…{party}", DEMO) == ("垃圾短信",)
    with pytest.raises(PatternError, match="nobody"):
        slot_exceptions("{nobody}", DEMO)


# The bundled lexicons, tested like code: every problem is collected before failing.

REQUIRED = {
    "third-party", "company-self", "anger-insult", "complaint-acts", "complaint-facts",
    "apology", "contact-verbs", "follow-up-verbs", "regulators", "media", "legal",
    "time-units", "escalation-acts",
}  # fmt: skip
# Classes that may share an entry, and why: every other overlap is a conflict.
MAY_SHARE = {
    frozenset({"complaint-acts", "legal"}),  # 起诉: a complaint made in court
    frozenset({"escalation-acts", "follow-up-verbs"}),  # 上报, 转交: both follow up and raise
}
to_simplified = opencc.OpenCC("t2s")


def test_the_classes_of_issue_14_are_all_there() -> None:
    assert set(BUNDLED) >= REQUIRED


def test_every_file_says_what_its_class_is_and_what_it_leaves_out() -> None:
    missing = [
        name
        for name, lexicon in BUNDLED.items()
        if not lexicon.description.startswith(name) or "Leaves out:" not in lexicon.description
    ]
    assert missing == []


def entries_and_exceptions() -> Iterator[tuple[str, str]]:
    for name, lexicon in BUNDLED.items():
        for entry in (*lexicon.entries, *lexicon.exceptions):
            yield name, entry


def written_forms(entry: str) -> list[str]:
    """What of an entry is written as text: the entry, or each alternative of a pattern."""
    if entry not in {e for lexicon in BUNDLED.values() for e in lexicon.patterns}:
        return [entry]
    return [alternative for part in parse_pattern(entry).parts for alternative in part.alternatives]


def test_entries_are_written_simplified_lower_case_and_unpunctuated() -> None:
    """So that an entry reads as it is matched: the fold changes nothing but 您 -> 你."""
    badly_written = [
        (name, entry)
        for name, entry in entries_and_exceptions()
        for text in written_forms(entry)
        if to_simplified.convert(text) != text
        or text != text.lower()
        or len(fold_phrase(text)) != len(text)
    ]
    assert badly_written == []


def test_every_entry_folds_to_a_phrase() -> None:
    empty = [
        (name, entry)
        for name, entry in entries_and_exceptions()
        for text in written_forms(entry)
        if not fold_phrase(text)
    ]
    assert empty == []


def test_no_entry_is_a_traditional_spelling_the_phrase_table_already_adds() -> None:
    redundant = [
        (name, entry, other)
        for name, lexicon in BUNDLED.items()
        for entries in (lexicon.phrases, lexicon.exceptions)
        for entry, other in combinations(entries, 2)
        if fold_phrase(other) in phrase_variants(entry)
        or fold_phrase(entry) in phrase_variants(other)
    ]
    assert redundant == []


def test_classes_share_no_entry_unless_declared() -> None:
    owners: dict[str, set[str]] = {}
    for name, lexicon in BUNDLED.items():
        for entry in lexicon.entries:
            owners.setdefault(entry_key(entry), set()).add(name)
    shared = {
        (entry, pair)
        for entry, names in owners.items()
        for pair in map(frozenset, combinations(sorted(names), 2))
    }
    assert {(entry, pair) for entry, pair in shared if pair not in MAY_SHARE} == set()
    assert {pair for _, pair in shared} == MAY_SHARE  # a stale declaration is a problem too


def test_every_exception_holds_an_entry_of_its_class() -> None:
    """An exception excuses a hit it overlaps: one holding no entry could never matter."""
    dead = [
        (name, exception)
        for name, lexicon in BUNDLED.items()
        for exception in lexicon.exceptions
        if not any(fold_phrase(entry) in fold_phrase(exception) for entry in lexicon.phrases)
    ]
    assert dead == []


def test_every_class_works_in_the_pattern_language() -> None:
    """Its phrases as a slot, each of its patterns as a pattern of its own."""
    broken: list[tuple[str, str]] = []
    for name, lexicon in BUNDLED.items():
        phrases = {name: Lexicon(name, "", lexicon.phrases)}
        for source in (f"{{{name}}}", *lexicon.patterns):
            try:
                parse_pattern(expand_slots(source, phrases))
            except PatternError as error:
                broken.append((source, str(error)))
    assert broken == []


# What the classes catch, on sentences made up for these tests, in both scripts

to_traditional = opencc.OpenCC("s2twp")


def hits(name: str, text: str) -> list[str]:
    """The folded words of class ``name`` in ``text`` that no exception of it overlaps:
    what a rule with the slot ``{name}`` (and the class's patterns) finds."""
    lexicon = BUNDLED[name]
    phrases = {name: Lexicon(name, "", lexicon.phrases)}
    sources = [f"{{{name}}}", *lexicon.patterns] if lexicon.phrases else list(lexicon.patterns)
    matcher = PatternMatcher([parse_pattern(expand_slots(s, phrases)) for s in sources])
    view = fold_phrase(text)
    excused = [
        (found, found + len(spelling))
        for exception in lexicon.exceptions
        for spelling in phrase_variants(exception)
        for found in occurrences(view, spelling)
    ]
    return [
        view[start:end]
        for start, end in matcher.reference_spans(view)
        if not any(start < stop and begin < end for begin, stop in excused)
    ]


def occurrences(view: str, spelling: str) -> Iterator[int]:
    found = view.find(spelling)
    while found != -1:
        yield found
        found = view.find(spelling, found + 1)


CAUGHT = [
    ("anger-insult", "你们就是个垃圾公司，退钱！"),
    ("anger-insult", "什么破服务，一群骗子"),
    ("anger-insult", "tmd到底还修不修"),
    ("anger-insult", "你们这是店大欺客吧"),
    ("anger-insult", "打了三个电话都在踢皮球"),
    ("anger-insult", "靠北喔，又断线了"),
    ("anger-insult", "乱扣钱，无耻的黑心企业"),
    ("complaint-acts", "再不处理我就去投诉你们"),
    ("complaint-acts", "我要给差评"),
    ("complaint-facts", "三天了根本没人联系我"),
    ("complaint-facts", "私信你们也不回"),
    ("complaint-facts", "发了三次消息都没回我"),
    ("complaint-facts", "说好的退款呢"),
    ("complaint-facts", "我都等了整整五天了"),
    ("complaint-facts", "师傅说好下午来，结果到现在都没来"),
    ("complaint-facts", "等了好久了还是这样"),
    ("repeat-contact", "我已经打了五次电话了"),
    ("repeat-contact", "这是我第三次来电了"),
    ("pushback", "凭什么让我去找快递"),
    ("pushback", "你这是什么态度"),
    ("pushback", "你们就这样打发我是吧"),
    ("pushback", "排什么排，出了事谁管"),
    ("pushback", "你是复读机吗"),
    ("pushback", "那你接什么电话"),
    ("grievance", "十天了还没发货"),
    ("grievance", "半年了从来没给过"),
    ("grievance", "这个月停电都第四回了"),
    ("grievance", "又过了三天，还是检测中"),
    ("grievance", "门市说免月租，结果账单还是收了全额"),
    ("third-party", "这个要问银行"),
    ("third-party", "发票的事您问财务去吧"),
    ("someone-else", "这个你问别人吧"),
    ("someone-else", "您去别家看看"),
    ("cannot-handle", "这个我这边处理不了"),
    ("cannot-handle", "这个我没有权限"),
    ("company-self", "我司会尽快处理"),
    ("apology", "非常抱歉让您久等了"),
    ("apology", "给您带来不便，实在不好意思"),
    ("contact-verbs", "稍后我们会电话联系您"),
    ("follow-up-verbs", "核实后给您反馈"),
    ("escalation-acts", "我马上帮您转接值班长"),
    ("regulators", "我要打12315"),
    ("regulators", "我要去消基会申诉"),
    ("media", "我要发抖音让大家看看"),
    ("legal", "我要告你们"),
    ("legal", "我已经找了律师"),
    ("time-units", "两个工作日内给您答复"),
]
PASSED = [
    ("anger-insult", "最近老收到垃圾短信，能帮我拦截吗"),
    ("anger-insult", "手机里装了个流氓软件，删不掉"),
    ("anger-insult", "刚才有个骗子电话冒充你们"),
    ("anger-insult", "我妈妈的手机号也在这个套餐里"),
    ("anger-insult", "USB 接口充不进电"),
    ("anger-insult", "电表箱在垃圾桶旁边"),
    ("anger-insult", "电表装在靠北边的墙上"),
    ("complaint-acts", "这款相机的曝光补偿怎么调"),
    ("complaint-facts", "好的，我再等等"),
    ("complaint-facts", "我还没来得及看"),
    ("complaint-facts", "过年我们也不回老家"),
    ("complaint-facts", "没人理解也正常"),
    ("repeat-contact", "我只打了一次"),
    ("pushback", "那大概什么时候能到"),
    ("pushback", "好的，那检查要钱吗"),
    ("grievance", "要等三天吗"),
    ("grievance", "昨天停电了，今天来电了"),
    ("grievance", "第二次保养要多少钱"),
    ("repeat-contact", "这是我第一次来电"),
    ("escalation-acts", "领导不在，您改天再打吧"),
    ("apology", "感谢您的耐心等待"),
    ("legal", "我再警告你们一次"),
    ("legal", "这是广告你们自己看"),
    ("legal", "仪表盘上胎压报警了"),
    ("media", "您可以关注公众号查询进度"),
    ("regulators", "老人行动不便，能上门吗"),
    ("third-party", "这是我们的问题"),
    ("someone-else", "我帮您问一下同事"),
    ("cannot-handle", "我马上帮您处理"),
]


def in_script(text: str, script: str) -> str:
    return to_traditional.convert(text) if script == "traditional" else text


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize(("name", "text"), CAUGHT)
def test_a_class_catches_its_words(name: str, text: str, script: str) -> None:
    assert hits(name, in_script(text, script)) != []


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize(("name", "text"), PASSED)
def test_a_class_stays_silent_on_near_misses(name: str, text: str, script: str) -> None:
    assert hits(name, in_script(text, script)) == []
