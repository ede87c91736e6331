"""Bulk work in worker processes: the results in order, a failure reported, nothing left
running."""

from __future__ import annotations

import os

import pytest

from hotline import worker_processes
from hotline.worker_processes import ordered_map


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def fail_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


def test_results_come_in_order_from_other_processes() -> None:
    results = list(ordered_map(square_with_pid, range(40), workers=2, ahead=3))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for _, pid in results}


def test_one_worker_runs_here() -> None:
    results = list(ordered_map(square_with_pid, range(5), workers=1))
    assert results == [(n * n, os.getpid()) for n in range(5)]


def test_where_processes_cannot_start_the_work_is_done_here(monkeypatch) -> None:
    monkeypatch.setattr(worker_processes, "can_spawn", lambda: False)
    assert {pid for _, pid in ordered_map(square_with_pid, range(5), workers=4)} == {os.getpid()}


def test_a_failing_task_raises_in_the_caller() -> None:
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(fail_on_three, range(10), workers=2))


def test_items_are_read_as_the_work_goes_not_all_first() -> None:
    """A table read lazily stays lazy: never more than workers x ahead items in flight."""
    taken = []

    def items():
        for number in range(100):
            taken.append(number)
            yield number

    results = ordered_map(square_with_pid, items(), workers=2, ahead=2)
    first = next(results)
    assert first[0] == 0 and len(taken) <= 2 * 2 + 1
    results.close()  # stopping early cancels what is queued and ends the workers


def test_default_workers_is_at_least_one_at_most_four() -> None:
    assert 1 <= worker_processes.default_workers() <= 4
