"""Scored results with real findings for the report tests, one of them hostile."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import replylint
from replylint.model import Tag
from replylint.run.result import Result

# Each payload marks <body> if it ever runs, so a browser test can see that none did.
SCRIPT_PAYLOAD: Final = "<script>document.body.setAttribute('data-pwned','1')</script>"
IMG_PAYLOAD: Final = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
STYLE_PAYLOAD: Final = "</style><script>document.body.setAttribute('data-pwned','3')</script>"

# (id, plain-text dialogue, meta). Scores with the default config: 70, 100, 50, 80; only the
# call at 100 passes (the one at 80 has an error).
DIALOGUES: Final = (
    (
        "c1",
        "客户：我的宽带又断了三天了，你们怎么回事，太气人了\n"
        "坐席：这个我不知道，不清楚。\n"
        "坐席：我们会尽快处理，有消息再通知您。",
        {
            "agent": "1001",
            "agent_name": "张三",
            "team": "一组",
            "region": "华东",
            "date": "2024-05-01",
            "channel": "电话",
        },
    ),
    (
        "c2",
        "客户：账单多扣了钱\n坐席：您好，非常抱歉给您带来不便，我马上为您核实，24小时内给您回电。",
        {"agent": "1002", "agent_name": "李四", "team": "二组", "date": "2024-05-01"},
    ),
    (
        "c3",
        "客户：你们这服务太差了\n坐席：扣款的事跟我们没关系。\n坐席：您跟我在这里叫没有用",
        {"agent": "1001", "agent_name": "张三", "team": "一组", "date": "2024-06-03"},
    ),
    (
        "evil<script>",
        f"客户：{SCRIPT_PAYLOAD}\n坐席：{IMG_PAYLOAD} 这个我不知道，不清楚。</style>",
        {"agent": IMG_PAYLOAD, "team": STYLE_PAYLOAD, "channel": SCRIPT_PAYLOAD},
    ),
)


# Tags given here rather than by tag packs, so that these samples stay put as packs grow;
# one label is hostile too (a custom pack could name a tag anything).
TAGS: Final = {
    "c1": (("topic", "宽带", 0, 2, 4), ("customer-type", "情绪激动", 0, 19, 22)),
    "c3": (("customer-type", "情绪激动", 0, 5, 8),),
    "evil<script>": (("topic", SCRIPT_PAYLOAD, 0, 0, 3),),
}


def sample_results() -> list[Result]:
    # The contract packs: these short dialogues have no opening or goodbye to report on.
    linter = replylint.Linter(replylint.load_packs(packs=list(replylint.PACKS)))
    results = []
    for transcript_id, text, meta in DIALOGUES:
        parsed = replylint.parse_text(
            text, transcript_id=transcript_id, source=f"{transcript_id}.txt"
        )
        transcript = replace(parsed, meta=meta)
        tags = tuple(
            Tag(transcript_id, category, label, "TP999", turn, start, end,
                transcript.turns[turn].text[start:end])
            for category, label, turn, start, end in TAGS.get(transcript_id, ())
        )  # fmt: skip
        results.append(Result.scored(transcript, linter.lint(transcript), tags))
    return results


def sample_scored() -> list[Result]:
    return sample_results()
