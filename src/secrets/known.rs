//! A secret value repeated elsewhere: the master key password of one script quoted in a
//! comment of another, a `:setvar` value pasted into a README line of a script.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::ops::Range;

/// The secret values of a run, kept to find them repeated in the texts of other set-ups
/// of the same run ([`crate::Report::merge`]). Never shown: its `Debug` says how many.
#[derive(Default, Clone)]
pub struct Values(pub Vec<String>);

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Values({} secret values)", self.0.len())
    }
}

/// The literal values found in all sources, searched for in every text.
#[derive(Debug, Default)]
pub struct Known {
    automaton: Option<AhoCorasick>,
}

/// Whether a value is distinctive enough to be searched for everywhere: 5 characters
/// or more, and not a plain word shorter than 12 letters (a password `Ledger` must not
/// mask every other `Ledger`, and a weak password that is an ordinary word is no
/// worse for being shown where the word is used in prose).
fn worth_knowing(value: &str) -> bool {
    let chars = value.chars().count();
    chars >= 5
        && !(chars < 12 && value.chars().all(char::is_alphabetic))
        && !super::is_tainted(value)
}

impl Known {
    pub fn new(values: impl IntoIterator<Item = String>) -> Known {
        let mut values: Vec<String> = values.into_iter().filter(|v| worth_knowing(v)).collect();
        values.sort();
        values.dedup();
        if values.is_empty() {
            return Known::default();
        }
        // Every text of the run is searched: a DFA is several times faster than the
        // default NFA for hundreds of values, but its size grows with them, so only up to
        // a bound (measured: 1,568 passwords of 24 characters, 37 KB, cost 5 MB).
        let bytes: usize = values.iter().map(String::len).sum();
        let kind = (bytes <= 64 * 1024).then_some(aho_corasick::AhoCorasickKind::DFA);
        Known {
            automaton: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&values)
                .ok(),
        }
    }

    /// Where the known values occur in `text` as whole tokens: not inside a longer word
    /// (`Ledger2024!` is not found in `Ledger2024!x`).
    pub fn occurrences(&self, text: &str) -> Vec<Range<usize>> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        automaton
            .find_iter(bytes)
            .filter(|m| {
                let (start, end) = (m.start(), m.end());
                let open = start == 0 || !word(bytes[start]) || !word(bytes[start - 1]);
                let close = end == bytes.len() || !word(bytes[end - 1]) || !word(bytes[end]);
                open && close
            })
            .map(|m| m.range())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_of_distinctive_values() {
        let known = Known::new([
            "Ledger2024!".to_string(),
            "Ledger".to_string(),
            "Zq7".to_string(),
        ]);
        let text = "-- key: Ledger2024! (db Ledger, not Ledger2024!x, not xLedger2024!)";
        let found: Vec<&str> = known
            .occurrences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["Ledger2024!", "Ledger2024!"]);
        assert!(Known::new(["Zq7".to_string()])
            .occurrences("Zq7 Zq7")
            .is_empty());
    }
}
