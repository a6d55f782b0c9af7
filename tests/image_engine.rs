//! What lands in the image, checked on a real Engine started by the test: for `FROM scratch`
//! Dockerfiles (single and multi-stage, globs, WORKDIR, a file copied twice, a
//! `.dockerignore`, a stage built `FROM` another and its WORKDIR, `--target`, `FROM` lines with a platform or
//! global `ARG`), the bytes `mami-clean context`
//! says the built stage copies in equal the
//! image's size as `docker image inspect` reports it: on these images the size is exactly the
//! files' bytes (directories and layer metadata count 0; measured here, and in
//! ../shared/research/docker-engine.md: 1,982,259 B = busybox 1,982,256 + a 3-byte file).

mod common;

use std::path::Path;

use common::engine::Engine;
use common::*;

/// (name, Dockerfile, .dockerignore, --target)
const CASES: &[(&str, &str, &str, Option<&str>)] = &[
    ("copy-all", "FROM scratch\nCOPY . /app\n", "node_modules\n*.log\n", None),
    ("two-copies", "FROM scratch\nCOPY src /app/src\nCOPY README.md /doc/readme\n", "", None),
    ("glob", "FROM scratch\nCOPY *.txt /t/\n", "", None),
    (
        "multi-stage",
        "FROM scratch AS build\nCOPY . /b\nFROM scratch\nCOPY --from=build /b/dist /dist\nCOPY --from=0 /b/a.txt /a.txt\n",
        "",
        None,
    ),
    ("workdir-twice", "FROM scratch\nWORKDIR /w\nCOPY a.txt .\nCOPY a.txt ./again\n", "", None),
    ("dir-trailing-slash", "FROM scratch\nCOPY src/ /s/\nCOPY [\"dist\", \"/d\"]\n", "src/skip.py\n", None),
    // ADD extracts a local tar (plain and gzip); COPY does not.
    ("add-archives", "FROM scratch\nADD app.tar /opt/\nADD app.tar.gz /opt2/\nCOPY app.tar /raw.tar\n", "", None),
    // A stage built FROM another starts with its layers (docker/awesome-compose's django and
    // angular: `FROM builder as dev-envs`); `--target` (compose `build.target`) picks the stage.
    ("from-stage", "FROM scratch AS base\nCOPY a.txt /a\nFROM base\nCOPY b.txt /b\n", "", None),
    (
        "target",
        "FROM scratch AS Base\nCOPY src /src\nFROM base AS dev\nCOPY a.txt /a\nFROM scratch\nCOPY b.txt /b\n",
        "",
        Some("dev"),
    ),
    // WORKDIR is inherited from the stage built on (maybe-finance/maybe: `COPY . .` in a
    // stage FROM a base with `WORKDIR /rails`), and a stage copied from is a filesystem: the
    // file written twice there is one file in the image.
    (
        "inherited-workdir",
        "FROM scratch AS base\nWORKDIR /rails\nFROM base AS build\nCOPY README.md ./\nCOPY . .\nFROM base\nCOPY --from=build /rails /rails\n",
        "",
        None,
    ),
    // The stage a FROM line names through BuildKit's platform ARG and a global ARG.
    (
        "platform-arg",
        "FROM scratch AS base-amd64\nCOPY a.txt /a\nFROM scratch AS base-arm64\nCOPY b.txt /b\nFROM base-${TARGETARCH}\nCOPY README.md /r\n",
        "",
        None,
    ),
    (
        "global-arg",
        "ARG VARIANT=full\nFROM scratch AS app-slim\nCOPY a.txt /a\nFROM scratch AS app-full\nCOPY src /src\nFROM app-${VARIANT}\n",
        "",
        None,
    ),
];

const FILES: &[(&str, usize)] = &[
    ("a.txt", 11),
    ("b.txt", 222),
    ("README.md", 3_333),
    ("src/main.py", 4_444),
    ("src/lib/util.py", 555),
    ("src/skip.py", 66),
    ("dist/app.js", 77_777),
    ("node_modules/x/index.js", 8_888),
    ("debug.log", 999),
];

/// [`FILES`] under `ctx`.
fn write_files(ctx: &Path) {
    for (f, n) in FILES {
        let p = ctx.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, vec![b'x'; *n]).unwrap();
    }
}

fn image_size(e: &Engine, tag: &str) -> u64 {
    let o = e.docker(&["image", "inspect", "--format", "{{.Size}}", tag]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).trim().parse().unwrap()
}

