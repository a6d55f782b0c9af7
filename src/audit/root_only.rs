//! Bare `.dockerignore` patterns that match only at the context root while nested copies
//! ship (`node_modules` for `ui/node_modules`): what the copies are, tallied once per context
//! for every build that shares it, and the finding for each pattern.

use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt};

use super::build::View;
use super::{finding, Finding, Severity};
use crate::docker::ignore::by_name::ByName;
use crate::docker::ignore::Pattern;
use crate::relpath::parent_of;

/// What a context's files are to each of its bare patterns ([`bare`], in that order): (bytes,
/// first example) of the nested copies that are junk a rule selects, and of the project's own;
/// and the delete entries holding the junk copies. It depends on the context alone: five
/// compose services building `.` with one Dockerfile (fire-ems-tools, 68,512 files) share one
/// tally instead of walking the files five times.
pub(super) struct Tally {
    copies: Vec<[(u64, Option<String>); 2]>,
    entries: Vec<Vec<usize>>,
}

/// A context's tally, made by the first build that asks.
pub(super) type Shared = OnceLock<Tally>;

/// Tally the context's copies of its bare patterns into `shared` now (a build of the same
/// image key finds them there): beside the junk pass, on another core.
pub(super) fn prepare(v: &View<'_>, git: Option<&crate::git::GitInfo>, shared: &Shared) {
    let bare = bare(v);
    if !bare.is_empty() {
        shared.get_or_init(|| tally(v, git, &bare));
    }
}

/// Bare patterns that only match at the root while nested copies ship. As severe as junk sent
/// where the nested copies are junk a rule selects (the copy is itself a delete entry:
/// `app/__pycache__` for `__pycache__`): an error from 1 MB. A warning where they are the
/// project's own (`app/plugins/x/tests` for `tests`, which the app may import) and the
/// pattern is bare: one written from the root (`./export`, `/export`) means that one
/// (paperless-ngx's `./export` beside its code's `src/documents/export/`, which `**/export`
/// would drop). Nothing where they sit inside
/// other junk that `junk-in-context` already reports (a `tests` inside `node_modules`).
/// Returns the delete entries whose files a finding here reports as junk let through.
pub(super) fn patterns(
    v: &View<'_>,
    git: Option<&crate::git::GitInfo>,
    shared: &Shared,
    out: &mut Vec<Finding>,
) -> Vec<usize> {
    let bare = bare(v);
    if bare.is_empty() {
        return Vec::new();
    }
    let Tally { copies, entries } = shared.get_or_init(|| tally(v, git, &bare));
    let mut covered = Vec::new();
    let mut own = Vec::new();
    for ((p, [junk_copies, own_copies]), held) in bare.into_iter().zip(copies).zip(entries) {
        let Some((mut x, junk)) = root_only_finding(v, p, junk_copies.clone(), own_copies.clone())
        else {
            continue;
        };
        x.line = Some(p.line);
        x.build = Some(v.b.name.clone());
        x.junk_sent = junk;
        if junk {
            out.push(x);
            covered.extend(held);
        } else {
            own.push((p, own_copies, x));
        }
    }
    match own.len() {
        0 => {}
        1 => out.extend(own.pop().map(|(.., x)| x)),
        _ => out.push(grouped(v, own)),
    }
    covered
}

/// A bare line whose nested copies of the project's own ship: the line, (bytes, an example)
/// of those copies, and the finding it would make alone.
type Own<'p, 't> = (&'p Pattern, &'t (u64, Option<String>), Finding);

/// Two or more such lines, said as one finding: a `.dockerignore` written as a `.gitignore` is
/// one problem with one fix, not a warning per line (ElementMedica's eleven lines, `*.md`,
/// `__tests__`, `*.test.*`…; NeuroNews' thirteen). Each line is named, the three sending most
/// with an example.
fn grouped(v: &View<'_>, mut own: Vec<Own<'_, '_>>) -> Finding {
    let first = own.iter().map(|(p, ..)| p.line).min().unwrap_or_default();
    own.sort_by(|(a, (x, _), _), (b, (y, _), _)| y.cmp(x).then(a.line.cmp(&b.line)));
    let t = own[0].0.text.clone();
    let (shown, rest) = own.split_at(own.len().min(3));
    let mut named: Vec<String> = (shown.iter())
        .map(|(p, (bytes, ex), _)| {
            let ex = ex.as_deref().unwrap_or_default();
            let size = crate::size::human(*bytes);
            format!("`{}` (line {}: e.g. {ex}, {size} in all)", p.text, p.line)
        })
        .collect();
    if !rest.is_empty() {
        let mut rest: Vec<&&Pattern> = rest.iter().map(|(p, ..)| p).collect();
        rest.sort_by_key(|p| p.line);
        let lines: Vec<String> = (rest.iter())
            .map(|p| format!("`{}` (line {})", p.text, p.line))
            .collect();
        named.push(format!("{} more: {}", rest.len(), lines.join(", ")));
    }
    let mut x = finding(
        "root-only-pattern",
        v.ig_path.clone().unwrap_or_default(),
        format!(
            "{} lines match only at the context root in a .dockerignore, so nested copies of \
             the project's own ship (check they belong in the image): {}",
            own.len(),
            crate::docker::names::and_list(&named)
        ),
        format!(
            "for each line, write `**/` before it if the nested copies should not ship \
             (`**/{t}`), or `/` if only the root one was meant (`/{t}`, which says so)"
        ),
    );
    x.severity = Severity::Warning;
    x.line = Some(first);
    x.build = Some(v.b.name.clone());
    x
}

