//! `context`, `audit` and `verify` for people.

use std::fmt::Write;

use super::*;

/// `context` for people.
pub fn context_human(c: &crate::docker::Context) -> String {
    let mut o = String::new();
    let ig = c
        .ignore_file
        .as_ref()
        .map_or("none".to_string(), |p| p.display().to_string());
    let _ = writeln!(o, "build context {}", V(c.dir.display()));
    let _ = writeln!(
        o,
        "  Dockerfile {}; ignore file {}",
        V(c.dockerfile.display()),
        V(&ig)
    );
    let n = crate::size::plural(c.files.len() as u64, "file", "files");
    let _ = writeln!(o, "  {n}, {}", human(c.total_bytes));
    if let Some(b) = c.image_bytes {
        let _ = writeln!(
            o,
            "  {} copied from the context into the image by its COPY/ADD layers",
            human(b)
        );
    }
    let _ = writeln!(
        o,
        "  Docker's {} walk ({})",
        c.walk.walk.name(),
        V(&c.walk.why)
    );
    for s in &c.always_sent {
        let _ = writeln!(
            o,
            "  {} is excluded by the patterns but sent anyway (the builder needs it)",
            V(s)
        );
    }
    if !c.largest_dirs.is_empty() {
        let _ = writeln!(o, "\nLargest directories");
        for d in &c.largest_dirs {
            let _ = writeln!(
                o,
                "  {:>11}  {:>7} files  {}/",
                human(d.bytes),
                d.files,
                V(&d.path)
            );
        }
    }
    o
}

/// `audit` for people: each build's context, then the findings, errors first.
pub fn audit_human(r: &crate::audit::AuditReport) -> String {
    let mut o = String::new();
    if r.builds.is_empty() {
        let _ = writeln!(o, "no Dockerfile or compose build found");
    }
    for b in &r.builds {
        if let Some(d) = &b.deleted_with {
            let _ = writeln!(
                o,
                "{}: not audited: its Dockerfile {} is in {}, which the cleanup deletes (rule `{}`)",
                V(&b.name),
                V(&b.dockerfile),
                V(&d.path),
                V(&d.rule)
            );
            continue;
        }
        let ig = b.ignore_file.as_deref().unwrap_or("none");
        let _ = writeln!(
            o,
            "{}: context {} ({}, {}; junk {}), Dockerfile {}, ignore file {}",
            V(&b.name),
            V(if b.context.is_empty() {
                "."
            } else {
                &b.context
            }),
            crate::size::plural(b.files as u64, "file", "files"),
            human(b.bytes),
            human(b.junk_bytes),
            V(&b.dockerfile),
            V(ig)
        );
        if let Some(i) = b.image_bytes {
            let _ = writeln!(
                o,
                "  {} copied from the context into the image by its COPY/ADD layers",
                human(i)
            );
        }
    }
    if let Some(w) = &r.docker_walk {
        let _ = writeln!(
            o,
            "contexts as Docker's {} walk sends them ({})",
            w.walk.name(),
            V(&w.why)
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o);
    }
    for f in &r.findings {
        let sev = match f.severity {
            crate::audit::Severity::Error => "error",
            crate::audit::Severity::Warning => "warning",
        };
        let at = match f.line {
            Some(l) => format!("{}:{l}", f.path),
            None => f.path.clone(),
        };
        let _ = writeln!(o, "{sev}[{}] {}: {}", f.code, V(&at), V(&f.message));
        let _ = writeln!(o, "  fix: {}", V(&f.fix));
    }
    let errors = r.errors();
    let p = |n: usize, one, many| crate::size::plural(n as u64, one, many);
    let _ = writeln!(
        o,
        "\n{}: {}, {}",
        p(r.findings.len(), "finding", "findings"),
        p(errors, "error", "errors"),
        p(r.findings.len() - errors, "warning", "warnings")
    );
    o
}

/// `verify` for people: one PASS/FAIL line per step, and the verdict.
pub fn verify_human(v: &crate::verify::VerifyReport) -> String {
    let mut o = String::from("Verify\n");
    let w = v.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in &v.steps {
        let st = if s.pass {
            "PASS"
        } else if v.outcome == crate::verify::Outcome::Skipped {
            "SKIP"
        } else {
            "FAIL"
        };
        let _ = writeln!(o, "  {st}  {:<w$}  {}", s.name, V(&s.detail));
    }
    let verdict = match v.outcome {
        crate::verify::Outcome::Pass => "verified",
        crate::verify::Outcome::Fail => "verification FAILED",
        crate::verify::Outcome::Skipped => {
            "skipped: no Docker engine answers, so nothing was verified"
        }
    };
    let _ = writeln!(o, "{verdict}");
    o
}
