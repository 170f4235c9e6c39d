"""Driver for tests/test_spark_zip.py, run as ``spark-submit --py-files replylint.zip
zip_driver.py CALLS``: lint JSON lines, print where the driver and the executors imported
replylint from, and the findings, as JSON."""

import json
import sys
from collections.abc import Iterator

from pyspark.sql import SparkSession

import replylint
from replylint.spark import lint_dataframe


def imported_from(_: object) -> Iterator[str]:
    import replylint  # noqa: PLC0415 - on the executor

    yield str(replylint.__file__)


def main(calls_path: str) -> None:
    spark = (
        SparkSession.builder.config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    findings, _ = lint_dataframe(spark.read.json(calls_path))
    rows = sorted([r.transcript, r.turn, r.rule, r.text] for r in findings.collect())
    where = spark.sparkContext.parallelize(range(4), 4).mapPartitions(imported_from).collect()
    shown = {"driver": replylint.__file__, "executors": sorted(set(where)), "findings": rows}
    print(json.dumps(shown))  # noqa: T201 - the test reads it
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
