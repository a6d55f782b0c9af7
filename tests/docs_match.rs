//! The README's command tables match the binary: every command they show exists, with every
//! flag they show (asked of the binary's own `--help`), and so do the global options.

mod common;

use common::*;

/// Each table row's command words and the flags named anywhere in the row.
fn rows() -> Vec<(Vec<String>, Vec<String>)> {
    let readme = include_str!("../README.md");
    let mut out = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("| `mami-clean ")) {
        let spans: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        let words: Vec<String> = spans[0]
            .split_whitespace()
            .skip(1)
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .map(str::to_string)
            .collect();
        // Flags in the command itself, and in spans that are flags (`--to DIR`); not in a
        // quoted command of another tool (`up -d --wait`).
        let flags = spans
            .iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || s.starts_with('-'))
            .flat_map(|(_, s)| s.split([' ', '[', ']', '/']))
            .filter(|w| w.starts_with('-') && w.len() > 1)
            .map(str::to_string)
            .collect();
        out.push((words, flags));
    }
    out
}

#[test]
fn every_command_and_flag_in_the_readme_exists() {
    let d = tempfile::tempdir().unwrap();
    let rows = rows();
    assert!(rows.len() > 25, "{rows:?}");
    let mut missing = Vec::new();
    for (words, flags) in &rows {
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.push("--help");
        let o = run(d.path(), &args);
        let help = stdout(&o);
        if !o.status.success() {
            missing.push(format!("`mami-clean {}`: {}", words.join(" "), stderr(&o)));
            continue;
        }
        for f in flags {
            // The flag itself, as --help lists it (not a longer one it begins).
            let listed = help.match_indices(f.as_str()).any(|(i, _)| {
                !help[i + f.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            });
            if !listed {
                missing.push(format!("`mami-clean {}` has no `{f}`", words.join(" ")));
            }
        }
    }
    let top = stdout(&run(d.path(), &["--help"]));
    for g in ["-C, --dir", "--config", "-j, --threads"] {
        if !top.contains(g) {
            missing.push(format!("no global `{g}`"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn machine_output_everywhere_but_init() {
    let d = tempfile::tempdir().unwrap();
    for cmd in [
        "plan", "explain", "rules", "apply", "restore", "undo", "recover", "context", "audit",
        "ignore", "verify", "trust",
    ] {
        let help = stdout(&run(d.path(), &[cmd, "--help"]));
        assert!(help.contains("--format <FORMAT>"), "{cmd}: {help}");
    }
    // The format may follow `rules`' action too.
    for args in [
        &["rules", "test", "--format", "json"][..],
        &["rules", "--format", "json", "test"],
    ] {
        let o = run(d.path(), args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&o)));
        assert!(v.get("failures").is_some(), "{v}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_binary() {
    let d = tempfile::tempdir().unwrap();
    for (shell, mark) in [
        ("bash", "complete -F _mami__clean"),
        ("zsh", "#compdef mami-clean"),
        ("fish", "complete -c mami-clean"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let o = run(d.path(), &["completions", shell]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        assert!(
            out.contains(mark) && out.contains("update-baseline"),
            "{shell}: {out}"
        );
    }
    let man = stdout(&run(d.path(), &["man"]));
    assert!(
        man.contains(".TH mami-clean 1") && man.contains("completions"),
        "{man}"
    );
}

/// Global options are accepted anywhere, as git takes `-C`, but each command's help shows only
/// those that change what it does.
#[test]
fn global_options_shown_only_where_they_mean_something() {
    let d = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| {
        let mut a = args.to_vec();
        a.push("--help");
        stdout(&run(d.path(), &a))
    };
    let shows = |h: &str, flag: &str| {
        h.lines()
            .any(|l| l.trim_start().contains(flag) && l.trim_start().starts_with('-'))
    };
    let plan = help(&["plan"]);
    for f in [
        "--threads",
        "--config",
        "--docker-walk",
        "--compose-file",
        "--dir",
    ] {
        assert!(shows(&plan, f), "plan shows {f}: {plan}");
    }
    let context = help(&["context"]);
    assert!(shows(&context, "--docker-walk") && shows(&context, "--dir"));
    for f in ["--threads", "--config", "--compose-file"] {
        assert!(!shows(&context, f), "context hides {f}: {context}");
    }
    let undo = help(&["undo"]);
    for f in ["--threads", "--config", "--docker-walk", "--compose-file"] {
        assert!(!shows(&undo, f), "undo hides {f}: {undo}");
    }
    let comp = help(&["completions"]);
    assert!(
        !shows(&comp, "--dir") && !shows(&comp, "--threads"),
        "{comp}"
    );
    assert!(shows(&help(&["rules", "test"]), "--config"));
    // Hidden is not refused: scripts that pass them everywhere keep working.
    let o = run(
        d.path(),
        &["completions", "bash", "-j", "2", "--config", "x.toml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let man = stdout(&run(d.path(), &["man"]));
    assert!(
        man.contains("threads"),
        "the man page documents the top level's options"
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal_quiet_keeps_the_verdict() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("backups")).unwrap();
    std::fs::write(d.path().join("backups/old.sql"), "x").unwrap();
    // Not a terminal: no colour, whatever NO_COLOR says.
    let plain = stdout(&run(d.path(), &["plan"]));
    assert!(!plain.contains('\x1b'), "{plain}");
    let o = bin()
        .arg("-C")
        .arg(d.path())
        .args(["plan", "--color", "always"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("\x1b[1mwould free"), "{}", stdout(&o));
    let o = bin()
        .arg("-C")
        .arg(d.path())
        .args(["plan", "--color", "always", "--format", "json"])
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'), "never in JSON");
    let quiet = stdout(&run(d.path(), &["plan", "-q"]));
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(quiet.starts_with("would free "), "{quiet}");
    let o = run(d.path(), &["plan", "-v"]);
    assert!(stderr(&o).contains("scan: "), "{}", stderr(&o));
}

/// Every command shows examples in its `--help`, as git and terraform do, and each example's
/// flags are the command's own.
#[test]
fn every_command_has_examples_that_parse() {
    let d = tempfile::tempdir().unwrap();
    for cmd in [
        "plan",
        "explain",
        "rules",
        "apply",
        "restore",
        "undo",
        "recover",
        "context",
        "audit",
        "ignore",
        "verify",
        "gate",
        "trust",
        "init",
        "completions",
        "man",
    ] {
        let help = stdout(&run(d.path(), &[cmd, "--help"]));
        let examples: Vec<&str> = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd}: no examples: {help}"))
            .lines()
            .filter_map(|l| l.trim().strip_prefix("mami-clean "))
            .collect();
        assert!(!examples.is_empty(), "{cmd}");
        for ex in examples {
            // Up to a pipe or redirection; `--help` added so nothing runs.
            let words: Vec<&str> = ex
                .split_whitespace()
                .take_while(|w| !matches!(*w, "|" | ">" | "&&"))
                .collect();
            let mut args = words.clone();
            args.push("--help");
            let o = run(d.path(), &args);
            assert_eq!(o.status.code(), Some(0), "{cmd}: `{ex}`: {}", stderr(&o));
        }
    }
}

/// The README's count of the built-in rules and their globs is the binary's (it went stale
/// once: a rule gained a glob and the sentence kept the old sum).
#[test]
fn the_readme_counts_the_rules_and_globs_there_are() {
    // The built-in rules alone: an empty directory has no config of its own.
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let globs: usize = rules
        .iter()
        .map(|r| r["match"].as_array().unwrap().len())
        .sum();
    let said = format!("are {} with {} now", rules.len(), globs);
    let readme = include_str!("../README.md").replace('\n', " ");
    assert!(readme.contains(&said), "the README should say `{said}`");
}
