"""The pure parts of benchmarks.scale and benchmarks.turn_profile: the table, the ratios, CPU
time from /proc, the store check and the scaling estimate's arithmetic."""

import argparse
import os
from pathlib import Path

import pytest

from benchmarks.load import lost_messages
from benchmarks.scale import (
    Run,
    StoreFigures,
    conversation,
    format_table,
    log_problems,
    numbers,
    p95_at,
    parse_stat,
    ratio_lines,
    replica_throughput,
    scaling_estimate,
    setup_names,
    throughput_ratios,
    with_descendants,
)
from benchmarks.turn_profile import Timers, failed, senders_and_texts

# /proc/<pid>/stat of a process whose name holds a space and a parenthesis: ppid 1, utime 250, stime 50
STAT = "4242 (rasa (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 100 0 0"


def run(setup: str, users: int, turns: int, seconds: float, p95: float = 100.0, **more) -> Run:
    return Run(setup, users, turns, seconds, p50=50.0, p95=p95, p99=p95 * 2, failed=0, **more)


def test_cpu_seconds_come_from_utime_and_stime_after_the_last_parenthesis():
    assert parse_stat(STAT, ticks=100) == (1, 3.0)
    assert parse_stat(STAT, ticks=50) == (1, 6.0)


def test_cpu_seconds_of_this_process_grow_with_work():
    stat = Path(f"/proc/{os.getpid()}/stat")
    parent, before = parse_stat(stat.read_text())
    sum(number * number for number in range(3_000_000))
    assert parent == os.getppid()
    assert parse_stat(stat.read_text())[1] > before


def test_descendants_are_found_at_any_depth_and_strangers_left_out():
    parents = {10: 1, 11: 10, 12: 11, 13: 10, 20: 1, 21: 20}
    assert sorted(with_descendants([10], parents)) == [10, 11, 12, 13]
    assert sorted(with_descendants([21, 99], parents)) == [21, 99]


def test_the_table_has_a_row_per_run_with_its_figures():
    runs = [
        run("embedded", 20, 400, 40.0, p95=480.0, server_cpu=20.0, locust_cpu=4.0),
        run("one", 20, 400, 20.0, p95=1234.0, server_cpu=30.0, store_cpu=4.0, missing=1, disordered=2),
    ]
    header, rule, embedded, one = format_table(runs).splitlines()
    assert header.startswith("| setup | users | turns | turns/s | p50 ms | p95 ms | p99 ms | failed | lost |")
    assert rule.count("|") == header.count("|")
    assert embedded == "| A. embedded | 20 | 400 | 10.0 | 50 | 480 | 960 | 0 | 0 | 50.0 | in the servers | 10% |"
    assert one == "| B. production, 1 replica | 20 | 400 | 20.0 | 50 | 1,234 | 2,468 | 0 | 3 | 75.0 | 10.0 | 0% |"


def test_throughput_ratio_is_two_replicas_over_one_at_each_shared_user_count():
    runs = [run("one", 50, 1000, 100.0), run("two", 50, 1000, 50.0), run("one", 100, 2000, 100.0)]
    runs.append(run("two", 100, 2000, 125.0))
    runs.append(run("two", 20, 400, 10.0))  # B did not run 20 users: no ratio
    assert throughput_ratios(runs) == {50: 2.0, 100: 0.8}


def test_the_goals_are_judged_at_their_own_user_counts():
    runs = [run("one", 20, 400, 40.0, p95=300.0), run("two", 20, 400, 20.0, p95=700.0)]
    runs += [run("one", 50, 1000, 100.0), run("two", 50, 1000, 60.0)]
    text = "\n".join(ratio_lines(runs))
    assert "20 users: 2.00\n" in text  # not a goal's user count: no verdict
    assert "50 users: 1.67  goal met" in text
    assert "B. production, 1 replica      300 ms  goal met" in text
    assert "C. production, 2 replicas     700 ms  goal NOT met" in text
    assert p95_at(runs) == {"one": 300.0, "two": 700.0}


def test_store_check_counts_missing_messages_and_disordered_conversations():
    expected = ["hallo", "Utrecht", "doei"]
    stored = {"a": ["hallo", "Utrecht", "doei"], "b": ["hallo"], "c": ["Utrecht", "hallo"], "d": []}
    assert lost_messages(stored, expected) == (2 + 1 + 3, 1)


def test_a_longer_conversation_starts_the_load_conversation_again():
    assert conversation(3) == ["hallo", "wat is clientondersteuning?", "kost cliëntondersteuning geld?"]
    assert len(conversation(45)) == 45 and conversation(45)[20] == "hallo"


