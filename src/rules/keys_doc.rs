//! Every key the config accepts is documented: in the README and in the template `init`
//! writes. The keys come from the schema itself (serde hands each struct's field names to the
//! deserializer), so a key added to the code without its documentation fails here.

use serde::de::{self, Deserializer, Visitor};

use super::schema::{ConfigFile, Examples, GateDef, Guards, RuleDef, VerifyDef};

/// A deserializer that only records the field names a struct asks for, then stops.
struct Fields<'a>(&'a mut Vec<&'static str>);

impl<'de> Deserializer<'de> for Fields<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.extend(fields);
        Err(de::Error::custom("recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn fields<T: de::DeserializeOwned>() -> Vec<&'static str> {
    let mut v = Vec::new();
    let _ = T::deserialize(Fields(&mut v));
    assert!(
        !v.is_empty(),
        "{} records no fields",
        std::any::type_name::<T>()
    );
    v
}

/// Every key as a user writes it: `target`, `verify.health_url`, `rule.when.unreferenced`.
fn all_keys() -> Vec<String> {
    let mut keys = Vec::new();
    let mut add = |prefix: &str, names: Vec<&'static str>| {
        keys.extend(names.into_iter().map(|n| format!("{prefix}{n}")));
    };
    add("", fields::<ConfigFile>());
    add("verify.", fields::<VerifyDef>());
    add("gate.", fields::<GateDef>());
    add("rule.", fields::<RuleDef>());
    add("rule.when.", fields::<Guards>());
    add("rule.examples.", fields::<Examples>());
    // A table written with dotted keys (`when.beside = …`) is shown by its keys.
    keys.retain(|k| k != "rule.when" && k != "rule.examples");
    keys
}

/// How the key is spelt in a TOML snippet: the last part, as `key =` or a `[table]` header.
fn written(text: &str, key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap();
    let (parent, _) = key.rsplit_once('.').unwrap_or(("", ""));
    let dotted = match parent.rsplit('.').next() {
        Some(p @ ("when" | "examples")) => format!("{p}.{last} ="),
        _ => format!("{last} ="),
    };
    text.contains(&dotted)
        || text.contains(&format!("[{key}]"))
        || text.contains(&format!("[[{key}]]"))
        || text.contains(&format!("[gate.{last}]"))
}

#[test]
fn every_config_key_is_in_the_readme_and_the_init_template() {
    let readme = include_str!("../../README.md");
    let template = include_str!("../../mami-clean.template.toml");
    let keys = all_keys();
    assert!(keys.len() > 30, "{keys:?}");
    let missing: Vec<String> = keys
        .iter()
        .flat_map(|k| {
            [
                ("README.md", readme),
                ("mami-clean.template.toml", template),
            ]
            .into_iter()
            .filter(|(_, text)| !written(text, k))
            .map(move |(file, _)| format!("{file} does not show `{k}`"))
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