/// Build `df` over `ctx` on the engine (`extra` flags, `--target`) as the image `name`: a line
/// saying how the forecast differs from the image's size, if it does.
fn built_as_forecast(
    e: &Engine,
    name: &str,
    ctx: &Path,
    df: &Path,
    target: Option<&str>,
    extra: &[&str],
) -> Option<String> {
    let tag = format!("mce-image-{name}");
    let mut args = vec!["build", "-q"];
    args.extend(extra);
    args.extend(["-t", &tag, "-f", df.to_str().unwrap()]);
    if let Some(t) = target {
        args.extend(["--target", t]);
    }
    args.push(ctx.to_str().unwrap());
    let o = e.docker(&args);
    assert!(o.status.success(), "{name}: {}", stderr(&o));
    let (got, want) = (forecast(ctx, df, target), image_size(e, &tag));
    (got != want).then(|| format!("{name}: image {want} B, forecast {got} B"))
}

fn forecast(ctx: &Path, df: &Path, target: Option<&str>) -> u64 {
    let mut cmd = bin();
    cmd.args(["context", "--format", "json", "-f"])
        .arg(df)
        .arg(ctx);
    if let Some(t) = target {
        cmd.args(["--target", t]);
    }
    let o = cmd.output().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    v["image_bytes"]
        .as_u64()
        .unwrap_or_else(|| panic!("no image_bytes: {v}"))
}

