"""The rules of service/fairness.py, each pinned by its numbers: per-client and total places, the penalty box
(its length, doubling and cap), suspects (one query each, half the workers together) and the strike window.

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md). The clock is a fake
one (``time.monotonic`` replaced for the test), so that no test waits.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

import flask
import pytest

from lscp_kg.service.errors import HttpError
from lscp_kg.service.fairness import MAX_PENALTY, Fairness, current_client
from lscp_kg.service.limits import Limits


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock.now += seconds``."""

    class Clock:
        now = 1000.0

        @classmethod
        def sleep(cls, seconds: float) -> None:  # a query waiting for a slot lets the fake time pass
            cls.now += seconds

    monkeypatch.setattr(time, "monotonic", lambda: Clock.now)
    monkeypatch.setattr(time, "sleep", Clock.sleep)
    return Clock


def refusal(fair: Fairness, client: str) -> HttpError:
    with pytest.raises(HttpError) as refused:
        fair.admit(client).__enter__()
    return refused.value


def test_a_client_holds_at_most_per_client_places(clock):
    fair = Fairness(Limits(per_client=2, query_slots=10))
    with fair.admit("a") as suspect, fair.admit("a"):
        assert suspect is False and fair.running("a") == 2
        refused = refusal(fair, "a")
        assert (refused.status, refused.headers["Retry-After"]) == (429, "1")
        assert "already has 2 queries running" in refused.message
        with fair.admit("b"):
            assert fair.describe()["queries_waiting_or_running"] == 3
        assert refusal(fair, "a").status == 429
    assert fair.running("a") == 0 and fair.describe() == {"queries_waiting_or_running": 0, "clients_slowed": 0,
                                                          "refused": 2}


def test_all_clients_together_hold_at_most_the_query_slots(clock):
    fair = Fairness(Limits(per_client=5, query_slots=2, queue_wait=3.0))
    with fair.admit("a"), fair.admit("b"):
        started = clock.now
        refused = refusal(fair, "c")  # waits for a slot as long as queue_wait, then is refused
        assert (refused.status, refused.headers["Retry-After"]) == (503, "1")
        assert clock.now - started == pytest.approx(3.0, abs=0.05)
        assert fair.describe()["queries_waiting_or_running"] == 2
    with fair.admit("c"):  # places given back
        assert fair.running("c") == 1


@pytest.mark.parametrize("time_limit, first_penalty", [(1.0, 10), (5.0, 10), (7.5, 15), (20.0, 40)])
def test_a_strike_boxes_the_client_for_twice_the_time_limit_at_least_ten_seconds(clock, time_limit, first_penalty):
    fair = Fairness(Limits(time_limit=time_limit))
    fair.strike("a")
    refused = refusal(fair, "a")
    assert (refused.status, refused.headers["Retry-After"]) == (429, str(first_penalty))
    assert f"try again in {first_penalty} seconds" in refused.message
    assert fair.describe()["clients_slowed"] == 1
    clock.now += first_penalty - 0.5
    assert refusal(fair, "a").headers["Retry-After"] == "1"  # the half second left, rounded up
    clock.now += 0.5
    assert fair.describe()["clients_slowed"] == 0
    with fair.admit("a") as suspect:
        assert suspect is True


def test_each_further_strike_doubles_the_box_up_to_the_cap(clock):
    fair = Fairness(Limits(time_limit=1.0, strike_window=10_000))
    boxes = []
    for _ in range(7):
        fair.strike("a")
        boxes.append(int(refusal(fair, "a").headers["Retry-After"]))
    assert boxes == [10, 20, 40, 80, 160, 300, 300] and MAX_PENALTY == 300


def test_strikes_older_than_the_window_are_forgotten(clock):
    fair = Fairness(Limits(time_limit=1.0, strike_window=100))
    fair.strike("a")
    clock.now += 99
    with fair.admit("a") as suspect:
        assert suspect is True
    fair.strike("a")
    clock.now += 99  # the first strike is 198 s old, the second 99 s
    fair.strike("a")
    assert refusal(fair, "a").headers["Retry-After"] == "20"  # two strikes in the window
    clock.now += 100
    with fair.admit("a") as suspect:
        assert suspect is False  # the window has passed since the last strike
    fair.strike("a")
    assert refusal(fair, "a").headers["Retry-After"] == "10"  # counting starts again


def test_a_suspect_runs_one_query_at_a_time(clock):
    fair = Fairness(Limits(time_limit=1.0, workers=4, per_client=3))
    fair.strike("a")
    clock.now += 10
    with fair.admit("a") as suspect:
        assert suspect is True
        refused = refusal(fair, "a")
        assert (refused.status, refused.headers["Retry-After"]) == (429, "10")
        assert "one query at a time" in refused.message
    with fair.admit("a"):
        pass


@pytest.mark.parametrize("slots, suspects", [(2, 1), (3, 1), (4, 2), (5, 2), (6, 3)])
def test_suspects_together_hold_at_most_half_the_query_slots(clock, slots, suspects):
    fair = Fairness(Limits(time_limit=1.0, workers=50, query_slots=slots))
    clients = [f"10.0.0.{n}" for n in range(suspects + 1)]
    for client in clients:
        fair.strike(client)
    clock.now += 10
    with ExitStack() as held:
        for client in clients[:-1]:
            assert held.enter_context(fair.admit(client)) is True
        assert refusal(fair, clients[-1]).status == 429
        assert held.enter_context(fair.admit("innocent")) is False  # others are not held back
    with fair.admit(clients[-1]) as suspect:  # the suspects' places are given back
        assert suspect is True


def test_current_client_is_the_request_address():
    assert current_client() is None
    app = flask.Flask(__name__)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        assert current_client() == "10.1.2.3"
    with app.test_request_context(environ_base={"REMOTE_ADDR": ""}):
        assert current_client() == "-"
