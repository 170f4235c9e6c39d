"""What ``replylint init`` writes: a starter configuration and a custom pack with one rule
that passes ``replylint test-rules``. Never overwrites anything: what is already there is
kept, and the rest written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replylint.packs.datafile import DataFileError, read_toml
from replylint.run.files import write_atomically

CONFIG_FILE = "replylint.toml"
PYPROJECT_FILE = "pyproject.toml"
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
# fail_on = "error"       # an error fails a call whatever its score; "score": only the score
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


@dataclass(frozen=True, slots=True)
class Started:
    """What ``init`` did: the files it wrote, the settings or pack it found there and kept
    as they were, and what the user must still do (``advice``)."""

    written: tuple[Path, ...]
    kept: tuple[Path, ...]
    advice: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """What ``init`` says: each file written or kept, what is left to do, what next."""
        return [
            *(f"wrote {path}" for path in self.written),
            *(f"kept {path} (already there)" for path in self.kept),
            *(f"to do: {advice}" for advice in self.advice),
            "next: edit the rule, run `replylint test-rules`, then `replylint check FILES`",
        ]


def write_starter(folder: Path) -> Started:
    """Write whichever starter part is missing: the settings (unless ``folder`` has some: a
    ``replylint.toml``, or a ``pyproject.toml`` with ``[tool.replylint]``) and the example
    pack (unless its folder is there). Never overwrites; says what it kept, and whether
    kept settings load the example pack."""
    settings = _settings_in(folder)
    pack = folder / PACKS_FOLDER / PACK
    kept = tuple(path for path in (settings, pack if pack.exists() else None) if path)
    taken = [*kept, folder / CONFIG_FILE] if settings else kept
    missing = {
        path: text
        for path, text in starter_files(folder).items()
        if not any(path == part or part in path.parents for part in taken)
    }
    for path, text in missing.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    advice = () if settings is None else _advice(settings, folder / PACKS_FOLDER)
    return Started(tuple(missing), kept, advice)


def _settings_in(folder: Path) -> Path | None:
    """The settings file ``folder`` already has: writing a replylint.toml beside a
    pyproject.toml with [tool.replylint] would silently replace those settings."""
    config = folder / CONFIG_FILE
    if config.exists():
        return config
    pyproject = folder / PYPROJECT_FILE
    try:
        table = read_toml(pyproject) if pyproject.is_file() else {}
    except DataFileError:
        return pyproject  # broken, but someone's: leave it to `check` to say why
    return pyproject if _tool_table(table) is not None else None


def _tool_table(pyproject: dict[str, Any]) -> object:
    tool = pyproject.get("tool")
    return tool.get("replylint") if isinstance(tool, dict) else None


def _advice(settings: Path, packs: Path) -> tuple[str, ...]:
    """What to add to kept settings so that they load the example pack."""
    try:
        table = read_toml(settings)
    except DataFileError as error:
        return (f'{error}: fix it, then add extra_packs = ["{PACKS_FOLDER}"]',)
    ours = _tool_table(table) if settings.name == PYPROJECT_FILE else table
    folders = ours.get("extra_packs", []) if isinstance(ours, dict) else []
    if isinstance(folders, list) and any(
        isinstance(name, str) and (settings.parent / name).resolve() == packs.resolve()
        for name in folders
    ):
        return ()
    return (f'{settings} does not load {PACKS_FOLDER}/: add "{PACKS_FOLDER}" to its extra_packs',)
