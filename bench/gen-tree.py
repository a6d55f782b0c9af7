#!/usr/bin/env python3
"""Generate a large synthetic repository for benchmarks (never committed, never built by tests).

Shape (defaults, --scale 1.0): ~1.0M files in ~60k directories: application sources with
__pycache__ beside them, three node_modules trees with nested node_modules and .bin symlinks, a
.venv with site-packages, a .git object store, backups/ and a few big files. Deterministic: the
same scale gives the same tree.

usage: gen-tree.py DIR [--scale S]
"""
import argparse
import os
import random
import subprocess
import sys

BUF = bytes(random.Random(1).getrandbits(8) for _ in range(1 << 16))


def put(path, size):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while size > 0:
            n = os.write(fd, BUF[: min(size, len(BUF))])
            size -= n
    finally:
        os.close(fd)


class Gen:
    def __init__(self, root, scale):
        self.root = root
        self.scale = scale
        self.rng = random.Random(42)
        self.files = 0
        self.dirs = 0

    def n(self, base):
        return max(1, int(base * self.scale))

    def mkdir(self, rel):
        os.makedirs(os.path.join(self.root, rel), exist_ok=True)
        self.dirs += 1
        return rel

    def file(self, rel, size=None):
        if size is None:
            size = int(self.rng.expovariate(1 / 1800))
        put(os.path.join(self.root, rel), size)
        self.files += 1

    def package(self, base, name, nested):
        p = self.mkdir(f"{base}/{name}")
        self.file(f"{p}/package.json", 600)
        self.file(f"{p}/README.md")
        for sub in ("lib", "lib/internal", "dist", "types"):
            d = self.mkdir(f"{p}/{sub}")
            for i in range(self.rng.randint(16, 28)):
                self.file(f"{d}/m{i}.js")
        if nested:
            nm = self.mkdir(f"{p}/node_modules")
            for j in range(2):
                self.package(nm, f"dep{j}", False)

    def node_modules(self, app, packages):
        if app:
            self.mkdir(app)
        self.file(f"{app}/package.json" if app else "package.json", 1500)
        nm = self.mkdir(f"{app}/node_modules" if app else "node_modules")
        self.mkdir(f"{nm}/.bin")
        for k in range(packages):
            self.package(nm, f"pkg{k:05d}", nested=(k % 9 == 0))
            if k % 50 == 0:
                os.symlink(f"../pkg{k:05d}/lib/m0.js", os.path.join(self.root, nm, ".bin", f"tool{k}"))
                self.files += 1

    def venv(self, packages):
        v = self.mkdir(".venv")
        self.file(f"{v}/pyvenv.cfg", 120)
        sp = self.mkdir(f"{v}/lib/python3.11/site-packages")
        for k in range(packages):
            d = self.mkdir(f"{sp}/py{k:04d}")
            c = self.mkdir(f"{d}/__pycache__")
            for i in range(self.rng.randint(12, 24)):
                self.file(f"{d}/mod{i}.py")
                self.file(f"{c}/mod{i}.cpython-311.pyc")

    def sources(self, dirs):
        for k in range(dirs):
            d = self.mkdir(f"app/pkg{k // 40:03d}/mod{k:04d}")
            c = self.mkdir(f"{d}/__pycache__")
            for i in range(8):
                self.file(f"{d}/f{i}.py")
                self.file(f"{c}/f{i}.cpython-311.pyc")

    def git(self, objects_per_dir):
        g = ".git"
        for k in range(256):
            d = self.mkdir(f"{g}/objects/{k:02x}")
            for i in range(objects_per_dir):
                self.file(f"{d}/{self.rng.getrandbits(152):038x}")

    def extras(self):
        b = self.mkdir("backups/old_app")
        for i in range(self.n(2000)):
            self.file(f"{b}/f{i}.py")
        self.mkdir("data")
        for i in range(4):
            self.file(f"data/big{i}.bin", 25 << 20)
        for name in ("DOCKER_SETUP.md", "FINAL_VERIFICATION.md", "README.md"):
            self.file(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    if os.path.exists(a.dir) and os.listdir(a.dir):
        sys.exit(f"{a.dir} exists and is not empty")
    os.makedirs(a.dir, exist_ok=True)
    # A real (empty) repository, so the scan reads git as it would in a user's checkout.
    subprocess.run(["git", "init", "-q", a.dir], check=True)
    g = Gen(a.dir, a.scale)
    g.sources(g.n(4000))
    g.node_modules("", g.n(3300))
    g.node_modules("ui", g.n(3300))
    g.node_modules("worker", g.n(1600))
    g.venv(g.n(900))
    g.git(g.n(200))
    g.extras()
    print(f"generated {g.files} files in {g.dirs} directories under {a.dir}")


if __name__ == "__main__":
    main()
