//! Which of a list of paths (a plan's delete entries) holds each file a context sends: the
//! first in list order, as a scan of the list would find it, but through a map of their paths,
//! and each directory decided once (a context's files come sorted, so a directory's files are
//! one run). A scan of the list per file was the audit's and the forecast's hot spot on
//! contexts of tens of thousands of files.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::{parent_of as parent, RelPath};

/// `p` (root-relative) as seen from a context at `prefix` (root-relative): `Some(Some(inside))`
/// for a path inside it, `Some(None)` for one holding the whole context, `None` elsewhere.
pub fn seen_from<'a>(prefix: &RelPath, p: &'a RelPath) -> Option<Option<&'a [u8]>> {
    if p.is_root() {
        Some(None)
    } else if prefix.is_root() {
        Some(Some(p.as_bytes()))
    } else if p.starts_with(prefix) && p != prefix {
        Some(Some(&p.as_bytes()[prefix.as_bytes().len() + 1..]))
    } else if prefix.starts_with(p) {
        Some(None)
    } else {
        None
    }
}

pub struct Holder<'v> {
    /// The first entry holding the whole context.
    whole: Option<usize>,
    /// The first entry at each path inside the context.
    at: HashMap<&'v [u8], usize>,
    /// The directories holding one of those paths: only their files are looked up one by one.
    parents: HashSet<&'v [u8]>,
    /// The last directory asked about, the first entry holding it, and whether entries sit
    /// in it.
    last: Option<(&'v [u8], Option<usize>, bool)>,
}

fn first(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => a.or(b),
    }
}

impl<'v> Holder<'v> {
    /// `deletions`: each entry's path as seen from the context, in plan order (`None`: it
    /// holds the whole context).
    pub fn new(deletions: impl Iterator<Item = Option<&'v [u8]>>) -> Holder<'v> {
        let mut at = HashMap::new();
        let mut whole = None;
        for (i, inside) in deletions.enumerate() {
            match inside {
                Some(p) => {
                    at.entry(p).or_insert(i);
                }
                None => whole = whole.or(Some(i)),
            }
        }
        let parents = at.keys().map(|p| parent(p)).collect();
        Holder {
            whole,
            at,
            parents,
            last: None,
        }
    }

    /// The index of the first entry that is `sent` or a directory above it.
    pub fn of(&mut self, sent: &'v [u8]) -> Option<usize> {
        let dir = parent(sent);
        let (by_dir, holds) = match self.last {
            Some((d, hit, holds)) if d == dir => (hit, holds),
            _ => {
                let mut hit = self.whole;
                let mut up = dir;
                while !up.is_empty() {
                    hit = first(hit, self.at.get(up).copied());
                    up = parent(up);
                }
                let holds = self.parents.contains(dir);
                self.last = Some((dir, hit, holds));
                (hit, holds)
            }
        };
        match holds {
            true => first(by_dir, self.at.get(sent).copied()),
            false => by_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::within;
    use super::*;

    /// The list scan the holder stands for.
    fn scan(dels: &[Option<&[u8]>], sent: &[u8]) -> Option<usize> {
        dels.iter().position(|d| d.is_none_or(|d| within(sent, d)))
    }

    #[test]
    fn the_holder_finds_what_a_scan_of_the_list_finds() {
        let dels: Vec<Option<&[u8]>> = [
            Some("a/b"),
            Some("a"),
            Some("c/d.log"),
            Some("a/b/c"),
            None,
            Some("e-f"),
        ]
        .iter()
        .map(|p| p.map(str::as_bytes))
        .collect();
        let mut sent: Vec<&[u8]> = vec![
            b"a",
            b"a/b",
            b"a/b/c/x",
            b"a/bc",
            b"a/x",
            b"c/d.log",
            b"c/d.logx",
            b"c/e",
            b"e",
            b"e-f/g",
            b"e/f",
            b"x/y/z",
        ];
        sent.sort();
        let mut h = Holder::new(dels.iter().copied());
        for s in &sent {
            assert_eq!(h.of(s), scan(&dels, s), "{}", String::from_utf8_lossy(s));
        }
        let no_whole: Vec<_> = dels.iter().filter(|d| d.is_some()).copied().collect();
        let mut h = Holder::new(no_whole.iter().copied());
        for s in &sent {
            assert_eq!(
                h.of(s),
                scan(&no_whole, s),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }
}
