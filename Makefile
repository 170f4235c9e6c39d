.PHONY: check test lint docs golden bench screenshot fold-table

check: lint test

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	pytest

docs:
	python -m replylint.packs.docs --write docs
	python -m replylint.cli > docs/cli.md

fold-table:
	python -m tools.make_fold_table

golden:
	REPLYLINT_UPDATE_GOLDEN=1 pytest tests/test_cli.py -k golden

bench:
	python bench/run.py

screenshot:
	replylint report corpus/ -o /tmp/replylint-corpus.html --quiet || true
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1800 \
		--screenshot=docs/report.png file:///tmp/replylint-corpus.html
