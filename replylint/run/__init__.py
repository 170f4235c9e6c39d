"""The run: what happens to transcripts between reading and output, the same for the
library, the command line and Spark.

    options.py    Options: the one object a run is given (rules, profile, scoring,
                  verdicts, baseline, redact, jobs, how input is read)
    config.py     Settings: replylint.toml / [tool.replylint], and the command line over it
    pipeline.py   each call: lint, mask (redact), suppress (verdicts, baseline), score once
                  -> one Result
    result.py     Result (a call, its findings and its score) and Summary (the counts)
    runner.py     lint_paths: read, run the pipeline, hand each call to a Sink, in order
    batch.py      worker processes, input order, Ctrl-C
    progress.py   the progress line and the counts so far
    scoring.py    QA scores: deductions, vetoes, the pass mark
    baseline.py   known findings, and recording them
    verdicts.py   review verdicts: findings marked as false positives
    starter.py    what `replylint init` writes
"""

from __future__ import annotations

from replylint.run.options import Options
from replylint.run.result import Result, Summary
from replylint.run.runner import Sink, lint_paths

__all__ = ["Options", "Result", "Sink", "Summary", "lint_paths"]
