//! A dev container's build context, as its `devcontainer.json` names it: the devcontainer CLI
//! builds `build.dockerfile` (or the older `dockerFile`) from `build.context` (or the older
//! top-level `context`), both relative to the JSON file, the context defaulting to its own
//! directory. mealie's `.devcontainer/Dockerfile` copies nothing, so inference kept it in
//! `.devcontainer`; its `devcontainer.json` says `"context": ".."`: the whole repository.

use std::path::{Component, Path, PathBuf};

/// Where a `devcontainer.json` that may build `dockerfile` sits.
fn candidates(root: &Path, dockerfile: &Path) -> Vec<PathBuf> {
    let mut out = vec![
        root.join(".devcontainer/devcontainer.json"),
        root.join(".devcontainer.json"),
    ];
    if let Some(d) = dockerfile.parent() {
        out.push(d.join("devcontainer.json"));
    }
    out.dedup();
    out
}

/// The context a `devcontainer.json` inside `root` gives `dockerfile`, when one builds it and
/// the context is inside `root`.
pub fn context_of(root: &Path, dockerfile: &Path) -> Option<PathBuf> {
    candidates(root, dockerfile).into_iter().find_map(|json| {
        let text = crate::fsx::read_text(&json, crate::limits::MAX_BUILD_FILE_BYTES)?;
        let v: serde_json::Value = serde_json::from_str(&plain_json(&text)).ok()?;
        let build = v.get("build");
        let field = |k: &str| build.and_then(|b| b.get(k)).or_else(|| v.get(k));
        let named = field("dockerfile")
            .or_else(|| field("dockerFile"))?
            .as_str()?;
        let dir = json.parent()?;
        if normal(&dir.join(named)) != normal(dockerfile) {
            return None;
        }
        let context = field("context").and_then(|c| c.as_str()).unwrap_or(".");
        Some(normal(&dir.join(context))).filter(|c| c.starts_with(root) && c.is_dir())
    })
}

/// `p` with `.` and `..` taken out, without asking the filesystem.
fn normal(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON with comments (`//`, `/* */`) and trailing commas, as VS Code writes it, made JSON.
fn plain_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                chars.by_ref().take_while(|&x| x != '\n').for_each(drop);
                out.push('\n');
            }
            ('/', Some('*')) => {
                chars.next();
                skip_block_comment(&mut chars);
            }
            (',', _) => {
                // A comma followed only by blanks (and comments) up to `}` or `]` is dropped.
                if !matches!(next_significant(chars.clone()), Some('}' | ']')) {
                    out.push(',');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Past the end of a `/* */` comment whose `/*` was read.
fn skip_block_comment(chars: &mut impl Iterator<Item = char>) {
    let mut last = ' ';
    for x in chars {
        if last == '*' && x == '/' {
            break;
        }
        last = x;
    }
}

/// The next character that is neither blank nor inside a comment.
fn next_significant(mut chars: std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    loop {
        let c = chars.next()?;
        match (c, chars.peek()) {
            (c, _) if c.is_whitespace() => {}
            ('/', Some('/')) => {
                chars.by_ref().take_while(|&x| x != '\n').for_each(drop);
            }
            ('/', Some('*')) => {
                chars.next();
                skip_block_comment(&mut chars);
            }
            (c, _) => return Some(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_taken_out() {
        let t = "{\n  // the build\n  \"build\": { \"args\": { \"A\": \"x//y\", }, /* c */ \"context\": \"..\", },\n}\n";
        let v: serde_json::Value = serde_json::from_str(&plain_json(t)).unwrap();
        assert_eq!(v["build"]["context"], "..");
        assert_eq!(v["build"]["args"]["A"], "x//y");
    }

    #[test]
    fn the_json_names_the_dockerfile_and_its_context() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        let w = |p: &str, s: &str| crate::test_files::write(root, p, s);
        w(".devcontainer/Dockerfile", "FROM x\n");
        w(
            ".devcontainer/devcontainer.json",
            "{ \"build\": { \"dockerfile\": \"Dockerfile\", \"context\": \"..\", }, }",
        );
        w("docker/app.Dockerfile", "FROM x\n");
        let df = |p: &str| root.join(p);
        assert_eq!(
            context_of(root, &df(".devcontainer/Dockerfile")),
            Some(root.to_path_buf())
        );
        assert_eq!(
            context_of(root, &df("docker/app.Dockerfile")),
            None,
            "not the one it builds"
        );
        // mindsdb: the JSON names a Dockerfile elsewhere; no context: the JSON's directory.
        w(
            ".devcontainer/devcontainer.json",
            "{ \"dockerFile\": \"../docker/app.Dockerfile\" }",
        );
        assert_eq!(
            context_of(root, &df("docker/app.Dockerfile")),
            Some(root.join(".devcontainer"))
        );
        // A context outside the repository is none of its business.
        w(
            ".devcontainer/devcontainer.json",
            "{ \"build\": { \"dockerfile\": \"Dockerfile\", \"context\": \"../..\" } }",
        );
        assert_eq!(context_of(root, &df(".devcontainer/Dockerfile")), None);
    }
}
