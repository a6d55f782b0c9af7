//! Lines of one `.gitignore` that each ignore committed entries of the same folder are one
//! problem, said once: Master-Haven lists six poster folders of `Haven-UI/data/posters/` on
//! lines 186 to 195, each ignoring its one committed file. Lines about different folders, or
//! about entries at the root, stay one finding each.

mod common;

use common::repo::Repo;

#[test]
fn lines_that_ignore_one_folders_entries_are_one_finding() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("data/posters/atlas/a.png", "a"),
        ("data/posters/og_site/b.png", "b"),
        ("data/posters/voyager/c.png", "c"),
        ("notes.txt", "n\n"),
        ("build.log", "l\n"),
    ]);
    r.write(
        ".gitignore",
        "# posters\ndata/posters/atlas/\ndata/posters/og_site/\n*.tmp\ndata/posters/voyager/\n\
         notes.txt\n*.log\n",
    );
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let a = r.audit();
    let ti: Vec<(u64, String, String)> = (common::findings(&a, "tracked-ignored").iter())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (f["line"].as_u64().unwrap(), s("message"), s("fix"))
        })
        .collect();
    assert_eq!(ti.len(), 3, "{ti:#?}");
    assert_eq!(ti[0].0, 2);
    assert_eq!(
        ti[0].1,
        "3 lines (`data/posters/atlas/`, `data/posters/og_site/` and `data/posters/voyager/`, \
         lines 2 to 5) ignore \
         3 tracked files, which git keeps tracking all the same: `data/posters/atlas/` (1 file), \
         `data/posters/og_site/` (1 file), `data/posters/voyager/` (1 file)"
    );
    assert!(
        ti[0]
            .2
            .contains("re-include what does below line 5 (`!/data/posters/atlas/`, `/data/posters/atlas/*`, then `!/data/posters/atlas/a.png` for each file to keep"),
        "{}",
        ti[0].2
    );
    // Two root files of two lines: two decisions.
    assert_eq!((ti[1].0, ti[2].0), (6, 7), "{ti:#?}");
}
