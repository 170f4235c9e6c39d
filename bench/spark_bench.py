"""Spark scaling: ``replylint.spark.lint_dataframe`` on the bench corpus, local[1] vs local[2].

``python bench/spark_bench.py`` prints a markdown table (for docs/spark.md). The input is
bench/data/realistic-20mb-s1.jsonl (generated when missing), converted once to Parquet in
both layouts: one row per call, and one row per turn. Each master runs in a process of its
own (a fresh JVM). A timed job is the whole thing: read Parquet, lint, write every finding
to Parquet; counting rows would let Spark skip work. One warm-up job per layout first, so
the figures are steady state (Python workers started, linter compiled, JVM warm); then
--repeat rounds over both layouts, and the best time of each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyspark
from pyspark.sql import SparkSession
from pyspark.sql import functions as fn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from bench.synth import load_material, write_jsonl
from replylint.spark import lint_dataframe

CORPUS = Path(__file__).resolve().parent / "data" / "realistic-20mb-s1.jsonl"
MASTERS = ("local[1]", "local[2]")
LAYOUTS = ("calls", "turns")


def session(master: str, partitions: int) -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master(master)
        .appName("replylint-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def prepare(spark: Any, work: Path, partitions: int) -> None:
    """The JSONL corpus as Parquet, both layouts, ``partitions`` files each, by call id."""
    calls = spark.read.json(str(CORPUS)).repartition(partitions, "id")
    calls.write.parquet(str(work / "calls"))
    turns = calls.select("id", "meta", fn.posexplode("turns").alias("turn", "t"))
    turns = turns.select("id", "turn", "t.role", "t.text", "meta.*")
    turns.repartition(partitions, "id").write.parquet(str(work / "turns"))


def lint_and_write(spark: Any, source: Path, target: Path) -> float:
    start = time.perf_counter()
    findings, _ = lint_dataframe(spark.read.parquet(str(source)))
    findings.write.mode("overwrite").parquet(str(target))
    seconds = time.perf_counter() - start
    spark.catalog.clearCache()  # lint_dataframe persists its linted calls
    return seconds


def measure(master: str, work: Path, partitions: int, repeat: int) -> Iterator[dict[str, Any]]:
    spark = session(master, partitions)
    cores = master.removeprefix("local[").removesuffix("]")  # [ ] would glob on read
    runs = {layout: (work / layout, work / f"out-{cores}-{layout}") for layout in LAYOUTS}
    try:
        for source, target in runs.values():
            lint_and_write(spark, source, target)  # warm-up
        # Rounds over both layouts, so neither gets a JVM warmed up by the other's runs.
        seconds = {layout: float("inf") for layout in LAYOUTS}
        for _ in range(repeat):
            for layout, (source, target) in runs.items():
                seconds[layout] = min(seconds[layout], lint_and_write(spark, source, target))
        for layout, (source, target) in runs.items():
            yield {
                "layout": layout,
                "master": master,
                "seconds": seconds[layout],
                "findings": spark.read.parquet(str(target)).count(),
                "input_partitions": spark.read.parquet(str(source)).rdd.getNumPartitions(),
            }
    finally:
        spark.stop()


def child(args: argparse.Namespace) -> None:
    """In a fresh process: prepare the Parquet inputs, or measure one master."""
    work = Path(args.work)
    if args.child == "prepare":
        spark = session("local[2]", args.partitions)
        prepare(spark, work, args.partitions)
        spark.stop()
        return
    for record in measure(args.child, work, args.partitions, args.repeat):
        print(json.dumps(record))  # noqa: T201 - read by the parent process


def run_child(what: str, work: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--child", what, "--work", str(work)]
    command += ["--partitions", str(args.partitions), "--repeat", str(args.repeat)]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{what} failed:\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def table(records: list[dict[str, Any]], megabytes: float, partitions: int) -> list[str]:
    by_run = {(record["layout"], record["master"]): record for record in records}
    lines = [
        f"Machine: {os.cpu_count()} cores, {platform.machine()}; Python "
        f"{platform.python_version()}; pyspark {pyspark.__version__}.",
        f"Input: {CORPUS.name}, {megabytes:.1f} MB of JSONL, as Parquet in {partitions} files "
        "per layout; a job reads it, lints and writes every finding to Parquet.",
        "",
        "| layout | master | input partitions | findings | wall s | MB/s | speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for (layout, master), row in by_run.items():
        base = by_run[layout, MASTERS[0]]["seconds"]
        lines.append(
            f"| {layout} | {master} | {row['input_partitions']} | {row['findings']:,} "
            f"| {row['seconds']:.2f} | {megabytes / row['seconds']:.1f} "
            f"| {base / row['seconds']:.2f}x |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed jobs per figure (best)")
    parser.add_argument("--partitions", type=int, default=8, help="Parquet files per layout")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    write_jsonl(CORPUS, 1, 20, load_material())
    with tempfile.TemporaryDirectory(prefix="replylint-spark-bench-") as folder:
        work = Path(folder)
        run_child("prepare", work, args)
        records = [record for master in MASTERS for record in run_child(master, work, args)]
    megabytes = CORPUS.stat().st_size / 1e6
    print("\n".join(table(records, megabytes, args.partitions)))  # noqa: T201 - the report


if __name__ == "__main__":
    main()
