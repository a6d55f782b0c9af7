#!/usr/bin/env python3
"""Time two commands in interleaved pairs (base, other, base, other, ...) after one warm-up
each, and print {"base": median s, "other": median s, "ratio": median of other/base per pair}
as JSON. On a machine whose caches drift (other work, memory reclaim), back-to-back pairs see
the same state; hyperfine runs one command's runs and then the other's.

usage: pairs.py RUNS 'BASE COMMAND' 'OTHER COMMAND'
"""
import json
import shlex
import statistics
import subprocess
import sys
import time


def once(argv):
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    # 1 is "findings" for mami-clean (a gate that fails on a junk-filled fixture); worse is an error.
    if r.returncode not in (0, 1):
        sys.exit(f"{argv[0]} exited with {r.returncode}")
    return elapsed


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    runs, base, other = int(sys.argv[1]), shlex.split(sys.argv[2]), shlex.split(sys.argv[3])
    once(base)
    once(other)
    b, o = [], []
    for _ in range(runs):
        b.append(once(base))
        o.append(once(other))
    print(json.dumps({
        "base": statistics.median(b),
        "other": statistics.median(o),
        "ratio": statistics.median(x / y for x, y in zip(o, b)),
        "runs": runs,
    }))


if __name__ == "__main__":
    main()
