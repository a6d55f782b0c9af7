//! `trust` and `init`: the repository's config.

use super::*;

pub(super) fn trust(cli: &Cli, format: &Format) -> anyhow::Result<Outcome> {
    let repo = open_root(cli.dir.as_deref())?;
    let path = cli
        .config
        .clone()
        .unwrap_or_else(|| repo.root.join(config::FILE_NAME));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    // Refuse what load would refuse (symlinks, bad TOML) before recording trust in it.
    config::load(Some(&repo.root), Some(&path))?;
    let store = mami_clean::trust::record(&path, &text)?;
    let t = report::Trusted {
        config: path.display().to_string(),
        blake3: blake3::hash(text.as_bytes()).to_hex().to_string(),
        store: store.display().to_string(),
    };
    match format {
        Format::Human => write_human(&report::trusted_human(&t))?,
        Format::Json => write_out(&report::to_json(&t))?,
    }
    Ok(Outcome::Ok)
}

pub(super) fn init(cli: &Cli, force: &bool) -> anyhow::Result<Outcome> {
    let repo = open_root(cli.dir.as_deref())?;
    let path = cli
        .config
        .clone()
        .unwrap_or_else(|| repo.root.join(config::FILE_NAME));
    // Never through a link, never outside the repository unless named outside it.
    let place = mami_clean::fsx::Place::named(&repo.root, &path, false)?;
    if place.existing()?.is_some() && !force {
        bail!("{} exists; pass --force to overwrite it", path.display());
    }
    place.replace(config::TEMPLATE.as_bytes(), None)?;
    write_out(&format!(
        "wrote {}\n",
        visible(&place.path().display().to_string())
    ))?;
    Ok(Outcome::Ok)
}

/// Completions generated from the clap definitions, so they never lag the flags.
pub(super) fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::args::command(), "mami-clean", &mut out);
    write_out(&String::from_utf8_lossy(&out))?;
    Ok(Outcome::Ok)
}

/// The man page, from the same definitions.
pub(super) fn man() -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::args::command()).render(&mut out)?;
    write_out(&String::from_utf8_lossy(&out))?;
    Ok(Outcome::Ok)
}
