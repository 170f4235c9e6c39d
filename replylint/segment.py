"""Word boundaries from jieba, computed only in a small window around a hit.

Segmenting whole turns costs ~0.2 M chars/s; a window of a few characters around the
rare hit that needs it costs nearly nothing. jieba's dictionary (~1 s to load) is loaded
on first use, so a run that never needs a boundary never pays for it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from replylint.normalize import JOIN, FoldedText

# Enough context on each side for jieba to see the words that touch the hit.
_WINDOW = 8


class WordBoundaries:
    """Lazily owns a jieba tokenizer; safe to share between threads, picklable."""

    __slots__ = ("_lock", "_tokenizer")

    def __init__(self) -> None:
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {}  # a fresh process loads its own tokenizer when it needs one

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def _lcut(self, text: str) -> list[str]:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba  # noqa: PLC0415 - deferred: importing jieba is part of the cost we avoid

                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._tokenizer = tokenizer
        words: list[str] = self._tokenizer.lcut(text, HMM=False)
        return words

    def is_word(
        self, folded: FoldedText, view_start: int, view_end: int, *, whole_turn: bool = False
    ) -> bool:
        """Whether the view span starts and ends on word boundaries of its context.

        Segmentation runs on the folded text around the hit (``whole_turn``: all of it)
        with spaces removed (ASR spacing must not make every character a word) and
        punctuation kept as a break.
        """
        start, end = folded.original_span(view_start, view_end)
        text = folded.folded
        if whole_turn:
            lo, hi = 0, len(text)
        else:
            lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
        window = text[lo:hi]
        local_start = (start - lo) - window.count(JOIN, 0, start - lo)
        local_end = (end - lo) - window.count(JOIN, 0, end - lo)
        boundaries = {0}
        offset = 0
        for word in self._lcut(window.replace(JOIN, "")):
            offset += len(word)
            boundaries.add(offset)
        return local_start in boundaries and local_end in boundaries
