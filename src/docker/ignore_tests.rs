//! Tests of `ignore.rs`, kept apart so the code reads on its own.
use super::*;

fn one(p: &str, path: &str) -> bool {
    DockerIgnore::parse(p, "t")
        .unwrap()
        .excluded(path.as_bytes())
}

#[test]
fn cleaning_as_go_does() {
    for (i, o) in [
        ("./a", "a"),
        ("a/", "a"),
        ("a/../b", "b"),
        ("a//b/./c", "a/b/c"),
        ("/a/b/", "/a/b"),
        ("..", ".."),
        ("../a", "../a"),
        ("/..", "/"),
        ("", "."),
    ] {
        assert_eq!(clean(i), o, "{i}");
    }
}

#[test]
fn single_patterns_with_parent_matching() {
    // (pattern, path, excluded)
    let cases: &[(&str, &str, bool)] = &[
        ("**", "file", true),
        ("**", "dir/file", true),
        ("**/", "file", true),
        ("**/**", "dir/file", true),
        ("dir/**", "dir/file", true),
        ("dir/**", "dir/dir2/file", true),
        ("dir/**", "dir", false),
        ("**/dir", "dir", true),
        ("**/dir", "dir/file", true),
        ("**/dir", "a/b/dir/file", true),
        ("**/dir2/*", "dir/dir2/file", true),
        ("**/dir2/**", "dir/dir2/dir3/file", true),
        ("**file", "file", true),
        ("**file", "dir/file", true),
        ("**file", "dir/xfile", true), // a suffix match, as Docker does it
        ("**/file", "dir/dir/file", true),
        ("**/file*", "dir/dir/file.txt", true),
        ("**/file*txt", "dir/dir/file.txt", true),
        ("**/**/*.txt", "dir/dir/file.txt", true),
        ("**/**/*.txt2", "dir/dir/file.txt", false),
        ("**/*.txt", "file.txt", true),
        ("a**/*.txt", "a/dir/dir/file.txt", true),
        ("a/*.txt", "a/dir/file.txt", false),
        ("a/*.txt", "a/file.txt", true),
        ("a[b-d]e", "ace", true),
        ("a[b-d]e", "aae", false),
        ("a[^b-d]e", "aze", true),
        ("a[!b]e", "a!e", true), // `!` is not negation: the class is {!, b}
        ("a[!b]e", "aze", false),
        (".*", ".foo", true),
        (".*", "foo", false),
        ("abc.def", "abcdef", false),
        ("abc?def", "abcZdef", true),
        ("abc?def", "abc/def", false),
        ("abc/**", "abc", false),
        ("**/.foo", "bar.foo", false),
        ("a(b)c/def", "a(b)c/def", true),
        ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        (
            "dist/*.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            true,
        ),
        ("a\\*b", "a*b", true),
        ("a\\*b", "axb", false),
        ("a?b", "a\u{263a}b", true), // `?` is one character, not one byte
        ("a[^a]b", "a\u{263a}b", true),
        ("a???b", "a\u{263a}b", false),
        ("a*/b", "abc/b", true),
        ("a*/b", "a/c/b", false),
        // Anchored at the root: the trap.
        ("node_modules", "node_modules", true),
        ("node_modules", "node_modules/react/index.js", true),
        ("node_modules", "ui/node_modules/react/index.js", false),
        ("**/node_modules", "ui/node_modules/react/index.js", true),
        ("*.pyc", "a.pyc", true),
        ("*.pyc", "app/a.pyc", false),
        ("**/*.pyc", "app/x/a.pyc", true),
        // Leading and trailing slashes are nothing.
        ("/docs/", "docs/a.md", true),
        ("./docs", "docs/a.md", true),
        ("docs/../src", "src/a.rs", true),
        // Case-sensitive.
        ("README.md", "readme.md", false),
    ];
    for (p, path, want) in cases {
        assert_eq!(one(p, path), *want, "pattern {p:?} on {path:?}");
    }
}

