"""Text as rules see it: folding with offsets, word boundaries, numerals, the phrase scan, the
pattern language, clauses and their features, speech acts, and marks (@mentions, #tags#,
links, emoji codes, placeholders); ``recognise`` finds times, durations, addresses, answers
and personal data. Nothing here knows rules, packs or files."""
