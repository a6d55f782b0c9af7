//! The command that rebuilds a regenerable directory, derived from what the repository has: a
//! `pnpm-lock.yaml` means pnpm, a `uv.lock` means uv, and so on. A rule names the ecosystem
//! (`rebuild = "node-install"`); its `regenerate` text is what is said where nothing in the
//! repository tells, so no command is claimed that the repository cannot run.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::relpath::RelPath;

/// What a rule's selection is rebuilt by.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Rebuild {
    /// A package manager installs `node_modules` from the lockfile.
    NodeInstall,
    /// The package's `build` script writes the output.
    NodeBuild,
    /// A virtual environment, created and filled from the project's lock or requirements.
    PythonEnv,
    /// Maven's `target/`: the project's wrapper (`mvnw`) where it has one.
    MavenPackage,
    /// Gradle's `build/` and `.gradle/`: the project's wrapper (`gradlew`) where it has one.
    GradleBuild,
}

/// The command for `entry` (root-relative: `ui-new/node_modules`, `backend/.venv`), or `None`
/// where the repository does not say (the rule's own text is shown then).
pub fn command(root: &Path, entry: &RelPath, how: Rebuild) -> Option<String> {
    let dir = entry.parent().unwrap_or_default();
    let name = String::from_utf8_lossy(entry.file_name()).into_owned();
    let has = |d: &RelPath, f: &str| has_file(root, d, f);
    match how {
        Rebuild::NodeInstall | Rebuild::NodeBuild => {
            // A workspace's lockfile sits above the package: the nearest one decides the tool.
            let (lock_dir, pm) = dir
                .ancestors()
                .find_map(|d| node_tool(root, &d).map(|t| (d, t)))?;
            Some(match how {
                Rebuild::NodeInstall => cd(&lock_dir, pm.install().into()),
                _ => cd(&dir, format!("{} run build", pm.name())),
            })
        }
        // A multi-module build keeps its wrapper at the top, above the module's folder.
        Rebuild::MavenPackage | Rebuild::GradleBuild => {
            let (wrapper, tool, task) = match how {
                Rebuild::MavenPackage => ("mvnw", "mvn", "package"),
                _ => ("gradlew", "gradle", "build"),
            };
            Some(match dir.ancestors().find(|d| has(d, wrapper)) {
                Some(d) => cd(&d, format!("./{wrapper} {task}")),
                None => cd(&dir, format!("{tool} {task}")),
            })
        }
        Rebuild::PythonEnv => {
            // A lockfile decides, in the venv's folder or above (a uv workspace locks at its
            // root); requirements or a package definition only in the venv's own folder.
            let locked = dir.ancestors().find_map(|d| {
                let c = [
                    ("uv.lock", "uv sync"),
                    ("poetry.lock", "poetry install"),
                    ("Pipfile.lock", "pipenv sync"),
                ]
                .into_iter()
                .find(|(lock, _)| has(&d, lock))?;
                Some(cd(&d, c.1.into()))
            });
            locked.or_else(|| pip_install(root, &dir, &crate::shell::path_arg(&name)))
        }
    }
}

/// Whether `dir` holds a regular file named `name`.
fn has_file(root: &Path, dir: &RelPath, name: &str) -> bool {
    dir.join(name.as_bytes()).under(root).is_file()
}

/// A venv named `venv` (shell-quoted) in `dir`, filled by pip from what `dir` holds: its
/// requirements file, or the package itself (`-e .`); `None` where it holds neither.
fn pip_install(root: &Path, dir: &RelPath, venv: &str) -> Option<String> {
    let has = |f: &str| has_file(root, dir, f);
    let reqs = requirements(&dir.under(root));
    let install = match &reqs[..] {
        [one] => format!("-r {}", crate::shell::path_arg(one)),
        [] if has("pyproject.toml") || has("setup.py") => "-e .".into(),
        [] => return None,
        // `requirements_docker.txt` beside `requirements_versions.txt`: which one fills this
        // venv is the project's call, so each is named, none run.
        several => {
            let each: Vec<String> = (several.iter())
                .map(|r| format!("-r {}", crate::shell::path_arg(r)))
                .collect();
            let place = match dir.is_root() {
                true => String::new(),
                false => format!(" in {}", crate::shell::path_arg(&dir.display())),
            };
            return Some(format!(
                "(recreate it{place}: python3 -m venv {venv}, then {venv}/bin/pip install {})",
                each.join(" or ")
            ));
        }
    };
    let cmd = format!("python3 -m venv {venv} && {venv}/bin/pip install {install}");
    Some(cd(dir, cmd))
}

