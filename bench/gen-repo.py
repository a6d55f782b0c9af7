#!/usr/bin/env python3
"""Generate a clean git repository with N tracked files (default 100,000) for the gate benchmark:
sources in 20 files per directory, a Dockerfile, up-to-date ignore files, one commit.
Never committed here, never built by tests.

usage: gen-repo.py DIR [--files N]
"""
import argparse
import os
import random
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=100_000)
    a = ap.parse_args()
    if os.path.exists(a.dir) and os.listdir(a.dir):
        sys.exit(f"{a.dir} exists and is not empty")
    rng = random.Random(7)
    buf = bytes(rng.getrandbits(8) for _ in range(1 << 14))
    for i in range(a.files):
        d = os.path.join(a.dir, "src", f"pkg{i // 2000:03d}", f"mod{i // 20:05d}")
        if i % 20 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i % 20}.py"), "wb") as f:
            f.write(buf[: rng.randint(200, 6000)])
    with open(os.path.join(a.dir, "Dockerfile"), "w") as f:
        f.write("FROM python:3.11-slim\nCOPY src/ /app/src/\n")
    with open(os.path.join(a.dir, ".dockerignore"), "w") as f:
        f.write(".git\n")
    open(os.path.join(a.dir, ".gitignore"), "w").close()
    git = ["git", "-C", a.dir, "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "generated"], check=True)
    print(f"generated a repository with {a.files} tracked files in {a.dir}")


if __name__ == "__main__":
    main()
