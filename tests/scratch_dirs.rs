//! A `scratch/` folder of one-off scripts, where coding agents leave their throwaway checks
//! (Antigravity's `scratch/check_db.py` is committed in 1,122+ public repositories). A package,
//! a documented workspace or a page named `scratch` stays; one a script reads is reviewed; a
//! `scratch` under `/tmp` or a tool's home folder is some other place's.

mod common;

use common::repo::Repo;
use common::*;

fn action(r: &Repo, path: &str) -> Option<String> {
    let plan = plan_json(&r.root, &[]);
    entry_at(&plan, path).map(|e| e["action"].as_str().unwrap().to_string())
}

const APP: (&str, &str) = ("app/main.py", "print('hi')\n");

#[test]
fn a_scratch_folder_of_one_off_scripts_goes() {
    let r = Repo::new(&[
        APP,
        ("scratch/check_db.py", "import sqlite3\n"),
        ("scratch/verify_alerts_fix.py", "print(1)\n"),
        ("backend/Dockerfile", "FROM scratch\n"),
        ("backend/scratch/debug_pdf.py", "print(2)\n"),
    ]);
    assert_eq!(action(&r, "scratch").as_deref(), Some("delete"));
    assert_eq!(action(&r, "backend/scratch").as_deref(), Some("delete"));
}

/// What the project builds is its own too: traefik-library-image's `v3.0/scratch/Dockerfile`
/// (the `FROM scratch` variant beside `v3.0/alpine/`), ns-3's `scratch/` of simulations its
/// CMake build compiles (`scratch/CMakeLists.txt`, `scratch/scratch-simulator.cc`).
#[test]
fn a_package_a_documented_workspace_a_page_or_a_build_named_scratch_stays() {
    for (file, text) in [
        ("scratch/__init__.py", ""),
        ("scratch/Dockerfile", "FROM scratch\nCOPY traefik /\n"),
        ("scratch/CMakeLists.txt", "build_lib_example(NAME sim)\n"),
        ("scratch/scratch-simulator.cc", "int main() {}\n"),
        (
            "scratch/README.md",
            "Throwaway work; its files are git-ignored.\n",
        ),
        (
            "app/scratch/page.tsx",
            "export default function Page() {}\n",
        ),
    ] {
        let r = Repo::new(&[APP, ("scratch/linear_algebra.py", "x = 1\n"), (file, text)]);
        let dir = file.rsplit_once('/').unwrap().0;
        assert_eq!(action(&r, dir), None, "{file}");
    }
    let r = Repo::new(&[
        ("v3.0/scratch/entrypoint.sh", "#!/bin/sh\n"),
        ("v3.0/alpine/Dockerfile", "FROM alpine\n"),
    ]);
    assert_eq!(action(&r, "v3.0/scratch"), None);
}

#[test]
fn a_scratch_file_a_script_reads_is_reviewed_and_other_places_scratch_is_not_it() {
    let reads = (
        "scripts/validate.py",
        "preview_path = \"scratch/dump_preview.json\"\n",
    );
    let r = Repo::new(&[APP, ("scratch/check_db.py", "x\n"), reads]);
    assert_eq!(action(&r, "scratch").as_deref(), Some("review"));
    let elsewhere = (
        "docs/notes.md",
        "```yaml\nvolumes:\n  - name: scratch\n    mountPath: /tmp/scratch\n```\n\n\
         Work dir: `C:\\Users\\me\\.gemini\\antigravity\\scratch\\app`\n",
    );
    let r = Repo::new(&[APP, ("scratch/check_db.py", "x\n"), elsewhere]);
    assert_eq!(action(&r, "scratch").as_deref(), Some("delete"));
}
