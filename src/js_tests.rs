//! Whether jest or vitest runs a JavaScript/TypeScript file as a test: the reference guard's
//! answer for a test file a rule takes for one no runner picks up. Both runners, started from
//! the directory of their config, take every `*.test.*` and `*.spec.*` file (and jest every
//! file in `__tests__`) below it unless told otherwise, so such a file below a jest or vitest
//! config runs with the suite (Dez-009/Gold-standard-Orchestration keeps `tests/*.test.tsx`
//! beside its Python tests, and its root `jest.config.js` runs them).

use std::path::Path;

use crate::references::{RefKind, Reference};
use crate::relpath::RelPath;

/// The runners' own config files.
const CONFIGS: &[&str] = &[
    "jest.config.js",
    "jest.config.ts",
    "jest.config.mjs",
    "jest.config.cjs",
    "jest.config.json",
    "vitest.config.js",
    "vitest.config.ts",
    "vitest.config.mjs",
    "vitest.config.mts",
    "vitest.workspace.js",
    "vitest.workspace.ts",
];

/// A config or `package.json` is read up to this size.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// A name the runners take for a test by default.
pub(crate) fn test_name(rel: &RelPath) -> bool {
    let name = String::from_utf8_lossy(rel.file_name()).to_ascii_lowercase();
    let script = [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"]
        .iter()
        .any(|e| name.ends_with(e));
    let in_tests = rel
        .as_bytes()
        .split(|&b| b == b'/')
        .any(|c| c == b"__tests__");
    script && (name.contains(".test.") || name.contains(".spec.") || in_tests)
}

/// The config above `rel` (its directory or one above it) whose runner takes it: the line that
/// says which tests (`testMatch`, `include`), else the config's first line; for a
/// `package.json`, the line that names jest or vitest.
pub fn runner_above(root: &Path, rel: &RelPath) -> Option<Reference> {
    if !test_name(rel) {
        return None;
    }
    let mut dir = rel.parent();
    while let Some(d) = dir {
        for name in CONFIGS.iter().chain(&["package.json"]) {
            let file = d.join(name.as_bytes());
            let Some(text) = crate::fsx::read_text(&file.under(root), MAX_CONFIG_BYTES) else {
                continue;
            };
            let lines: Vec<&str> = text.lines().collect();
            let line = match *name {
                "package.json" => lines
                    .iter()
                    .position(|l| l.contains("\"jest\"") || l.contains("\"vitest\"")),
                _ => Some(
                    (lines.iter())
                        .position(|l| l.contains("testMatch") || l.contains("include"))
                        .unwrap_or(0),
                ),
            };
            if let Some(n) = line {
                return Some(Reference {
                    file: file.display(),
                    line: n + 1,
                    excerpt: lines
                        .get(n)
                        .unwrap_or(&"")
                        .trim()
                        .chars()
                        .take(120)
                        .collect(),
                    kind: RefKind::TestRunner,
                });
            }
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runners_default_test_names() {
        for p in ["tests/a.test.tsx", "src/x.spec.js", "src/__tests__/util.ts"] {
            assert!(test_name(&RelPath::from_bytes(p)), "{p}");
        }
        for p in ["tests/test_ui.tsx", "tests/a.test.py", "src/testing.ts"] {
            assert!(!test_name(&RelPath::from_bytes(p)), "{p}");
        }
    }
}
