"""What ``replylint init`` writes: a starter configuration and a custom pack with one rule
that passes ``replylint test-rules``. Never overwrites anything."""

from __future__ import annotations

from pathlib import Path

from replylint.run.files import write_atomically

CONFIG_FILE = "replylint.toml"
PACKS_FOLDER = "qa-rules"
PACK = "custom"
RULE_FILE = "customer-sent-to-competitor.toml"

STARTER_CONFIG = f"""\
# replylint settings. The keys are described in docs/rule-format.md; `replylint check
# --show-settings` prints what is in effect and where each value came from.

# Pack folders besides the bundled packs, relative to this file.
extra_packs = ["{PACKS_FOLDER}"]

# Which rules run: codes (FP005), code prefixes (FP) or pack names. The most specific
# selector wins.
# select = ["ALL"]
# extend_select = []
# ignore = ["no-time-commitment"]

# [severity]
# NT001 = "info"

# [score]
# pass_mark = 80
# veto_rules = ["FP003"]
# severity_weights = {{ error = 20, warning = 10, info = 0 }}
# rule_weights = {{ FP005 = 30 }}
"""

STARTER_RULE = """\
# One rule a file; the folder is the pack. Run `replylint test-rules` after every change.
code = "CU001"
name = "customer-sent-to-competitor"
kind = "phrase"
severity = "warning"
message = "把客户推给别家，客户的需求没人接。"
suggestion = "先了解需求，再介绍我们能提供的方案：“您具体需要什么样的套餐？我帮您看看。”"
description = "坐席建议客户去别家办理。这是 replylint init 写的示例规则：改成你们自己的规则。"
source = "示例：公司质检手册"
phrases = ["去别家", "找别家", "去其他家"]

[[examples]]
flag = "坐席：这个我们办不了，您去别家问问吧。"
text = "去别家"

[[examples]]
pass = "客户：那我去别家问问。"
"""


def starter_files(folder: Path) -> dict[Path, str]:
    """The files ``init`` writes into ``folder``, with their text."""
    return {
        folder / CONFIG_FILE: STARTER_CONFIG,
        folder / PACKS_FOLDER / PACK / RULE_FILE: STARTER_RULE,
    }


def write_starter(folder: Path) -> list[Path]:
    """Write the starter files; raises ``FileExistsError`` (writing nothing) when the
    configuration or the pack folder is already there."""
    files = starter_files(folder)
    taken = [p for p in (folder / CONFIG_FILE, folder / PACKS_FOLDER) if p.exists()]
    if taken:
        names = " and ".join(map(str, taken))
        raise FileExistsError(f"{names} already there; nothing written")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    return list(files)
