use super::*;

fn files() -> Vec<(&'static str, u64)> {
    [
        ("app/main.py", 10),
        ("app/lib/x.py", 20),
        ("README.md", 5),
        ("a.txt", 1),
        ("b.txt", 2),
        ("dist/app.js", 100),
    ]
    .to_vec()
}

#[test]
fn final_stage_bytes() {
    let f = files();
    let b = |df: &str| image_bytes(df, None, None, &f).unwrap();
    assert_eq!(b("FROM scratch\nCOPY . /app\n"), 138);
    assert_eq!(
        b("FROM scratch\nCOPY app /srv\nCOPY README.md /doc/readme\n"),
        35
    );
    assert_eq!(b("FROM scratch\nCOPY *.txt /t/\n"), 3);
    assert_eq!(
        b("FROM x AS build\nCOPY . /b\nRUN make\nFROM scratch\nCOPY --from=build /b/dist /dist\n"),
        100
    );
    assert_eq!(
        b("FROM scratch\nWORKDIR /w\nCOPY app/main.py .\nCOPY --from=alpine /bin/sh /sh\n"),
        10
    );
    // Two layers with the same file: both count, as the image's size does.
    assert_eq!(b("FROM scratch\nCOPY a.txt /x\nCOPY a.txt /x\n"), 2);
    assert_eq!(b("FROM scratch\nCOPY --exclude=**/*.py . /app\n"), 108);
    assert_eq!(image_bytes("# nothing\n", None, None, &f), None);
    // A glob that matches a directory copies its contents, where a later stage finds them.
    let chain = "FROM scratch AS b\nCOPY di* /out/\nFROM scratch\nCOPY --from=b /out/app.js /x\n";
    assert_eq!(b(chain), 100);
}

/// A stage built `FROM` an earlier one starts with its layers (docker/awesome-compose's
/// django: `FROM builder as dev-envs` after the builder's `COPY . /app`).
#[test]
fn stages_built_from_a_stage_carry_its_copies() {
    let f = files();
    let b = |df: &str, t: Option<&str>| image_bytes(df, t, None, &f);
    let df = "FROM python AS Builder\nCOPY app /app\nFROM builder as dev\nCOPY a.txt /a\nFROM scratch AS other\nCOPY b.txt /b\n";
    assert_eq!(b(df, None), Some(2));
    assert_eq!(b(df, Some("dev")), Some(31));
    assert_eq!(b(df, Some("BUILDER")), Some(30));
    // The build fails without the stage: no estimate.
    assert_eq!(b(df, Some("missing")), None);
    // `COPY --from` a stage takes what that stage inherited too.
    let from =
        "FROM scratch AS a\nCOPY app /app\nFROM a AS b\nFROM scratch\nCOPY --from=b /app /x\n";
    assert_eq!(b(from, None), Some(30));
    // Its working directory too: `COPY . .` lands where the base stage's WORKDIR left it
    // (maybe-finance/maybe's Rails Dockerfile), and a FROM an image starts at `/` again.
    let wd = "FROM ruby AS base\nWORKDIR /rails\nFROM base AS build\nCOPY . .\nFROM base\nCOPY --from=build /rails /rails\n";
    assert_eq!(b(wd, None), Some(138));
    // The stage copied from is a filesystem: a file its layers wrote twice is there once.
    let twice = "FROM ruby AS base\nWORKDIR /rails\nFROM base AS build\nCOPY README.md ./\nCOPY . .\nFROM base\nCOPY --from=build /rails /rails\n";
    assert_eq!(b(twice, None), Some(138));
    let reset = "FROM ruby AS base\nWORKDIR /rails\nFROM ruby AS build\nCOPY . .\nFROM base\nCOPY --from=build /rails /rails\n";
    assert_eq!(b(reset, None), Some(0));
    // An image that is not a stage brings nothing of the context.
    assert_eq!(
        b("FROM scratch AS a\nCOPY a.txt /a\nFROM alpine\n", None),
        Some(0)
    );
}

/// `FROM build-${TARGETARCH}` (anything-llm's Dockerfile) and `FROM app-${VARIANT}` with a
/// global `ARG VARIANT=slim` find their stage; an unknown variable is empty, as in Docker.
#[test]
fn from_lines_see_global_and_platform_args() {
    let f = files();
    let b = |df: &str| image_bytes(df, None, None, &f);
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    let df = format!(
        "FROM scratch AS base-{arch}\nCOPY app /app\nFROM scratch AS base-other\nCOPY a.txt /a\nFROM base-${{TARGETARCH}}\nCOPY b.txt /b\n"
    );
    assert_eq!(b(&df), Some(32));
    let global = "ARG VARIANT=slim\nFROM scratch AS app-slim\nCOPY a.txt /a\nFROM scratch AS app-full\nCOPY app /app\nFROM app-$VARIANT\n";
    assert_eq!(b(global), Some(1));
    // An ARG declared inside a stage is not the FROM line's.
    let inner = "FROM scratch AS app-slim\nCOPY a.txt /a\nARG VARIANT=slim\nFROM app-${VARIANT}\n";
    assert_eq!(b(inner), Some(0));
}

/// What BuildKit transfers: the COPY/ADD and bind-mount sources; anything where a variable or
/// a whole-context mount leaves it open.
#[test]
fn context_reads_are_the_copy_add_and_bind_mount_sources() {
    use crate::docker::dockerfile::{context_reads, is_read};
    let df = "FROM python AS b\nCOPY requirements.txt /r/\nADD https://x/y.tgz /\nCOPY --from=alpine /bin/sh /sh\nRUN --mount=type=bind,source=scripts,target=/s <<EOF\nsh /s/x\nEOF\nRUN --mount=type=cache,target=/root/.cache pip install\nFROM b\nCOPY app/*.py /app/\n";
    let r = context_reads(df).unwrap();
    assert_eq!(r, ["requirements.txt", "app/*.py", "scripts"]);
    for (p, want) in [
        ("requirements.txt", true),
        ("scripts/x.sh", true),
        ("app/main.py", true),
        ("app/sub/x.py", false),
        (".env", false),
        ("app/.env", false),
    ] {
        assert_eq!(is_read(&r, p.as_bytes()), want, "{p}");
    }
    assert!(is_read(
        &context_reads("FROM x\nCOPY . /app\n").unwrap(),
        b".env"
    ));
    assert_eq!(context_reads("FROM x\nARG D=app\nCOPY $D /app\n"), None);
    // A variable inside a name is any text there; a platform word may stand alone.
    let named = "FROM x\nARG V\nCOPY bin-${TARGETARCH} app-$V.jar ${TARGETOS}/run /\n";
    let r = context_reads(named).unwrap();
    assert_eq!(r, ["bin-*", "app-*.jar", "*/run"]);
    assert!(is_read(&r, b"bin-amd64") && !is_read(&r, b".git/HEAD"));
    assert_eq!(context_reads("FROM x\nARG D\nCOPY ${D}/x /app\n"), None);
    assert_eq!(
        context_reads("FROM x\nRUN --mount=target=/src make\n"),
        None
    );
}
