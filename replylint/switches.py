"""What each command-line switch and argument does, in words: the help that ``replylint
--help`` shows (and docs/cli.md), keyed by switch; ``COMMAND --switch`` where one command's
switch means something else. Plain text: it is shown as written, brackets and all. And
`sharing`: how several commands take one group of switches, declared once."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

from replylint.kinds.metadata import PROFILES
from replylint.readers import DEFAULT_LIMITS, LIMIT_SWITCHES

_INPUTS = "Files or folders (.jsonl, .json, .txt, .csv, .xlsx), or - for standard input."
_BELOW = "Exit 1 below this."

_HELP = {
    "app": "Lint Chinese customer-service transcripts against service rules (质检).",
    "--version": "Show the version.",
    "review": "Review verdicts: mark findings as false positives, so that they are suppressed.",
    # what a run reads and which rules it runs
    "paths": _INPUTS,
    "--config": "Settings file (default: replylint.toml, or pyproject.toml with a "
    "tool.replylint table, here or in a folder above).",
    "--isolated": "Ignore every settings file: the defaults and the command line only.",
    "--select": "Only these rule codes, code prefixes or packs (repeatable; comma lists too).",
    "--extend-select": "Rule codes, prefixes or packs to add (repeatable).",
    "--ignore": "Rule codes, prefixes or packs to leave out (repeatable).",
    "--profile": f"Only the rules written for this industry ({', '.join(PROFILES)}), with its "
    "thresholds (default: every rule).",
    "--pack": "Only these packs, after select and ignore (repeatable).",
    "--rules": "Rule folders to load instead of the bundled and configured packs.",
    "--channel": "The channel of calls whose metadata and first turns name none (default: the "
    "setting channel, else none: such calls get only the rules of every channel).",
    "--min-severity": "Run only the rules of this severity or a graver one (default: all).",
    # scoring
    "--pass-mark": "Score a call needs to pass (100 minus deductions; default 80).",
    "--veto": "Rule codes, prefixes or packs whose finding fails a call outright (一票否决; "
    "repeatable).",
    "--redact/--no-redact": "Mask phone, ID and bank card numbers and emails in all output, "
    "after linting (default: the setting redact, else off).",
    # reading
    "--role": "Role of text that carries no role labels (a reply draft).",
    "--columns": "CSV/XLSX columns, e.g. 'id=通话ID,role=角色,text=内容'.",
    "--encoding": "Read text, JSON, JSONL and CSV inputs in this encoding (gbk, big5, utf-16…) "
    "instead of detecting it (UTF-8, UTF-16 with a BOM, GB18030 or Big5).",
    "--stdin-format": "The format of standard input (default: sniffed from its first line).",
    "--jobs": "Worker processes (default: the cores).",
    "--quiet": "No progress and no timing line.",
    "--verdicts": "Review verdicts (JSONL): findings marked as false positives are not "
    "reported or scored.",
    **{
        limit.switch: f"Most {limit.bounds} (default: {getattr(DEFAULT_LIMITS, limit.field):,})."
        for limit in LIMIT_SWITCHES
    },
    # check's output
    "--format": "Output format.",
    "--color/--no-color": "Colour (default: on a terminal).",
    "--show-settings": "Print the settings in effect, and where each came from.",
    "--baseline": "Report (and score) only findings not in this file.",
    "--write-baseline": "Record today's findings in this file instead of reporting them.",
    "--output-file": "Write the output to this file (whole, or not at all) instead of "
    "standard output.",
    "--exit-zero": "Exit with 0 even when there are findings (2 on an input error still).",
    "--statistics": "Instead of the findings, how many each rule has (text, or json with -f json).",
    # report
    "--output": "The report: a .html, .xlsx or .csv file.",
    "--title": "Title of the HTML report.",
    # spark-check
    "input_path": "A Parquet or JSON-lines table (file or folder; HDFS/S3 too).",
    "output_path": "Folder for findings/ and calls/ (Parquet).",
    "--input-format": "Format of the input.",
    "--layout": "One row per turn, one per call, or auto-detect.",
    "spark-check --columns": "Input columns, e.g. 'id=call_id,text=content,turn=seq'.",
    "--overwrite/--no-overwrite": "Replace an existing output folder.",
    # rules, explain, test-rules, init
    "code": "A rule code (FP005) or name.",
    "test-rules paths": "Rule folders (default: the bundled and the configured packs).",
    "--traditional/--no-traditional": "Also run every example in Taiwan traditional Chinese "
    "(needs OpenCC: pip install opencc; by default, when it is installed).",
    "--channels": "Also check that each rule has an example for every channel it applies to "
    "(phone, chat, social).",
    "folder": "Where to write (default: here).",
    # eval
    "labels": "Labels: a .labels.tsv file, a folder of them, or a review verdicts file "
    "(.jsonl, from `review add`).",
    "eval paths": "The labelled transcripts (default: the labels' folder).",
    "--findings": "Score an earlier run: the jsonl output of `check` on the same calls.",
    "eval --format": "text for people, json for tools.",
    "--min-precision": _BELOW,
    "--min-recall": _BELOW,
    "--min-f1": _BELOW,
    "--per": "What the --min-* thresholds hold: each rule, pack, or the total.",
    "--confusions/--no-confusions": "List every miss and false alarm with its words.",
    # review add
    "review --verdicts": "The verdicts file (JSONL; created if missing).",
    "--transcript": "The transcript (call) id.",
    "--rule": "The rule code of the finding.",
    "--text": "The finding's matched text.",
    "--note": "Why it is a false positive.",
    "--reviewer": "Who reviewed it (default: your user name).",
    "--date": "Day of the review, 2026-07-20 (default: today).",
}
HELP: Final[Mapping[str, str]] = MappingProxyType(_HELP)


def reference(commands: Iterable[str], help_of: Callable[[str], str]) -> str:
    """docs/cli.md: ``help_of`` each command (its ``--help``; "" the program's), in order."""
    lines = [
        "# Command line reference",
        "",
        "Generated from `--help` by `python -m replylint.cli > docs/cli.md`; do not edit.",
    ]
    for name in ["", *commands]:
        shown = "\n".join(line.rstrip() for line in help_of(name).splitlines()).strip("\n")
        lines += ["", f"## {f'replylint {name}'.strip()}", "", "```text", shown, "```"]
    return "\n".join(lines) + "\n"


# A group of switches several commands share: name -> (annotation, default).
Shared = dict[str, tuple[Any, Any]]


def sharing(*groups: Shared) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A command that also takes the options of ``groups``, after its own, in ``**given``:
    typer reads the signature this gives it."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = inspect.signature(command, eval_str=True).parameters.values()
        keyword = inspect.Parameter.KEYWORD_ONLY
        params = [p for p in own if p.kind is not p.VAR_KEYWORD] + [
            inspect.Parameter(name, keyword, default=default, annotation=kind)
            for group in groups for name, (kind, default) in group.items()
        ]  # fmt: skip
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return decorate
