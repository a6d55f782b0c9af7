//! What in a line of a referring file is a use of a name: not a listing (`git status`, a
//! tree drawing), not a command that deletes it, and in docs a command, a link or a quoted
//! name rather than prose.

/// A listing line: `git status` output, a tree drawing (`tree`'s or an ASCII one:
/// `|-- backup/`), a JSON `"path":` field.
pub(super) fn listing(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("?? ")
        || t.len() > 3 && t.as_bytes()[2] == b' ' && t[..2].chars().all(|c| "MADRCU ".contains(c))
        || line.contains(['├', '└', '│'])
        || ["|-- ", "`-- ", "+-- ", "|__ "]
            .iter()
            .any(|d| line.contains(d))
        || t.starts_with("\"path\"")
}

/// Commands that delete what they name.
const REMOVERS: &[&str] = &["rm", "rmdir", "rd", "del", "erase", "unlink", "remove-item"];

/// Whether the mention at `at` in `line` is an argument of a command that deletes it (`rm
/// server.py.backup`, `rm -rf backups/ old/`, `git rm --cached x`, `Remove-Item -Recurse x`):
/// GradeSense's migration guide says to delete its `server.py.backup`, which is no use of it.
/// The command is the one the mention's segment of the line starts with (after `;`, `&&`,
/// `|`, or the backtick that opens inline code), past a `sudo`.
pub(super) fn removes(line: &str, at: usize) -> bool {
    let before = &line[..at];
    let start = before.rfind([';', '|', '&', '`', '(']).map_or(0, |i| i + 1);
    let mut words = before[start..].split_whitespace().map(str::to_lowercase);
    let mut first = words.next();
    if first.as_deref() == Some("sudo") {
        first = words.next();
    }
    match first.as_deref() {
        Some("git") => words.next().as_deref() == Some("rm"),
        Some(w) => REMOVERS.contains(&w),
        None => false,
    }
}

/// Whether the mention at `at` starts an absolute path (`gzip > /backups/db.sql.gz` on the
/// host in agent-task-center's cron line, a container's `/backups` volume): a folder at the
/// filesystem's top, not the repository's. A link from the repository's top in its docs
/// (`](/backups/README.md)`) does name the repository's, and so does a URL path in web code
/// (the caller asks only of folders, outside web code: `file_kinds::web_code`). So is a path
/// from the user's home (`os.path.expanduser("~/.cache/huggingface")` names the home's cache,
/// not the repository's `.cache/`).
pub(super) fn from_fs_root(line: &str, at: usize) -> bool {
    let before = &line[..at];
    let Some(rest) = before.strip_suffix('/') else {
        return false;
    };
    let rest = rest.strip_suffix('~').unwrap_or(rest);
    let by = rest.bytes().last();
    !rest.ends_with("](")
        && by.is_none_or(|c| c.is_ascii_whitespace() || b"'\"`:=(,[>".contains(&c))
}

/// Whether the name at `at..end` is a mapping's key: quoted alone and followed by a colon
/// (`"backups": backup_history` in greyhound-racing-collector's API response, a cleanup
/// script's `'old_scripts': ['*_old.py']`). A key names a field; a folder it stands for is
/// named again by the value or the code that reads it (`base_dir / "backups"`).
pub(super) fn mapping_key(line: &str, at: usize, end: usize) -> bool {
    let b = line.as_bytes();
    let quote = |c: Option<&u8>| c.filter(|c| b"'\"".contains(c)).copied();
    // The name with its quotes (a folder's `'backups'` key) or between them.
    let (open, close, rest) = match quote(b.get(at)) {
        Some(q) if end > at + 1 && b[end - 1] == q => (Some(q), Some(q), end),
        _ => (
            quote(at.checked_sub(1).and_then(|i| b.get(i))),
            quote(b.get(end)),
            end + 1,
        ),
    };
    let after = line.get(rest..).unwrap_or_default().trim_start();
    open.is_some() && open == close && after.starts_with(':') && !after.starts_with("::")
}

/// Whether the mention at `at` is an image a Dockerfile line names: `FROM scratch` (the empty
/// image every static Go build starts from), `FROM python:3.12 AS backup`, `COPY
/// --from=builder`. No path of the repository; Python's lower-case `from scratch import x` is.
pub(super) fn image_ref(line: &str, at: usize) -> bool {
    line.trim_start().starts_with("FROM ") || line[..at].ends_with("--from=")
}

