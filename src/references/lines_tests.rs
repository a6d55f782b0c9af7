//! Tests of [`super`]: which mentions of a name are references.

use super::*;

#[test]
fn docs_count_commands_and_links_not_prose_headings_or_listings() {
    let cmd = |line: &str, name: &str| {
        let at = line.find(name).unwrap();
        !listing(line) && doc_command(line, at, at + name.len(), false)
    };
    assert!(cmd("Windows users: run `start.bat` to begin.", "start.bat"));
    assert!(cmd(
        "See [the launcher](scripts/start.bat).",
        "scripts/start.bat"
    ));
    assert!(cmd(
        "Details: [RAG](../RAG_IMPROVEMENTS_SUMMARY.md)",
        "RAG_IMPROVEMENTS_SUMMARY.md"
    ));
    assert!(cmd("[up](.././../start.bat)", "start.bat"));
    // reconciliation-platform's docs/DOCUMENTATION_HUB.md links its guides by folder.
    let hub = "- **[Production Readiness](./deployment/PHASE_4_GUIDE.md)** - checklist";
    assert!(cmd(hub, "PHASE_4_GUIDE.md"));
    assert!(cmd(
        "[guide](../deployment/PHASE_4_GUIDE.md#top)",
        "PHASE_4_GUIDE.md"
    ));
    assert!(cmd(
        "[guide]: deployment/PHASE_4_GUIDE.md",
        "PHASE_4_GUIDE.md"
    ));
    assert!(cmd(
        "  [g]: <./deployment/PHASE_4_GUIDE.md>",
        "PHASE_4_GUIDE.md"
    ));
    assert!(!cmd(
        "[guide](./x.md) and deployment/PHASE_4_GUIDE.md",
        "PHASE_4_GUIDE.md"
    ));
    assert!(!cmd(
        "[g]: ./x.md then PHASE_4_GUIDE.md",
        "PHASE_4_GUIDE.md"
    ));
    assert!(!cmd("see ../start.bat later", "start.bat"));
    assert!(!cmd("#### `launcher.pyw`", "launcher.pyw"));
    assert!(!cmd("The old start.bat is gone.", "start.bat"));
    assert!(cmd("Windows users: double-click start.bat.", "start.bat"));
    assert!(cmd("Then run the setup.bat file", "setup.bat"));
    assert!(!cmd("The rerun start.bat was slow.", "start.bat"));
    assert!(!cmd("We stopped using start.bat.", "start.bat"));
    assert!(!cmd("?? scripts/start.bat", "scripts/start.bat"));
    assert!(!cmd("│   ├── start.bat", "start.bat"));
    assert!(!cmd("|-- `start.bat`", "start.bat"));
    assert!(!cmd("    `-- `start.bat`", "start.bat"));
    assert!(!cmd(
        "    \"path\": \"scripts/start.bat\",",
        "scripts/start.bat"
    ));
    assert!(cmd(
        "You can also try running the 'UpdateAndStart.bat' file.",
        "UpdateAndStart.bat"
    ));
    assert!(cmd("Run \"setup.bat\" once.", "setup.bat"));
    assert!(cmd(
        "\t\t<td align=\"center\">go-webui.bat</td>",
        "go-webui.bat"
    ));
    assert!(!cmd("<td>the old go-webui.bat</td>", "go-webui.bat"));
    assert!(!cmd("#### 'start.bat'", "start.bat"));
    // Study-Docker-Go's README: "use 「setup.bat」 to set up".
    assert!(cmd("1. 「setup.bat」を使い、環境を整える", "setup.bat"));
    assert!(cmd("1. 双击「启动系统.bat」运行程序", "启动系统.bat"));
    assert!(cmd("日常启动：双击 start.bat", "start.bat"));
    assert!(cmd("请双击start.bat", "start.bat"));
    assert!(cmd("Then open “setup.bat” as administrator", "setup.bat"));
    assert!(!cmd("旧的 start.bat 已删除", "start.bat"));
    assert!(
        doc_command("start.bat", 0, 9, true),
        "a line of a code block"
    );
}

#[test]
fn a_plain_word_between_words_is_prose() {
    let prose = |line: &str, name: &str| {
        let at = line.find(name).unwrap();
        in_prose(line, at, at + name.len())
    };
    assert!(prose(
        "    :return: Tuple of old position and new position",
        "old"
    ));
    assert!(prose("# keep the backups folder tidy.", "backups"));
    assert!(prose(
        "<p className=\"text-gray-600\">Automated backups with point-in-time recovery</p>",
        "backups"
    ));
    assert!(prose("<li>Nightly backups are kept</li>", "backups"));
    assert!(!prose("<td>backups</td>", "backups"));
    assert!(!prose(
        "BACKUP_DIR = os.path.join(BASE, 'backups')",
        "backups"
    ));
    assert!(!prose("cp -r backup /srv/app", "backup"));
    assert!(!prose("from old import main", "main"));
    assert!(!prose("sys.path.insert(0, old)", "old"));
    assert!(!prose("the app_old.py file", "app_old.py"));
}

#[test]
fn an_absolute_path_names_no_folder_of_the_repository() {
    let root = |line: &str, name: &str| from_fs_root(line, line.find(name).unwrap());
    assert!(root("pg_dump db | gzip > /backups/db.sql.gz", "backups"));
    assert!(root("      - backup_data:/backups", "backups"));
    assert!(root("BACKUP_DIR = \"/backups\"", "backups"));
    assert!(root("/backups/run.sh", "backups"));
    assert!(!root("      - ./backups:/data", "backups"));
    assert!(!root("python /app/backups/run.py", "backups"));
    assert!(!root("COPY backups /srv/", "backups"));
    assert!(!root("See [the dumps](/backups/README.md).", "backups"));
    assert!(!root("cd $HOME/backups", "backups"));
    assert!(root(
        "os.path.expanduser(\"~/.cache/huggingface\")",
        ".cache"
    ));
    assert!(root("cp x ~/backups/", "backups"));
    assert!(!root("cp x a~/backups/", "backups"));
}

