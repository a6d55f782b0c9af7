//! Ignore files the repository's own commands put into place. text-generation-webui keeps
//! `docker/.dockerignore` beside its compose files, and its README says
//! `ln -s docker/{nvidia/Dockerfile,nvidia/docker-compose.yml,.dockerignore} .`; Makefiles say
//! `cp docker/.dockerignore .` before `docker build`. Where it lies no build reads such a
//! file, but the build the project documents does, from where the command puts it.

use std::path::{Path, PathBuf};

use super::scripted::{bases, logical_lines, may_run, ENDS};

/// Commands that copy, link or move files: their operands before the last are sources.
/// A shell's, named in its case.
const PLACING: &[&str] = &["cp", "ln", "mv", "install", "rsync"];

/// Windows' copy commands: cmd and PowerShell read them in any case (`COPY`, `copy-item`).
const WINDOWS: &[&str] = &["copy", "xcopy", "robocopy", "Copy-Item"];

/// Whether `word` names a command that copies, links or moves files.
fn placing(word: &str) -> bool {
    PLACING.contains(&word) || WINDOWS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Which of `ignore_files` (absolute paths under `root`) a command in the tracked `files`
/// (paths from `root`) copies, links or moves.
pub fn placed<'a>(
    root: &Path,
    files: impl Iterator<Item = &'a [u8]>,
    ignore_files: &[PathBuf],
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        let path = String::from_utf8_lossy(f);
        if !may_run(&path) || out.len() == ignore_files.len() {
            continue;
        }
        let full = root.join(path.as_ref());
        let Some(text) = crate::fsx::read_text(&full, crate::limits::MAX_BUILD_FILE_BYTES) else {
            continue;
        };
        if !text.contains(".dockerignore") {
            continue;
        }
        let bases = bases(root, &path);
        for (_, l) in logical_lines(&text) {
            for source in sources(&l) {
                let hit = (ignore_files.iter())
                    .filter(|i| !out.contains(i))
                    .find(|i| names(root, &bases, &source, i));
                out.extend(hit.cloned());
            }
        }
    }
    out
}

/// Whether `source`, a path in a command whose relative paths start at one of `bases`, is
/// the file `target`. A path behind a variable or from elsewhere (`$workDir/src/main/docker/
/// .dockerignore`) is taken by its ending: all of `target`'s path from the root.
fn names(root: &Path, bases: &[PathBuf], source: &str, target: &Path) -> bool {
    let source = source.strip_prefix("./").unwrap_or(source);
    if source.starts_with(['$', '%', '~', '/']) {
        let Ok(rel) = target.strip_prefix(root) else {
            return false;
        };
        let rel = rel.to_string_lossy();
        return source.ends_with(&format!("/{rel}"));
    }
    (bases.iter()).any(|b| super::compose::normalize(&b.join(source)) == target)
}

/// The source operands of each copy, link or move command on a logical line: every operand
/// but the last (the destination), or the only one (`ln -s docker/.dockerignore` links it
/// into the current directory), brace lists expanded as the shell does, `\` read as `/`.
fn sources(line: &str) -> Vec<String> {
    let words: Vec<String> = (line.split_whitespace())
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').replace('\\', "/"))
        .collect();
    let mut out = Vec::new();
    // Whether `words[at]` is in a command's place: first on the line, after `&&`, `;` or `|`,
    // or after a shell prompt (`$`) or `sudo` there; make's `@` is not part of its name.
    let mut command = true;
    let mut at = 0;
    while at < words.len() {
        let word = words[at].as_str();
        if !command || !placing(word.trim_start_matches('@')) {
            command = ENDS.contains(&word) || (command && (word == "$" || word == "sudo"));
            at += 1;
            continue;
        }
        let end = (at + 1..words.len())
            .find(|&i| ENDS.contains(&words[i].as_str()))
            .unwrap_or(words.len());
        let operands: Vec<&String> = (words[at + 1..end].iter())
            .filter(|w| !is_option(w))
            .collect();
        let n = match operands.len() {
            1 => 1,
            n => n.saturating_sub(1),
        };
        out.extend(operands[..n].iter().flat_map(|w| expand(w)));
        at = end;
    }
    out
}