#[test]
fn the_last_match_wins_and_exceptions_reach_below_excluded_dirs() {
    let cases: &[(&str, &str, bool)] = &[
        ("docs\n!docs/README.md", "docs/README.md", false),
        ("docs\n!docs/README.md", "docs/other.md", true),
        ("docs/\n!docs/README.md", "docs/README.md", false),
        ("docs/*\n!docs/README.md", "docs/README.md", false),
        ("*.go\n!fileutils.go", "fileutils.go", false),
        ("!fileutils.go\n*.go", "fileutils.go", true),
        ("**\n!util/docker/web", "util/docker/web/foo", false),
        (
            "**\n!util/docker/web\nutil/docker/web/foo",
            "util/docker/web/foo",
            true,
        ),
        ("*.md\n!README.md", "README.md", false),
        ("*.md\n!README.md", "sub/x.md", false), // root-only: sub/x.md was never excluded
        (
            "*.md\n!README*.md\nREADME-secret.md",
            "README-secret.md",
            true,
        ),
    ];
    for (ps, path, want) in cases {
        assert_eq!(one(ps, path), *want, "patterns {ps:?} on {path:?}");
    }
}

#[test]
fn parsing_comments_bom_whitespace_and_errors() {
    let d = DockerIgnore::parse(
        "\u{feff}# comment\n  node_modules  \n \t\n # not a comment\n!  keep\r\n",
        "f",
    )
    .unwrap();
    let texts: Vec<(&str, bool, usize)> = d
        .patterns
        .iter()
        .map(|p| (p.text.as_str(), p.exception, p.line))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("node_modules", false, 2),
            ("# not a comment", false, 4),
            ("keep", true, 5)
        ]
    );
    for bad in [
        "!", "[", "a[", "[^bc", "[]a]", "[-]", "[x-]", "[a-b-c]", "\\",
    ] {
        let e = DockerIgnore::parse(&format!("ok\n{bad}\n"), ".dockerignore")
            .unwrap_err()
            .to_string();
        assert!(e.contains(".dockerignore:2:"), "{bad:?}: {e}");
    }
    assert!(DockerIgnore::parse("[\\]a]\n[x\\-]\n", "f").is_ok());
}

#[test]
fn excluded_dirs_are_skipped_unless_an_exception_names_something_below() {
    let text = "docs\n!docs/README.md\nbuild\n*\n!**/*.go\n";
    // Docker 20.10: only a literal prefix keeps the walk going.
    let d = DockerIgnore::parse_for(text, "f", Walk::Legacy).unwrap();
    assert!(!d.skips_dir(b"docs"));
    assert!(d.skips_dir(b"build"));
    assert!(
        d.skips_dir(b"src"),
        "20.10: a wildcard exception does not keep Docker walking"
    );
    assert!(d.has_exceptions());
    // Current fsutil: a wildcard exception enters every excluded directory.
    let d = DockerIgnore::parse_for(text, "f", Walk::Current).unwrap();
    assert!(!d.skips_dir(b"src") && !d.skips_dir(b"build"));
    let lit = "build\nvendor\n!vendor/a/**\n";
    let d = DockerIgnore::parse_for(lit, "f", Walk::Current).unwrap();
    assert!(d.skips_dir(b"build") && !d.skips_dir(b"vendor") && !d.skips_dir(b"vendor/a"));
}

