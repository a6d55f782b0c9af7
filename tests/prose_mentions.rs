//! A folder named with a plain word (`old`, `backups`) is mentioned in every other docstring:
//! chess_backend's ":return: Tuple of old position and new position" kept its `old/` (an
//! earlier copy of its engine) for review. A word of prose in code is no use of the folder;
//! an import, a quoted name or a shell argument is.

mod common;

use common::repo::Repo;
use common::*;

fn action_of(r: &Repo, path: &str) -> String {
    let plan = plan_json(&r.root, &[]);
    let e = (plan["entries"].as_array().unwrap().iter())
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no entry {path}: {plan}"));
    e["action"].as_str().unwrap().to_string()
}

#[test]
fn a_plain_word_in_a_docstring_keeps_no_folder() {
    let r = Repo::new(&[
        ("old/main.py", "def move(): pass\n"),
        (
            "engine/chess.py",
            "def move(a, b):\n    \"\"\"\n    :return: Tuple of old position and new position\n    \"\"\"\n",
        ),
    ]);
    assert_eq!(action_of(&r, "old"), "delete");
}

#[test]
fn an_import_a_quoted_name_or_a_shell_argument_still_keeps_it() {
    for (file, text) in [
        ("app.py", "from old import main\n"),
        ("app.py", "sys.path.insert(0, 'old')\n"),
        ("deploy.sh", "cp -r old /srv/app\n"),
    ] {
        let r = Repo::new(&[("old/main.py", "def main(): pass\n"), (file, text)]);
        assert_eq!(action_of(&r, "old"), "review", "{file}: {text}");
    }
}

/// Markup's text is prose too: dso-signtusk's security page says "Automated backups with
/// point-in-time recovery" between tags, which names no `backups/` folder; a name a tag holds
/// alone (`<td>backups</td>`) may be one.
#[test]
fn a_word_of_a_page_between_tags_keeps_no_folder() {
    let page = "<p className=\"text-gray-600\">Automated backups with point-in-time recovery</p>\n";
    let r = Repo::new(&[
        ("backups/db_2024.sql", "-- dump\n"),
        ("src/app/security/page.tsx", page),
    ]);
    assert_eq!(action_of(&r, "backups"), "delete");
    let r = Repo::new(&[
        ("backups/db_2024.sql", "-- dump\n"),
        ("src/app/page.tsx", "<td>backups</td>\n"),
    ]);
    assert_eq!(action_of(&r, "backups"), "review");
}

/// A mapping's key names a field: greyhound-racing-collector's API answer has
/// `"backups": backup_history`, and its cleanup script `'old_scripts': ['*_old.py']`. The
/// code that reads the folder names it again (`base_dir / "backups"`), and that still counts.
#[test]
fn a_mapping_key_keeps_no_folder_and_the_code_reading_it_does() {
    let backups = ("backups/db_2024.sql", "-- dump\n");
    let key = ("app.py", "return {\n    \"backups\": backup_history,\n}\n");
    let r = Repo::new(&[backups, key]);
    assert_eq!(action_of(&r, "backups"), "delete");
    let reads = (
        "jobs.py",
        "n = len(list((base_dir / \"backups\").glob(\"*.sql\")))\n",
    );
    let r = Repo::new(&[backups, key, reads]);
    assert_eq!(action_of(&r, "backups"), "review");
}