/// `-s`, `--force`, and cmd's switches (`/Y`, `/E`): not paths.
fn is_option(word: &str) -> bool {
    let switch = word.len() <= 3 && word.starts_with('/') && !word[1..].contains('/');
    word.starts_with('-') || switch
}

/// Bash's brace expansion of `word` (`docker/{Dockerfile,.dockerignore}` is two words); a
/// brace with no comma in it stays as written.
fn expand(word: &str) -> Vec<String> {
    let Some(open) = word.find('{') else {
        return vec![word.to_string()];
    };
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut close = None;
    for (i, c) in word.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close.filter(|_| !commas.is_empty()) else {
        return vec![word.to_string()];
    };
    let (head, tail) = (&word[..open], &word[close + 1..]);
    let cuts: Vec<usize> = std::iter::once(open)
        .chain(commas)
        .chain(std::iter::once(close))
        .collect();
    (cuts.windows(2))
        .flat_map(|w| expand(&format!("{head}{}{tail}", &word[w[0] + 1..w[1]])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brace_lists_expand_as_in_bash() {
        assert_eq!(
            expand("docker/{nvidia/Dockerfile,nvidia/docker-compose.yml,.dockerignore}"),
            [
                "docker/nvidia/Dockerfile",
                "docker/nvidia/docker-compose.yml",
                "docker/.dockerignore"
            ]
        );
        assert_eq!(expand("a{b,c}d{1,2}"), ["abd1", "abd2", "acd1", "acd2"]);
        assert_eq!(expand("x{a,{b,c}}"), ["xa", "xb", "xc"]);
        assert_eq!(expand("${HOME}/x"), ["${HOME}/x"]);
    }

    #[test]
    fn the_sources_of_copy_and_link_commands() {
        let s = |l: &str| sources(l);
        assert_eq!(s("cp docker/.dockerignore ."), ["docker/.dockerignore"]);
        assert_eq!(
            s("ln -s docker/{Dockerfile,.dockerignore} ."),
            ["docker/Dockerfile", "docker/.dockerignore"]
        );
        assert_eq!(s("ln -sf docker/.dockerignore"), ["docker/.dockerignore"]);
        assert_eq!(
            s("make x && cp -r \"docker/.dockerignore\" out/ && docker build ."),
            ["docker/.dockerignore"]
        );
        assert_eq!(
            s("copy docker\\.dockerignore .dockerignore"),
            ["docker/.dockerignore"]
        );
        assert_eq!(
            s("xcopy /Y docker\\.dockerignore ."),
            ["docker/.dockerignore"]
        );
        // cmd and PowerShell read command names in any case; a shell does not.
        for l in [
            "COPY docker\\.dockerignore .",
            "copy-item docker/.dockerignore .",
        ] {
            assert_eq!(s(l), ["docker/.dockerignore"], "{l}");
        }
        assert!(s("CP docker/.dockerignore .").is_empty());
        assert_eq!(
            s("$ sudo cp docker/.dockerignore ."),
            ["docker/.dockerignore"]
        );
        assert_eq!(s("@cp docker/.dockerignore ."), ["docker/.dockerignore"]);
        // A word that only mentions the file is no command.
        assert!(s("echo cp docker/.dockerignore .").is_empty());
        assert!(s("see docker/.dockerignore").is_empty());
        // The destination is not a source.
        assert_eq!(
            s("cp .dockerignore.example .dockerignore"),
            [".dockerignore.example"]
        );
    }

    #[test]
    fn a_source_names_the_file_from_a_base_or_by_its_whole_ending() {
        let root = Path::new("/r");
        let target = Path::new("/r/docker/.dockerignore");
        let root_only = [root.to_path_buf()];
        assert!(names(root, &root_only, "docker/.dockerignore", target));
        assert!(names(
            root,
            &root_only,
            "./docker/x/../.dockerignore",
            target
        ));
        assert!(!names(root, &root_only, ".dockerignore", target));
        let scripts = [root.to_path_buf(), root.join("docker")];
        assert!(names(root, &scripts, ".dockerignore", target));
        assert!(names(root, &root_only, "$SRC/docker/.dockerignore", target));
        assert!(!names(root, &root_only, "$SRC/.dockerignore", target));
        assert!(!names(
            root,
            &root_only,
            "$SRC/other-docker/.dockerignore",
            target
        ));
    }
}
