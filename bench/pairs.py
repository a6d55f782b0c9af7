#!/usr/bin/env python3
"""Time two commands in interleaved pairs (base, other, base, other, ...) after one warm-up
each, and print {"base": median s, "other": median s, "ratio": median of other/base per pair}
as JSON. On a machine whose caches drift (other work, memory reclaim), back-to-back pairs see
the same state; hyperfine runs one command's runs and then the other's.

usage: pairs.py [--prepare 'SHELL COMMAND'] RUNS 'BASE COMMAND' 'OTHER COMMAND'

--prepare runs before every timed run, untimed (`sync; echo 3 > /proc/sys/vm/drop_caches` for
cold runs); then there is no warm-up.
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
    args = sys.argv[1:]
    prepare = None
    if args[:1] == ["--prepare"] and len(args) > 1:
        prepare, args = args[1], args[2:]
    if len(args) != 3:
        sys.exit(__doc__)
    runs, base, other = int(args[0]), shlex.split(args[1]), shlex.split(args[2])

    def timed(argv):
        if prepare:
            subprocess.run(prepare, shell=True, check=True)
        return once(argv)

    if not prepare:
        once(base)
        once(other)
    b, o = [], []
    for _ in range(runs):
        b.append(timed(base))
        o.append(timed(other))
    print(json.dumps({
        "base": statistics.median(b),
        "other": statistics.median(o),
        "ratio": statistics.median(x / y for x, y in zip(o, b)),
        "runs": runs,
    }))


if __name__ == "__main__":
    main()
