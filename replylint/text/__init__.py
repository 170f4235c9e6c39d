"""Text as rules see it: folding with offsets, word boundaries, numerals, the phrase scan and
the pattern language; ``recognise`` finds times, durations, addresses, answers and personal
data. Nothing here knows rules, packs or files."""
