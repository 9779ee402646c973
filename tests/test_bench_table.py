"""The benchmark runner's verdicts (tests/bench/table.py): what "met" says for a figure."""

from tests.bench.table import Goal, Row, markdown, met, number


def test_a_figure_under_its_goal_is_met_and_one_over_says_by_how_much():
    assert met(38.0, Goal(40, "ms")) == "yes"
    assert met(47.2, Goal(40, "ms")) == "no (+7.20 ms, 1.18 × the goal)"
    assert met(None, Goal(40, "ms")) == "not measured"
    assert met(12.0, None) == "—"


def test_at_most_goals_admit_the_limit_itself():
    assert met(3, Goal(3, "transactions", strict=False)) == "yes"
    assert met(3, Goal(3, "transactions")) == "no (+0 transactions, 1.00 × the goal)"
    assert met(1.32, Goal(1.10, "×", strict=False)) == "no (+0.22×, 1.20 × the goal)"


def test_numbers_keep_three_figures_and_separate_thousands():
    assert [number(v) for v in (3.0, 0.0842, 1.5, 12.34, 233.4, 12_604.0)] == [
        "3",
        "0.0842",
        "1.50",
        "12.3",
        "233",
        "12,604",
    ]


def test_the_table_shows_planbot_floor_goal_and_verdict():
    table = markdown(
        [
            Row("/done p99, 100,000 items", 407.0, "ms", 8.0, Goal(50, "ms")),
            Row("rebuild, 10,000 items", 26.3, "s"),
            Row("burst", 1.05, "×", goal=Goal(1.10, "×", strict=False), verdict="no (3 × 429)"),
        ]
    ).splitlines()
    assert table[0] == "| what | planbot | floor | goal | met |"
    assert (
        table[2]
        == "| /done p99, 100,000 items | 407 ms | 8 ms | < 50 ms | no (+357 ms, 8.14 × the goal) |"
    )
    assert table[3] == "| rebuild, 10,000 items | 26.3 s | — | — | — |"
    assert table[4] == "| burst | 1.05× | — | ≤ 1.10× | no (3 × 429) |"


def test_the_runner_judges_each_figure_by_the_issues_goal_at_its_size():
    from tests.bench.run import rows

    results = {
        "commands": {
            1_000: {"command p99 ms": 90.0, "floor command p99 ms": 8.0},
            10_000: {"command p99 ms": 38.0, "floor command p99 ms": 8.0},
        },
        "burst": {
            "reminders": 10_000,
            "messages": 400,
            "wall s": 14.0,
            "floor wall s": 13.0,
            "429s": 2,
            "floor 429s": 0,
        },
        "import": {"/ack transactions": 1},
    }
    verdicts = {
        row.what: (row.goal and str(row.goal), row.verdict)
        for row in rows(results, (1_000, 10_000))
    }
    assert verdicts["command p99 (/plan /item /done /mine), 1,000 items"] == (None, None)
    assert verdicts["command p99 (/plan /item /done /mine), 10,000 items"] == ("< 40 ms", None)
    burst = "burst: 10,000 reminders, 400 messages, every chat 1/s: wall"
    assert verdicts[burst] == ("≤ 14.3 s", "no (1.08 ×, 2 × 429)"), "a 429 fails the goal"
    assert verdicts["`/ack` on a 10-item reminder: transactions"] == ("≤ 3", None)
    assert not any("start" in what for what in verdicts), "what was not run is not shown"
