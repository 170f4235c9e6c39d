"""Rule kinds: the records rules are loaded into, and the checks that turn a rule and a
dialogue's scan into findings."""
