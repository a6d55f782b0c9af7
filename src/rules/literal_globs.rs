//! The globs a path can be matched against without a regex: a literal path (`data/uploads`),
//! `**/name` (`**/node_modules`) and `**/*.ext` (`**/*.pyc`), case-sensitive: half of the
//! built-in ones. Looked up by the path, its last component, or that component's extension,
//! they stay out of the lazy DFA, whose every state after a `/` would otherwise carry each of
//! them in progress, and out of the regex parsing at every start.

use foldhash::HashMap;

/// Byte strings with the ids of the globs they stand for.
type Ids<T> = HashMap<Box<[u8]>, Vec<T>>;

#[derive(Default)]
pub(super) struct Literals {
    /// Whole paths, with the ids of the globs they are.
    paths: Ids<usize>,
    /// Last components (`**/name`).
    names: Ids<usize>,
    /// `**/*.ext` by the text after the last `.` of `ext`: the whole `.ext` suffix, and its id.
    suffixes: Ids<(Box<[u8]>, usize)>,
}

/// No character globset gives a meaning to: the glob matches this text and nothing else.
fn literal(s: &str) -> bool {
    !s.is_empty() && !s.contains(['*', '?', '[', ']', '{', '}', ',', '\\'])
}

impl Literals {
    /// Takes glob `id` (its text as written) if it is of a kind looked up here.
    pub(super) fn take(&mut self, id: usize, glob: &str, ignore_case: bool) -> bool {
        if ignore_case {
            return false;
        }
        let bytes = |s: &str| s.as_bytes().into();
        if literal(glob) {
            self.paths.entry(bytes(glob)).or_default().push(id);
            return true;
        }
        let Some(name) = glob.strip_prefix("**/").filter(|n| !n.contains('/')) else {
            return false;
        };
        if literal(name) {
            self.names.entry(bytes(name)).or_default().push(id);
            return true;
        }
        match name.strip_prefix('*') {
            Some(suffix) if suffix.starts_with('.') && literal(suffix) => {
                let last = suffix.rsplit('.').next().unwrap_or_default();
                let entry = self.suffixes.entry(bytes(last)).or_default();
                entry.push((bytes(suffix), id));
                true
            }
            _ => false,
        }
    }

    /// Adds the ids of the globs here that match `path` (unordered).
    pub(super) fn matches(&self, path: &[u8], out: &mut Vec<usize>) {
        let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        if let Some(ids) = self.paths.get(path) {
            out.extend(ids);
        }
        if let Some(ids) = self.names.get(name) {
            out.extend(ids);
        }
        let last = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
        if last.len() < name.len() {
            for (suffix, id) in self.suffixes.get(last).into_iter().flatten() {
                if name.ends_with(suffix) {
                    out.push(*id);
                }
            }
        }
    }
}
