"""Rule documentation generated from the packs: ``python -m replylint.ruledocs > docs/rules.md``.

A test regenerates it and compares, so the docs cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby

from replylint.packs import load_packs
from replylint.rules import OccurrenceRule, PatternRule, PhraseRule, ResponseRule, Rule, Scope


def render(rules: Iterable[Rule]) -> str:
    ordered = sorted(rules, key=lambda r: (r.info.pack, r.info.code))
    lines = [
        "# Rules",
        "",
        "Generated from `rules/` by `python -m replylint.ruledocs`; do not edit by hand.",
        "",
        "| code | name | pack | severity | kind |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.info.code} | {r.info.name} | {r.info.pack} | {r.info.severity} | {r.kind} |"
        for r in ordered
    ]
    for pack, pack_rules in groupby(ordered, key=lambda r: r.info.pack):
        lines += ["", f"## {pack}"]
        for rule in pack_rules:
            lines += ["", *rule_section(rule)]
    return "\n".join(lines) + "\n"


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
    yield f"**Message** ({info.severity}): {info.message}"
    yield ""
    yield f"**Suggestion.** {info.suggestion}"
    yield ""
    yield f"**Source.** {info.source}"
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
        case PhraseRule():
            roles = ", ".join(sorted(rule.roles))
            count, boundary = len(rule.phrases), rule.boundary
            yield f"**Matches** in {roles} turns ({count} phrases, word boundary: {boundary}):"
            yield "、".join(rule.phrases)
            yield from _exceptions(rule.exceptions)
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
            expected = "、".join(rule.responses) or ""
            detector = (
                f" or a {rule.response_detector} expression" if rule.response_detector else ""
            )
            same_turn = "the same turn and " if rule.include_trigger_turn else ""
            yield (
                f"**Triggered** in {', '.join(sorted(rule.trigger_roles))} turns by "
                + "、".join(rule.triggers)
            )
            yield ""
            yield (
                f"**Needs** within {same_turn}the next {rule.window} "
                f"{', '.join(sorted(rule.response_roles))} turn(s): {expected}{detector}"
            )


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


if __name__ == "__main__":
    print(render(load_packs()), end="")  # noqa: T201 - the module's one job is to print the docs
