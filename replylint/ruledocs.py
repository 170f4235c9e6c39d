"""Rule documentation generated from the packs: an index (``docs/rules.md``) and a page per
pack (``docs/rules/PACK.md``), every rule with its matching and its examples.

    python -m replylint.ruledocs --write docs     # all pages
    python -m replylint.ruledocs > docs/rules.md  # the index alone

A test regenerates them and compares, so the docs cannot drift from the data.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from pathlib import Path

from replylint.kinds.records import (
    CommitmentRule,
    Measure,
    OccurrenceRule,
    PatternRule,
    PersonalDataRule,
    PhraseRule,
    RepeatQuestionRule,
    ResponseRule,
    Rule,
    Scope,
    TagRule,
    TimingRule,
)
from replylint.packs import load_packs
from replylint.text.recognise import RECOGNISERS
from replylint.text.recognise.durations import human_duration

INDEX = "rules.md"
PACK_FOLDER = "rules"
_GENERATED = "Generated from `rules/` by `python -m replylint.ruledocs --write docs`; do not edit."


def pages(rules: Iterable[Rule]) -> dict[str, str]:
    """Every page, by its path under ``docs/``: the index and one page per pack."""
    ordered = sorted(rules, key=lambda r: (r.info.pack, r.info.code))
    by_pack = {pack: list(group) for pack, group in groupby(ordered, key=lambda r: r.info.pack)}
    found = {INDEX: render(ordered)}
    found |= {
        f"{PACK_FOLDER}/{pack}.md": render_pack(pack, group) for pack, group in by_pack.items()
    }
    return found


def render(rules: Iterable[Rule]) -> str:
    """The index: every rule in a table, linked to its pack page."""
    ordered = sorted(rules, key=lambda r: (r.info.pack, r.info.code))
    lines = [
        "# Rules",
        "",
        _GENERATED,
        "",
        "| code | name | pack | severity | kind |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{r.info.code}]({PACK_FOLDER}/{r.info.pack}.md#{_anchor(r)}) | {r.info.name} "
        f"| [{r.info.pack}]({PACK_FOLDER}/{r.info.pack}.md) | {r.info.severity} | {r.kind} |"
        for r in ordered
    ]
    return "\n".join(lines) + "\n"


def render_pack(pack: str, rules: Iterable[Rule]) -> str:
    """One pack's page: each rule's section, in code order."""
    ordered = sorted(rules, key=lambda r: r.info.code)
    lines = [f"# {pack}", "", _GENERATED, ""]
    lines += [f"- [{r.info.code} {r.info.name}](#{_anchor(r)})" for r in ordered]
    for rule in ordered:
        lines += ["", *rule_section(rule)]
    return "\n".join(lines) + "\n"


def write_pages(rules: Iterable[Rule], docs: Path) -> list[Path]:
    """Write every page under ``docs``, and remove pack pages of packs that are gone."""
    written = []
    wanted = pages(rules)
    for stale in (docs / PACK_FOLDER).glob("*.md"):
        if f"{PACK_FOLDER}/{stale.name}" not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _anchor(rule: Rule) -> str:
    """The anchor a Markdown renderer gives the rule's heading."""
    return f"{rule.info.code}-{rule.info.name}".lower()


