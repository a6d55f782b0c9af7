//! The `secret-in-context` finding of one sent secret, its severity told by what the build
//! does with the file: an error where the build sends it; a warning where BuildKit leaves it
//! behind (no COPY, ADD or bind mount names it) or where the `.dockerignore` re-includes it by
//! name (chatgpt-web's `!.env`, which its front-end build reads: "add it to .dockerignore"
//! would break that build). Where a COPY names the file itself, the finding says so and its fix
//! is to hand the secret in another way, not to exclude what the build asks for; where it
//! copies a key in with its folder and the program reads that key by its path, the fix is to
//! hand it over when the container runs.

use std::collections::HashMap;

use super::build::View;
use super::secrets::Secret;
use super::{finding, rel_to, Finding, Severity};
use crate::docker::copy_source::CopySource;
use crate::docker::ignore::Pattern;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The findings of the secrets a context holds (`found`: each sent path, and what it is),
/// added to `out`: one per file, except that two or more in one test-fixture directory are
/// one finding for that directory (syncthing's `test/` holds eight keys: one problem, one fix).
pub(super) fn findings_for(
    v: &View<'_>,
    git: Option<&GitInfo>,
    found: &[(&RelPath, Secret)],
    out: &mut Vec<Finding>,
) {
    let reads = read_where_they_run(v, git, found);
    // (fixture directory, left behind by BuildKit) -> its secrets.
    let mut groups: std::collections::BTreeMap<(String, bool), Vec<Finding>> = Default::default();
    for &(sent, ref secret) in found {
        let published = published(v, git, sent, secret);
        let (f, group) = finding_for(v, sent, secret, reads.get(sent), published);
        match group {
            Some(key) => groups.entry(key).or_default().push(f),
            None => out.push(f),
        }
    }
    for ((dir, unread), mut members) in groups {
        if members.len() == 1 {
            out.extend(members.pop());
            continue;
        }
        out.push(fixture_group(v, &dir, unread, &members));
    }
}

/// One finding for the secrets of one test-fixture directory `dir` (relative to the context).
fn fixture_group(v: &View<'_>, dir: &str, unread: bool, members: &[Finding]) -> Finding {
    let ig = v.ignore_file_shown();
    let full = v.full(dir.as_bytes()).display();
    let named: Vec<String> = members
        .iter()
        .take(3)
        .map(|f| format!("`{}`", f.path))
        .collect();
    let more = match members.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    let how = if unread {
        format!("are in the build context of {}, {UNREAD}: BuildKit does not send them (the legacy builder, DOCKER_BUILDKIT=0, does, and a later `COPY . .` would)", v.b.name)
    } else {
        format!("are sent to the build context of {}", v.b.name)
    };
    let mut x = finding(
        "secret-in-context",
        full.clone(),
        format!("{} secrets in `{full}/`, where tests keep their fixtures, {how}: {}{more}; most likely throwaway keys, but the builder gets them all the same", members.len(), named.join(", ")),
        format!("add `{dir}` to {ig}, unless the build runs the tests"),
    );
    x.severity = Severity::Warning;
    x.build = Some(v.b.name.clone());
    x
}

/// Whether a sent environment file is one the repository publishes as it is: committed,
/// unchanged in the work tree, its every credential a well-known default
/// (ollama_celery_fastapi's `.env` of `amqp://guest:guest@rabbitmq3`, a template's
/// `SECRET_KEY=changethis`): the image leaks nothing every clone does not hold. A committed
/// password someone typed (`hunter2`) may be real; an edited one may hold anything.
fn published(v: &View<'_>, git: Option<&GitInfo>, sent: &RelPath, secret: &Secret) -> bool {
    let full = v.full(sent.as_bytes());
    secret.env
        && secret.defaults
        && git.is_some_and(|g| g.is_tracked(&full) && !g.is_modified(&full))
}

