"""The fault suite of the HTML report (issue 16 item 14): a turn with many findings is
marked in time linear in them."""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from replylint.model import Finding, Role, Severity
from replylint.output.reports.html import highlighted

# --------------------------------------------------------------------------- the HTML report


class CountedFindings(list[Finding]):
    """A turn's findings that count how often they are gone through."""

    passes = 0

    def __iter__(self) -> Iterator[Finding]:
        self.passes += 1
        return super().__iter__()


def test_the_html_turn_goes_through_its_findings_a_fixed_number_of_times() -> None:
    """Linear in the findings of a turn: 64,000 of them took over a minute when each piece
    of the turn looked at every finding."""
    text = "不知道" * 2_000
    findings = CountedFindings(
        report_finding(f"R{n % 7}", n * 3, n * 3 + 3 + n % 5) for n in range(2_000)
    )
    highlighted(text, findings)
    assert findings.passes <= 2


def highlighted_per_piece(text: str, findings: list[Finding]) -> str:
    """The specification: each piece between two boundaries marked with every finding over
    it (what the report did before, quadratic)."""
    cuts = sorted({0, len(text)} | {f.start for f in findings} | {f.end for f in findings})
    parts: list[str] = []
    for start, end in itertools.pairwise(cuts):
        covering = [f for f in findings if f.start <= start and end <= f.end]
        chunk = html.escape(text[start:end])
        if covering:
            codes = html.escape(" ".join(sorted({f.rule for f in covering})))
            worst = min(covering, key=lambda f: list(Severity).index(f.severity)).severity
            mark = f'<mark class="sev-{worst.value}" data-rule="{codes}" title="{codes}">'
            chunk = f"{mark}{chunk}</mark>"
        parts.append(chunk)
        parts.extend(f'<sup class="tag">{f.rule}</sup>' for f in findings if f.end == end)
    return "".join(parts)


@st.composite
def turns_with_findings(draw: st.DrawFn) -> tuple[str, list[Finding]]:
    text = draw(st.text("甲乙<&", max_size=30))
    spans = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    rules = st.sampled_from(["A1", "B2", "C3"])
    severities = st.sampled_from(list(Severity))
    found = draw(st.lists(st.tuples(spans, rules, severities), max_size=8))
    return text, [report_finding(rule, a, b, sev) for (a, b), rule, sev in found]


@given(turns_with_findings())
def test_the_html_turn_marks_every_piece_with_the_findings_over_it(
    turn: tuple[str, list[Finding]],
) -> None:
    text, findings = turn
    assert highlighted(text, findings) == highlighted_per_piece(text, findings)


def report_finding(rule: str, start: int, end: int, severity: Severity = Severity.ERROR) -> Finding:
    return Finding("t", 0, Role.AGENT, start, end, "", rule, "n", "p", severity, "m", "s")