/// `cmd`, run in `d` (root-relative).
fn cd(d: &RelPath, cmd: String) -> String {
    if d.is_root() {
        cmd
    } else {
        format!("cd {} && {cmd}", crate::shell::path_arg(&d.display()))
    }
}

/// The requirements files in `dir`: `requirements.txt` alone where it is there, else every
/// `requirements*.txt` (`requirements_versions.txt`, `requirements-dev.txt`), sorted.
fn requirements(dir: &Path) -> Vec<String> {
    if dir.join("requirements.txt").is_file() {
        return vec!["requirements.txt".into()];
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = (entries.flatten())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
        .filter(|n| dir.join(n).is_file())
        .collect();
    found.sort();
    found
}

#[derive(Clone, Copy)]
enum Node {
    Pnpm,
    YarnBerry,
    YarnClassic,
    Bun,
    Npm,
}

impl Node {
    fn name(self) -> &'static str {
        match self {
            Node::Pnpm => "pnpm",
            Node::YarnBerry | Node::YarnClassic => "yarn",
            Node::Bun => "bun",
            Node::Npm => "npm",
        }
    }

    fn install(self) -> &'static str {
        match self {
            Node::Pnpm => "pnpm install --frozen-lockfile",
            Node::YarnBerry => "yarn install --immutable",
            Node::YarnClassic => "yarn install --frozen-lockfile",
            Node::Bun => "bun install --frozen-lockfile",
            Node::Npm => "npm ci",
        }
    }
}

