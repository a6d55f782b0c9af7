//! A directory's entries kept in path order while its subdirectories are walked apart (in
//! parallel): its own entries, met in name order, are cut into runs at each subdirectory, and
//! each subdirectory's result goes between the run before it and the next. A listing built
//! this way comes out sorted (names in byte order, walked depth first, is the component order
//! of [`super::RelPath`]), so nobody sorts it afterwards.

pub struct Runs<T>(Vec<Vec<T>>);

/// One piece of a directory's listing, in order: a run of its own entries, or what one
/// subdirectory gave.
pub enum Part<T, S> {
    Run(Vec<T>),
    Sub(S),
}

impl<T> Default for Runs<T> {
    fn default() -> Self {
        Runs(vec![Vec::new()])
    }
}

impl<T> Runs<T> {
    /// An entry of the directory itself, after every entry and subdirectory met so far.
    pub fn push(&mut self, t: T) {
        self.0.last_mut().expect("one run at least").push(t);
    }

    /// A subdirectory, met here in name order.
    pub fn cut(&mut self) {
        self.0.push(Vec::new());
    }

    /// The runs with `subs` (one per [`Self::cut`], in order) between them; empty runs left
    /// out.
    pub fn between<S>(self, subs: impl IntoIterator<Item = S>) -> Vec<Part<T, S>> {
        let mut runs = self.0.into_iter();
        let mut out = Vec::new();
        for s in subs {
            out.extend(runs.next().filter(|r| !r.is_empty()).map(Part::Run));
            out.push(Part::Sub(s));
        }
        out.extend(runs.filter(|r| !r.is_empty()).map(Part::Run));
        out
    }
}