/// The finding for the sent file `sent` (a path in the context), the `secret` it is, and
/// where it is a plain fixture (a warning only for that), its directory and whether BuildKit
/// leaves it behind: the key [`findings_for`] groups it by.
/// `read` is the line of the program that reads it, where the build copies it in with its
/// folder ([`read_where_they_run`]); `published`, whether the repository publishes it as it
/// is ([`published`]).
fn finding_for(
    v: &View<'_>,
    sent: &RelPath,
    secret: &Secret,
    read: Option<&crate::references::Reference>,
    published: bool,
) -> (Finding, Option<(String, bool)>) {
    let what = &secret.what;
    let full = v.full(sent.as_bytes()).display();
    let ig = v.ignore_file_shown();
    let ig = ig.as_str();
    let on_purpose = re_included_by_name(v, sent.as_bytes());
    let unread = unread_by_buildkit(v, sent.as_bytes());
    let copied = v.copied_by_name(sent.as_bytes());
    let (message, fix) = if let Some(c) = copied.filter(|_| on_purpose.is_none()) {
        let df = rel_to(v.root, &v.b.dockerfile);
        (
            format!(
                "`{full}` ({what}) is copied in by {df}:{} (`{} {}`), so the layer that line makes holds it",
                c.line, c.instruction, c.source
            ),
            format!(
                "give it to the container when it runs (a bind mount, compose `secrets:`) or to one build step as a build secret (`RUN --mount=type=secret`) instead of line {}; a .dockerignore line would only break that {}",
                c.line, c.instruction
            ),
        )
    } else if let Some(p) = on_purpose {
        (
            format!(
                "`{full}` ({what}) is sent to the build context of {} on purpose: {ig}:{} (`!{}`) re-includes it",
                v.b.name, p.line, p.text
            ),
            format!(
                "keep secrets out of it (a value the build needs goes in as a build secret, `RUN --mount=type=secret`), or drop line {} of {ig} if the build does not read it",
                p.line
            ),
        )
    } else if unread {
        (
            format!("`{full}` ({what}) is in the build context of {}, {UNREAD}: BuildKit does not send it (the legacy builder, DOCKER_BUILDKIT=0, does, and a later `COPY . .` would)", v.b.name),
            format!("add `{}` to {ig}", sent.display()),
        )
    } else {
        let exclude = format!("add `{}` to {ig}", sent.display());
        (
            format!(
                "`{full}` ({what}) is sent to the build context of {}",
                v.b.name
            ),
            match read {
                Some(r) => format!(
                    "{}:{} names it (`{}`), and the build copies it in with its folder: give it to the container when it runs (a bind mount, compose `secrets:`), then {exclude}; that line alone would leave the program without it",
                    r.file, r.line, r.excerpt
                ),
                None => exclude,
            },
        )
    };
    // A key kept where tests keep their fixtures is most likely a throwaway one (syncthing's
    // `test/h1/key.pem`, velero's `pkg/util/azure/testdata/certificate.pem`): said, and a
    // warning. One the build copies by name is no less in the image for that.
    let fixture = fixture_dir(sent.as_bytes()).filter(|_| copied.is_none());
    // What the builder does with it, said after each reason it is most likely harmless: one
    // BuildKit does not send reaches only the legacy builder.
    let gets = |them: &str| match unread {
        true => format!("and only the legacy builder gets {them}"),
        false => format!("but the builder gets {them} all the same"),
    };
    let message = match &fixture {
        Some(d) => format!("{message}; it sits in `{d}/`, where tests keep their fixtures: most likely a throwaway key, {}", gets("it")),
        None => message,
    };
    // snipe-it's `.env.tests`, `.env.testing-ci` and pterodactyl's `.env.ci`: committed for a
    // test run, most likely throwaway values; one the build copies by name is no less in
    // the image.
    let for_tests = for_tests(sent.file_name()) && copied.is_none() && fixture.is_none();
    let message = match for_tests {
        true => format!(
            "{message}; its name says it is for tests or CI: most likely throwaway values, {}",
            gets("them")
        ),
        false => message,
    };
    // A key or key store an example keeps (documenso's `apps/remix/example/cert.p12`), said
    // from the root: two contexts that send it make one finding.
    let example = (!secret.env && copied.is_none() && fixture.is_none())
        .then(|| example_dir(full.as_bytes()))
        .flatten();
    let message = match &example {
        Some(d) => format!("{message}; it sits in `{d}/`, an example's folder: most likely a demo key the project publishes, {}", gets("it")),
        None => message,
    };
    let by_name = for_localhost(sent.file_name());
    let cert = (!by_name && !secret.env && fixture.is_none() && example.is_none())
        .then(|| super::local_cert::dev_key(&v.root.join(&full), sent.file_name()))
        .flatten();
    let localhost = (by_name || cert.is_some()) && fixture.is_none();
    let message = match (localhost, cert) {
        (true, Some(c)) => format!("{message}; the certificate beside it (`{c}`) names only this machine (`localhost`, loopback) or names public DNS never resolves (`.test`): a development key, {}", gets("it")),
        (true, None) => format!("{message}; its name says it is a certificate's key for `localhost`, which only the machine itself answers to: a development key, {}", gets("it")),
        (false, _) => message,
    };
    // h2ogpt's committed `.env` of ports and model names: sent, and a key put in it later
    // would be too, but nothing in it now is a credential. A warning, which says why.
    let message = match secret.credential {
        true => message,
        false => format!("{message}; no variable in it is named like a key, token or password, and no value holds a URL's password or a known token: a warning, but a key added to it later ships too"),
    };
    let message = match published {
        true => format!("{message}; it is committed as it is, and every credential in it is a well-known default (such as `changethis` or `guest:guest`): the repository publishes them already, so a warning, but a real one put in it later ships too"),
        false => message,
    };
    let mut x = finding("secret-in-context", full, message, fix);
    let throwaway = fixture.is_some() || for_tests || localhost || example.is_some();
    if unread || on_purpose.is_some() || throwaway || !secret.credential || published {
        x.severity = Severity::Warning;
    }
    x.build = Some(v.b.name.clone());
    let group = fixture
        .filter(|_| on_purpose.is_none())
        .map(|d| (d, unread));
    (x, group)
}

