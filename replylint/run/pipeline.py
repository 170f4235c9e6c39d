"""The pipeline every call goes through once read, the same for the library, the command
line and Spark: lint, mask personal data (redact), suppress (review verdicts, then a
baseline), score once, giving one `Result`.

Masking comes right after linting, so rules see the real text while baselines, verdicts and
every output see the masked text. A read unit (see ``readers.read_units``) is processed
where it is read, in this process or in a worker, and only its rendered output and counts
travel back (see `process_unit`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from replylint.engine import Linter
from replylint.model import Annotations, Finding, ReadError, ReadErrorKind, Transcript
from replylint.readers import ReadUnit, read_unit
from replylint.redact import redact_annotations
from replylint.run.baseline import Baseline
from replylint.run.result import Result, Summary
from replylint.run.scoring import DEFAULT_CONFIG, ScoreConfig
from replylint.run.verdicts import Verdicts

R = TypeVar("R")
Render = Callable[[Result], R]  # a call's output, made where it was linted (see `Sink`)
Linted = tuple[Transcript, Annotations]

# Turns linted as one batch: a JSONL unit (about a megabyte) is one batch or two.
_BATCH_TURNS = 50_000


@dataclass(frozen=True, slots=True)
class Pipeline:
    """What becomes of a call once linted: masked when ``redact``, its findings that
    ``verdicts`` mark set aside and those ``baseline`` knows dropped, then scored with
    ``scoring``. Picklable: worker processes and Spark executors get it once. The linter is
    passed in rather than held, as each of them keeps its own compiled one."""

    scoring: ScoreConfig = DEFAULT_CONFIG
    redact: bool = False
    verdicts: Verdicts | None = None
    baseline: Baseline | None = None

    def result(self, transcript: Transcript, annotations: Annotations) -> Result:
        """The result of one linted call."""
        if self.redact:
            transcript, annotations = redact_annotations(transcript, annotations)
        if self.verdicts is None and self.baseline is None:  # most runs: nothing to leave out
            return Result.scored(
                transcript, annotations.findings, annotations.tags, scoring=self.scoring
            )
        kept, marked = self._suppressed(annotations.findings)
        return Result.scored(
            transcript, kept, annotations.tags, scoring=self.scoring, marked=marked
        )

    def _suppressed(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(the findings to report, those verdicts mark as false positives)."""
        kept, marked = (findings, []) if self.verdicts is None else self.verdicts.split(findings)
        if self.baseline is not None:
            kept = self.baseline.new_findings(kept)
        return kept, marked

    def results(
        self, linter: Linter, items: list[Transcript | ReadError]
    ) -> list[Result | ReadError]:
        """Each transcript linted and made a result, read errors kept in place."""
        return [i if isinstance(i, ReadError) else self.result(*i) for i in _linted(linter, items)]


DEFAULT_PIPELINE = Pipeline()


@dataclass(frozen=True, slots=True)
class UnitOutput(Generic[R]):
    """What one unit gave: each transcript rendered, or its read error, in input order."""

    items: list[R | ReadError]
    summary: Summary
    size: int  # bytes of input the unit stood for
    source: str = ""  # the file (or <stdin>) the unit was read from


def process_unit(
    linter: Linter, render: Render[R], unit: ReadUnit, pipeline: Pipeline = DEFAULT_PIPELINE
) -> UnitOutput[R]:
    """Read one unit, take each call through the pipeline and render its result."""
    summary = Summary()
    output: list[R | ReadError] = []
    for item in pipeline.results(linter, list(read_unit(unit))):
        if isinstance(item, ReadError):
            summary.errors += 1
            output.append(item)
        else:
            summary.add(item)
            output.append(render(item))
    return UnitOutput(output, summary, unit.size, unit.ctx.source)


def _linted(linter: Linter, items: list[Transcript | ReadError]) -> list[Linted | ReadError]:
    """Each transcript with its annotations (linted in `_batches`), read errors in place.

    Should linting ever raise (a bug, never expected), the transcripts are linted one by
    one and each that fails becomes an error naming it: the rest of the batch goes on
    and the run ends with exit code 2, rather than losing every transcript after it.
    """
    transcripts = [item for item in items if isinstance(item, Transcript)]
    try:
        annotated = (a for batch in _batches(transcripts) for a in linter.annotate_batch(batch))
        return [i if isinstance(i, ReadError) else (i, next(annotated)) for i in items]
    except Exception:  # any failure: retried per transcript, see the docstring
        return [i if isinstance(i, ReadError) else _linted_alone(linter, i) for i in items]


def _linted_alone(linter: Linter, transcript: Transcript) -> Linted | ReadError:
    try:
        return transcript, linter.annotate(transcript)
    except Exception as error:  # reported below, never swallowed
        return ReadError(
            transcript.source or "<input>",
            transcript.line,
            f"transcript '{transcript.id}': could not be linted ({type(error).__name__}: "
            f"{error}); this is a replylint bug, please report it",
            ReadErrorKind.INTERNAL,
        )


def _batches(transcripts: list[Transcript]) -> Iterator[list[Transcript]]:
    """Runs of transcripts with about `_BATCH_TURNS` turns: what the engine folds and scans
    at once stays small even for a unit that is one big JSON document."""
    batch: list[Transcript] = []
    turns = 0
    for transcript in transcripts:
        batch.append(transcript)
        turns += len(transcript.turns)
        if turns >= _BATCH_TURNS:
            yield batch
            batch, turns = [], 0
    if batch:
        yield batch
