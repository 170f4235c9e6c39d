"""Recognisers: what a turn's text holds besides phrases (a concrete time, a duration, an
address, the value of an answer, personal data)."""
