//! Paths relative to the scanned root, kept as raw bytes.
//!
//! Unix file names are bytes, not text: a name that is not valid UTF-8 must still be scanned,
//! planned, saved and deleted exactly. So relative paths are `Vec<u8>` with `/` separators, shown
//! lossily to people and serialised losslessly for machines (see [`RelPath::to_json_fields`]).

mod holder;
mod runs;
pub use holder::{seen_from, Holder};
pub use runs::{Part, Runs};

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct RelPath(Vec<u8>);

/// Component-wise order (`/` sorts before every other byte): a directory's contents follow it
/// directly, and `c/f` sorts before `c-x`. Plans list entries in this order, and a hard link
/// shared by two entries is counted in the first, as `du -sc` over the entries in that order
/// counts it.
impl Ord for RelPath {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |b: u8| if b == b'/' { 0u16 } else { u16::from(b) + 1 };
        let (a, b) = (&self.0, &other.0);
        // The first byte that differs decides (the order maps bytes one to one); paths in a
        // sorted list share long prefixes, so find it a word at a time.
        let n = common_prefix(a, b);
        match (a.get(n), b.get(n)) {
            (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
            _ => a.len().cmp(&b.len()),
        }
    }
}

/// The length of the longest common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_ne_bytes(a[i..i + 8].try_into().expect("8 bytes"));
        let y = u64::from_ne_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        if x != y {
            break;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

impl PartialOrd for RelPath {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl RelPath {
    pub fn root() -> Self {
        RelPath(Vec::new())
    }

    pub fn from_bytes(b: impl Into<Vec<u8>>) -> Self {
        RelPath(b.into())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn join(&self, name: &[u8]) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1 + name.len());
        v.extend_from_slice(&self.0);
        if !v.is_empty() {
            v.push(b'/');
        }
        v.extend_from_slice(name);
        RelPath(v)
    }

    pub fn as_path(&self) -> &Path {
        Path::new(OsStr::from_bytes(&self.0))
    }

    /// The path under `root` as an absolute filesystem path.
    pub fn under(&self, root: &Path) -> PathBuf {
        if self.0.is_empty() {
            root.to_path_buf()
        } else {
            root.join(self.as_path())
        }
    }

    /// The last component (the whole path for a top-level entry).
    pub fn file_name(&self) -> &[u8] {
        match self.0.iter().rposition(|&b| b == b'/') {
            Some(i) => &self.0[i + 1..],
            None => &self.0,
        }
    }

    /// The last component of the parent (`b` for `a/b/c`); `None` for a path at the top.
    pub fn parent_name(&self) -> Option<&[u8]> {
        let parent = parent_of(&self.0);
        (!parent.is_empty()).then(|| RelPath::name_of(parent))
    }

    fn name_of(p: &[u8]) -> &[u8] {
        p.iter()
            .rposition(|&b| b == b'/')
            .map_or(p, |i| &p[i + 1..])
    }

    pub fn parent(&self) -> Option<RelPath> {
        if self.0.is_empty() {
            return None;
        }
        Some(match self.0.iter().rposition(|&b| b == b'/') {
            Some(i) => RelPath(self.0[..i].to_vec()),
            None => RelPath::root(),
        })
    }

    /// `self` and each directory above it, up to the root (`a/b`, `a`, the root).
    pub fn ancestors(&self) -> impl Iterator<Item = RelPath> {
        std::iter::successors(Some(self.clone()), RelPath::parent)
    }

    /// True when `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &RelPath) -> bool {
        within(&self.0, &other.0)
    }

    pub fn is_utf8(&self) -> bool {
        std::str::from_utf8(&self.0).is_ok()
    }

    /// For people: invalid bytes become U+FFFD.
    pub fn display(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// The lossless machine form: hex of the raw bytes, used only when the path is not UTF-8.
    pub fn hex(&self) -> String {
        hex_of(&self.0)
    }

    pub fn from_hex(s: &str) -> Option<Self> {
        if !s.len().is_multiple_of(2) {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect();
        bytes.map(RelPath)
    }
}

impl std::fmt::Debug for RelPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.display())
    }
}

