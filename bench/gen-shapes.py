#!/usr/bin/env python3
"""Working copies shaped like real ones, for bench/shapes.sh (never committed, never built by
tests). Deterministic: the same arguments give the same tree.

  gen-shapes.py monorepo DIR [--scale S]
      A clean git repository of ~23,000 tracked files in 40 packages, each with an ignored
      node_modules (~1M files in all at scale 1), and no Dockerfile: the gate has no build
      context to measure, so it should cost about what `git status` does.
  gen-shapes.py olympus DIR [--before]
      The Mami AI (Olympus) working copy after its cleanup commit: ~520 tracked files, two
      compose services building `.` with docker/Dockerfile, a .dockerignore whose bare
      `node_modules` matches only at the context root, so ui-new/node_modules (~29,000 files,
      sizes drawn like npm's: median ~1.5 kB, a long tail) is in both contexts, and an
      ignored .venv as `python -m venv` makes one. --before adds what the cleanup removed:
      reports, backup folders, debug scripts, .bat launchers, logs and stale data, committed.
  gen-shapes.py backup-copy DIR
      A service whose repository also commits a copy of its frontend taken before a refactor,
      `node_modules` and all (fire-ems-tools' `react-app-backup-before-typescript-fixes/`):
      ~66,000 tracked files, ~59,000 of them in the copy, which the plan deletes; a root
      Dockerfile sends `.`; nothing ignored is in that context. The gate should cost about
      what `git status` does.
"""
import argparse
import os
import random
import subprocess
import sys

BUF = bytes(random.Random(1).getrandbits(8) for _ in range(1 << 16))


def put(path, size):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        while size > 0:
            n = f.write(BUF[: min(size, len(BUF))])
            size -= n