/// The package manager whose lockfile is in `d`.
fn node_tool(root: &Path, d: &RelPath) -> Option<Node> {
    let at = |f: &str| d.join(f.as_bytes()).under(root);
    if at("pnpm-lock.yaml").is_file() {
        Some(Node::Pnpm)
    } else if at("yarn.lock").is_file() {
        // Berry's lockfile is YAML with a `__metadata:` block; v1's is its own format.
        let head = crate::fsx::read_text(&at("yarn.lock"), 1 << 20).unwrap_or_default();
        let berry = head.contains("\n__metadata:") || at(".yarnrc.yml").is_file();
        Some(if berry {
            Node::YarnBerry
        } else {
            Node::YarnClassic
        })
    } else if at("bun.lockb").is_file() || at("bun.lock").is_file() {
        Some(Node::Bun)
    } else if at("package-lock.json").is_file() || at("npm-shrinkwrap.json").is_file() {
        Some(Node::Npm)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(files: &[(&str, &str)], entry: &str, how: Rebuild) -> Option<String> {
        let d = tempfile::tempdir().unwrap();
        for (f, body) in files {
            let p = d.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        command(d.path(), &RelPath::from_bytes(entry.as_bytes()), how)
    }

    #[test]
    fn node_lockfiles_pick_the_tool() {
        use Rebuild::NodeInstall as I;
        let c = |f: &str, body: &str| cmd(&[("package.json", "{}"), (f, body)], "node_modules", I);
        assert_eq!(
            c("pnpm-lock.yaml", "").as_deref(),
            Some("pnpm install --frozen-lockfile")
        );
        assert_eq!(
            c("yarn.lock", "# yarn lockfile v1\n").as_deref(),
            Some("yarn install --frozen-lockfile")
        );
        assert_eq!(
            c("yarn.lock", "# x\n\n__metadata:\n  version: 8\n").as_deref(),
            Some("yarn install --immutable")
        );
        assert_eq!(
            c("bun.lockb", "").as_deref(),
            Some("bun install --frozen-lockfile")
        );
        assert_eq!(c("package-lock.json", "{}").as_deref(), Some("npm ci"));
        assert_eq!(c("README.md", ""), None, "no lockfile: nothing claimed");
    }

    #[test]
    fn a_workspace_installs_from_its_root_and_builds_in_the_package() {
        let files = [("pnpm-lock.yaml", ""), ("apps/web/package.json", "{}")];
        assert_eq!(
            cmd(&files, "apps/web/node_modules", Rebuild::NodeInstall).as_deref(),
            Some("pnpm install --frozen-lockfile")
        );
        assert_eq!(
            cmd(&files, "apps/web/dist", Rebuild::NodeBuild).as_deref(),
            Some("cd apps/web && pnpm run build")
        );
        let files = [
            ("ui new/package-lock.json", "{}"),
            ("ui new/package.json", "{}"),
        ];
        assert_eq!(
            cmd(&files, "ui new/node_modules", Rebuild::NodeInstall).as_deref(),
            Some("cd 'ui new' && npm ci")
        );
    }

    #[test]
    fn jvm_builds_use_the_projects_wrapper() {
        use Rebuild::{GradleBuild as G, MavenPackage as M};
        assert_eq!(
            cmd(&[("pom.xml", "")], "target", M).as_deref(),
            Some("mvn package")
        );
        let mvnw = [("mvnw", ""), ("pom.xml", ""), ("api/pom.xml", "")];
        assert_eq!(
            cmd(&mvnw, "api/target", M).as_deref(),
            Some("./mvnw package")
        );
        let sub = [("svc/mvnw", ""), ("svc/pom.xml", "")];
        assert_eq!(
            cmd(&sub, "svc/target", M).as_deref(),
            Some("cd svc && ./mvnw package")
        );
        let gradle = [("gradlew", ""), ("app/build.gradle.kts", "")];
        assert_eq!(
            cmd(&gradle, "app/build", G).as_deref(),
            Some("./gradlew build")
        );
        let bare = [("lib/build.gradle", "")];
        assert_eq!(
            cmd(&bare, "lib/.gradle", G).as_deref(),
            Some("cd lib && gradle build")
        );
    }

    #[test]
    fn python_environments() {
        use Rebuild::PythonEnv as P;
        assert_eq!(
            cmd(&[("uv.lock", "")], ".venv", P).as_deref(),
            Some("uv sync")
        );
        assert_eq!(
            cmd(&[("backend/uv.lock", "")], "backend/.venv", P).as_deref(),
            Some("cd backend && uv sync")
        );
        assert_eq!(
            cmd(&[("poetry.lock", "")], ".venv", P).as_deref(),
            Some("poetry install")
        );
        assert_eq!(
            cmd(&[("Pipfile.lock", "")], ".venv", P).as_deref(),
            Some("pipenv sync")
        );
        assert_eq!(
            cmd(&[("requirements.txt", "")], "venv", P).as_deref(),
            Some("python3 -m venv venv && venv/bin/pip install -r requirements.txt")
        );
        assert_eq!(
            cmd(&[("pyproject.toml", "")], ".venv", P).as_deref(),
            Some("python3 -m venv .venv && .venv/bin/pip install -e .")
        );
        // A uv project without a requirements file is never told to pip install one, in a
        // workspace member either.
        assert_eq!(
            cmd(&[("pyproject.toml", ""), ("uv.lock", "")], ".venv", P).as_deref(),
            Some("uv sync")
        );
        let ws = [("uv.lock", ""), ("backend/pyproject.toml", "")];
        assert_eq!(cmd(&ws, "backend/.venv", P).as_deref(), Some("uv sync"));
        assert_eq!(cmd(&[("README.md", "")], ".venv", P), None);
        // requirements.txt at the root does not fill a venv made in a subfolder.
        assert_eq!(cmd(&[("requirements.txt", "")], "tools/venv", P), None);
        // Another requirements file names what to install; two are both named, none chosen.
        assert_eq!(
            cmd(&[("requirements_versions.txt", "")], "fooocus_env", P).as_deref(),
            Some("python3 -m venv fooocus_env && fooocus_env/bin/pip install -r requirements_versions.txt")
        );
        let two = [
            ("env/requirements_docker.txt", ""),
            ("env/requirements_versions.txt", ""),
            ("env/requirements-x.md", ""),
            ("requirements_root.txt", ""),
        ];
        assert_eq!(
            cmd(&two, "env/venv", P).as_deref(),
            Some("(recreate it in env: python3 -m venv venv, then venv/bin/pip install -r requirements_docker.txt or -r requirements_versions.txt)")
        );
        let with_main = [("requirements.txt", ""), ("requirements-dev.txt", "")];
        assert_eq!(
            cmd(&with_main, "venv", P).as_deref(),
            Some("python3 -m venv venv && venv/bin/pip install -r requirements.txt")
        );
    }
}
