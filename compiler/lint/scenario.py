"""Scenario graph checks: missing targets, unreachable steps, dead ends, loops with no way out."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, error, warning
from ..model import Course, Scenario


def check(course: Course) -> Iterator[Diagnostic]:
    for _, block in course.blocks():
        if isinstance(block, Scenario) and block.steps:
            yield from check_scenario(block)


def check_scenario(scenario: Scenario) -> Iterator[Diagnostic]:
    ids = {s.id for s in scenario.steps}
    edges = {s.id: [c.target for c in s.choices if c.target in ids] for s in reversed(scenario.steps)}
    for step in scenario.steps:
        for choice in step.choices:
            if choice.target not in ids:
                yield error(choice.pos, "missing-step",
                            f"choice links to step '#{choice.target}', which scenario '{scenario.id}' does not have")
    reachable = _reach(edges, [scenario.steps[0].id])
    terminal = [s.id for s in scenario.steps if s.ending or not s.choices or any(c.target not in ids for c in s.choices)]
    can_finish = _reach(_reverse(edges), terminal)
    for step in scenario.steps:
        if step.id not in reachable:
            yield warning(step.pos, "unreachable-step", f"no path from the start step reaches step '{step.id}'")
        if not step.ending and not step.choices:
            yield warning(step.pos, "dead-end", f"step '{step.id}' has no choices and is not marked {{ending}}")
        elif step.id in reachable and step.id not in can_finish:
            yield warning(step.pos, "no-way-out", f"step '{step.id}' is in a loop with no path to an ending")


def _reach(edges: dict[str, list[str]], starts: list[str]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _reverse(edges: dict[str, list[str]]) -> dict[str, list[str]]:
    back: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            back.setdefault(target, []).append(source)
    return back
