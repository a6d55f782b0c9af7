//! A COPY source the project makes from a template it commits beside it (devika copies
//! `config.toml`, its README says `cp sample.config.toml config.toml` first): the fix is that
//! `cp`, not "create or commit it". Where one source has no template, the usual fix stays.
//! Where git ignores every missing source, they are build output a step before the build
//! makes (longhorn-engine's `COPY bin/longhorn`, compiled by `scripts/build` into its ignored
//! `/bin`): nothing to commit, and the script line that makes one is named.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_missing_copy_source_with_a_template_beside_it_is_made_from_the_template() {
    let r = Repo::new(&[
        (
            "api/Dockerfile",
            "FROM scratch\nCOPY config.toml /app/\nCOPY conf/app.yml /app/\n",
        ),
        ("api/sample.config.toml", "key = \"\"\n"),
        ("api/conf/app.example.yml", "port: 80\n"),
        (
            "web/Dockerfile",
            "FROM scratch\nCOPY settings.json /app/\nCOPY dist/ /app/dist/\n",
        ),
        ("web/settings.json.example", "{}\n"),
        (
            "svc/Dockerfile",
            "FROM scratch\nCOPY bin/server /usr/local/bin/\nCOPY dist /srv/\n",
        ),
        ("svc/main.go", "package main\n"),
        ("Makefile", "server:\n\tgo build -o svc/bin/server ./svc\n"),
        // The file made from the template is ignored too; `bin/` and `dist/` are build output.
        (".gitignore", "config.toml\napp.yml\nbin/\n/svc/dist/\n"),
    ]);
    let a = r.audit();
    let missing = findings(&a, "copy-source-missing");
    assert_eq!(missing.len(), 3, "{missing:?}");
    let fix = |df: &str| {
        let f = missing.iter().find(|f| f["path"] == df).unwrap();
        f["fix"].as_str().unwrap().to_string()
    };
    assert_eq!(
        fix("api/Dockerfile"),
        "create them from the template beside them before the build (`cp sample.config.toml config.toml`, `cp conf/app.example.yml conf/app.yml`, then fill in the values): a file made from a template holds each machine's settings, often keys, so it is not committed"
    );
    // `dist/` has none: the build's own step makes it, or someone commits it.
    assert!(
        fix("web/Dockerfile").starts_with("create or commit them in `web`"),
        "{}",
        fix("web/Dockerfile")
    );
    // The step that makes one of them is named.
    assert_eq!(
        fix("svc/Dockerfile"),
        "make them before `docker build` wherever the image is built, CI included (`Makefile:2` makes `svc/bin/server`: `go build -o svc/bin/server ./svc`), or in a stage of the Dockerfile"
    );
    let svc = missing
        .iter()
        .find(|f| f["path"] == "svc/Dockerfile")
        .unwrap();
    let msg = svc["message"].as_str().unwrap();
    assert!(
        msg.contains("are not in the build context `svc` of svc/Dockerfile, and git ignores them: build output"),
        "{msg}"
    );
}

/// DevAssist-Pro-2's `backend/docker-compose.yml` builds `./api_gateway` with a Dockerfile
/// that copies `api_gateway/requirements.txt` and `shared`, paths written from `backend/`:
/// the fix names that folder and the `dockerfile:` to give from there. A source no folder
/// above holds keeps the usual fix.
#[test]
fn sources_all_in_a_folder_above_the_context_name_that_folder() {
    let r = Repo::new(&[
        (
            "backend/docker-compose.yml",
            "services:\n  gw:\n    build:\n      context: ./api_gateway\n      dockerfile: Dockerfile\n  auth:\n    build: ./auth\n",
        ),
        (
            "backend/api_gateway/Dockerfile",
            "FROM scratch\nCOPY api_gateway/requirements.txt /app/\nCOPY shared /app/shared\n",
        ),
        ("backend/api_gateway/requirements.txt", "fastapi\n"),
        ("backend/shared/db.py", "x = 1\n"),
        ("backend/auth/Dockerfile", "FROM scratch\nCOPY nowhere.txt /app/\n"),
    ]);
    let a = r.audit();
    let missing = findings(&a, "copy-source-missing");
    assert_eq!(missing.len(), 2, "{missing:?}");
    let fix = |df: &str| {
        let f = missing.iter().find(|f| f["path"] == df).unwrap();
        f["fix"].as_str().unwrap().to_string()
    };
    let gw = fix("backend/api_gateway/Dockerfile");
    assert!(
        gw.starts_with("they are in `backend`, a folder above the context")
            && gw.contains("`dockerfile: api_gateway/Dockerfile`")
            && gw.contains("`docker build -f backend/api_gateway/Dockerfile backend`"),
        "{gw}"
    );
    assert!(fix("backend/auth/Dockerfile").starts_with("create or commit it"));
}

