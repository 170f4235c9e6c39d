"""Output: results rendered for people and tools (text, JSON, JSON Lines, CSV) and the
reports for QA teams (HTML, XLSX, CSV). Nothing here lints or scores."""