/// The context's patterns that name no directory: a bare name or wildcard.
fn bare<'v>(v: &View<'v>) -> Vec<&'v Pattern> {
    (v.ctx.ignore.patterns.iter())
        .filter(|p| !p.exception && !p.text.contains('/') && !p.text.starts_with("**"))
        // `*` then `!` lines is an allow list (restic: `*`, `!/*.go`, `!/cmd/*`): what ships
        // below the top was let through on purpose.
        .filter(|p| !p.text.bytes().all(|b| b == b'*'))
        .collect()
}

/// The context's files against its `bare` patterns.
fn tally(v: &View<'_>, git: Option<&crate::git::GitInfo>, bare: &[&Pattern]) -> Tally {
    // Per bare pattern: (bytes, first example) of the junk copies, and of the project's own.
    let mut copies: Vec<[(u64, Option<String>); 2]> = vec![Default::default(); bare.len()];
    // Per bare pattern: the delete entries holding its junk copies.
    let mut entries: Vec<Vec<usize>> = vec![Vec::new(); bare.len()];
    // Which bare patterns match a name, asked once per distinct name: a context's paths
    // repeat a few thousand names (`node_modules`, `dist`, `index.js`) across tens of
    // thousands of files, and matching every pattern at every level was the gate's hot spot.
    let by_name = ByName::new(bare.to_vec());
    let mut memo: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let mut of_name =
        |c| -> Vec<usize> { memo.entry(c).or_insert_with(|| by_name.matching(c)).clone() };
    // A line that names, letter for letter, an entry at the context's top means that one
    // (clone-voice's `tts` beside its 2 GB `tts/` of models, fish-speech's `models`): the
    // project's own nested namesakes (`models/tts/`, `fish_speech/models/`) are not what it
    // missed. So does one naming a directory git ignores at the top, which a fresh clone does
    // not have yet (private-gpt's `models` and its .gitignore's `/models/`: what a setup script
    // downloads). A wildcard (`*.md`) is a kind of file, and the trap stays.
    let at_top = |p: &Pattern| {
        v.b.context.join(&p.text).symlink_metadata().is_ok()
            || (git.zip(v.top_dir(&p.text))).is_some_and(|(g, d)| g.ignored_among(&[&d])[0])
    };
    let names_top: Vec<bool> = bare.iter().map(|p| p.is_literal() && at_top(p)).collect();
    let mut hit = vec![false; bare.len()];
    let mut touched = Vec::new();
    let mut holder = v.holder();
    // The patterns the current directory's components below the top one match: a directory's
    // files are one run of the sorted paths, so each directory is split once.
    let mut dir_hits: Option<(&[u8], Vec<usize>)> = None;
    for f in &v.ctx.files {
        let sent = f.path.as_bytes();
        let dir = parent_of(sent);
        // A file at the top has no component a root-only pattern misses; git's own files
        // are no copies of the project's (openlibrary's `config` line and `.git/config`).
        if dir.is_empty() || sent.starts_with(b".git/") {
            continue;
        }
        let name = f.path.file_name();
        if dir_hits.as_ref().is_none_or(|(d, _)| *d != dir) {
            let hits = dir
                .split(|&c| c == b'/')
                .skip(1)
                .flat_map(&mut of_name)
                .collect();
            dir_hits = Some((dir, hits));
        }
        let from_dir = dir_hits
            .as_ref()
            .map(|(_, h)| h.as_slice())
            .unwrap_or_default();
        for &i in from_dir.iter().chain(&of_name(name)) {
            if !std::mem::replace(&mut hit[i], true) {
                touched.push(i);
            }
        }
        if touched.is_empty() {
            continue;
        }
        let entry = holder.of(sent).map(|e| (e, &v.deletions[e]));
        for i in touched.drain(..) {
            hit[i] = false;
            let slot = match entry {
                Some((e, (_, ep, _))) if bare[i].matches_exact(ep.file_name()) => {
                    if !entries[i].contains(&e) {
                        entries[i].push(e);
                    }
                    &mut copies[i][0]
                }
                Some(_) => continue,
                None if bare[i].anchored || names_top[i] => continue,
                None => &mut copies[i][1],
            };
            slot.0 += f.bytes;
            slot.1
                .get_or_insert_with(|| String::from_utf8_lossy(sent).into_owned());
        }
    }
    Tally { copies, entries }
}