def rule_table(rules: Iterable[Rule], enabled: Callable[[Rule], bool]) -> list[str]:
    """A plain-text table of rules, for the terminal: code, name, pack, kind, severity,
    and whether the settings enable it."""
    rows = [("code", "name", "pack", "kind", "severity", "enabled")]
    rows += [
        (
            r.info.code,
            r.info.name,
            r.info.pack,
            r.kind,
            r.info.severity,
            "yes" if enabled(r) else "no",
        )
        for r in sorted(rules, key=lambda r: (r.info.pack, r.info.code))
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def explanation(rule: Rule, *, enabled: bool) -> list[str]:
    """What ``replylint explain`` prints: the rule's section, then where it lives."""
    status = "enabled" if enabled else "disabled by the settings"
    where = f"Pack {rule.info.pack}, kind {rule.kind}, {status}; defined in {rule.info.path}."
    return [*rule_section(rule), "", where]


def rule_section(rule: Rule) -> Iterator[str]:
    """One rule's documentation, in Markdown: what it does, why, message, suggestion,
    source, what it matches, and its examples."""
    info = rule.info
    yield f"### {info.code} {info.name}"
    yield ""
    yield f"**What it does.** {info.description}"
    yield ""
    if info.rationale:
        yield f"**Why it matters.** {info.rationale}"
        yield ""
    if isinstance(rule, TagRule):
        yield f"**Tag** ({rule.category}): {rule.tag}. {info.message}"
    else:
        yield f"**Message** ({info.severity}): {info.message}"
        yield ""
        yield f"**Suggestion.** {info.suggestion}"
    yield ""
    yield f"**Source.** {info.source}"
    yield ""
    if info.profiles:
        industries = ", ".join(sorted(info.profiles))
        yield (
            f"**Industries.** {industries}: runs under `--profile` {industries}, or on calls "
            "whose metadata names the industry."
        )
        yield ""
    yield from _matching(rule)
    for example in info.examples:
        verdict = "Flagged" if example.should_flag else "Not flagged"
        covers = f" (finding: `{example.text}`)" if example.text else ""
        yield ""
        yield f"{verdict}{covers}:"
        yield ""
        yield "```text"
        yield example.dialogue
        yield "```"


def _matching(rule: Rule) -> Iterator[str]:
    match rule:
        case PhraseRule() | TagRule():
            yield from _phrases(rule)
        case TimingRule():
            yield from _timing(rule)
        case PersonalDataRule():
            yield (
                f"**Recognises** in {', '.join(sorted(rule.roles))} turns a whole "
                f"{', '.join(sorted(rule.data))} (check digits, Luhn; Arabic, full-width or "
                "Chinese digits), as `--redact` does."
            )
        case CommitmentRule():
            yield from _commitment(rule)
        case PatternRule():
            roles = ", ".join(sorted(rule.roles))
            yield f"**Matches** in {roles} turns (word boundary: {rule.boundary}) the patterns:"
            yield "、".join(f"`{pattern.source}`" for pattern in rule.patterns)
            yield from _exceptions(rule.exceptions)
        case OccurrenceRule():
            limits = [f"at least {rule.at_least}"] if rule.at_least is not None else []
            limits += [f"at most {rule.at_most}"] if rule.at_most is not None else []
            yield f"**Counts** in {_scope_text(rule.scope)}: {' and '.join(limits)} of"
            yield "、".join(rule.phrases)
            yield from _exceptions(rule.exceptions)
        case ResponseRule():
            yield from _response(rule)
        case RepeatQuestionRule():
            yield from _repeat_question(rule)


def _phrases(rule: PhraseRule | TagRule) -> Iterator[str]:
    roles = ", ".join(sorted(rule.roles))
    count, boundary = len(rule.phrases), rule.boundary
    if isinstance(rule, TagRule):
        yield f"**Tags** the call `{rule.category}: {rule.tag}` (never a finding) when"
    yield f"**Matches** in {roles} turns ({count} phrases, boundary: {boundary}):"
    yield "、".join(rule.phrases)
    yield from _exceptions(rule.exceptions)
    if isinstance(rule, TagRule) and rule.outbound_roles:
        yield ""
        yield (
            "**On outbound calls** (metadata `channel` = outbound, `呼叫类型` = 外呼) also in "
            f"{', '.join(sorted(rule.outbound_roles))} turns."
        )


def _timing(rule: TimingRule) -> Iterator[str]:
    unit = _MEASURE_UNITS[rule.measure]
    yield (
        f"**Measures** {rule.measure} on agent turns with ASR times; flags above "
        f"{rule.limit:g} {unit} (`thresholds.{rule.info.code}` in the settings)."
    )
    if rule.phrases:
        yield ""
        yield "**A wait is announced by** " + "、".join(rule.phrases)


def _commitment(rule: CommitmentRule) -> Iterator[str]:
    yield (
        f"**Promises** in {', '.join(sorted(rule.roles))} turns: a duration within "
        f"{rule.reach} characters of one of"
    )
    yield "、".join(rule.subjects)
    yield ""
    areas = "".join(
        f"; on calls whose metadata says area = {area}, above {human_duration(minutes)}"
        for area, minutes in rule.area_limits
    )
    yield (
        f"**Flags** a duration above {human_duration(rule.limit_minutes)}{areas} "
        f"(`thresholds.{rule.info.code}`, in minutes, sets one limit for every call)."
    )
    yield from _exceptions(rule.exceptions)


def _response(rule: ResponseRule) -> Iterator[str]:
    expected = ["、".join(rule.responses)] if rule.responses else []
    expected += [RECOGNISERS[rule.response_detector].description] if rule.response_detector else []
    same_turn = "the same turn and " if rule.include_trigger_turn else ""
    yield (
        f"**Triggered** in {', '.join(sorted(rule.trigger_roles))} turns by "
        + "、".join(rule.triggers)
    )
    yield from _exceptions(rule.trigger_exceptions)
    yield ""
    yield (
        f"**Needs** within {same_turn}the next {rule.window} "
        f"{', '.join(sorted(rule.response_roles))} turn(s): {' or '.join(expected)}"
    )


def _repeat_question(rule: RepeatQuestionRule) -> Iterator[str]:
    givers = ", ".join(sorted(rule.given_roles))
    value = RECOGNISERS[rule.answer].description
    yield f"**Asks** in {', '.join(sorted(rule.asking_roles))} turns: " + "、".join(rule.asked)
    yield from _exceptions(rule.asked_exceptions)
    yield ""
    yield (
        f"**Already given** when an earlier {givers} turn names the item ("
        + "、".join(rule.given)
        + f") with {value} within {rule.reach} characters after it, or "
        f"replies with {value} to an earlier ask (the next spoken turn)."
    )
    if rule.given_exceptions:
        yield ""
        yield (
            "**Not a naming of the item** inside "
            + "、".join(rule.given_exceptions)
            + "; a reply holding one gives nothing."
        )
    if rule.refusals:
        yield ""
        yield (
            "**Refusals:** a reply holding one gives nothing, nor does a name with one before "
            "its value: " + "、".join(rule.refusals)
        )
    if rule.excuses:
        yield ""
        yield "**Excused:** an asking turn holding " + "、".join(rule.excuses)


_MEASURE_UNITS = {
    Measure.REPLY_GAP: "seconds",
    Measure.HOLD: "seconds",
    Measure.OVERLAP: "seconds",
    Measure.SPEECH_RATE: "characters a minute",
}


def _scope_text(scope: Scope) -> str:
    if scope.first is not None:
        return f"the first {scope.first} {scope.role} turn(s)"
    if scope.last is not None:
        return f"the last {scope.last} {scope.role} turn(s)"
    return f"all {scope.role} turns"


def _exceptions(exceptions: tuple[str, ...]) -> Iterator[str]:
    if exceptions:
        yield ""
        yield "**Unless inside** " + "、".join(exceptions)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replylint.ruledocs", description=__doc__)
    parser.add_argument("--write", type=Path, metavar="DOCS", help="write every page here")
    args = parser.parse_args(argv)
    rules = load_packs()
    if args.write is None:
        print(render(rules), end="")  # noqa: T201 - printing the docs is the job here
    else:
        write_pages(rules, args.write)


if __name__ == "__main__":
    main()
