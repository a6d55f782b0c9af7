//! An ignore file saved as UTF-16, as Windows PowerShell's `>` writes one: git matches none of
//! its lines, and a Docker build fails on it or sends everything (checked on the Engine here).
//! The audit says so, `ignore --write` refuses to rewrite it and changes nothing, and `apply`
//! refuses before it deletes anything (it used to stop at its post-check with all deleted).

mod common;

use common::engine::Engine;
use common::repo::Repo;
use common::*;

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn project() -> Repo {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("notes.bak", "old\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    std::fs::write(r.path(".gitignore"), utf16("node_modules/\r\n")).unwrap();
    std::fs::write(r.path(".dockerignore"), utf16("node_modules\r\n.git\r\n")).unwrap();
    // `echo "FROM scratch" > Dockerfile` in PowerShell 5.
    std::fs::create_dir(r.path("win")).unwrap();
    std::fs::write(r.path("win/Dockerfile"), utf16("FROM scratch\r\n")).unwrap();
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "ignore files from PowerShell"]);
    r
}

#[test]
fn a_utf16_ignore_file_is_an_error_the_writer_and_apply_refuse() {
    let r = project();
    let a = r.audit();
    let f: Vec<(String, String)> = (findings(&a, "ignore-file-encoding").iter())
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        f,
        [
            (".dockerignore".to_string(), "error".to_string()),
            (".gitignore".to_string(), "error".to_string())
        ],
        "{a:#}"
    );
    let msg = findings(&a, "ignore-file-encoding")[1]["message"].to_string();
    assert!(msg.contains("UTF-16 (little-endian) text"), "{msg}");
    let df = (findings(&a, "missing-build-input").into_iter())
        .find(|f| f["path"] == "win/Dockerfile")
        .unwrap_or_else(|| panic!("{a:#}"));
    assert!(
        df["message"]
            .as_str()
            .unwrap()
            .contains("is UTF-16 (little-endian) text"),
        "{df}"
    );
    assert!(
        df["fix"].as_str().unwrap().contains("iconv -f UTF-16"),
        "{df}"
    );

    let before = std::fs::read(r.path(".gitignore")).unwrap();
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("UTF-16 (little-endian) text"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(r.path(".gitignore")).unwrap(), before);

    // The plan forecasts each context after the ignore files are written: it stops there.
    let o = r.run(&["apply", "--yes"]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(
        said.contains("ignore: UTF-16 (little-endian) text"),
        "{said}"
    );
    assert!(r.exists("notes.bak"), "nothing is deleted");

    // Without a build the plan stands, and the pre-check refuses before any deletion.
    std::fs::remove_file(r.path("Dockerfile")).unwrap();
    std::fs::remove_file(r.path(".dockerignore")).unwrap();
    std::fs::remove_dir_all(r.path("win")).unwrap();
    r.git(&["commit", "-qam", "no image"]);
    let o = r.run(&["apply", "--yes"]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(said.contains("FAIL  ignore files"), "{said}");
    assert!(r.exists("notes.bak"), "nothing is deleted");
}

/// What the finding says Docker does: Engine 20.10's BuildKit fails the build, its legacy
/// builder warns of the NULs and sends everything.
#[test]
fn docker_fails_or_sends_everything_with_a_utf16_dockerignore() {
    let Some(e) = Engine::start_or_skip("a UTF-16 .dockerignore on an engine") else {
        return;
    };
    let r = project();
    let ctx = r.root.to_str().unwrap();
    let o = e.docker(&["build", "-q", ctx]);
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(stderr(&o).contains("RST_STREAM"), "{}", stderr(&o));
    // A Dockerfile saved so: no instruction Docker knows, whichever builder.
    let win = r.path("win");
    let o = e.docker(&["build", "-q", win.to_str().unwrap()]);
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(stderr(&o).contains("unknown instruction"), "{}", stderr(&o));
    let o = e.docker_legacy(&["build", "-q", ctx]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("invalid character NUL"),
        "{}",
        stderr(&o)
    );
}