/// The finding for the bare pattern `p` whose nested copies ship, as (bytes, an example):
/// those that are junk a rule selects, and the project's own; and whether it reports junk.
/// Junk let through weighs as junk sent does (Forgetful's `*.md` line let 745 B of one report
/// through: a line to fix, not a broken build). Where the project's own copies ship beside
/// the junk (Forgetful's `.bmad-core/agents/*.md`; Juanie's app reads its prompts' `.md`),
/// `**/…` would keep them out too, and the fix says so.
fn root_only_finding(
    v: &View<'_>,
    p: &Pattern,
    junk: (u64, Option<String>),
    own: (u64, Option<String>),
) -> Option<(Finding, bool)> {
    let t = &p.text;
    let said = |(bytes, ex): &(u64, Option<String>)| {
        format!(
            "e.g. {}, {} in all",
            ex.as_deref().unwrap_or_default(),
            crate::size::human(*bytes)
        )
    };
    let (is_junk, bytes, what, fix) = match (&junk.1, &own.1) {
        (Some(_), None) => (true, junk.0, format!("nested copies ship, and they are junk ({})", said(&junk)), format!("write `**/{t}`")),
        (Some(_), Some(_)) => (
            true,
            junk.0,
            format!("nested copies ship: junk ({}), and the project's own ({}: check they belong in the image)", said(&junk), said(&own)),
            format!("if none of them should ship, write `**/{t}`; if the project's own should, delete the junk (`mami-clean apply`) and write `/{t}` for the root one"),
        ),
        // A vendored package's LICENSE ships with its code as its license asks
        // (uptime-kuma's `LICENSE` line, `server/modules/axios-ntlm/LICENSE`): the line
        // meant the project's own at the root, and `**/LICENSE` would be bad advice.
        (None, Some(_)) if legal_notice(t) || tool_meta(t) => return None,
        // Empty files only (ElementMedica's 0-byte `prisma/dev.db` for `*.db`): nothing ships.
        (None, Some(_)) if own.0 == 0 => return None,
        // The nested copies may be needed (a package's own README.md, which its pyproject
        // names): the user says which was meant.
        (None, Some(_)) => (
            false,
            own.0,
            format!("nested copies of the project's own ship (check they belong in the image) ({})", said(&own)),
            format!("if they should not ship, write `**/{t}`; if only the root one was meant, write `/{t}` (which says so)"),
        ),
        (None, None) => return None,
    };
    let mut x = finding(
        "root-only-pattern",
        v.ig_path.clone().unwrap_or_default(),
        format!("`{t}` matches only at the context root in a .dockerignore, so {what}"),
        fix,
    );
    x.severity = match is_junk {
        true => super::junk_sent::junk_severity(bytes),
        false => Severity::Warning,
    };
    x.bytes = Some(bytes);
    Some((x, is_junk))
}

/// A license or notice file's name, as a bare pattern writes it (`LICENSE`, `LICENSE*`,
/// `COPYING.txt`, `NOTICE.md`).
fn legal_notice(pattern: &str) -> bool {
    let name = pattern.trim_end_matches('*').to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or_default();
    matches!(
        stem,
        "license" | "licence" | "copying" | "notice" | "copyright"
    )
}

/// Files that configure a tool for the directory they sit in (`.gitignore`, `.editorconfig`):
/// nothing in an image reads them, so whether nested ones ship changes nothing (datasette's
/// `.gitignore` line and its 7 B `docs/.gitignore`).
fn tool_meta(pattern: &str) -> bool {
    matches!(
        pattern,
        ".gitignore"
            | ".gitattributes"
            | ".gitkeep"
            | ".keep"
            | ".dockerignore"
            | ".editorconfig"
            | ".npmignore"
            | ".prettierignore"
            | ".eslintignore"
    )
}