/// A source git does not ignore, which a CI step makes from an example kept elsewhere
/// (dokploy's workflow: `cp apps/dokploy/.env.production.example .env.production` before its
/// `COPY .env.production ./.env`): the fix names that step.
#[test]
fn a_missing_source_a_ci_step_makes_is_made_there() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY .env.production ./.env\n"),
        ("apps/web/.env.production.example", "PORT=3000\n"),
        (
            ".github/workflows/build.yml",
            "jobs:\n  build:\n    steps:\n      - run: |\n          cp apps/web/.env.production.example .env.production\n          docker build .\n",
        ),
    ]);
    let a = r.audit();
    let missing = findings(&a, "copy-source-missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    let fix = missing[0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("make it before `docker build` wherever the image is built (`.github/workflows/build.yml:5` makes `.env.production`:"),
        "{fix}"
    );
}

/// A step that runs in a folder of its own: TaskingAI's `backend/Dockerfile` copies
/// `./nltk_data`, git-ignored, which its workflows make with `mkdir nltk_data` under
/// `defaults: run: working-directory: ${{ env.WORK_DIR }}` (`WORK_DIR: backend`).
#[test]
fn a_ci_step_in_a_working_directory_is_named_as_the_maker() {
    let wf = "env:\n  WORK_DIR: backend\ndefaults:\n  run:\n    working-directory: ${{ env.WORK_DIR }}\njobs:\n  test:\n    steps:\n      - run: |\n          mkdir nltk_data\n          python -m nltk.downloader -d nltk_data punkt\n";
    let r = Repo::new(&[
        (
            "backend/Dockerfile",
            "FROM scratch\nCOPY ./nltk_data /app/nltk_data\n",
        ),
        ("backend/app.py", "print(1)\n"),
        (".gitignore", "nltk_data/\n"),
        (".github/workflows/test.yml", wf),
    ]);
    let a = r.audit();
    let missing = findings(&a, "copy-source-missing");
    assert_eq!(missing.len(), 1, "{a:#}");
    let fix = missing[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains(
            "(`.github/workflows/test.yml:10` makes `backend/nltk_data`: `mkdir nltk_data`)"
        ),
        "{fix}"
    );
}

/// uptime-kuma's `extra/uptime-kuma-push/package.json` makes the ignored `./build/` and builds
/// the image in one script (`npm run build-all && docker buildx build … .`): the output is
/// made every time the image is, and there is nothing to warn of. A Makefile that makes it
/// without building the image leaves the warning, naming its line.
#[test]
fn a_script_that_makes_the_output_and_builds_the_image_needs_no_warning() {
    let scripts = "{\n  \"scripts\": {\n    \"build-docker\": \"npm run build-all && docker buildx build --platform linux/amd64 -t me/push . --push --target release\",\n    \"build-all\": \"go build -o ./build/push-amd64 push.go\"\n  }\n}\n";
    let dockerfile = "FROM scratch AS release\nCOPY ./build/ /bin/\n";
    let r = Repo::new(&[
        ("extra/push/Dockerfile", dockerfile),
        ("extra/push/push.go", "package main\n"),
        ("extra/push/package.json", scripts),
        (".gitignore", "extra/push/build/\n"),
    ]);
    let a = r.audit();
    assert!(findings(&a, "copy-source-missing").is_empty(), "{a:#}");
    let r = Repo::new(&[
        ("extra/push/Dockerfile", dockerfile),
        ("extra/push/push.go", "package main\n"),
        (
            "extra/push/Makefile",
            "all:\n\tgo build -o ./build/push-amd64 push.go\n",
        ),
        (".gitignore", "extra/push/build/\n"),
    ]);
    let a = r.audit();
    let missing = findings(&a, "copy-source-missing");
    assert_eq!(missing.len(), 1, "{a:#}");
    let fix = missing[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("(`extra/push/Makefile:2` makes `extra/push/build`"),
        "{fix}"
    );
}
