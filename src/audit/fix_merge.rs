//! Two builds' fixes for one problem, said as one: where both explain the same thing and differ
//! only in a clause (each build's own `.dockerignore` line), the explanation is said once.
//! Canoil-Portal's committed OAuth client file, sent to two contexts, had its fix's reason
//! ("`Tests using python/get_vercel_env_vars.py:42` names it …, give it to the container when
//! it runs …") printed twice, once around each context's line.

/// What two fixes must share before their differences are joined: an explanation, not a word
/// or two (`add `X` to .dockerignore` and `add `Y` to api/.dockerignore` stay two clauses).
const SHARED: usize = 60;

/// `a` and `b` as one fix where they share a long explanation: the shared start, each one's
/// own clause joined by "and", then the shared end from its last `; `. `None` where they do
/// not.
pub(super) fn merged(a: &str, b: &str) -> Option<String> {
    let start = shared_start(a, b);
    if start < SHARED {
        return None;
    }
    let (ra, rb) = (&a[start..], &b[start..]);
    let end = shared_end(ra, rb);
    let (mid_a, mid_b) = (&ra[..ra.len() - end], &rb[..rb.len() - end]);
    if mid_a.is_empty() || mid_b.is_empty() {
        return None;
    }
    Some(format!(
        "{}{mid_a} and {mid_b}{}",
        &a[..start],
        &ra[ra.len() - end..]
    ))
}

/// How much of both starts alike, backed off to just after a space outside backquotes: a
/// clause starts there (`then add `…``), never inside a quoted path.
fn shared_start(a: &str, b: &str) -> usize {
    let common = (a.char_indices())
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let mut quoted = false;
    let mut last = 0;
    for (i, c) in a[..common].char_indices() {
        match c {
            '`' => quoted = !quoted,
            ' ' if !quoted => last = i + 1,
            _ => {}
        }
    }
    last
}

/// How much of both ends alike, from a `; ` that starts the next clause (0 where none does).
fn shared_end(a: &str, b: &str) -> usize {
    let common = (a.bytes().rev())
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let tail = &a[a.len() - common..];
    tail.find("; ").map_or(0, |at| common - at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHY: &str = "app/run.py:42 names it (`open('creds/token.json')`), and the build copies it in with its folder: give it to the container when it runs, then ";

    #[test]
    fn a_shared_explanation_is_said_once() {
        let a = format!("{WHY}add `creds/token.json` to .dockerignore; that line alone would leave the program without it");
        let b = format!("{WHY}add `token.json` to creds/.dockerignore; that line alone would leave the program without it");
        assert_eq!(
            merged(&a, &b).unwrap(),
            format!("{WHY}add `creds/token.json` to .dockerignore and `token.json` to creds/.dockerignore; that line alone would leave the program without it")
        );
        // Differing to the end: no shared clause after.
        let c = format!("{WHY}add `x`");
        let d = format!("{WHY}drop `y`");
        assert_eq!(
            merged(&c, &d).unwrap(),
            format!("{WHY}add `x` and drop `y`")
        );
    }

    #[test]
    fn short_or_quoted_differences_are_left_alone() {
        assert_eq!(
            merged("add `a/x` to .dockerignore", "add `x` to a/.dockerignore"),
            None
        );
        // A difference inside a quoted path backs off to the space before it.
        let a = format!("{WHY}add `creds/a.json`");
        let b = format!("{WHY}add `creds/b.json`");
        assert_eq!(
            merged(&a, &b).unwrap(),
            format!("{WHY}add `creds/a.json` and `creds/b.json`")
        );
    }
}