/// Whether a key file's name says it is a development certificate's for this machine alone
/// (mkcert's `localhost-key.pem`, `localhost+2-key.pem`, a `certs/localhost.key`, Caddy's test
/// `caddy.localhost.key`: committed in thousands of repositories): it secures a name only the
/// machine itself answers to, so anyone holding it can impersonate nothing. Not mkcert's
/// `rootCA-key.pem`, which signs for any name on every machine that trusts it.
pub(super) fn for_localhost(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let Some(stem) = (name.strip_suffix(".key")).or_else(|| name.strip_suffix(".pem")) else {
        return false;
    };
    let parts: Vec<&str> = stem.split(['.', '-', '_', '+']).collect();
    parts.contains(&"localhost") || stem.starts_with("127.0.0.1")
}

/// Whether an environment file's name says it is for a test run (`.env.test`,
/// `.env.testing-ci`, `.env.unit-tests`, `.env.ci`, `.env.dusk.local`).
pub(super) fn for_tests(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let Some(rest) = (name.strip_prefix(".env.")).or_else(|| name.strip_prefix("env.")) else {
        return false;
    };
    let words = [
        "test", "tests", "testing", "ci", "e2e", "unit", "dusk", "phpunit",
    ];
    rest.split(['.', '-', '_']).any(|w| words.contains(&w))
}

/// Directory names where test suites keep their fixtures.
const FIXTURE_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "fixtures",
    "__fixtures__",
    "__tests__",
    "spec",
];

/// Directory names where a project keeps its examples: a key or key store there is one it
/// publishes for them (documenso's `apps/remix/example/cert.p12`, which its e2e tests sign
/// with). Not an environment file: a `.env` people put in an example holds their own keys.
const EXAMPLE_DIRS: &[&str] = &["example", "examples", "demo", "demos", "sample", "samples"];

/// The directory of `path`, up to its first test-fixture directory (`lib/api/testdata`).
pub(super) fn fixture_dir(path: &[u8]) -> Option<String> {
    dir_named(path, FIXTURE_DIRS)
}

/// The directory of `path`, up to its first examples directory (`apps/remix/example`).
pub(super) fn example_dir(path: &[u8]) -> Option<String> {
    dir_named(path, EXAMPLE_DIRS)
}

