//! Which tracked files refer to a candidate, and as what: code (any mention counts), docs
//! (commands and links), markup (quoted or path-like mentions); and which of them are web
//! code, whose paths from `/` are URLs to the project's own files.

/// What kind of file refers: code counts any mention; docs only commands and links; markup
/// (HTML, PHP, Vue, Svelte, whose text is half prose) only a quoted or path-like one.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Referrer {
    Code,
    Docs,
    Markup,
}

/// Extensions of the files whose every mention counts: code, build scripts and settings, in
/// the languages images are built from. Grouped by kind, one line each. Windows' own launchers
/// among the scripts: a `.vbs` that runs a `.bat` without a console window (JARVIS-AI-OS'
/// `jarvis_startup_service.vbs`), an AutoHotkey script, an NSIS or Inno Setup installer, a
/// .NET project file that copies the file into its output.
#[rustfmt::skip]
const CODE_EXTENSIONS: &[&str] = &[
    "py", "rb", "lua", "pl", "r", "jl", "ex", "exs",
    "sh", "bash", "zsh", "fish", "ps1", "psm1", "bat", "cmd", "vbs", "ahk", "mk", "dockerfile",
    "nsi", "iss", "csproj", "fsproj", "vbproj",
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "css", "scss", "less",
    "go", "rs", "c", "h", "cc", "cpp", "hpp", "swift", "dart",
    "java", "kt", "kts", "scala", "groovy", "gradle", "cs", "fs",
    "toml", "cfg", "ini", "yml", "yaml", "conf", "properties",
];

/// Whether `path` is web code or markup, where a path from `/` is a URL that a server maps
/// to the project's own files (`<script src="/old/app.js">`, Vite's `/src/main.ts`,
/// `fetch('/backups/latest.json')`), not a folder at the filesystem's top.
pub(super) fn web_code(path: &[u8]) -> bool {
    let p = String::from_utf8_lossy(path).to_ascii_lowercase();
    let ext = p.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "js" | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "css"
            | "scss"
            | "less"
            | "vue"
            | "svelte"
            | "html"
            | "htm"
            | "php"
            | "json"
    )
}

pub(super) fn referrer(path: &[u8]) -> Option<Referrer> {
    let p = String::from_utf8_lossy(path).to_ascii_lowercase();
    let name = p.rsplit('/').next().unwrap_or(&p);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    // An assistant's saved chat history (SpecStory's `.specstory/history/`, committed in
    // news_look beside the scripts it discussed; in a subfolder where that was the editor's
    // workspace) names every file the chat touched: what was said about a file, not a use.
    if p.starts_with(".specstory/") || p.contains("/.specstory/") {
        return None;
    }
    // Listings and inventories name everything; lockfiles and minified code too.
    if name.contains("inventory")
        || name.contains("tree")
        || name.contains("manifest")
        || name.ends_with(".lock")
        || name.contains("lock.json")
        || name.contains(".min.")
    {
        return None;
    }
    // pip's and CMake's `.txt` files are not prose: a package list names no path, and a
    // CMakeLists is code.
    if name == "cmakelists.txt" {
        return Some(Referrer::Code);
    }
    if name.starts_with("requirements") || name.starts_with("constraints") {
        return None;
    }
    // SillyTavern's `Update-Instructions.txt`: "try running the 'UpdateAndStart.bat' file".
    if name.starts_with("readme") || matches!(ext, "md" | "rst" | "adoc" | "txt") {
        return Some(Referrer::Docs);
    }
    if matches!(ext, "html" | "htm" | "php" | "vue" | "svelte") {
        return Some(Referrer::Markup);
    }
    let code = CODE_EXTENSIONS.contains(&ext)
        || matches!(
            name,
            "makefile" | "package.json" | "procfile" | "justfile" | "tox.ini"
        )
        || name.starts_with("dockerfile")
        || name.ends_with("compose.json");
    code.then_some(Referrer::Code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventories_lockfiles_and_saved_chats_never_refer() {
        for p in [
            ".specstory/history/2025-03-22_08-19-fix.md",
            "frontend/.specstory/history/chat.md",
            "docs/auto/repo_tree.txt",
            "docs/auto/repo_inventory.json",
            "package-lock.json",
            "yarn.lock",
            "static/app.min.js",
        ] {
            assert!(referrer(p.as_bytes()).is_none(), "{p}");
        }
        assert!(referrer(b"mysite/settings.py") == Some(Referrer::Code));
        assert!(referrer(b"README.md") == Some(Referrer::Docs));
        assert!(referrer(b".github/workflows/ci.yml") == Some(Referrer::Code));
        assert!(referrer(b"Makefile") == Some(Referrer::Code));
        assert!(referrer(b"Update-Instructions.txt") == Some(Referrer::Docs));
        assert!(referrer(b"CMakeLists.txt") == Some(Referrer::Code));
        assert!(referrer(b"scripts/startup_service.vbs") == Some(Referrer::Code));
        assert!(referrer(b"requirements-dev.txt").is_none());
        // Compiled languages' code and a server's config name what they read and write
        // (autocache's Go writes `dump.rdb`, a `redis.conf` its `dbfilename`).
        for p in [
            "internal/persistence/snapshot.go",
            "src/Main.java",
            "redis/redis.conf",
        ] {
            assert!(referrer(p.as_bytes()) == Some(Referrer::Code), "{p}");
        }
    }
}
