//! What a repository's mami-clean.toml can do: add rules, turn rules off, keep paths, set the
//! target; and what it cannot: weaken a built-in protection.

mod common;

use common::*;

#[test]
fn config_adds_rules_disables_rules_keeps_paths_and_sets_target() {
    let d = tree(&[
        ("exports/2023/jan.csv", 100),
        ("exports/keep/schema.csv", 50),
        ("DOCKER_READY.md", 10),
        ("FINAL_VERIFICATION.md", 20),
        ("hello_world.py", 5),
    ]);
    std::fs::write(
        d.path().join("mami-clean.toml"),
        r#"
target = "2 kB"
disable = ["root-standalone-scripts"]
keep = ["FINAL_VERIFICATION.md"]

[[rule]]
id = "old-exports"
phase = 6
reason = "CSV exports from the old admin panel"
kind = "file"
match = ["exports/**/*.csv"]
exclude = ["exports/keep/**"]
examples.match = ["exports/2023/jan.csv"]
examples.no_match = ["exports/keep/schema.csv"]
"#,
    )
    .unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(plan["target_bytes"], 2000);
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["DOCKER_READY.md", "exports/2023/jan.csv"]
    );
    let prot = plan["protected"].as_array().unwrap();
    assert!(
        prot.iter().any(|p| p["path"] == "FINAL_VERIFICATION.md"
            && p["keep_rule"] == "config-keep"
            && p["matched_rule"] == "root-status-reports"),
        "{prot:?}"
    );

    // The rule shows up with its origin; `rules test` runs its examples.
    let o = run(d.path(), &["rules"]);
    let s = stdout(&o);
    assert!(
        s.contains("old-exports") && s.contains("mami-clean.toml:"),
        "{s}"
    );
    assert!(
        s.contains("root-standalone-scripts") && s.contains("(disabled)"),
        "{s}"
    );
    let o = run(d.path(), &["rules", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // --target on the command line beats the config.
    let plan = plan_json(d.path(), &["--target", "1MiB"]);
    assert_eq!(plan["target_bytes"], 1_048_576);
}

#[test]
fn rules_test_fails_on_a_wrong_example() {
    let d = tree(&[]);
    std::fs::write(
        d.path().join("mami-clean.toml"),
        "[[rule]]\nid = \"csv\"\nphase = 6\nreason = \"r\"\nmatch = [\"exports/*.csv\"]\nexamples.match = [\"exports/a/b.csv\"]\n",
    )
    .unwrap();
    let o = run(d.path(), &["rules", "test"]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    assert!(
        s.contains("FAIL csv") && s.contains("exports/a/b.csv") && s.contains("should match"),
        "{s}"
    );
    assert!(s.contains(", 1 failed"), "{s}");
}

#[test]
fn config_cannot_weaken_builtin_protections() {
    let d = tree(&[
        ("vendor/lib/a.py", 10),
        ("vendor/plain.txt", 10),
        (".mami-clean/baseline.json", 10),
    ]);
    mami::git(&d.path().join("vendor/lib"), &["init", "-q"]);
    std::fs::write(
        d.path().join("mami-clean.toml"),
        "[[rule]]\nid = \"vendor\"\nphase = 2\nreason = \"r\"\nmatch = [\"vendor/*\", \".mami-clean\", \"mami-clean.toml\"]\n",
    )
    .unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(entry_paths(&plan, "delete"), vec!["vendor/plain.txt"]);
    let prot = protections(&plan);
    assert!(
        prot.contains(&("vendor/lib".into(), "nested-repo".into())),
        "{prot:?}"
    );
    assert!(
        prot.contains(&(".mami-clean".into(), "own-state".into())),
        "{prot:?}"
    );
    assert!(
        prot.contains(&("mami-clean.toml".into(), "own-state".into())),
        "{prot:?}"
    );
}

#[test]
fn init_writes_a_template_that_loads_and_refuses_to_overwrite() {
    let d = tree(&[]);
    let o = run(d.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(d.path().join("mami-clean.toml")).unwrap();
    assert!(text.contains("# target = \"1.1GB\""));
    assert_eq!(run(d.path(), &["plan"]).status.code(), Some(0));
    let o = run(d.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    // Uncommented, the example rule, `[verify]` and `[gate]` in the template are valid too.
    let uncommented: String = text
        .lines()
        .map(|l| {
            let setting = |r: &&str| {
                r.starts_with('[')
                    || r.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                    })
            };
            l.strip_prefix("# ").filter(setting).unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(d.path().join("mami-clean.toml"), uncommented).unwrap();
    let o = run(d.path(), &["rules", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
