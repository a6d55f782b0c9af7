//! A compose file's size once its aliases are expanded, counted from the parser's events
//! before the document is built: a "billion laughs" file (anchors nesting aliases of
//! aliases) is a few hundred bytes that expand to billions of nodes, and the loader builds
//! each copy. Past [`crate::limits::MAX_YAML_NODES`] the file is refused at the line where
//! the count passed it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

use crate::limits::MAX_YAML_NODES;

/// `Err((line, message))` when the expanded document would pass the limit; parse errors are
/// left to the loader, which reports them with their line.
pub fn check(text: &str) -> Result<(), (usize, String)> {
    let mut parser = Parser::new_from_str(text);
    // Expanded node count per anchor, and one frame (anchor, count) per open collection.
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    let mut frames: Vec<(usize, u64)> = vec![(0, 0)];
    loop {
        let Ok((ev, mark)) = parser.next_token() else {
            return Ok(());
        };
        let (n, anchor) = match ev {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(_, _, anchor, _) => (1, anchor),
            Event::Alias(id) => (sizes.get(&id).copied().unwrap_or(1), 0),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                frames.push((anchor, 0));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match frames.pop() {
                Some((anchor, count)) => (count.saturating_add(1), anchor),
                None => return Ok(()),
            },
            _ => continue,
        };
        if anchor > 0 {
            sizes.insert(anchor, n);
        }
        let top = frames.last_mut().map(|f| &mut f.1);
        let total = top.map(|c| {
            *c = c.saturating_add(n);
            *c
        });
        if n > MAX_YAML_NODES || total.is_some_and(|t| t > MAX_YAML_NODES) {
            return Err((
                mark.line(),
                format!(
                    "expands to more than {MAX_YAML_NODES} nodes once its aliases are resolved (a YAML alias bomb?); refused"
                ),
            ));
        }
    }
}