/// Whether the name at `at..end` is the whole value of a `name` key (`- name: scratch`, a
/// Kubernetes volume in an agent skill's notes; `"name": "shop"` in package.json): it names
/// a thing (a volume, a service, a step, a package), not a path. `filename:`, `path:` and
/// `dir:` values are paths, and still count.
pub(super) fn name_value(line: &str, at: usize, end: usize) -> bool {
    let quotes = ['"', '\''];
    let before = line[..at].trim_end_matches(quotes).trim_end();
    let after = line[end..].trim_start_matches(quotes).trim();
    let Some(key) = before.strip_suffix(':') else {
        return false;
    };
    let key = key.trim_end().trim_end_matches(quotes);
    let whole = after.is_empty() || after.starts_with([',', '}', '#']);
    let word = key
        .strip_suffix("name")
        .is_some_and(|k| !k.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-'));
    whole && word
}

/// Where the run of text holding `at` starts: after the last space or `stops` byte before it.
pub(super) fn word_start(line: &str, at: usize, stops: &[u8]) -> usize {
    let b = line.as_bytes();
    (0..at)
        .rev()
        .find(|&i| b[i].is_ascii_whitespace() || stops.contains(&b[i]))
        .map_or(0, |i| i + 1)
}

/// Whether the mention at `at` lies in an absolute path under a place that is never the
/// repository: the system's temporary or state folders (`mountPath: /tmp/scratch` in an
/// agent's Kubernetes notes), or a tool's hidden folder in a home (`C:\Users\me\.gemini\
/// antigravity\scratch\`, Antigravity's own scratch folder, cited in the plans it
/// committed). `/app/scratch` or `/usr/src/app/scratch` may be the image's copy of the
/// repository's folder, and still count.
pub(super) fn in_other_place(line: &str, at: usize) -> bool {
    let start = word_start(line, at, b"'\"`(=,[<>");
    let path = line[start..at].replace('\\', "/");
    const SYSTEM: &[&str] = &[
        "/tmp/",
        "/var/tmp/",
        "/var/folders/",
        "/dev/",
        "/proc/",
        "/sys/",
        "/etc/",
    ];
    if SYSTEM.iter().any(|p| path.starts_with(p)) {
        return true;
    }
    // The part after a home: `~/`, `$HOME/`, `/home/me/`, `/Users/me/`, `C:/Users/me/`.
    let lower = path.to_ascii_lowercase();
    let after_home = ["~/", "$home/", "${home}/"]
        .iter()
        .find_map(|h| lower.strip_prefix(h).map(|_| h.len()))
        .or_else(|| {
            let users = lower.find("/home/").or_else(|| lower.find("/users/"))?;
            let user_end = path[users + 1..].find('/').map(|i| users + 1 + i + 1)?;
            let user_end = path[user_end..].find('/').map(|i| user_end + i + 1)?;
            Some(user_end)
        });
    after_home.is_some_and(|h| path[h..].starts_with('.'))
}

/// Calls that write the file their first argument names, whatever else they are given.
const WRITE_CALLS: &[&str] = &[
    "writeFileSync(",
    "writeFile(",
    "appendFileSync(",
    "appendFile(",
    "createWriteStream(",
    ".to_csv(",
    ".to_json(",
    ".to_excel(",
    ".to_parquet(",
    "savefig(",
];

/// Whether the file named at `at..end` in `line` is what the line writes: the target of a
/// shell redirect (`> test_output.txt`, `>> server.log`, `| tee -a build.log`), a file opened
/// for writing (`open('/app/backend_test_results.json', 'w')`, GradeSense's test scripts
/// saving their results), or the first argument of a call that writes ([`WRITE_CALLS`]). A
/// program that makes a file does not need it there: deleted, it is made again.
pub(super) fn writes(line: &str, at: usize, end: usize) -> bool {
    let b = line.as_bytes();
    let path_byte = |c: u8| !c.is_ascii_whitespace() && !b"'\"`(),=<>|;".contains(&c);
    let start = (0..at)
        .rev()
        .find(|&i| !path_byte(b[i]))
        .map_or(0, |i| i + 1);
    let stop = (end..b.len())
        .find(|&i| !path_byte(b[i]))
        .unwrap_or(b.len());
    let before = line[..start].trim_end();
    // A redirect (`>`, `>>`, `2>`, `&>`), not an HTML tag's end (`<td>go-webui.bat`).
    if let Some(op) = before.strip_suffix('>') {
        let by = op.bytes().last();
        if by.is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_digit() || b"&>".contains(&c)) {
            return true;
        }
    }
    let mut words = before.rsplit(char::is_whitespace);
    let last = words.next().unwrap_or_default();
    if last == "tee" || last == "-a" && words.next() == Some("tee") {
        return true;
    }
    let Some(quote) = before.chars().last().filter(|c| *c == '\'' || *c == '"') else {
        return false;
    };
    // A Python string prefix (`f"{OUT}/results.json"`) before the quote.
    let call = before[..before.len() - 1].trim_end_matches(['f', 'r', 'b', 'F', 'R', 'B']);
    let after = line[stop..].strip_prefix(quote).unwrap_or_default();
    if WRITE_CALLS.iter().any(|w| call.ends_with(w)) {
        return true;
    }
    call.ends_with("open(") && write_mode(after)
}

