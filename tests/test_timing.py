"""convlab.timing: the statistic is what it says (a fake clock), the calls
are interleaved and warmed up, threads are limited and restored, and bad
input gets a clear error."""

import re
import time

import pytest
import torch
from threadpoolctl import threadpool_info

from convlab import timing


def fake_clock(durations):
    """A clock under which the timed calls take ``durations`` seconds, in
    order (each call reads the clock twice: before and after)."""
    readings, now = [], 100.0
    for d in durations:
        readings += [now, now + d]
        now += d + 7.0  # time passes between calls too
    it = iter(readings)
    return lambda: next(it)


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_best_time_is_the_minimum_of_the_timed_calls():
    # one clean call among disturbed ones: the minimum finds it, the
    # median (3.0) and the mean (3.2) would not
    clock = fake_clock([5.0, 1.0, 3.0, 4.0, 3.0])
    assert timing.best_time(lambda: None, 5, clock=clock) == 1.0


def test_wall_times_returns_every_timed_call_and_skips_the_warmup():
    calls = []
    clock = fake_clock([0.5, 0.25, 2.0])
    times = timing.wall_times(
        {"f": lambda: calls.append("f")}, 3, warmup=2, clock=clock
    )
    assert times == {"f": [0.5, 0.25, 2.0]}
    assert calls == ["f"] * 5  # 2 untimed warm-up calls, then 3 timed
    with pytest.raises(StopIteration):  # the clock was read only 6 times
        clock()


def test_best_times_interleaves_the_functions_round_by_round():
    calls = []
    fns = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    # rounds a, b, a, b, a, b take 4, 2, 1, 3, 6, 5 seconds
    clock = fake_clock([4.0, 2.0, 1.0, 3.0, 6.0, 5.0])
    assert timing.best_times(fns, 3, clock=clock) == {"a": 1.0, "b": 2.0}
    assert calls == ["a", "b"] * 4  # one warm-up round, then 3 timed
    calls.clear()
    timing.best_times(fns, 2, warmup=0)
    assert calls == ["a", "b"] * 2


def test_a_function_of_known_cost_is_timed_at_least_at_its_cost():
    """time.sleep(s) cannot return earlier than s: the minimum is never
    below it, and a load spike would have to hit every repeat to push it
    far above."""
    t = timing.best_times(
        {
            "short": lambda: time.sleep(0.002),
            "long": lambda: time.sleep(0.02),
        },
        3,
    )
    assert 0.002 <= t["short"] < t["long"]
    assert 0.02 <= t["long"] < 0.5


def test_threads_are_limited_while_timing_and_restored_after():
    before = torch.get_num_threads()
    seen = {}

    def probe():
        seen["torch"] = torch.get_num_threads()
        seen["pools"] = {p["num_threads"] for p in threadpool_info()}

    timing.best_time(probe, 1, warmup=0, threads=1)
    assert seen["torch"] == 1
    assert seen["pools"] == {1}
    assert torch.get_num_threads() == before
    timing.best_time(probe, 1, warmup=0)  # threads=None: left alone
    assert seen["torch"] == before


def test_threads_are_restored_when_the_timed_function_fails():
    before = torch.get_num_threads()

    def fails():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        timing.best_time(fails, threads=1)
    assert torch.get_num_threads() == before


def test_bad_input_gets_a_clear_error():
    f = lambda: None  # noqa: E731
    with raises(TypeError, "best_time: fn must be a function to call"):
        timing.best_time(3)
    with raises(
        ValueError, "wall_times: repeats must be at least 1, got 0"
    ):
        timing.best_time(f, 0)
    with raises(TypeError, "wall_times: repeats must be an int, got float"):
        timing.best_time(f, 2.5)
    with raises(ValueError, "wall_times: warmup must be non-negative"):
        timing.best_time(f, warmup=-1)
    with raises(TypeError, "best_times: b must be a function to call"):
        timing.best_times({"a": f, "b": 3})
    with raises(TypeError, "non-empty dict {name: function}, got list"):
        timing.best_times([f])
    with raises(TypeError, "got dict (empty)"):
        timing.wall_times({})
    with raises(TypeError, "wall_times: clock must be a function"):
        timing.wall_times({"f": f}, clock=0.0)
    with raises(ValueError, "limited_threads: threads must be at least 1"):
        timing.best_time(f, threads=0)
