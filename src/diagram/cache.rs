//! Work that the diagrams of one build share: the coverage of each distinct shape
//! outline and the mask of each glyph at a size and offset. The diagram of all models
//! repeats the cells, outlines, hatching and labels of the single-model diagrams, and
//! they are drawn in parallel, so each entry is computed once by whichever drawing
//! needs it first and read by the others. A cache lives as long as its build.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

/// Values that are computed at most once per key, on first use, from any thread.
pub(crate) struct Shared<K, V> {
    cells: Mutex<HashMap<K, Arc<OnceLock<V>>>>,
}

impl<K, V> Default for Shared<K, V> {
    fn default() -> Self {
        Shared {
            cells: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V> Shared<K, V> {
    /// The cell for `key`, empty until someone fills it with `get_or_init`.
    pub fn cell(&self, key: K) -> Arc<OnceLock<V>> {
        // A poisoned lock only means another drawing panicked; the map is still whole.
        let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
        cells.entry(key).or_default().clone()
    }

    /// How many keys have been asked for.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.cells.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_one_cell_filled_once() {
        let shared: Shared<u32, String> = Shared::default();
        let a = shared.cell(7);
        let b = shared.cell(7);
        assert!(Arc::ptr_eq(&a, &b));
        let mut calls = 0;
        a.get_or_init(|| {
            calls += 1;
            "seven".into()
        });
        assert_eq!(b.get_or_init(|| unreachable!()), "seven");
        assert_eq!(calls, 1);
        assert!(!Arc::ptr_eq(&a, &shared.cell(8)));
        assert_eq!(shared.len(), 2);
    }
}
