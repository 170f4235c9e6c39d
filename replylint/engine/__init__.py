"""The engine: the compiled `Linter` and its scan of a batch of calls; ``ruletest`` runs
rules on their own examples."""

from __future__ import annotations

from replylint.engine.linter import Linter

__all__ = ["Linter"]
