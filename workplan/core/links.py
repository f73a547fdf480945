"""Which key task (主要任务) an item of the 合作事项清单 implements, proposed by text similarity.

An item's title and measures mostly repeat or rephrase a sentence of its task, so the score is
the share of the item's character pairs (bigrams) that occur in the task's text, the title
counting as much as the measures. A link is proposed only when the best task scores at least
MIN_SCORE and clearly beats the next one (MIN_MARGIN); otherwise it is left for a person.
Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_SCORE = 0.30
MIN_MARGIN = 0.05
BACK_SCORE = 0.60
BACK_MARGIN = 0.10
ORDER_SCORE = 0.25
ORDER_SLACK = 0.10

_NOT_TEXT = re.compile(r"[\s\W\d_]+")
# Words every item and task is full of: they say nothing about which task it is.
_COMMON = ("长三角", "三省一市", "市场监管", "推进", "推动", "开展", "建立", "加强", "深化", "机制", "区域", "一体化")


@dataclass(frozen=True)
class Link:
    task: int | None      # None: left for a person
    score: float          # the proposed (else the best) task's score
    best: int             # the best-scoring task, even when not proposed
    runner_up: float      # the next task's score
    by_order: bool = False  # chosen over a slightly better earlier task because the list runs in task order


def bigrams(text: str) -> set[str]:
    for word in _COMMON:
        text = text.replace(word, " ")
    pieces = _NOT_TEXT.split(text)
    return {piece[i:i + 2] for piece in pieces for i in range(len(piece) - 1)}


def _share(part: set[str], whole: set[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def propose_links(items: list[tuple[str, str, int | None]], tasks: dict[int, tuple[int, str]]) -> list[Link | None]:
    """A Link per item (title, measures, section from the table or None), in printed order;
    tasks: number → (section, text). None for every item when the plan has no tasks.

    The list follows the tasks' order, so a task before the previous item's task needs a clear
    score (BACK_SCORE) and margin; otherwise the best task from the previous one on is taken
    when it scores nearly as well (ORDER_SLACK) and at least ORDER_SCORE."""
    task_pairs = {number: bigrams(text) for number, (_, text) in tasks.items()}
    links: list[Link | None] = []
    previous = None
    for title, measures, section in items:
        candidates = [n for n in task_pairs if section is None or tasks[n][0] == section]
        if not candidates:
            links.append(None)
            continue
        title_pairs, measure_pairs = bigrams(title), bigrams(measures)
        scores = sorted(((0.5 * _share(title_pairs, task_pairs[n]) + 0.5 * _share(measure_pairs, task_pairs[n]), n)
                         for n in candidates), key=lambda pair: (-pair[0], pair[1]))
        (best_score, best), runner_up = scores[0], (scores[1][0] if len(scores) > 1 else 0.0)
        task, score, by_order = None, best_score, False
        if previous is None or best >= previous:
            if best_score >= MIN_SCORE and best_score - runner_up >= MIN_MARGIN:
                task = best
        elif best_score >= BACK_SCORE and best_score - runner_up >= BACK_MARGIN:
            task = best
        else:
            forward = next(((s, n) for s, n in scores if n >= previous), None)
            if forward and forward[0] >= ORDER_SCORE and best_score - forward[0] <= ORDER_SLACK:
                (score, task), by_order = forward, True
        if task is not None:
            previous = task
        links.append(Link(task, round(score, 3), best, round(runner_up, 3), by_order))
    return links
