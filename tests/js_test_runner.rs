//! A JavaScript test beside Python tests runs when jest or vitest is configured above it
//! (Dez-009/Gold-standard-Orchestration: `tests/*.test.tsx` beside `conftest.py`, run by the
//! root `jest.config.js`): reviewed with the config's line, never deleted. Without a runner
//! above it, nothing picks it up, and it goes.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_js_test_below_a_jest_config_is_run_by_it() {
    let r = Repo::new(&[
        ("tests/conftest.py", "import pytest\n"),
        ("tests/test_api.py", "def test_api():\n    assert True\n"),
        ("tests/ui.test.tsx", "test('renders', () => {});\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, "tests/ui.test.tsx")["action"], "delete");

    r.write(
        "jest.config.js",
        "module.exports = {\n  testMatch: ['<rootDir>/tests/**/*.test.{ts,tsx}'],\n};\n",
    );
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "jest"]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "tests/ui.test.tsx");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "test-runner", "{e}");
    assert_eq!(e["referenced_by"]["file"], "jest.config.js", "{e}");
    assert_eq!(e["referenced_by"]["line"], 2, "{e}");
}

#[test]
fn a_package_json_that_names_vitest_runs_its_tests_too() {
    let r = Repo::new(&[
        ("tests/conftest.py", "import pytest\n"),
        ("tests/widget.spec.ts", "it('works', () => {});\n"),
        (
            "package.json",
            "{\n  \"scripts\": {\n    \"test\": \"vitest run\"\n  },\n  \"devDependencies\": {\n    \"vitest\": \"^1.0.0\"\n  }\n}\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "tests/widget.spec.ts");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "package.json", "{e}");
}
