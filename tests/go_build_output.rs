//! What Go's tools build into a working copy, committed by mistake.
//!
//! air, Go's live reloader, builds into `tmp/` beside the module (`tmp/main`, and
//! `tmp/build-errors.log` after a failed build): 2,351+ public repositories commit that log.
//! Those files go, regenerable (air builds them again), the folder and anything else in it stay:
//! a `tmp/` may hold the app's own files too. A `main` with no air log beside it is not air's.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn airs_build_files_go_and_the_rest_of_its_folder_stays() {
    let r = Repo::new(&[
        ("go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("tmp/build-errors.log", "exit status 1\n"),
        ("tmp/uploads/avatar.txt", "the app's own\n"),
        ("web/tmp/main", "a main of something else\n"),
        ("logs/app.log", "started\n"),
    ]);
    r.write("tmp/main", "\x7fELF not really a binary\n");
    let plan = plan_json(&r.root, &[]);
    for p in ["tmp/build-errors.log", "tmp/main"] {
        let e = entry(&plan, p);
        assert_eq!(e["rule"], "air-build-output", "{plan:#}");
        assert_eq!(e["recovery"], "regenerable", "{e:#}");
    }
    assert!(entry_at(&plan, "tmp").is_none(), "{plan:#}");
    assert!(entry_at(&plan, "tmp/uploads").is_none(), "{plan:#}");
    assert!(entry_at(&plan, "web/tmp/main").is_none(), "{plan:#}");
    // The app's own logs are still kept.
    let why = stdout(&r.run(&["explain", "logs/app.log"]));
    assert!(why.contains("kept"), "{why}");
}

/// `go build` on Windows writes `<module>.exe` beside the code (go-microservice-forum commits
/// six). One the README tells users to run is reported, not deleted; an `.exe` with no Go code
/// beside it is some tool the project ships.
#[test]
fn a_windows_binary_beside_go_code_goes_unless_something_runs_it() {
    let r = Repo::new(&[
        ("api/go.mod", "module example.com/api\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        ("api/api.exe", "MZ not really a binary\n"),
        ("cli/main.go", "package main\n\nfunc main() {}\n"),
        ("cli/cli.exe", "MZ not really a binary\n"),
        ("cli/README.md", "# cli\n\nRun `./cli.exe --help`.\n"),
        ("tools/nssm.exe", "MZ not really a binary\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "api/api.exe");
    assert_eq!(e["rule"], "go-build-binaries", "{plan:#}");
    assert_eq!(e["action"], "delete");
    assert_eq!(e["regenerate"], "go build", "{e:#}");
    assert_eq!(entry(&plan, "cli/cli.exe")["action"], "review", "{plan:#}");
    assert!(entry_at(&plan, "tools/nssm.exe").is_none(), "{plan:#}");
}