#[test]
fn the_forecast_equals_the_image_size() {
    let Some(e) = Engine::start_or_skip("image sizes on an engine") else {
        return;
    };
    let mut wrong = Vec::new();
    for (name, dockerfile, ignore, target) in CASES {
        let t = tempfile::tempdir().unwrap();
        let ctx = t.path().join("ctx");
        write_files(&ctx);
        for (archive, z) in [("app.tar", "-cf"), ("app.tar.gz", "-czf")] {
            let ok = std::process::Command::new("tar")
                .arg(z)
                .arg(ctx.join(archive))
                .arg("-C")
                .arg(ctx.join("src"))
                .arg(".")
                .status()
                .unwrap();
            assert!(ok.success());
        }
        // The Dockerfile outside the context, so COPY . does not take it.
        let df = t.path().join("Dockerfile");
        std::fs::write(&df, dockerfile).unwrap();
        if !ignore.is_empty() {
            std::fs::write(ctx.join(".dockerignore"), ignore).unwrap();
        }
        wrong.extend(built_as_forecast(&e, name, &ctx, &df, *target, &[]));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// BuildKit runs only the stages the built one needs: a COPY in another stage of a file the
/// context lacks neither fails the build nor is reported (Alice's `target: production` never
/// runs its `development` stage's COPY of a missing entrypoint); the build that targets that
/// stage fails on the engine, and the audit says so for it alone.
#[test]
fn a_copy_in_a_stage_the_build_skips_neither_fails_it_nor_is_reported() {
    let Some(e) = Engine::start_or_skip("skipped stages on an engine") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let dockerfile = "FROM scratch AS dev\nCOPY missing-dev.txt /m\nFROM scratch AS assets\nCOPY a.txt /a\nFROM scratch\nCOPY --from=assets /a /a\nCOPY b.txt /b\n";
    std::fs::write(root.join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(root.join("a.txt"), "a\n").unwrap();
    std::fs::write(root.join("b.txt"), "b\n").unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  app:\n    build: .\n  dev:\n    build:\n      context: .\n      target: dev\n",
    )
    .unwrap();
    let dir = root.to_str().unwrap();
    let o = e.docker(&["build", "-q", "-t", "mce-skipped-app", dir]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = e.docker(&[
        "build",
        "-q",
        "--target",
        "dev",
        "-t",
        "mce-skipped-dev",
        dir,
    ]);
    assert!(!o.status.success(), "the dev stage built without its file");

    let o = run(root, &["audit", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let missing: Vec<(&str, &str)> = findings(&a, "copy-source-missing")
        .iter()
        .map(|f| (f["build"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert!(missing[0].0.ends_with("service dev"), "{missing:#?}");
    assert!(
        missing[0].1.starts_with("COPY `missing-dev.txt` (line 2)"),
        "{missing:#?}"
    );
}

/// A stage's filesystem is what `COPY --from` takes, and a `RUN rm` there removes from it
/// (healthchecks' builder stage copies the context, then `rm -rf /opt/healthchecks/.git`; its
/// final stage copies the rest): the forecast leaves out what the builder removed, in exec
/// and shell form, and keeps counting what a stage's own layers still hold.
#[test]
fn what_a_builder_stage_removes_is_not_copied_from_it() {
    const BUSYBOX: &str = "/bin/busybox";
    let busybox = Path::new(BUSYBOX)
        .exists()
        .then(|| Path::new(BUSYBOX).to_path_buf());
    if required(busybox, BUSYBOX, "apt-get install busybox-static").is_none() {
        return;
    }
    let Some(e) = Engine::start_or_skip("RUN rm before COPY --from on an engine") else {
        return;
    };
    let cases: &[(&str, &str)] = &[
        (
            "rm-exec-and-shell",
            "FROM scratch AS build\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\nCOPY . /b\n\
             RUN [\"/bin/busybox\", \"rm\", \"-rf\", \"/b/src\", \"/b/debug.log\"]\n\
             WORKDIR /b\nRUN rm -rf node_modules && rm dist/app.js\n\
             FROM scratch\nCOPY --from=build /b /app\n",
        ),
        // The stage's own layers keep what its RUN removed: built itself, it counts whole.
        (
            "rm-in-built-stage",
            "FROM scratch\nCOPY busybox /bin/busybox\nCOPY . /b\n\
             RUN [\"/bin/busybox\", \"rm\", \"-rf\", \"/b/src\"]\n",
        ),
        // A COPY after the rm puts the file back.
        (
            "copied-again",
            "FROM scratch AS build\nCOPY busybox /bin/busybox\nCOPY . /b\n\
             RUN [\"/bin/busybox\", \"rm\", \"-rf\", \"/b/src\"]\nCOPY src/main.py /b/src/main.py\n\
             FROM scratch\nCOPY --from=build /b /app\n",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, dockerfile) in cases {
        let t = tempfile::tempdir().unwrap();
        let ctx = t.path().join("ctx");
        write_files(&ctx);
        std::fs::copy(BUSYBOX, ctx.join("busybox")).unwrap();
        let df = t.path().join("Dockerfile");
        std::fs::write(&df, dockerfile).unwrap();
        // RUN needs a network, and the test's daemon has no bridge: the host's.
        let host = ["--network", "host"];
        wrong.extend(built_as_forecast(&e, name, &ctx, &df, None, &host));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A Dockerfile with no `FROM` (total-recall's backend Dockerfile is one comment line), or
/// another instruction before its first `FROM`: the engine refuses both, and the audit says
/// so, one error each (two builds of one from two contexts are one problem), at the
/// instruction where there is one.
#[test]
fn a_dockerfile_without_a_stage_fails_on_the_engine_and_in_the_audit() {
    let Some(e) = Engine::start_or_skip("Dockerfiles without a stage on an engine") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let files = [
        ("api/Dockerfile", "# Container configuration\n"),
        ("worker/Dockerfile", "ARG V=1\nCOPY . /app\nFROM scratch\n"),
        (
            "web/Dockerfile",
            "# syntax comment\nARG V=1\nFROM scratch\nCOPY . /app\n",
        ),
        // A byte order mark, as Windows editors write one: BuildKit drops it, and so does
        // Compose's YAML parser for the compose file below (AgentFlow-Eval's).
        ("bom/Dockerfile", "\u{feff}FROM scratch\nCOPY . /app\n"),
    ];
    for (f, text) in files {
        std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
        std::fs::write(root.join(f), text).unwrap();
    }
    std::fs::write(
        root.join("compose.yaml"),
        "\u{feff}services:\n  api:\n    build: ./api\n  api2:\n    build:\n      context: .\n      dockerfile: api/Dockerfile\n  worker:\n    build: ./worker\n  web:\n    build: ./web\n  bom:\n    build: ./bom\n",
    )
    .unwrap();
    for (dir, builds) in [
        ("api", false),
        ("worker", false),
        ("web", true),
        ("bom", true),
    ] {
        let o = e.docker(&["build", "-q", root.join(dir).to_str().unwrap()]);
        assert_eq!(o.status.success(), builds, "{dir}: {}", stderr(&o));
    }
    let o = run(root, &["audit", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(findings(&a, "compose-refused").is_empty(), "{a:#}");
    let bom = (a["builds"].as_array().unwrap().iter())
        .find(|b| b["name"] == "compose.yaml: service bom")
        .unwrap_or_else(|| panic!("{a:#}"));
    // `COPY . /app` copies its one file, the Dockerfile: 3 bytes of mark and 25 of text.
    assert_eq!(bom["image_bytes"], 28, "{bom}");
    let errors: Vec<(&str, &serde_json::Value, &str)> = findings(&a, "missing-build-input")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                &f["line"],
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].0, "api/Dockerfile");
    assert!(
        errors[0]
            .2
            .ends_with("has no `FROM` instruction: the build fails"),
        "{errors:#?}"
    );
    assert_eq!(errors[1].0, "worker/Dockerfile");
    assert_eq!(errors[1].1, 2);
    assert!(
        errors[1]
            .2
            .contains("has `COPY` (line 2) before any `FROM`"),
        "{errors:#?}"
    );
}
