//! A compose file's text as Compose reads it: UTF-8, the flow lines Compose takes and the loader
//! would refuse re-indented, the size bound checked, the loader's errors in Compose's words.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use super::compose::{refused, yaml_err};
use crate::error::Result;

/// The compose file `file`, read and parsed.
pub(super) fn load(file: &Path) -> Result<Yaml> {
    parse(file, &read(file)?)
}

/// The text of the compose file `file`.
pub(super) fn read(file: &Path) -> Result<String> {
    let text = crate::fsx::read_regular(file, crate::limits::MAX_BUILD_FILE_BYTES, true)?
        .ok_or_else(|| crate::Error::io(file, std::io::ErrorKind::NotFound.into()))?;
    String::from_utf8(text).map_err(|_| refused(file, 0, "not UTF-8 text".into()))
}

/// `text`, the compose file `file`, parsed (its first document).
pub(super) fn parse(file: &Path, text: &str) -> Result<Yaml> {
    // A byte order mark (Windows editors write one) is no text to YAML 1.2, which Compose's
    // parser follows; yaml-rust2 took it for content and refused the file (AgentFlow-Eval's
    // `backend/docker-compose.yml`: "did not find expected <document start>").
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines Compose takes and the loader would refuse (see yaml_flow), then the bound.
    let text = super::yaml_flow::indent_flow_lines(text);
    super::yaml_bound::check(&text).map_err(|(line, m)| yaml_err(file, line, m))?;
    let docs = YamlLoader::load_from_str(&text)
        .map_err(|e| refused(file, e.marker().line(), yaml_message(e.info())))?;
    Ok(docs.into_iter().next().unwrap_or(Yaml::Null))
}

/// The loader's message in Compose's words where they differ: a key written twice in one
/// mapping is `String("version"): duplicated key in mapping` to yaml-rust2 and `mapping key
/// "version" already defined` to Compose (which refuses the file too; PyYAML, behind
/// docker-compose v1, silently keeps the last).
fn yaml_message(info: &str) -> String {
    let Some(key) = info.strip_suffix(": duplicated key in mapping") else {
        return info.to_string();
    };
    let key = match key.split_once('(') {
        Some((_, inner)) => inner.strip_suffix(')').unwrap_or(inner),
        None => key,
    };
    let key = key.trim_matches('"');
    format!("mapping key \"{key}\" already defined")
}
