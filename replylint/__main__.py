"""``python -m replylint`` runs the command line."""

from replylint.cli import app

app()
