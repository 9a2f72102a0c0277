#!/usr/bin/python3
"""Draws the plots of docs/benchmarks.md from the JSON that bin/bench writes.

    tools/bench-plots.py SUITE.json [PEERBENCH.json ...] OUTDIR

throughput.png: executions/s (median of the rounds) against the job count, one line per scheduler,
from the suite's PeerBench part and any further PeerBench results given (their rounds are pooled).
lateness.png: LoadBench's steady run, lateness percentiles of first attempts over HTTP.
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


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    suite = json.load(open(sys.argv[1]))
    out = sys.argv[-1]
    rounds = list(suite["peers"]["rounds"])
    for extra in sys.argv[2:-1]:
        rounds += json.load(open(extra))["rounds"]
    throughput(rounds, suite["machine"], out)
    lateness(suite["load_steady"], suite.get("load_burst"), suite["machine"], out)


if __name__ == "__main__":
    main()
