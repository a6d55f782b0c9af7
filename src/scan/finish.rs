//! The end of a scan: hard links counted once (in the first path in sorted order, so sizes
//! match `du` whatever the thread timing), everything sorted, the listing flattened.

use std::collections::HashSet;

use super::acc::*;
use super::*;

impl Scanner<'_> {
    /// Hard links, then deterministic order.
    pub(super) fn finish(&self, mut acc: Acc, root_id: Identity) -> ScanResult {
        acc.found.sort_by(|a, b| a.path.cmp(&b.path));
        acc.links.sort_by(|a, b| a.path.cmp(&b.path));
        acc.dir_bytes.sort();
        let mut seen = HashSet::new();
        for l in &acc.links {
            if !seen.insert((l.dev, l.ino)) {
                continue;
            }
            acc.stats.bytes += l.bytes;
            acc.stats.disk_bytes += l.disk;
            // `.git` too: a `git clone` of a local path hard-links its packs (hundreds of MB
            // the headline's "work tree, .git aside" would count as work tree).
            if l.path.as_bytes().starts_with(b".git/") {
                acc.git_dir.bytes += l.bytes;
                acc.git_dir.disk_bytes += l.disk;
            }
            add_to_ancestors(&mut acc.dir_bytes, &l.path, l.bytes);
            // The entry holding this link, if any: the link itself or one of its ancestors
            // (entries are disjoint, so at most one matches).
            let mut p = Some(l.path.clone());
            while let Some(cur) = p {
                if let Ok(i) = acc.found.binary_search_by(|f| f.path.cmp(&cur)) {
                    let s = &mut acc.found[i].stats;
                    s.bytes += l.bytes;
                    s.disk_bytes += l.disk;
                    break;
                }
                p = cur.parent().filter(|q| !q.is_root());
            }
        }
        acc.protected.sort_by(|a, b| a.path.cmp(&b.path));
        acc.notes
            .sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
        acc.kept.sort();
        acc.build_files.sort_by(|a, b| a.path.cmp(&b.path));
        let listing = self.opts.keep_listing.then(|| {
            let mut files = Vec::with_capacity(acc.seen.iter().map(Vec::len).sum());
            for chunk in acc.seen.drain(..) {
                files.extend(chunk);
            }
            // The walks put each directory's files between its subdirectories' (see `descend`),
            // so the runs come in order; a stable sort (merging runs) where they do not.
            if !files.is_sorted_by(|a: &Seen, b: &Seen| a.path <= b.path) {
                files.sort_by(|a: &Seen, b: &Seen| a.path.cmp(&b.path));
            }
            acc.unlisted.sort();
            Listing {
                files,
                unlisted: std::mem::take(&mut acc.unlisted),
            }
        });
        ScanResult {
            git_dir: acc.git_dir,
            kept: acc.kept,
            tree: acc.stats,
            found: acc.found,
            protected: acc.protected,
            notes: acc.notes,
            root_identity: Some(root_id),
            listing,
            build_files: acc.build_files,
            sized_fast: acc.sized_fast,
            dir_bytes: acc.dir_bytes,
        }
    }

    /// A leaf's own stats as they count toward its parent: a multiply-linked inode's bytes are
    /// deferred to [`Self::finish`], which counts each inode once.
    pub(super) fn leaf_stats(acc: &mut Acc, rel: &RelPath, m: &Meta) -> Stats {
        let s = m.stats();
        if m.id.nlink > 1 {
            acc.links.push(LinkRec {
                dev: m.id.dev,
                ino: m.id.ino,
                bytes: s.bytes,
                disk: s.disk_bytes,
                path: rel.clone(),
            });
            Stats {
                bytes: 0,
                disk_bytes: 0,
                ..s
            }
        } else {
            s
        }
    }
}

/// A hard link's bytes, counted once at `path`, in every recorded directory above it.
fn add_to_ancestors(dirs: &mut [(RelPath, u64)], path: &RelPath, bytes: u64) {
    let mut p = path.parent().filter(|q| !q.is_root());
    while let Some(cur) = p {
        if let Ok(i) = dirs.binary_search_by(|d| d.0.cmp(&cur)) {
            dirs[i].1 += bytes;
        }
        p = cur.parent().filter(|q| !q.is_root());
    }
}
