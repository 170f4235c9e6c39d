.PHONY: check test lint docs golden bench screenshot fold-table spark-zip

check: lint test

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	pytest -n auto

docs:
	python -m replylint.packs.docs --write docs
	python -m replylint.cli > docs/cli.md

fold-table:
	python -m tools.make_fold_table

spark-zip:  # dist/replylint.zip, for spark-submit --py-files (docs/spark.md)
	python -m tools.make_spark_zip

golden:
	REPLYLINT_UPDATE_GOLDEN=1 pytest tests/test_cli.py -k golden

bench:
	python bench/run.py

# The README's two screenshots: the report of the whole corpus, and of one call.
SHOT = chromium --headless --no-sandbox --disable-gpu --hide-scrollbars

screenshot:
	replylint report corpus/ -o /tmp/replylint-corpus.html --quiet || true
	$(SHOT) --window-size=1280,1800 --screenshot=docs/report.png \
		file:///tmp/replylint-corpus.html
	replylint report corpus/power/xu_case_95598.json -o /tmp/replylint-call.html --quiet \
		--title '许先生来电（第八次催复电）质检' || true
	$(SHOT) --window-size=1280,4300 --screenshot=docs/report-call.png \
		file:///tmp/replylint-call.html
