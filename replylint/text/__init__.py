"""Text: folding, words, clauses and recognisers; knows no rules and no files."""