def git(root, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
    subprocess.run(["git", "-C", root, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def npm_size(rng):
    # npm packages: mostly small JS files, a few large bundles and maps.
    return min(int(rng.lognormvariate(7.3, 1.9)), 8 << 20)


def node_modules(root, base, files, rng):
    """About `files` files in packages of 10-60 files, some with nested node_modules."""
    made, k = 0, 0
    while made < files:
        pkg = f"{base}/node_modules/{'@s/' if k % 7 == 0 else ''}p{k:05d}"
        put(f"{root}/{pkg}/package.json", 700)
        n = rng.randint(10, 60)
        for i in range(n):
            sub = ("lib", "dist", "esm", "types")[i % 4]
            put(f"{root}/{pkg}/{sub}/m{i}.js", npm_size(rng))
        made += n + 1
        k += 1
    return made


def monorepo(root, scale):
    rng = random.Random(11)
    tracked = 0
    for p in range(40):
        pkg = f"packages/pkg{p:02d}"
        put(f"{root}/{pkg}/package.json", 900)
        for i in range(575):
            put(f"{root}/{pkg}/src/d{i // 25:02d}/f{i}.ts", rng.randint(300, 9000))
        tracked += 576
        node_modules(root, pkg, int(25_000 * scale), rng)
    put(f"{root}/package.json", 1200)
    put(f"{root}/pnpm-lock.yaml", 400_000)
    with open(f"{root}/.gitignore", "w") as f:
        f.write("node_modules/\ndist/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "monorepo")
    return tracked + 3


COMPOSE = """services:
  mami-ai:
    build:
      context: .
      dockerfile: docker/Dockerfile
    ports: ["8000:8000"]
  mami-worker:
    build:
      context: .
      dockerfile: docker/Dockerfile
    command: python -m app.worker
  redis:
    image: redis:7-alpine
"""

DOCKERFILE = """FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

# The cleanup commit's .dockerignore, shortened: bare names match only at the context root.
DOCKERIGNORE = """.git
.venv
node_modules
__pycache__
*.pyc
.env
docs/
*.log
"""


def olympus(root, before):
    rng = random.Random(5)
    for i in range(360):
        put(f"{root}/app/m{i // 30:02d}/f{i}.py", rng.randint(400, 14000))
    for i in range(60):
        put(f"{root}/tests/test_{i}.py", rng.randint(500, 6000))
    for i in range(80):
        put(f"{root}/ui-new/src/c{i // 20}/C{i}.tsx", rng.randint(400, 9000))
    for i in range(12):
        put(f"{root}/docs/guide{i}.md", rng.randint(1000, 20000))
    put(f"{root}/ui-new/package.json", 1800)
    put(f"{root}/ui-new/package-lock.json", 310_000)
    put(f"{root}/requirements.txt", 900)
    os.makedirs(f"{root}/docker", exist_ok=True)
    with open(f"{root}/docker/Dockerfile", "w") as f:
        f.write(DOCKERFILE)
    with open(f"{root}/docker-compose.yml", "w") as f:
        f.write(COMPOSE)
    with open(f"{root}/.dockerignore", "w") as f:
        f.write(DOCKERIGNORE)
    with open(f"{root}/.gitignore", "w") as f:
        f.write("node_modules/\n.venv/\n__pycache__/\n*.pyc\n.env\n")
    if before:
        for i in range(30):
            put(f"{root}/PHASE_{i}_REPORT.md", rng.randint(2000, 30000))
        for i in range(300):
            put(f"{root}/backup/old_app/m{i}.py", rng.randint(400, 14000))
        for i in range(8):
            put(f"{root}/tests/debug_{i}.py", 2000)
            put(f"{root}/start_{i}.bat", 300)
        put(f"{root}/data/stats_old.json", 40 << 20)
        put(f"{root}/logs/app.log.1", 20 << 20)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "olympus")
    # Untracked and ignored: what `COPY . .` swept in.
    n = node_modules(root, "ui-new", 29_000, rng)
    for k in range(180):
        d = f"{root}/.venv/lib/python3.11/site-packages/py{k:03d}"
        for i in range(rng.randint(10, 30)):
            put(f"{d}/m{i}.py", npm_size(rng))
            put(f"{d}/__pycache__/m{i}.cpython-311.pyc", npm_size(rng))
    # What `python -m venv` writes beside site-packages; pyvenv.cfg (PEP 405) makes it one.
    with open(f"{root}/.venv/pyvenv.cfg", "w") as f:
        f.write("home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n")
    for name in ("activate", "activate.csh", "activate.fish", "Activate.ps1", "pip", "pip3"):
        put(f"{root}/.venv/bin/{name}", 2000)
    for name in ("python", "python3", "python3.11"):
        os.symlink("/usr/bin/python3", f"{root}/.venv/bin/{name}")
    for i in range(40):
        put(f"{root}/app/m{i % 12:02d}/__pycache__/f{i}.cpython-311.pyc", 3000)
    return n


def backup_copy(root):
    rng = random.Random(7)
    for i in range(5000):
        put(f"{root}/app/m{i // 25:03d}/f{i}.py", rng.randint(300, 12000))
    for i in range(1200):
        put(f"{root}/frontend/src/c{i // 30:02d}/C{i}.tsx", rng.randint(300, 9000))
    put(f"{root}/frontend/package.json", 1800)
    copy = "frontend-backup-before-typescript-fixes"
    for i in range(1200):
        put(f"{root}/{copy}/src/c{i // 30:02d}/C{i}.js", rng.randint(300, 9000))
    put(f"{root}/{copy}/package.json", 1800)
    made = node_modules(root, copy, 57_000, rng)
    for i in range(10):
        put(f"{root}/FIX_{i}_SUMMARY.md", rng.randint(1000, 9000))
        put(f"{root}/debug_{i}.py", rng.randint(500, 5000))
    put(f"{root}/requirements.txt", 900)
    with open(f"{root}/Dockerfile", "w") as f:
        f.write(DOCKERFILE)
    with open(f"{root}/.dockerignore", "w") as f:
        f.write(".git\n*.md\n*.log\n*.pyc\n__pycache__\nnode_modules\n")
    # Only the root's node_modules is ignored: the copy's was committed with it.
    with open(f"{root}/.gitignore", "w") as f:
        f.write("/node_modules/\n__pycache__/\n*.pyc\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "backup copy")
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shape", choices=["monorepo", "olympus", "backup-copy"])
    ap.add_argument("dir")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--before", action="store_true")
    a = ap.parse_args()
    if os.path.exists(a.dir) and os.listdir(a.dir):
        sys.exit(f"{a.dir} exists and is not empty")
    os.makedirs(a.dir, exist_ok=True)
    if a.shape == "monorepo":
        monorepo(a.dir, a.scale)
    elif a.shape == "backup-copy":
        backup_copy(a.dir)
    else:
        olympus(a.dir, a.before)
    print(f"generated {a.shape} under {a.dir}")


if __name__ == "__main__":
    main()