/// JSON form: `"path"` is always present (lossy for people and text-only tools); `"path_hex"`
/// holds the exact bytes and is present only when the name is not valid UTF-8.
impl RelPath {
    pub fn to_json_fields(&self) -> (String, Option<String>) {
        json_fields(&self.0)
    }

    pub fn from_json_fields(path: &str, hex: Option<&str>) -> Option<Self> {
        match hex {
            Some(h) => RelPath::from_hex(h),
            None => Some(RelPath(path.as_bytes().to_vec())),
        }
    }
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The directory the path `p` (raw bytes) is in: empty at the top.
pub fn parent_of(p: &[u8]) -> &[u8] {
    p.iter()
        .rposition(|&b| b == b'/')
        .map_or(&p[..0], |i| &p[..i])
}

/// True when the path `p` is `d` or lies below it (raw bytes; the root, empty, holds all).
pub fn within(p: &[u8], d: &[u8]) -> bool {
    d.is_empty() || (p.starts_with(d) && (p.len() == d.len() || p[d.len()] == b'/'))
}

/// Whether `p` is [`within`] one of `dirs`: it, or a folder above it, is one.
pub fn within_any<S: std::hash::BuildHasher>(
    p: &[u8],
    dirs: &std::collections::HashSet<&[u8], S>,
) -> bool {
    dirs.contains(p)
        || dirs.contains(&b""[..])
        || (p.iter().enumerate()).any(|(i, &c)| c == b'/' && dirs.contains(&p[..i]))
}

/// Where a list sorted by path bytes (`path` gives each element's) holds `dir` itself, and its
/// run of entries below `dir` (`dir/...`): apart, since `dir-x` sorts between them. `dir`
/// empty: everything is below it. The index, a walk's listing and the lists made from them
/// are sorted so: what lies below a folder is found by bisection, not a scan.
pub fn sorted_under<T>(
    sorted: &[T],
    path: impl Fn(&T) -> &[u8],
    dir: &[u8],
) -> (Option<usize>, std::ops::Range<usize>) {
    if dir.is_empty() {
        return (None, 0..sorted.len());
    }
    let exact = sorted.binary_search_by(|e| path(e).cmp(dir)).ok();
    let lo = [dir, b"/"].concat();
    let hi = [dir, &[b'/' + 1]].concat();
    let a = sorted.partition_point(|e| path(e) < lo.as_slice());
    let b = sorted.partition_point(|e| path(e) < hi.as_slice());
    (exact, a..b)
}

/// `p` as seen from the directory `d` when [`within`] it (`b` for `a/b` in `a`, empty for `d`
/// itself).
pub fn inside<'p>(p: &'p [u8], d: &[u8]) -> Option<&'p [u8]> {
    match (d.is_empty(), within(p, d)) {
        (true, _) => Some(p),
        (false, true) => Some(p.get(d.len() + 1..).unwrap_or_default()),
        (false, false) => None,
    }
}

/// `p` as seen from `root`, with a `..` for each of `root`'s components it is not under
/// (`../other/app` for a sibling checkout); both absolute and without `.` or `..`.
pub fn up_from(root: &Path, p: &Path) -> String {
    let common = root
        .ancestors()
        .find(|a| p.starts_with(a))
        .unwrap_or(Path::new("/"));
    let ups = root
        .strip_prefix(common)
        .map_or(0, |r| r.components().count());
    let rest = p.strip_prefix(common).unwrap_or(p);
    let mut shown = PathBuf::new();
    for _ in 0..ups {
        shown.push("..");
    }
    shown.push(rest);
    shown.display().to_string()
}