#[test]
fn docker_20_10_differs_where_its_sources_did() {
    let both = |text: &str, path: &str| {
        let c = DockerIgnore::parse_for(text, "f", Walk::Current).unwrap();
        let l = DockerIgnore::parse_for(text, "f", Walk::Legacy).unwrap();
        (c.excluded(path.as_bytes()), l.excluded(path.as_bytes()))
    };
    // The suffix test for `**foo` (moby 2d3e837).
    assert_eq!(both("**foo\n", "a/xfoo"), (true, false));
    assert_eq!(both("**foo\n", "a/foo"), (true, true));
    // `( ) + | { }` were regular-expression syntax (moby b625d94).
    assert_eq!(both("file(1).txt\n", "file1.txt"), (false, true));
    assert_eq!(both("file(1).txt\n", "file(1).txt"), (true, false));
    assert_eq!(both("a+b\n", "aab"), (false, true));
    // The old matcher checked one parent: the one with as many components as the pattern.
    assert_eq!(both("**/foo\n", "x/y/foo/other"), (true, false));
    assert_eq!(both("foo\n", "foo/bar/x"), (true, true));
}

/// The literal a wildcard pattern's matches all hold, and that the patterns still match what
/// they matched: `**/` and `/**/` may stand for no directory at all, so the slashes beside
/// them are not part of it.
#[test]
fn the_literal_every_match_holds() {
    assert_eq!(
        needed("**/generated/*.tmp").as_deref(),
        Some(&b"generated"[..])
    );
    assert_eq!(needed("*.tmp").as_deref(), Some(&b".tmp"[..]));
    assert_eq!(needed("a?c/x*").as_deref(), None, "one byte is no filter");
    assert_eq!(needed("[ab]cdef/x").as_deref(), None);
    let d =
        DockerIgnore::parse_for("**/gen5/*.tmp\na/**/bc\nfoo*bar\n", "f", Walk::Current).unwrap();
    for p in [
        "gen5/x.tmp",
        "x/gen5/y.tmp",
        "gen5/x.tmp/deeper",
        "a/bc",
        "a/x/y/bc",
        "foobar",
        "fooXbar/z",
    ] {
        assert!(d.excluded(p.as_bytes()), "{p}");
    }
    for p in ["gen55/x.tmp", "gen/x.tmp", "a/b", "fobar"] {
        assert!(!d.excluded(p.as_bytes()), "{p}");
    }
}

fn ignore_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let line = (any::<bool>(), super::super::glob::tests::pattern())
        .prop_map(|(ex, p)| format!("{}{p}", if ex { "!" } else { "" }));
    proptest::collection::vec(line, 1..5).prop_map(|v| v.join("\n"))
}

fn context_path() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let name = prop_oneof![Just("a"), Just("b"), Just("ab"), Just("a*"), Just(".")];
    proptest::collection::vec(name, 1..6).prop_map(|v| v.join("/"))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// A directory's hits, made from scratch or down from the root one level at a time, give
    /// the verdict `excluded` gives on every path directly in it: the depth shortcut (a
    /// pattern with no `**`, class or escape matches only paths as deep as itself) and the
    /// inert directory never change an answer.
    #[test]
    fn directory_hits_decide_as_the_whole_match(text in ignore_text(), paths in proptest::collection::vec(context_path(), 1..6)) {
        for walk in [Walk::Current, Walk::Legacy] {
            let Ok(ig) = DockerIgnore::parse_for(&text, "t", walk) else { continue };
            for p in &paths {
                let p = p.as_bytes();
                let parent = crate::relpath::parent_of(p);
                let mut chain = ig.dir_hits(b"");
                if !parent.is_empty() {
                    for (i, _) in parent.iter().enumerate().filter(|&(_, &b)| b == b'/') {
                        chain = ig.dir_hits_below(&chain, &parent[..i]);
                    }
                    chain = ig.dir_hits_below(&chain, parent);
                }
                let whole = ig.excluded(p);
                let shown = String::from_utf8_lossy(p);
                proptest::prop_assert_eq!(ig.excluded_in(&ig.dir_hits(parent), p), whole, "{:?} {:?} {}", walk, text, shown);
                proptest::prop_assert_eq!(ig.excluded_in(&chain, p), whole, "{:?} {:?} {} (chain)", walk, text, shown);
            }
        }
    }
}
