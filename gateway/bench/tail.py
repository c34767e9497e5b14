#!/usr/bin/env python3
"""How a paced run's tail is made: spread-out late answers, or stalls that delay many at once.

    gateway/bench/tail.py [--slow-us 1500] [--gc-log FILE] OUT/lat-1-ficus.txt OUT/lat-1-nginx.txt ...

Input: the per-answer dumps of passthrough.sh with LATENCIES=1 (a line per answer: wrk thread,
arrival in CLOCK_MONOTONIC microseconds, latency counted from the request's slot).

For each file: answers, corrected p50/p99, the share of answers slower than --slow-us, and those
grouped into episodes (slow answers whose slots lie within 2 ms of each other: one stall delays
every request due during it and those queued behind). A few large episodes mean stalls (a GC
pause, a compilation, a descheduled process); many small ones mean plain waiting for a CPU.

--gc-log: a JVM log written with -Xlog:gc:file=FILE:timenanos (the decorator puts the same clock
in each line); slow answers whose slot lies from 20 ms before a pause's start to 20 ms after its
end are counted as near a pause.
"""
import argparse
import re


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            _, arrived, lat = line.split()
            rows.append((int(arrived) - int(lat), int(lat)))  # (slot, latency)
    rows.sort()
    return rows


def pauses(path):
    out = []
    with open(path) as f:
        for line in f:
            m = re.search(r"\[(\d+)ns\].*Pause.* ([\d.]+)ms", line)
            if m:
                end = int(m.group(1)) / 1000
                out.append((end - float(m.group(2)) * 1000, end))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slow-us", type=int, default=1500)
    ap.add_argument("--gc-log")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    gcs = pauses(a.gc_log) if a.gc_log else []
    print("file\tanswers\tcp50_us\tcp99_us\tslow\tslow_pct\tepisodes_per_s\tlargest_episodes\tslow_in_episodes_of_20+\tnear_gc_pct")
    for path in a.files:
        rows = load(path)
        n = len(rows)
        lats = sorted(r[1] for r in rows)
        slow = [r for r in rows if r[1] > a.slow_us]
        episodes = []
        for slot, lat in slow:
            if episodes and slot - episodes[-1][1] <= 2000:
                episodes[-1][1] = slot
                episodes[-1][2] += 1
            else:
                episodes.append([slot, slot, 1])
        span_s = max(1e-9, (rows[-1][0] - rows[0][0]) / 1e6)
        sizes = sorted((e[2] for e in episodes), reverse=True)
        near = "-"
        if gcs:
            t0, t1 = rows[0][0], rows[-1][0]
            g = [p for p in gcs if t0 - 50000 <= p[0] <= t1]
            k = sum(1 for slot, _ in slow if any(s - 20000 <= slot <= e + 20000 for s, e in g))
            near = "%.2f" % (100 * k / n)
        print("%s\t%d\t%d\t%d\t%d\t%.2f\t%.1f\t%s\t%d\t%s" % (
            path.rsplit("/", 1)[-1], n, lats[n // 2], lats[int(0.99 * n)], len(slow), 100 * len(slow) / n,
            len(episodes) / span_s, ",".join(map(str, sizes[:5])), sum(s for s in sizes if s >= 20), near))


if __name__ == "__main__":
    main()
