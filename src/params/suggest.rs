//! "Did you mean …?" for misspelt keys and values.

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions,
/// so `fdqn` is one edit from `fqdn`), over chars, case-insensitive.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    // rows[i][j] = distance between a[..i] and b[..j]
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo:
/// at most one edit in three chars (and always one edit).
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|&candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= allowed_edits(word, candidate))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn allowed_edits(word: &str, candidate: &str) -> usize {
    let longest = word.chars().count().max(candidate.chars().count());
    (longest / 3).max(1)
}

/// "`a`, `b` or `c`", for messages listing what is accepted.
pub(super) fn one_of<S: AsRef<str>>(items: &[S], quote: &str) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|item| format!("{quote}{}{quote}", item.as_ref()))
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        assert_eq!(edit_distance("fqdn", "fqdn"), 0);
        assert_eq!(edit_distance("fdqn", "fqdn"), 1);
        assert_eq!(edit_distance("availabilty_group", "availability_group"), 1);
        assert_eq!(edit_distance("SQLServer", "sql_server"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_ignores_far_candidates() {
        let keys = ["sql_server", "managed_instance", "link"];
        assert_eq!(closest("sql_sever", &keys), Some("sql_server"));
        assert_eq!(closest("managed-instance", &keys), Some("managed_instance"));
        assert_eq!(closest("links", &keys), Some("link"));
        assert_eq!(closest("replicas", &keys), None);
    }

    #[test]
    fn one_of_joins_with_or() {
        assert_eq!(one_of(&["a"], "`"), "`a`");
        assert_eq!(one_of(&["a", "b", "c"], "\""), "\"a\", \"b\" or \"c\"");
    }
}
