//! YAML merge keys (`<<: *common`), which Compose honours and the YAML loader leaves as a key
//! named `<<`: firecrawl's compose file gives its `api` and `worker` services their `build:`
//! through `<<: *common-service`.

use std::borrow::Cow;

use yaml_rust2::Yaml;

/// The mapping `y` with its merge key resolved: the keys of the mapping (or of each mapping in
/// the sequence, earlier ones first) that `<<` names, under the mapping's own keys. One level:
/// callers resolve the mappings they read (a service, its `build`).
pub fn merged(y: &Yaml) -> Cow<'_, Yaml> {
    let Yaml::Hash(h) = y else {
        return Cow::Borrowed(y);
    };
    let key = Yaml::String("<<".into());
    let Some(from) = h.get(&key) else {
        return Cow::Borrowed(y);
    };
    let sources: Vec<&Yaml> = match from {
        Yaml::Array(a) => a.iter().collect(),
        one => vec![one],
    };
    let mut out = h.clone();
    out.remove(&key);
    for src in sources {
        // A merged mapping may merge others in turn (`<<: *base` inside `&common`).
        if let Yaml::Hash(m) = merged(src).into_owned() {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
    }
    Cow::Owned(Yaml::Hash(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_rust2::YamlLoader;

    #[test]
    fn merge_keys_fill_in_under_the_mappings_own_keys() {
        let doc = &YamlLoader::load_from_str(
            "x-a: &a {build: apps/api, image: a}\nx-b: &b {image: b, ports: [1]}\nx-c: &c {<<: *a, user: c}\nservices:\n  api: {<<: *a, image: own}\n  both: {<<: [*b, *a]}\n  deep: {<<: *c}\n  plain: {build: x}\n",
        )
        .unwrap()[0];
        let s = &doc["services"];
        let api = merged(&s["api"]);
        assert_eq!(api["build"].as_str(), Some("apps/api"));
        assert_eq!(api["image"].as_str(), Some("own"));
        assert!(api["<<"].is_badvalue());
        let both = merged(&s["both"]);
        assert_eq!(both["image"].as_str(), Some("b"));
        assert_eq!(both["build"].as_str(), Some("apps/api"));
        let deep = merged(&s["deep"]);
        assert_eq!(deep["build"].as_str(), Some("apps/api"));
        assert_eq!(deep["user"].as_str(), Some("c"));
        assert!(matches!(merged(&s["plain"]), Cow::Borrowed(_)));
    }
}
