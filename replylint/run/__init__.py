"""The run: what happens to transcripts between reading and output, shared by the library,
the command line and Spark: settings, scoring, baselines, review verdicts and the batch."""
