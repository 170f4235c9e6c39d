"""How alike two replies are, once what changes from one paste of a template to the next is
taken out (the canned reply, kinds/canned_reply.py, compares an agent's replies with it).

A reply is normalised on its surface view (surface.py: script, width, case and 您 -> 你
folded, every offset kept): its marks (marks.py: emoji codes, @mentions, links, #tags#,
masked names) and the address 亲 / 亲亲 are taken out, an opening courtesy (您好, 好的, 嗯)
too, and every number, masked or not ([数字x], ***, 3, 5), becomes one mark, so that
3个工作日 and 5个工作日 read alike; then the rules' fold drops spaces and punctuation.

Likeness is the Dice coefficient of the sets of character bigrams, 2·|A∩B| / (|A|+|B|):
two pastes of one template score about 1.0, a particle or a clause added 0.85–0.93,
different answers in one frame about 0.6 (tests/test_canned_reply.py holds both sides).
"""

from __future__ import annotations

import re
from operator import add

from replylint.text.cues import ENDEARMENT
from replylint.text.marks import MarkKind, marks_in_surface
from replylint.text.normalize import fold_view
from replylint.text.surface import surface_view

NUMBER_MARK = "0"  # what a number, written or masked, becomes
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# What a reply may open with, paste by paste: a greeting or an acknowledgement.
_STOP = r"[\s,.!?~:;。、]"
_OPENING = re.compile(rf"^(?:{_STOP}*(?:你好|好的|好滴|嗯+|哦+|好))+(?={_STOP})")


# The characters a mark can start with (marks.py; "." for bare domains and e-mails): a text
# without any has no mark, and most replies are looked at no further.
_MARK_STARTS = frozenset("[<@#*×xhw.")


def normalise_reply(text: str) -> str:
    """A reply as it is compared: what varies between pastes of one template taken out. It
    is never longer than the text (the folds map a character to at most one)."""
    words = surface_view(text)
    if not _MARK_STARTS.isdisjoint(words):
        words = _without_marks(words)
    if "亲" in words:
        words = ENDEARMENT.sub(" ", words)
    return fold_view(_NUMBER.sub(NUMBER_MARK, _OPENING.sub("", words.strip())))


def _without_marks(surface: str) -> str:
    """The surface with each mark a space, or the number mark for a masked number."""
    pieces: list[str] = []
    at = 0
    for mark in marks_in_surface(surface):
        pieces.append(surface[at : mark.start])
        pieces.append(NUMBER_MARK if mark.kind is MarkKind.NUMBER else " ")
        at = mark.end
    pieces.append(surface[at:])
    return "".join(pieces)


def bigrams(normalised: str) -> frozenset[str]:
    """The distinct character bigrams of a normalised reply (a set: natural text seldom
    repeats a bigram, and intersecting two sets costs C time)."""
    return frozenset(map(add, normalised, normalised[1:]))


def dice(first: frozenset[str], second: frozenset[str]) -> float:
    """2·|A∩B| / (|A|+|B|); 1.0 for two empty sets."""
    total = len(first) + len(second)
    return 1.0 if total == 0 else 2 * len(first & second) / total


def similarity(first: str, second: str) -> float:
    """How alike two replies are, from 0 to 1, once normalised."""
    return dice(bigrams(normalise_reply(first)), bigrams(normalise_reply(second)))