def test_options_are_checked():
    assert numbers("1, 20,50") == [1, 20, 50]
    assert setup_names("embedded,two") == ["embedded", "two"]
    for bad in ("0,5", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            numbers(bad)
    with pytest.raises(argparse.ArgumentTypeError):
        setup_names("embedded,three")


def test_one_replica_is_b_else_half_of_c():
    assert replica_throughput([run("one", 50, 100, 10.0), run("two", 50, 300, 10.0)]) == (10.0, "B's best")
    assert replica_throughput([run("embedded", 50, 100, 10.0), run("two", 50, 300, 10.0)]) == (15.0, "half of C's best")


def test_scaling_estimate_follows_its_assumptions():
    store = StoreFigures(
        events_per_turn=5.0,
        event_row_bytes=500.0,
        event_disk_bytes=1000.0,
        log_rows_per_turn=1.0,
        log_disk_bytes=200.0,
        conversation_disk_bytes=300.0,
    )
    estimate = scaling_estimate(
        turns_per_second_per_replica=10.0,
        cpu_seconds_per_turn=0.1,
        store=store,
        wmo_clients=1_000_000,
        chat_share=0.5,
        conversations_per_person=2,
        messages_per_conversation=9,
        working_days=250,
        peak_hour_share=0.2,
        target_cpu=0.5,
        retention_days=73,
    )
    assert estimate.conversations_per_year == 1_000_000
    assert estimate.turns_per_year == 9_000_000
    assert estimate.peak_turns_per_second == pytest.approx(2.0)  # 36,000 a day, 7,200 in the peak hour
    assert estimate.replicas_for_load == 1  # 2 turns/s against 10 × 50 %
    assert estimate.cores_at_peak == pytest.approx(0.4)
    assert estimate.event_rows_per_year == 45_000_000
    assert estimate.event_bytes_per_year == 45_000_000 * 500
    assert estimate.disk_bytes_per_year == 45_000_000 * 1000 + 9_000_000 * 200 + 1_000_000 * 300
    assert estimate.event_rows_kept == pytest.approx(45_000_000 / 5)  # 73 of 365 days


def test_replicas_grow_with_the_peak_and_never_fall_below_two():
    small = scaling_estimate(turns_per_second_per_replica=10.0)
    busy = scaling_estimate(turns_per_second_per_replica=0.1, chat_share=1.0)
    assert small.replicas_for_load == 1 and small.replicas == 2
    assert busy.replicas_for_load == 58  # 3.43 turns/s against 0.1 × 60 %
    assert busy.replicas == 58


def test_failed_requests_and_errors_are_counted_from_the_logs_after_the_start(tmp_path):
    (tmp_path / "balancer").mkdir()
    balancer = tmp_path / "balancer" / "haproxy.log"
    balancer.write_text('127.0.0.1:1 [x] rasa rasa_socketio/<NOSRV> 503 "GET / HTTP/1.1"\n')
    rasa = tmp_path / "rasa1.log"
    rasa.write_text("2026-12-05 08:00:00 ERROR    rasa  - at start\n")
    since = {balancer: balancer.stat().st_size, rasa: rasa.stat().st_size}
    with balancer.open("a") as log:
        log.write("Server rasa_rest/rasa1 is DOWN, reason: Layer4 connection problem\n")
        log.write('127.0.0.1:2 [x] rasa rasa_rest/rasa1 502 "POST /webhooks/rest/webhook HTTP/1.1"\n')
    with rasa.open("a") as log:
        log.write("2026-12-05 08:01:00 INFO     rasa  - an ERRORless line\n2026-12-05 08:01:01 ERROR    x - y\n")
    assert log_problems(tmp_path, since) == {"balancer/haproxy.log": 1, "rasa1.log": 1}
    assert log_problems(tmp_path) == {"balancer/haproxy.log": 2, "rasa1.log": 2}


def test_parts_inside_parts_count_for_the_inner_one():
    timers = Timers(clock=iter([0.0, 1.0, 3.0, 10.0]).__next__)
    timers.enter("save")  # at 0
    timers.enter("log")  # at 1
    timers.leave()  # at 3: the log took 2
    timers.leave()  # at 10: the save took 10, 8 of them its own
    assert timers.seconds == {"log": 2.0, "save": 8.0}
    assert timers.inclusive == {"log": 2.0, "save": 10.0}
    assert timers.calls == {"log": 1, "save": 1}


def test_a_turn_fails_without_text_or_with_the_fault_message():
    faults = ["Sorry, er ging bij mij iets mis"]
    assert not failed([{"recipient_id": "a", "text": "Hallo!"}], faults)
    assert failed([], faults) and failed(None, faults) and failed([{"custom": {}}], faults)
    assert failed([{"text": "Sorry, er ging bij mij iets mis. Probeer het zo nog eens."}], faults)


def test_profiled_turns_are_whole_conversations_one_after_the_other():
    turns = list(senders_and_texts(45, "t"))
    assert [sender for sender, _ in turns].count("profile-t-0") == 20
    assert turns[20] == ("profile-t-1", "hallo") and turns[44][0] == "profile-t-2"
