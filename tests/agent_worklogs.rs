//! The work log Z.ai's agent keeps at the root of the app it writes (`worklog.md`, one block
//! per task: `Task ID:`, `Agent:`, `Work Log:`): committed in 1,138+ public repositories, and no
//! part of the app. A person's own `worklog.md` (a study diary by date) stays.

mod common;

use common::repo::Repo;
use common::*;

const AGENT_LOG: &str = "# ShopAI - Worklog\n\n---\nTask ID: 1\nAgent: Main Developer\nTask: Set up database schema\n\nWork Log:\n- Created Prisma schema\n\nStage Summary:\n- Schema complete\n";

#[test]
fn an_agents_worklog_goes_and_a_persons_stays() {
    let r = Repo::new(&[
        ("package.json", "{\"name\": \"shopai\"}\n"),
        ("worklog.md", AGENT_LOG),
        ("docs/worklog.md", AGENT_LOG),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "worklog.md");
    assert_eq!(
        (e["action"].as_str(), e["rule"].as_str()),
        (Some("delete"), Some("agent-worklogs")),
        "{e}"
    );
    assert!(entry_at(&plan, "docs/worklog.md").is_none(), "{plan}");
    let diary = "# Work log\n## 2015-04-07\n\tLearned brew and nginx\n## 2015-04-08\n\tgit clone\n";
    let r = Repo::new(&[("app.py", "print(1)\n"), ("worklog.md", diary)]);
    let plan = plan_json(&r.root, &[]);
    assert!(entry_at(&plan, "worklog.md").is_none(), "{plan}");
}
