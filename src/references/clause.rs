//! What a plan or `explain` says of a reference that keeps a candidate for review.

use super::{RefKind, Reference};

impl Reference {
    /// The clause a plan or `explain` adds after a rule's reason.
    pub fn but(&self) -> String {
        match self.kind {
            RefKind::Mention => format!("but {self} refers to it"),
            RefKind::Collected => format!("but pytest collects it as a test ({self})"),
            RefKind::TestRunner => format!(
                "but the test runner configured above it runs it with the suite ({self}): jest \
                 and vitest take every `*.test.*` file below their config"
            ),
            RefKind::Counterpart => format!(
                "but `{}` stays beside it: one script per system, and this is Windows' one",
                self.file
            ),
            RefKind::Runs => format!(
                "but {self} runs it: a GitHub Action's code is committed for the runner to run"
            ),
            RefKind::ActionModules => format!(
                "but {self} runs a JavaScript action beside it: the runner installs no \
                 packages, so the action loads them from this committed folder"
            ),
            RefKind::Holder => format!("but {self} names the directory that holds it"),
            RefKind::Stack => format!(
                "but `{}` makes it a compose stack like the directories beside it: a service of \
                 this repository, not a copy",
                self.file
            ),
            RefKind::Steps => format!(
                "but it is one of the numbered launchers in `{}`: the steps a user follows, \
                 which the project ships",
                self.file
            ),
            RefKind::NoDocker => "but no Dockerfile or compose file in its folder or above \
                 replaces it: it may be how the project runs on Windows"
                .to_string(),
            RefKind::Edited => format!(
                "but commit {} changed `{}` after it got this name: a backup or a one-off \
                 script stays as it was made, so this one is in use",
                self.excerpt, self.file
            ),
            RefKind::Vendored => format!(
                "but it is part of `{}`, a project with a licence of its own (`{}`): vendored \
                 code is its authors', kept as they ship it",
                self.excerpt,
                self.file.rsplit('/').next().unwrap_or(&self.file)
            ),
            RefKind::OnlyProject => format!(
                "but `{}` holds the only project the repository tracks (`{}`; no build manifest \
                 outside it): it is the project, not a backup of it",
                self.excerpt, self.file
            ),
            RefKind::Mounted => format!(
                "but {self} mounts it, or a folder above or below it, into a service's container: \
                 a running service's own files, not litter"
            ),
            RefKind::Running => format!(
                "but process {} it names is running: a pid file is stale only once its process \
                 has exited",
                self.excerpt
            ),
            RefKind::Original => format!(
                "but {self} names the file it is a copy of, which is missing: this may be the \
                 only copy the project has of a file it uses"
            ),
            RefKind::RunsDocker => format!(
                "but it runs a container or builds an image itself ({self}): it is part of the \
                 Docker setup, which does not replace it, and what it passes (ports, names, a \
                 restart policy) may be written nowhere else"
            ),
            RefKind::Sibling => format!(
                "but `{}` beside it is a launcher the project refers to: it ships its Windows \
                 launchers",
                self.file
            ),
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: `{}`", self.file, self.line, self.excerpt)
    }
}
