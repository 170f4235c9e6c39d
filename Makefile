.PHONY: check test lint docs golden

check: lint test

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	pytest

docs:
	python -m replylint.ruledocs > docs/rules.md

golden:
	REPLYLINT_UPDATE_GOLDEN=1 pytest tests/test_cli.py -k golden