/// After `open(NAME`, a mode that writes: `, 'w'`, `, "a"`, `, mode="wb"`, `, 'x'`.
fn write_mode(after: &str) -> bool {
    let Some(rest) = after.trim_start().strip_prefix(',') else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("mode=").unwrap_or(rest);
    let mut chars = rest.chars();
    matches!(chars.next(), Some('\'' | '"')) && matches!(chars.next(), Some('w' | 'a' | 'x'))
}

/// Words that tell the reader to run what follows ("double-click start.bat").
const RUN_VERBS: &[&str] = &[
    "run",
    "double-click",
    "double click",
    "execute",
    "launch",
    "click",
];

/// The same in Chinese and Japanese READMEs ("双击 start.bat", "请双击start.bat", "実行"):
/// these languages put no space between words, so the verb needs no word boundary before it.
const RUN_VERBS_CJK: &[&str] = &[
    "双击",
    "雙擊",
    "运行",
    "運行",
    "执行",
    "執行",
    "启动",
    "啟動",
    "実行",
    "ダブルクリック",
];

/// Quotes a name is enclosed in to be run: ASCII, typographic, the corner brackets of
/// Japanese and Chinese ("1. 「setup.bat」を使い", "双击「启动系统.bat」"), and an HTML
/// element's text (`<td>go-webui.bat</td>`).
const QUOTES: &[(char, char)] = &[
    ('\'', '\''),
    ('"', '"'),
    ('>', '<'),
    ('“', '”'),
    ('‘', '’'),
    ('«', '»'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('【', '】'),
];

/// In docs, whether the mention at `at..end` in `line` is a command or a link: a line of a
/// fenced block, inline code ("run `start.bat`"), a quoted name ("running the
/// 'UpdateAndStart.bat' file", [`QUOTES`]), the whole text of an HTML element (RVC's README
/// table of launchers, `<td>go-webui.bat</td>`), a link target, or a name right after a word
/// that tells the reader to run it ("Windows users: double-click start.bat"). A heading describes
/// (`#### `launcher.pyw``), and so does other prose ("the old start.bat").
pub(super) fn doc_command(line: &str, at: usize, end: usize, fenced: bool) -> bool {
    if fenced {
        return true;
    }
    if line.trim_start().starts_with('#') {
        return false;
    }
    let (before, after) = (&line[..at], &line[end..]);
    let enclosed =
        (QUOTES.iter()).any(|&(open, close)| before.ends_with(open) && after.starts_with(close));
    if enclosed {
        return true;
    }
    let told = before.trim_end().to_lowercase();
    let told = told.strip_suffix(" the").unwrap_or(&told);
    before.matches('`').count() % 2 == 1
        || in_link_target(before)
        || RUN_VERBS.iter().any(|v| {
            told.strip_suffix(v)
                .is_some_and(|t| t.is_empty() || t.ends_with(|c: char| !c.is_alphanumeric()))
        })
        || RUN_VERBS_CJK.iter().any(|v| told.ends_with(v))
}

/// Whether a mention that follows `before` lies in a link's target: a Markdown link's
/// (`](x)`, `](./x)`, `](../deployment/x)`: a documentation hub links its guides by their
/// folders) or a reference definition's (`[guide]: deployment/x`), the text from there on one
/// path with no space or bracket.
fn in_link_target(before: &str) -> bool {
    let path = |t: &str| {
        let t = t.strip_prefix('<').unwrap_or(t);
        !t.contains(|c: char| c.is_whitespace() || "()[]<>\"'`".contains(c))
    };
    let inline = before.rfind("](").is_some_and(|i| path(&before[i + 2..]));
    let defined = before
        .trim_start()
        .strip_prefix('[')
        .and_then(|r| r.split_once("]: "));
    inline || defined.is_some_and(|(label, t)| !label.contains(']') && path(t))
}

/// In code, whether the mention at `at..end` of a name that is a plain word (`old`,
/// `backups`) is a word of prose, a comment's or a docstring's: an alphabetic word on each
/// side, a space apart (chess_backend's docstring ":return: Tuple of old position and new
/// position" names no `old/`). A path, a quoted name or a shell argument (`cp -r backup
/// /srv`) has no such neighbours; an import line (`from backup import Tar`) is asked before.
/// Markup's text starts after a tag and ends before one: dso-signtusk's `<p className="…">
/// Automated backups with point-in-time recovery</p>` names no `backups/`.
pub(super) fn in_prose(line: &str, at: usize, end: usize) -> bool {
    let word = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
    let name = &line[at..end];
    let prev = line[..at]
        .strip_suffix(' ')
        .and_then(|b| b.rsplit([' ', '>']).next());
    let next = (line[end..].strip_prefix(' ')).and_then(|a| a.split([' ', '<']).next());
    let next = next.map(|n| n.trim_end_matches([',', '.', ';', ':', '!', '?']));
    word(name) && prev.is_some_and(word) && next.is_some_and(word)
}

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
