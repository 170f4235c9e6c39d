"""The channel reading as it was before its marks went unclassified (kinds/channels.py at
e547eb8; the sign counting is shared): a reference the cheaper reading must agree with."""

from __future__ import annotations

from collections.abc import Sequence

from replylint.kinds import channels
from replylint.kinds.channels import SAMPLED_CHARACTERS, SAMPLED_TURNS, Channel
from replylint.model import Turn
from replylint.text.marks import marks_in_surface
from replylint.text.normalize import TURN_SEPARATOR
from replylint.text.surface import surface_view


def reference_data_channel(turns: Sequence[Turn]) -> Channel | None:
    """The old reading: every placeholder classified, and every sign counted."""
    sampled = turns[:SAMPLED_TURNS]
    if channels._asr_times(sampled):
        return Channel.PHONE
    texts = [turn.text[:SAMPLED_CHARACTERS] for turn in sampled]
    surface = surface_view(TURN_SEPARATOR.join(texts))
    marks = marks_in_surface(surface)
    if channels._is_public(surface, marks):
        return Channel.SOCIAL
    points = dict.fromkeys(Channel, 0)
    for _, sign in channels._signs(texts, surface, marks):
        channel, weight = channels._SIGNS[sign]
        points[channel] += weight
    first, second = sorted(points.values(), reverse=True)[:2]
    if first < channels._ENOUGH or first == second:
        return None
    return max(points, key=points.__getitem__)
