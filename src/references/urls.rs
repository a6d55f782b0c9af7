//! A name inside a URL that is no path of the repository: the host, and on a code host the
//! owner and the repository's own name (`# GitHub: https://github.com/8050-65/real-estate-ai-chatbot`
//! in real-estate-ai-chatbot's deploy script named the project, not its nested copy
//! `real-estate-ai-chatbot/`). A file's path in such a URL (`…/blob/main/scripts/start.bat`,
//! `raw.githubusercontent.com/o/r/main/install.bat`) does name the repository's file, and so
//! may another site's path (a local server's `http://localhost:8000/static/app_old.js`).

/// Hosts whose URL paths start with an owner and a repository, and name a file of it only
/// after a `blob`, `tree`, `raw` or `edit` segment and the branch.
const CODE_HOSTS: &[&str] = &[
    "github.com",
    "www.github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
];

/// Segments after which, and the branch after them, a code host's URL names a file.
const FILE_VIEWS: &[&str] = &["blob", "tree", "raw", "edit", "src"];

/// Whether the mention at `at` in `line` lies in a URL's host, or in a code host's URL
/// anywhere but a file's path.
pub(super) fn not_a_path(line: &str, at: usize) -> bool {
    let start = super::lines::word_start(line, at, b"'\"`<>()[]{},;");
    let token = &line[start..];
    let at = at - start;
    let (host_at, rest_at) = if let Some(i) = token.find("://").filter(|&i| i < at) {
        (i + 3, None)
    } else if let Some(i) = token.find('@').filter(|&i| i < at) {
        // `git@github.com:owner/repo.git`: the path starts after the colon.
        let colon = token[i..].find(':').map(|c| i + c);
        (
            i + 1,
            colon.filter(|&c| c < token.find('/').unwrap_or(token.len())),
        )
    } else {
        return false;
    };
    let host_end = rest_at.unwrap_or_else(|| {
        token[host_at..]
            .find(['/', '?', '#'])
            .map_or(token.len(), |e| host_at + e)
    });
    if at < host_end {
        return true;
    }
    let host = token[host_at..host_end]
        .rsplit('@')
        .next()
        .unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Segments before the file's path: owner, repository; `raw.githubusercontent.com`'s
    // branch after them; a code host's view and branch.
    let skip = if host == "raw.githubusercontent.com" {
        3
    } else if CODE_HOSTS.contains(&host.as_str()) {
        let segs: Vec<&str> = token[host_end + 1..].split('/').collect();
        let view = (2..segs.len()).find(|&k| FILE_VIEWS.contains(&segs[k]));
        match view {
            Some(k) => k + 2,
            None => return true,
        }
    } else {
        return false;
    };
    let mut seg_start = host_end + 1;
    for _ in 0..skip {
        match token[seg_start.min(token.len())..].find('/') {
            Some(e) => seg_start += e + 1,
            None => return true,
        }
    }
    at < seg_start
}

#[cfg(test)]
mod tests {
    use super::not_a_path;

    fn at(line: &str, name: &str) -> bool {
        not_a_path(line, line.rfind(name).unwrap())
    }

    #[test]
    fn a_repository_named_in_its_url_is_no_path() {
        let l = "# GitHub: https://github.com/8050-65/real-estate-ai-chatbot";
        assert!(at(l, "real-estate-ai-chatbot"));
        assert!(at("git clone git@github.com:me/backup.git", "backup"));
        assert!(at("see https://gitlab.com/me/old/-/issues/4", "old"));
        assert!(at("https://github.com/me/app/issues/backup", "backup"));
        assert!(at("curl https://backup.example.com/x", "backup"));
    }

    #[test]
    fn a_file_in_a_repository_url_is_a_path() {
        let l = "download https://github.com/me/app/blob/main/scripts/start.bat";
        assert!(!at(l, "start.bat"));
        assert!(!at(l, "scripts"));
        let raw = "iwr https://raw.githubusercontent.com/me/app/main/install.bat";
        assert!(!at(raw, "install.bat"));
        assert!(at(raw, "app/main"));
        assert!(!at("http://localhost:8000/static/app_old.js", "app_old.js"));
        assert!(!at("cd ./backup && ls", "backup"));
        assert!(!at("mail me@home then run backup/run.sh", "backup"));
    }
}
