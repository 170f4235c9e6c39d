"""Rule documentation generated from the packs: an index (``docs/rules.md``) and a page per
pack (``docs/rules/PACK.md``), every rule with its matching and its examples.

    python -m replylint.packs.docs --write docs     # all pages
    python -m replylint.packs.docs > docs/rules.md  # the index alone

A test regenerates them and compares, so the docs cannot drift from the data.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path

from replylint.kinds import Rule, kind_of
from replylint.packs.loader import load_pack_folders
from replylint.packs.packfile import PackInfo

INDEX = "rules.md"
PACK_FOLDER = "rules"
_GENERATED = (
    "Generated from `rules/` by `python -m replylint.packs.docs --write docs`; do not edit."
)


def pages(rules: Iterable[Rule], packs: Mapping[str, PackInfo] | None = None) -> dict[str, str]:
    """Every page, by its path under ``docs/``: the index and one page per pack (titled by
    its ``pack.toml``, when ``packs`` has it)."""
    titles = {name: info.title for name, info in (packs or {}).items()}
    ordered = sorted(rules, key=lambda r: (r.info.pack, r.info.code))
    by_pack = {pack: list(group) for pack, group in groupby(ordered, key=lambda r: r.info.pack)}
    found = {INDEX: render(ordered)}
    found |= {
        f"{PACK_FOLDER}/{pack}.md": render_pack(pack, group, titles.get(pack, ""))
        for pack, group in by_pack.items()
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


def render_pack(pack: str, rules: Iterable[Rule], title: str = "") -> str:
    """One pack's page: each rule's section, in code order."""
    ordered = sorted(rules, key=lambda r: r.info.code)
    lines = [f"# {pack} · {title}" if title else f"# {pack}", "", _GENERATED, ""]
    lines += [f"- [{r.info.code} {r.info.name}](#{_anchor(r)})" for r in ordered]
    for rule in ordered:
        lines += ["", *rule_section(rule)]
    return "\n".join(lines) + "\n"


def write_pages(
    rules: Iterable[Rule], docs: Path, packs: Mapping[str, PackInfo] | None = None
) -> list[Path]:
    """Write every page under ``docs``, and remove pack pages of packs that are gone."""
    written = []
    wanted = pages(rules, packs)
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
    if info.title:
        yield f"**{info.title}**"
        yield ""
    yield f"**What it does.** {info.description}"
    yield ""
    if info.rationale:
        yield f"**Why it matters.** {info.rationale}"
        yield ""
    kind = kind_of(rule)
    yield from kind.summary(rule)
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
    if info.channels:
        channels = ", ".join(sorted(info.channels))
        yield (
            f"**Channels.** {channels}: runs on calls of this channel (metadata, else what "
            "the first turns show, else `Linter(channel=...)`); not on a call whose channel "
            "nothing names."
        )
        yield ""
    yield from kind.docs(rule)
    yield from _reading_lines(rule)
    for example in info.examples:
        verdict = "Flagged" if example.should_flag else "Not flagged"
        covers = f" (finding: `{example.text}`)" if example.text else ""
        read_as = f", read as a {example.channel} call" if example.channel else ""
        yield ""
        yield f"{verdict}{covers}{read_as}:"
        yield ""
        yield "```text"
        yield example.dialogue
        yield "```"


def _reading_lines(rule: Rule) -> Iterator[str]:
    """What the rule reads of the sentence around a hit, and whom it replaces."""
    options = rule.options
    if options.unless:
        yield ""
        yield f"**Not where** the hit's clause or words are: {', '.join(sorted(options.unless))}"
    if options.speech_act is not None:
        yield ""
        yield f"**Only where** the hit's clause is a {options.speech_act}"
    if options.handles:
        yield ""
        yield "**@mentions:** an account a mention names counts (@某某都市报)"
    if rule.info.supersedes:
        yield ""
        yield (
            f"**Replaces** {', '.join(rule.info.supersedes)} on the same words: one "
            "behaviour, one finding"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replylint.packs.docs", description=__doc__)
    parser.add_argument("--write", type=Path, metavar="DOCS", help="write every page here")
    args = parser.parse_args(argv)
    loaded = load_pack_folders()
    if args.write is None:
        print(render(loaded.rules), end="")  # noqa: T201 - printing the docs is the job here
    else:
        write_pages(loaded.rules, args.write, loaded.packs)


if __name__ == "__main__":
    main()
