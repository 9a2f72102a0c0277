#!/usr/bin/python3
"""Draws the plots of docs/benchmarks.md from the JSON that bin/bench writes.

    tools/bench-plots.py SUITE.json [PEERBENCH.json | TIMINGBENCH.json ...] OUTDIR

throughput.png: executions/s (median of the rounds) against the job count, one line per scheduler,
from the suite's PeerBench part and any further PeerBench results given (their rounds are pooled).
lateness.png: LoadBench's steady run, lateness percentiles of first attempts over HTTP.
timing.png: TimingBench, lateness percentiles per scheduler at each steady rate, from the last
TimingBench result given (else the suite's own timing part).
Needs matplotlib (Debian: apt-get install python3-matplotlib).
"""
import json
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "chime": "Chime (PostgreSQL)",
    "chime-h2": "Chime (H2, embedded)",
    "db-scheduler": "db-scheduler, lock-and-fetch",
    "quartz": "Quartz JobStoreTX clustered, batch tuned",
    "quartz-defaults": "Quartz JobStoreTX clustered, shipped defaults",
}


def machine_line(machine):
    return "{} cores, JDK {}, PostgreSQL {}; load average {} -> {}".format(
        machine.get("cores"),
        machine.get("jdk", "").split(" ")[-1],
        machine.get("postgresql", "-").split(" ")[0],
        machine.get("load_average_before"),
        machine.get("load_average_after"),
    )


def throughput(rounds, machine, out):
    rates = defaultdict(lambda: defaultdict(list))
    for r in rounds:
        rates[r["peer"]][r["jobs"]].append(r["executions_per_s"])
    fig, ax = plt.subplots(figsize=(8, 5))
    for peer in ["chime", "chime-h2", "db-scheduler", "quartz", "quartz-defaults"]:
        if peer not in rates:
            continue
        jobs = sorted(rates[peer])
        medians = [statistics.median(rates[peer][j]) for j in jobs]
        lows = [min(rates[peer][j]) for j in jobs]
        highs = [max(rates[peer][j]) for j in jobs]
        line = ax.plot(jobs, medians, marker="o", label=LABELS[peer])[0]
        ax.fill_between(jobs, lows, highs, color=line.get_color(), alpha=0.15)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("jobs due at one instant")
    ax.set_ylabel("executions per second (median; band: min to max)")
    ax.set_title("No-op jobs due at once, one JVM, same PostgreSQL\n" + machine_line(machine), fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out + "/throughput.png", dpi=110)


def lateness(steady, burst, machine, out):
    names = ["p50", "p90", "p99", "p99_9", "max"]
    values = [steady["lateness_ms"][n] for n in names]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bars = ax.bar([n.replace("_", ".") for n in names], values, color="#4472c4")
    for bar, v in zip(bars, values):
        ax.annotate(str(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=9)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_ylim(0, max(values) * 3)
    ax.set_ylabel("lateness, ms (receive time minus scheduled instant)")
    ax.set_title(
        "LoadBench steady: {} schedules, {} fires/s planned, {} fires/s achieved, over HTTP on {}\n{}".format(
            steady["schedules"], steady["planned_rate"], steady["delivery"].get("achieved_rate"),
            steady["database"], machine_line(machine)), fontsize=9)
    if burst:
        b = burst["burst"]
        ax.set_xlabel("percentile of first attempts; burst of {} at one instant: {} fires/s, last {} ms after it".format(
            burst["schedules"], b["fires_per_s"], b["last_after_instant_ms"]), fontsize=8)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out + "/lateness.png", dpi=110)


TIMING_LABELS = {
    "chime": "Chime (embedded)",
    "chime-unvacuumed": "Chime, no vacuum",
    "db-scheduler": "db-scheduler, 100 ms poll",
    "db-scheduler-defaults": "db-scheduler, defaults (10 s poll)",
    "quartz": "Quartz clustered, tuned",
}


def timing(result, out):
    """One panel per rate: p50, p99, p99.9 and max per scheduler, log scale."""
    summary = result["summary"]
    rates = sorted({line["rate"] for line in summary})
    peers = [p for p in TIMING_LABELS if any(line["peer"] == p for line in summary)]
    names = ["p50", "p99", "p99_9", "max"]
    colors = ["#4472c4", "#ed7d31", "#a5a5a5", "#70ad47"]
    fig, axes = plt.subplots(1, len(rates), figsize=(4.2 * len(rates), 5), sharey=True, squeeze=False)
    for ax, rate in zip(axes[0], rates):
        lines = {line["peer"]: line for line in summary if line["rate"] == rate}
        shown = [p for p in peers if p in lines]
        for i, name in enumerate(names):
            xs, ys = [], []
            for j, peer in enumerate(shown):
                line = lines[peer]
                key = "lateness_ms_median" if line["kept_up_every_round"] else "lateness_ms_of_fires_run_in_window_median"
                xs.append(j + (i - 1.5) * 0.2)
                ys.append(max(line[key][name], 0.05))
            ax.bar(xs, ys, width=0.2, color=colors[i], label=name.replace("_", ".") if rate == rates[0] else None)
        for j, peer in enumerate(shown):
            line = lines[peer]
            if not line["kept_up_every_round"]:
                ax.annotate("behind:\n{:.0f}/s".format(line["achieved_rate_median"]), (j, 150000), ha="center",
                            va="top", fontsize=7, color="#c00000")
        ax.set_xticks(range(len(shown)))
        ax.set_xticklabels([TIMING_LABELS[p] for p in shown], rotation=30, ha="right", fontsize=7)
        ax.set_yscale("log")
        ax.set_ylim(0.05, 200000)
        ax.set_title("{:,} fires/s".format(rate), fontsize=9)
        ax.grid(True, axis="y", which="both", alpha=0.3)
    axes[0][0].set_ylabel("lateness, ms (dispatch minus instant; median of rounds)", fontsize=8)
    axes[0][len(rates) // 2].set_xlabel(
        "a scheduler behind its load (red): the lateness of the fires it ran during the window", fontsize=8)
    fig.legend(loc="upper right", fontsize=8, ncol=4, bbox_to_anchor=(1.0, 0.93))
    fig.suptitle("Steady load, no-op jobs every {} ms, same PostgreSQL\n{}".format(
        result.get("interval_ms"), machine_line(result["machine"])), fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    fig.savefig(out + "/timing.png", dpi=110)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    suite = json.load(open(sys.argv[1]))
    out = sys.argv[-1]
    rounds = list(suite["peers"]["rounds"])
    timed = suite.get("timing")
    for extra in sys.argv[2:-1]:
        result = json.load(open(extra))
        if result.get("bench") == "TimingBench":
            timed = result
        else:
            rounds += result["rounds"]
    throughput(rounds, suite["machine"], out)
    lateness(suite["load_steady"], suite.get("load_burst"), suite["machine"], out)
    if timed and timed.get("summary"):
        timing(timed, out)


if __name__ == "__main__":
    main()
