use super::*;

fn p(s: &str) -> RelPath {
    RelPath::from_bytes(s.as_bytes())
}

fn mark(path: &str, phase: u8, flags: u8, bytes: u64) -> Mark {
    Mark {
        path: p(path),
        phase,
        flags,
        rule: (phase > 0).then(|| format!("rule-{phase}")),
        bytes,
    }
}

fn find<'a>(n: &'a Node, name: &str) -> Option<&'a Node> {
    if n.n == name {
        return Some(n);
    }
    n.c.iter().find_map(|k| find(k, name))
}

#[test]
fn every_byte_in_one_leaf_and_files_carved_out_of_their_directory() {
    // root 1000: src 300 (src/a 100), node_modules 500; 200 bytes lie in the root itself, of
    // which debug.log (50) is selected.
    let dirs = [(p("node_modules"), 500), (p("src"), 300), (p("src/a"), 100)];
    let marks = [
        mark("node_modules", 7, 0, 500),
        mark("debug.log", 3, 0, 50),
        mark("src/keep.md", 0, KEPT, 20),
    ];
    let t = build(1000, &dirs, &marks, MAX_NODES);
    assert_eq!(t.b, 1000);
    assert_eq!(leaf_bytes(&t), 1000);
    let log = find(&t, "debug.log").unwrap();
    assert_eq!((log.b, log.p, log.r.as_deref()), (50, 3, Some("rule-3")));
    let here = t.c.iter().find(|k| k.f & FILES_HERE != 0).unwrap();
    assert_eq!(
        here.b, 150,
        "the root's own 200 bytes less the selected file"
    );
    let src = find(&t, "src").unwrap();
    assert_eq!(leaf_bytes(src), 300);
    assert_eq!(find(src, "keep.md").unwrap().f, KEPT);
    assert_eq!(t.c[0].n, "node_modules", "largest first");
}

#[test]
fn what_lies_below_a_selected_directory_takes_its_phase() {
    let dirs = [(p("backup"), 100), (p("backup/old"), 60)];
    let t = build(100, &dirs, &[mark("backup", 2, 0, 100)], MAX_NODES);
    let old = find(&t, "old").unwrap();
    assert_eq!(old.p, 2);
    assert!(t.c[0].c.iter().all(|k| k.p == 2));
}

#[test]
fn a_path_below_an_unrecorded_directory_is_named_from_the_nearest_recorded_one() {
    let t = build(
        100,
        &[(p("a"), 80)],
        &[mark("a/b/c.log", 3, 0, 30)],
        MAX_NODES,
    );
    assert_eq!(find(&t, "b/c.log").unwrap().b, 30);
    // A mark larger than the room left is cut to it: the leaves still sum to the total.
    let t = build(
        100,
        &[(p("a"), 80)],
        &[mark("a/x", 1, 0, 10_000)],
        MAX_NODES,
    );
    assert_eq!(find(&t, "x").unwrap().b, 80);
    assert_eq!(leaf_bytes(&t), 100);
}

#[test]
fn a_million_directories_merge_to_a_page_a_browser_draws() {
    // 1,000 top-level directories of 1,000 each, sizes spread over three orders of magnitude.
    let mut dirs = Vec::with_capacity(1_001_000);
    let mut total = 0u64;
    for i in 0..1000u64 {
        let mut sub = 0;
        let mut inner = Vec::with_capacity(1000);
        for j in 0..1000u64 {
            let b = 4096 + (i * 7919 + j * 104_729) % 1_000_000;
            inner.push((p(&format!("d{i:04}/e{j:04}")), b));
            sub += b;
        }
        dirs.push((p(&format!("d{i:04}")), sub + 4096));
        dirs.extend(inner);
        total += sub + 4096;
    }
    total += 4096;
    dirs.sort();
    let t = build(total, &dirs, &[mark("d0001", 7, 0, 0)], MAX_NODES);
    assert!(count(&t) <= MAX_NODES, "{} boxes", count(&t));
    assert_eq!(leaf_bytes(&t), total);
    assert_eq!(t.b, total);
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.len() < 4_000_000, "{} bytes of data", json.len());
    assert!(json.contains("smaller"), "small boxes are merged");
}
