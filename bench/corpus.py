#!/usr/bin/env python3
"""Score `mami-clean plan` on real repositories: bench/corpus/corpus.toml lists them (URL,
revision, the setup that makes a developer's working copy with the ecosystem's own tools, and a
manifest of junk and of keepers that look like junk).

    bench/corpus.py [--dir DIR] [--mirror-dir /work/.mirror] [--only NAME] [--no-setup]

Each repository is cloned into DIR (a new temp dir by default; never anything the script did
not make), set up, planned, and scored:
  - tracked files selected that the manifest does not call junk (target 0),
  - keepers selected for deletion (target 0),
  - junk covered: the manifest's junk files (and bytes) under a delete entry (target >= 95%).
The table goes to bench/out/corpus.md. Network: the package registries the setups use.
"""
import argparse, json, math, os, re, subprocess, sys, tempfile, time, tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = REPO / "target/release/mami-clean"


def glob_re(g):
    out, i = "", 0
    while i < len(g):
        if g.startswith("**/", i):
            out += "(?:.*/)?"; i += 3
        elif g.startswith("**", i):
            out += ".*"; i += 2
        elif g[i] == "*":
            out += "[^/]*"; i += 1
        elif g[i] == "?":
            out += "[^/]"; i += 1
        else:
            out += re.escape(g[i]); i += 1
    return re.compile(out + r"\Z", re.S)


def pct(x):
    """A share rounded down, so that one missed file never shows as 100.0%."""
    return f"{math.floor(x * 10) / 10:.1f}%"


def matcher(globs):
    rs = [glob_re(g) for g in globs]
    return lambda p: any(r.match(p) for r in rs)


def files(root):
    """Every non-directory below root (.git aside), with its size, as du counts it."""
    out = {}
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x != ".git" or d != str(root)]
        if ".git" in names and d != str(root):
            pass
        for n in names + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            p = os.path.join(d, n)
            try:
                out[os.path.relpath(p, root)] = os.lstat(p).st_size
            except OSError:
                pass
    return out


def shell_env(cwd):
    """The environment of a developer's shell in `cwd`: where the repository's `.python-version`
    names a Python pyenv has, that one runs. pyenv runs this script with PYENV_VERSION set to
    the script's own version and that version's bin/ first on PATH; both are taken out then
    (bakerydemo asks for 3.12). A version pyenv lacks (the FastAPI template's 3.14) keeps the
    script's own, as before."""
    env = dict(os.environ)
    pv = Path(cwd, ".python-version")
    want = pv.read_text().split()[0] if pv.exists() and pv.read_text().split() else None
    versions = Path(env.get("PYENV_ROOT", Path.home() / ".pyenv"), "versions")
    have = [d.name for d in versions.iterdir()] if versions.is_dir() else []
    if "PYENV_VERSION" in env and want and any(v == want or v.startswith(want + ".") for v in have):
        del env["PYENV_VERSION"]
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                      if not p.startswith(str(versions) + os.sep))
    return env


def sh(cmd, cwd, log):
    t = time.time()
    r = subprocess.run(["bash", "-c", cmd], cwd=cwd, stdout=log, stderr=subprocess.STDOUT, timeout=1800,
                       env=shell_env(cwd))
    return r.returncode, time.time() - t


def score(name, root, spec, log):
    t = time.time()
    plan = json.loads(subprocess.run([str(BIN), "-C", str(root), "plan", "--format", "json"],
                                     capture_output=True, check=True).stdout)
    secs = time.time() - t
    tracked = set(subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True,
                                 check=True).stdout.decode(errors="replace").split("\0")) - {""}
    dels = [e["path"] for e in plan["entries"] if e["action"] == "delete"]
    reviews = [e["path"] for e in plan["entries"] if e["action"] == "review"]
    under = lambda p: any(p == d or p.startswith(d + "/") for d in dels)
    junk, keep = matcher(spec["junk"]), matcher(spec.get("keep", []))
    all_files = files(root)
    junk_files = {p: s for p, s in all_files.items() if junk(p)}
    covered = {p: s for p, s in junk_files.items() if under(p)}
    wrong_tracked = sorted(p for p in tracked if under(p) and not junk(p))
    # A path both lists name is junk (a `__pycache__` inside a kept test folder).
    keepers = sorted(p for p in all_files if keep(p) and not junk(p) and under(p))
    missed = sorted(p for p in junk_files if p not in covered)
    for what, lst in (("tracked, not junk, selected", wrong_tracked), ("keepers selected", keepers),
                      ("junk missed", missed)):
        for p in lst[:50]:
            print(f"  {name}: {what}: {p}", file=log)
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    return {
        "name": name, "kind": spec["kind"], "files": len(all_files), "tracked": len(tracked),
        "entries": len(dels), "reviews": len(reviews), "wrong_tracked": len(wrong_tracked),
        "keepers": len(keepers), "junk_files": len(junk_files),
        "covered_files": pct(len(covered), len(junk_files)),
        "covered_bytes": pct(sum(covered.values()), sum(junk_files.values())),
        "plan_s": secs, "missed": missed[:5], "wrong": (wrong_tracked + keepers)[:5],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir")
    ap.add_argument("--mirror-dir", help="clone from DIR/<owner>+<name>/repo instead of the URL")
    ap.add_argument("--only")
    ap.add_argument("--no-setup", action="store_true", help="reuse working copies DIR already has")
    a = ap.parse_args()
    corpus = tomllib.loads((HERE / "corpus/corpus.toml").read_text())["repo"]
    work = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="mami-corpus."))
    if a.dir and work.exists() and any(work.iterdir()) and not (work / ".mami-bench-owned").exists():
        sys.exit(f"{work} exists and was not made by a bench script")
    work.mkdir(parents=True, exist_ok=True)
    (work / ".mami-bench-owned").touch()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    (REPO / "bench/out").mkdir(exist_ok=True)
    log = open(work / "corpus.log", "a")
    rows = []
    for spec in corpus:
        if a.only and spec["name"] != a.only:
            continue
        root = work / spec["name"]
        if not a.no_setup:
            src = spec["url"]
            if a.mirror_dir:
                owner, name = spec["url"].rstrip("/").split("/")[-2:]
                src = f"{a.mirror_dir}/{owner}+{name}/repo"
            subprocess.run(["rm", "-rf", str(root)], check=True)
            subprocess.run(["git", "clone", "-q", src, str(root)], check=True)
            subprocess.run(["git", "-C", str(root), "checkout", "-q", spec["rev"]], check=True)
            for cmd in spec.get("setup", []):
                rc, secs = sh(cmd, root, log)
                print(f"{spec['name']}: `{cmd}` exit {rc} in {secs:.0f} s", file=log, flush=True)
        rows.append(score(spec["name"], root, spec, log))
        print(json.dumps(rows[-1]), flush=True)
    md = ["| repository | what | files | entries | review | tracked non-junk selected | keepers selected | junk covered (files / bytes) |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        md.append(f"| {r['name']} | {r['kind']} | {r['files']:,} | {r['entries']} | {r['reviews']} | "
                  f"{r['wrong_tracked']} | {r['keepers']} | {pct(r['covered_files'])} / {pct(r['covered_bytes'])} |")
    text = "\n".join(md) + "\n"
    (REPO / "bench/out/corpus.md").write_text(text)
    print(text)
    print(f"working copies and the log: {work}")


if __name__ == "__main__":
    main()