fn dir_named(path: &[u8], names: &[&str]) -> Option<String> {
    let p = String::from_utf8_lossy(path);
    let parts: Vec<&str> = p.split('/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    let i = dirs
        .iter()
        .position(|d| names.contains(&d.to_ascii_lowercase().as_str()))?;
    Some(dirs[..=i].join("/"))
}

/// What a finding says of a secret the builds leave behind (see [`one_per_secret`]).
const UNREAD: &str = "but no COPY, ADD or bind mount names it";

/// One finding per secret file: where some builds send it and another leaves it behind
/// (syncthing's `Dockerfile.builder`, which copies nothing), the finding of those that send
/// it, which names them, says it; the other goes.
pub(super) fn one_per_secret(findings: &mut Vec<Finding>) {
    let sent: std::collections::HashSet<String> = findings
        .iter()
        .filter(|f| f.code == "secret-in-context" && !f.message.contains(UNREAD))
        .map(|f| f.path.clone())
        .collect();
    findings.retain(|f| {
        f.code != "secret-in-context" || !f.message.contains(UNREAD) || !sent.contains(&f.path)
    });
}

/// The COPY or ADD that takes the context file `path` in with a folder holding it (`COPY conf
/// conf` takes `conf/private.pem`, `COPY . .` all that is sent), when none names it itself.
fn copied_with_folder<'v>(v: &'v View<'_>, path: &[u8]) -> Option<&'v CopySource> {
    let folders: Vec<&[u8]> = (path.iter().enumerate())
        .filter(|(_, &b)| b == b'/')
        .map(|(i, _)| &path[..i])
        .collect();
    v.copies().iter().find(|c| match c.pattern() {
        None => c.takes_whole_context(),
        Some(s) => {
            crate::docker::glob::compile(&s).is_ok_and(|m| folders.iter().any(|f| m.matches(f)))
        }
    })
}

/// For each secret the build copies in with its folder (not by name, not re-included on
/// purpose), the line of the program that reads it by its path: leaving it out of the context
/// would leave it out of the image too, and the program would fail when it runs. Not an
/// environment file (its values can come from the environment), nor a test fixture's key
/// (most likely throwaway, and said so). One search of the tracked files for all of them,
/// code only: a document telling how to make a key does not read it.
fn read_where_they_run(
    v: &View<'_>,
    git: Option<&GitInfo>,
    found: &[(&RelPath, Secret)],
) -> HashMap<RelPath, crate::references::Reference> {
    let asked: Vec<(&RelPath, RelPath)> = (found.iter())
        .filter(|(sent, secret)| {
            let p = sent.as_bytes();
            !secret.env
                && fixture_dir(p).is_none()
                && v.copied_by_name(p).is_none()
                && re_included_by_name(v, p).is_none()
                && copied_with_folder(v, p).is_some()
        })
        .map(|(sent, _)| (*sent, v.full(sent.as_bytes())))
        .collect();
    let cands: Vec<crate::references::Candidate> = (asked.iter())
        .map(|(_, full)| crate::references::Candidate {
            path: full,
            is_dir: false,
            within: None,
        })
        .collect();
    let docs = |p: &RelPath| crate::references::is_document(p.as_bytes());
    let mut refs = crate::references::find(v.root, git, &cands, &docs);
    (asked.iter())
        .filter_map(|(sent, full)| {
            let r = refs.remove(full).filter(|r| names_it(&r.excerpt, full))?;
            Some(((*sent).clone(), r))
        })
        .collect()
}

/// Whether a line names the file `full` itself, not only a file of its name: with its folder
/// (`./webapp/key.pem`), or both as quoted strings (ragflow's `os.path.join(base, "conf",
/// "private.pem")`); a root file by its quoted name. remark42's `description:"path to the
/// key.pem file"` names some key, not its `testdata/key.pem`.
fn names_it(line: &str, full: &RelPath) -> bool {
    let path = full.display();
    let name = String::from_utf8_lossy(full.file_name()).into_owned();
    let quoted = |w: &str| line.contains(&format!("\"{w}\"")) || line.contains(&format!("'{w}'"));
    match full.parent_name() {
        Some(folder) => {
            let folder = String::from_utf8_lossy(folder);
            line.contains(&path) || quoted(&folder) && quoted(&name)
        }
        None => quoted(&name),
    }
}

/// The exception line that names `path` itself, glob-free (`!.env`, `!config/.env`), when it
/// is what lets the file through: the author wrote that line to send that file. A broader one
/// (`!config/`, `!**/*.json`) lets a secret through unseen and does not count.
fn re_included_by_name<'v>(v: &'v View<'_>, path: &[u8]) -> Option<&'v Pattern> {
    let p = v.ctx.ignore.deciding(path)?;
    let literal = !p.text.contains(['*', '?', '[', '\\']);
    (p.exception && literal && p.matches_exact(path)).then_some(p)
}

/// Whether a BuildKit build leaves the context file `path` behind: no COPY/ADD or bind mount
/// of any stage names it (BuildKit transfers only what they name: 68 B of a 50 MB context
/// for `COPY app /app`, README "What one build transfers"), and the Docker in use builds with
/// BuildKit (23.0 and later; asked of the client only here, when a secret would stay
/// behind). A Dockerfile that cannot be read or told leaves nothing behind.
fn unread_by_buildkit(v: &View<'_>, path: &[u8]) -> bool {
    !v.buildkit_reads(path)
        && crate::docker::walk::chosen().walk == crate::docker::walk::Walk::Current
}