#[test]
fn a_line_that_writes_a_file_is_no_use_of_it() {
    let writes_it = |line: &str, name: &str| {
        let at = line.find(name).unwrap();
        writes(line, at, at + name.len())
    };
    let name = "results.json";
    assert!(writes_it("with open('/app/results.json', 'w') as f:", name));
    assert!(writes_it(
        "open(\"results.json\", \"w\", encoding=\"utf-8\")",
        name
    ));
    assert!(writes_it("open(f\"{OUT}/results.json\", mode=\"a\")", name));
    assert!(writes_it("fs.writeFileSync('results.json', data)", name));
    assert!(writes_it("df.to_csv(\"results.json\")", name));
    assert!(writes_it("python run.py > results.json 2>&1", name));
    assert!(writes_it(
        "nohup python app.py >> ./logs/results.json &",
        name
    ));
    assert!(writes_it("./run.sh | tee -a results.json", name));
    assert!(!writes_it("data = json.load(open('results.json'))", name));
    assert!(!writes_it("open('results.json', 'r')", name));
    assert!(!writes_it("open('results.json', encoding='w1252')", name));
    assert!(!writes_it("cat results.json", name));
    assert!(!writes_it("cp results.json /tmp/", name));
    assert!(!writes_it("python report.py < results.json", name));
    assert!(!writes_it("<td>results.json</td>", name));
    assert!(!writes_it("saves it -> results.json", name));
    assert!(writes_it("python run.py 2>results.json", name));
}

#[test]
fn a_command_that_deletes_a_name_is_no_use_of_it() {
    let removes_it = |line: &str, name: &str| removes(line, line.find(name).unwrap());
    assert!(removes_it("rm server.py.backup", "server.py.backup"));
    assert!(removes_it("rm -rf backups/ old/", "old/"));
    assert!(removes_it("cd x && sudo rm -f app_old.py", "app_old.py"));
    assert!(removes_it(
        "Run `git rm --cached debug.log` once",
        "debug.log"
    ));
    assert!(removes_it("Remove-Item -Recurse -Force _backup", "_backup"));
    assert!(removes_it("del /q start_old.bat", "start_old.bat"));
    assert!(!removes_it("python verify_phase2.py", "verify_phase2.py"));
    assert!(!removes_it(
        "rm -rf dist && cp -r build_old dist",
        "build_old"
    ));
    assert!(!removes_it(
        "Run `start.bat` after rm of the cache",
        "start.bat"
    ));
    assert!(!removes_it("rmate notes_old.md", "notes_old.md"));
}

#[test]
fn a_mapping_key_is_no_use_of_a_folder() {
    let key = |line: &str, name: &str| {
        let at = line.find(name).unwrap();
        mapping_key(line, at, at + name.len())
    };
    assert!(key("    \"backups\": backup_history,", "backups"));
    assert!(key("    'old_scripts': ['*_old.py'],", "'old_scripts'"));
    assert!(key("{\"backups\" : 3}", "\"backups\""));
    assert!(!key("path = os.path.join(root, 'backups')", "backups"));
    assert!(!key("dirs = ['backups', 'logs']", "backups"));
    assert!(!key("std::fs::read(\"backups\")::x", "backups"));
    assert!(!key("backups: ./backups", "backups"));
}

#[test]
fn a_path_under_a_temporary_folder_or_a_tools_home_folder_is_another_place() {
    let other = |line: &str, name: &str| in_other_place(line, line.rfind(name).unwrap());
    assert!(other("        mountPath: /tmp/scratch", "scratch"));
    assert!(other(
        r"dir: `C:\Users\hangy\.gemini\antigravity\scratch\michi`",
        "scratch"
    ));
    assert!(other(
        "\"/home/prad/.gemini/antigravity-ide/brain/451a/scratch/dump.json\"",
        "scratch"
    ));
    assert!(other("cat ~/.cache/backups/x", "backups"));
    assert!(!other("CMD python /app/scratch/run.py", "scratch"));
    assert!(!other("WORKDIR /usr/src/app/scratch", "scratch"));
    assert!(!other("cd /home/me/project/scratch && ls", "scratch"));
    assert!(!other("python scratch/check_db.py", "scratch"));
}

#[test]
fn the_value_of_a_name_key_names_a_thing_not_a_path() {
    let named = |line: &str, name: &str| {
        let at = line.rfind(name).unwrap();
        name_value(line, at, at + name.len())
    };
    assert!(named("    - name: scratch", "scratch"));
    assert!(named("  \"name\": \"shop\",", "shop"));
    assert!(named("  \"name\": \"shop\",", "\"shop\""));
    assert!(named("name: backups  # the volume", "backups"));
    assert!(!named("  filename: scratch", "scratch"));
    assert!(!named("  path: ./scratch", "scratch"));
    assert!(!named("  name: scratch/run.py", "scratch"));
    assert!(!named("python scratch/check_db.py", "scratch"));
}

#[test]
fn an_image_a_dockerfile_names_is_no_path() {
    let image = |line: &str, name: &str| image_ref(line, line.rfind(name).unwrap());
    assert!(image("FROM scratch", "scratch"));
    assert!(image("FROM python:3.12 AS backup", "backup"));
    assert!(image("COPY --from=backup /app /app", "backup"));
    assert!(!image("from scratch import linear_algebra", "scratch"));
    assert!(!image("COPY scratch/ /app/scratch/", "scratch"));
}