/// [`RelPath::to_json_fields`] of raw path bytes (one UTF-8 check, no copy of the path first).
pub fn json_fields(b: &[u8]) -> (String, Option<String>) {
    match std::str::from_utf8(b) {
        Ok(s) => (s.to_string(), None),
        Err(_) => (String::from_utf8_lossy(b).into_owned(), Some(hex_of(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_outside_the_root_is_shown_from_it() {
        let root = Path::new("/tmp/r7/cine-platform");
        assert_eq!(
            up_from(root, Path::new("/tmp/r7/ffmpeg-cuda")),
            "../ffmpeg-cuda"
        );
        assert_eq!(up_from(root, Path::new("/srv/x")), "../../../srv/x");
        assert_eq!(up_from(root, Path::new("/tmp/r7/cine-platform/a")), "a");
    }

    /// `within_any` answers as `within` against each folder does.
    #[test]
    fn within_any_is_within_one_of_them() {
        let dirs: Vec<&[u8]> = vec![b"a/b", b"c", b"d/e/f"];
        let set: std::collections::HashSet<&[u8]> = dirs.iter().copied().collect();
        for p in [
            "a/b", "a/b/x", "a/bc", "a", "c/x/y", "cc", "d/e/f/g", "d/e", "x/a/b", "",
        ] {
            let want = dirs.iter().any(|d| within(p.as_bytes(), d));
            assert_eq!(within_any(p.as_bytes(), &set), want, "{p}");
        }
        let root: std::collections::HashSet<&[u8]> = [&b""[..]].into_iter().collect();
        assert!(within_any(b"any/path", &root));
    }

    #[test]
    fn ancestors_end_at_the_root() {
        let up: Vec<RelPath> = RelPath::from_bytes("a/b").ancestors().collect();
        let shown: Vec<&[u8]> = up.iter().map(RelPath::as_bytes).collect();
        assert_eq!(shown, [&b"a/b"[..], b"a", b""]);
    }

    #[test]
    fn join_parent_and_prefix() {
        let p = RelPath::root().join(b"a").join(b"b");
        assert_eq!(p.as_bytes(), b"a/b");
        assert_eq!(p.file_name(), b"b");
        assert_eq!(p.parent().unwrap().as_bytes(), b"a");
        assert!(p.starts_with(&RelPath::from_bytes("a")));
        assert!(!RelPath::from_bytes("ab/c").starts_with(&RelPath::from_bytes("a")));
        assert!(p.starts_with(&RelPath::root()));
        assert_eq!(inside(b"a/b/c", b"a"), Some(&b"b/c"[..]));
        assert_eq!(inside(b"a/b", b""), Some(&b"a/b"[..]));
        assert_eq!(inside(b"a", b"a"), Some(&b""[..]));
        assert_eq!(inside(b"ab/c", b"a"), None);
    }

    #[test]
    fn orders_by_component() {
        let mut v: Vec<RelPath> = ["c-x/g", "c/f", "c", "c.txt", "b/z"]
            .iter()
            .map(|s| RelPath::from_bytes(*s))
            .collect();
        v.sort();
        let got: Vec<String> = v.iter().map(RelPath::display).collect();
        assert_eq!(got, ["b/z", "c", "c/f", "c-x/g", "c.txt"]);
    }

    proptest::proptest! {
        /// The word-at-a-time comparison is the byte-by-byte definition: `/` below every byte.
        #[test]
        fn order_is_the_component_order(
            a in proptest::collection::vec(proptest::sample::select(b"/a.-\x00\xff0".to_vec()), 0..40),
            b in proptest::collection::vec(proptest::sample::select(b"/a.-\x00\xff0".to_vec()), 0..40),
            shared in proptest::collection::vec(proptest::sample::select(b"/ab-".to_vec()), 0..30),
        ) {
            let key = |b: &u8| if *b == b'/' { 0u16 } else { u16::from(*b) + 1 };
            let (a, b) = ([&shared[..], &a].concat(), [&shared[..], &b].concat());
            let want = a.iter().map(key).cmp(b.iter().map(key));
            proptest::prop_assert_eq!(RelPath::from_bytes(a).cmp(&RelPath::from_bytes(b)), want);
        }
    }

    #[test]
    fn non_utf8_round_trips_through_hex() {
        let p = RelPath::from_bytes(b"dir/caf\xe9.txt".to_vec());
        let (shown, hex) = p.to_json_fields();
        assert!(shown.contains('\u{fffd}'));
        let back = RelPath::from_json_fields(&shown, hex.as_deref()).unwrap();
        assert_eq!(back, p);
        let utf8 = RelPath::from_bytes("ok/ü.txt");
        assert_eq!(utf8.to_json_fields().1, None);
    }
}
