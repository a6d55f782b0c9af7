//! The tree as nested boxes for the HTML treemap: every byte of the tree in exactly one leaf
//! (a directory's own bytes become a "files here" leaf), each box tagged with the phase that
//! would delete it or with what keeps it, and small boxes merged so a plan of a million files
//! still makes a page a browser draws at once.

use std::collections::HashMap;

use serde::Serialize;

use crate::relpath::RelPath;

/// Flags of a [`Node`], as the page's script reads them.
pub const PROTECTED: u8 = 1;
pub const KEPT: u8 = 2;
/// Small boxes merged into one.
pub const MERGED: u8 = 4;
/// The bytes lying directly in a directory (its own entry and the files no box was made for).
pub const FILES_HERE: u8 = 8;
/// Reported for review, never deleted.
pub const REVIEW: u8 = 16;

/// Boxes a page holds at most; beyond that small ones are merged (a browser lays out and
/// draws a few thousand of them per view, and the data stays a few megabytes).
pub const MAX_NODES: usize = 30_000;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Node {
    /// The name (a path of several components where the directories between were not walked).
    pub n: String,
    /// Apparent bytes at and below it.
    pub b: u64,
    /// The phase whose rule deletes it (or the entry above it); 0 for none.
    #[serde(skip_serializing_if = "is_zero")]
    pub p: u8,
    #[serde(skip_serializing_if = "is_zero")]
    pub f: u8,
    /// The rule, on the box a plan entry made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub c: Vec<Node>,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

/// Something the page should show on a path: a plan entry, a protected or a kept path.
#[derive(Debug, Clone)]
pub struct Mark {
    pub path: RelPath,
    pub phase: u8,
    pub flags: u8,
    pub rule: Option<String>,
    /// Its bytes, when the path is not a directory the scan recorded (a file: carved out of
    /// its directory's own bytes).
    pub bytes: u64,
}

struct Slot {
    path: RelPath,
    name: String,
    bytes: u64,
    phase: u8,
    flags: u8,
    rule: Option<String>,
    children: Vec<usize>,
}

/// The tree from the root's total, each recorded directory's bytes (sorted by path), and the
/// marks; then small boxes merged until at most `max_nodes` remain.
pub fn build(total: u64, dirs: &[(RelPath, u64)], marks: &[Mark], max_nodes: usize) -> Node {
    let mut slots = vec![slot(RelPath::root(), String::new(), total)];
    let mut index: HashMap<RelPath, usize> = HashMap::new();
    index.insert(RelPath::root(), 0);
    for (path, bytes) in dirs {
        let parent = nearest(&index, path);
        let i = push(&mut slots, parent, path, *bytes);
        index.insert(path.clone(), i);
    }
    for m in marks {
        let i = match index.get(&m.path) {
            Some(&i) => i,
            None => {
                let parent = nearest(&index, &m.path);
                let room = own(&slots, parent);
                let i = push(&mut slots, parent, &m.path, m.bytes.min(room));
                index.insert(m.path.clone(), i);
                i
            }
        };
        let s = &mut slots[i];
        s.phase = s.phase.max(m.phase);
        s.flags |= m.flags;
        if m.rule.is_some() {
            s.rule = m.rule.clone();
        }
    }
    let mut root = grow(&slots, 0, 0);
    let mut floor = 0;
    while count(&root) > max_nodes {
        floor = (floor * 2).max(total / max_nodes as u64).max(1);
        root = merge_small(root, floor);
    }
    root
}

fn slot(path: RelPath, name: String, bytes: u64) -> Slot {
    Slot {
        path,
        name,
        bytes,
        phase: 0,
        flags: 0,
        rule: None,
        children: Vec::new(),
    }
}

/// A slot for `path` under `parent`, named by the part of the path below the parent's.
fn push(slots: &mut Vec<Slot>, parent: usize, path: &RelPath, bytes: u64) -> usize {
    let name = name_below(path, &slots[parent].path);
    slots.push(slot(path.clone(), name, bytes));
    let i = slots.len() - 1;
    slots[parent].children.push(i);
    i
}

/// The closest recorded directory above `path` (the root at worst).
fn nearest(index: &HashMap<RelPath, usize>, path: &RelPath) -> usize {
    let mut p = path.parent();
    while let Some(cur) = p {
        if let Some(&i) = index.get(&cur) {
            return i;
        }
        p = cur.parent();
    }
    0
}

fn name_below(path: &RelPath, above: &RelPath) -> String {
    let b = path.as_bytes();
    let rest = if above.is_root() {
        b
    } else {
        &b[(above.as_bytes().len() + 1).min(b.len())..]
    };
    String::from_utf8_lossy(rest).into_owned()
}

/// A slot's bytes not in any of its children.
fn own(slots: &[Slot], i: usize) -> u64 {
    let below: u64 = slots[i].children.iter().map(|&c| slots[c].bytes).sum();
    slots[i].bytes.saturating_sub(below)
}

/// Slots to nodes, the phase passed down (everything below a deleted directory goes with
/// it), a directory's own bytes as a leaf of their own, children largest first.
fn grow(slots: &[Slot], i: usize, inherited: u8) -> Node {
    let s = &slots[i];
    let phase = if s.phase != 0 { s.phase } else { inherited };
    let mut c: Vec<Node> = s.children.iter().map(|&k| grow(slots, k, phase)).collect();
    let rest = own(slots, i);
    if !c.is_empty() && rest > 0 {
        c.push(Node {
            n: String::new(),
            b: rest,
            p: phase,
            f: FILES_HERE,
            r: None,
            c: Vec::new(),
        });
    }
    c.sort_by(|a, b| b.b.cmp(&a.b).then_with(|| a.n.cmp(&b.n)));
    // Children never sum to more than their parent, even where a hard link's bytes were
    // counted under another path.
    let sum: u64 = c.iter().map(|n| n.b).sum();
    Node {
        n: s.name.clone(),
        b: s.bytes.max(sum),
        p: phase,
        f: s.flags,
        r: s.rule.clone(),
        c,
    }
}

fn count(n: &Node) -> usize {
    1 + n.c.iter().map(count).sum::<usize>()
}

/// Children under `floor` bytes become one box ("N smaller"), with a phase only when they
/// all share it.
fn merge_small(mut n: Node, floor: u64) -> Node {
    let (big, small): (Vec<Node>, Vec<Node>) = n.c.into_iter().partition(|k| k.b >= floor);
    n.c = big.into_iter().map(|k| merge_small(k, floor)).collect();
    match small.len() {
        0 => {}
        1 if small[0].c.is_empty() => n.c.extend(small),
        k => {
            let phase = small[0].p;
            let same = small.iter().all(|s| s.p == phase);
            n.c.push(Node {
                n: format!("{k} smaller"),
                b: small.iter().map(|s| s.b).sum(),
                p: if same { phase } else { 0 },
                f: MERGED,
                r: None,
                c: Vec::new(),
            });
        }
    }
    n
}

/// The sum of the leaves' bytes (what the page draws): equal to the root's bytes.
pub fn leaf_bytes(n: &Node) -> u64 {
    if n.c.is_empty() {
        n.b
    } else {
        n.c.iter().map(leaf_bytes).sum()
    }
}

#[cfg(test)]
#[path = "treemap_tests.rs"]
mod tests;
