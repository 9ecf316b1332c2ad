//! Name comparison shared by every rule: exact, case-only, whitespace-only,
//! look-alike-only, or really different; plus the table of look-alike and invisible
//! characters with their Unicode names.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    Same,
    /// Equal ignoring letter case.
    CaseOnly,
    /// Equal once leading/trailing whitespace is removed.
    Whitespace,
    /// Equal once look-alike characters are mapped to ASCII and invisible ones removed.
    Confusable,
    Different,
}

/// Compare a name found in a script with the expected one.
pub fn compare(found: &str, expected: &str) -> NameMatch {
    if found == expected {
        return NameMatch::Same;
    }
    // Most names are ASCII: compare them without allocating (this runs for every pair of
    // names a rule looks at). No ASCII character is a look-alike, so the two ASCII
    // results below are the same as the general path's.
    if found.is_ascii() && expected.is_ascii() {
        fn trimmed(s: &str) -> &str {
            s.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b')
        }
        return if found.eq_ignore_ascii_case(expected) {
            NameMatch::CaseOnly
        } else if trimmed(found).eq_ignore_ascii_case(trimmed(expected)) {
            NameMatch::Whitespace
        } else {
            NameMatch::Different
        };
    }
    compare_any(found, expected)
}

/// [`compare`] for any text (allocates).
fn compare_any(found: &str, expected: &str) -> NameMatch {
    if found == expected {
        return NameMatch::Same;
    }
    if found.to_lowercase() == expected.to_lowercase() {
        return NameMatch::CaseOnly;
    }
    let trimmed = |s: &str| s.trim_matches(is_blank).to_lowercase();
    if trimmed(found) == trimmed(expected) {
        return NameMatch::Whitespace;
    }
    if skeleton(found) == skeleton(expected) {
        return NameMatch::Confusable;
    }
    NameMatch::Different
}

/// The same name for the tools that compare names (case, blanks and look-alikes are
/// other rules' findings).
pub fn same(a: &str, b: &str) -> bool {
    compare(a, b) != NameMatch::Different
}

/// Two host names of one machine: equal, or one the short name of the other
/// (`sqlprd04`, `sqlprd04.corp.example.net`); letter case never matters in DNS.
pub fn same_host(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let short = |h: &str| h.split('.').next().unwrap_or_default().to_string();
    a == b || (!a.contains('.') && a == short(&b)) || (!b.contains('.') && b == short(&a))
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}'
}

/// Lower-cased, trimmed, with look-alikes mapped to ASCII and invisible characters dropped.
pub fn skeleton(text: &str) -> String {
    text.chars()
        .filter_map(|c| match confusable(c) {
            Some(info) => info.ascii,
            None => Some(c),
        })
        .collect::<String>()
        .trim_matches(is_blank)
        .to_lowercase()
}

/// A look-alike or invisible character: its Unicode name and the ASCII it imitates
/// (None for invisible characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confusable {
    pub name: &'static str,
    pub ascii: Option<char>,
}

/// The characters that pass for ASCII in a name. Full-width forms are computed.
const TABLE: &[(char, &str, Option<char>)] = &[
    ('\u{00A0}', "NO-BREAK SPACE", Some(' ')),
    ('\u{2007}', "FIGURE SPACE", Some(' ')),
    ('\u{202F}', "NARROW NO-BREAK SPACE", Some(' ')),
    ('\u{3000}', "IDEOGRAPHIC SPACE", Some(' ')),
    ('\u{200B}', "ZERO WIDTH SPACE", None),
    ('\u{200C}', "ZERO WIDTH NON-JOINER", None),
    ('\u{200D}', "ZERO WIDTH JOINER", None),
    ('\u{2060}', "WORD JOINER", None),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE (BOM)", None),
    ('\u{00AD}', "SOFT HYPHEN", None),
    ('\u{2010}', "HYPHEN", Some('-')),
    ('\u{2011}', "NON-BREAKING HYPHEN", Some('-')),
    ('\u{2012}', "FIGURE DASH", Some('-')),
    ('\u{2013}', "EN DASH", Some('-')),
    ('\u{2014}', "EM DASH", Some('-')),
    ('\u{2212}', "MINUS SIGN", Some('-')),
    ('\u{2018}', "LEFT SINGLE QUOTATION MARK", Some('\'')),
    ('\u{2019}', "RIGHT SINGLE QUOTATION MARK", Some('\'')),
    ('\u{201C}', "LEFT DOUBLE QUOTATION MARK", Some('"')),
    ('\u{201D}', "RIGHT DOUBLE QUOTATION MARK", Some('"')),
    ('\u{0430}', "CYRILLIC SMALL LETTER A", Some('a')),
    ('\u{0435}', "CYRILLIC SMALL LETTER IE", Some('e')),
    ('\u{043E}', "CYRILLIC SMALL LETTER O", Some('o')),
    ('\u{0440}', "CYRILLIC SMALL LETTER ER", Some('p')),
    ('\u{0441}', "CYRILLIC SMALL LETTER ES", Some('c')),
    ('\u{0445}', "CYRILLIC SMALL LETTER HA", Some('x')),
    ('\u{0443}', "CYRILLIC SMALL LETTER U", Some('y')),
    (
        '\u{0456}',
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
        Some('i'),
    ),
    ('\u{0458}', "CYRILLIC SMALL LETTER JE", Some('j')),
    ('\u{0455}', "CYRILLIC SMALL LETTER DZE", Some('s')),
    ('\u{0501}', "CYRILLIC SMALL LETTER KOMI DE", Some('d')),
    ('\u{0410}', "CYRILLIC CAPITAL LETTER A", Some('A')),
    ('\u{0412}', "CYRILLIC CAPITAL LETTER VE", Some('B')),
    ('\u{0415}', "CYRILLIC CAPITAL LETTER IE", Some('E')),
    ('\u{041A}', "CYRILLIC CAPITAL LETTER KA", Some('K')),
    ('\u{041C}', "CYRILLIC CAPITAL LETTER EM", Some('M')),
    ('\u{041D}', "CYRILLIC CAPITAL LETTER EN", Some('H')),
    ('\u{041E}', "CYRILLIC CAPITAL LETTER O", Some('O')),
    ('\u{0420}', "CYRILLIC CAPITAL LETTER ER", Some('P')),
    ('\u{0421}', "CYRILLIC CAPITAL LETTER ES", Some('C')),
    ('\u{0422}', "CYRILLIC CAPITAL LETTER TE", Some('T')),
    ('\u{0425}', "CYRILLIC CAPITAL LETTER HA", Some('X')),
    ('\u{0405}', "CYRILLIC CAPITAL LETTER DZE", Some('S')),
    (
        '\u{0406}',
        "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I",
        Some('I'),
    ),
    ('\u{0408}', "CYRILLIC CAPITAL LETTER JE", Some('J')),
    ('\u{03BF}', "GREEK SMALL LETTER OMICRON", Some('o')),
    ('\u{03B1}', "GREEK SMALL LETTER ALPHA", Some('a')),
    ('\u{03BD}', "GREEK SMALL LETTER NU", Some('v')),
    ('\u{03C1}', "GREEK SMALL LETTER RHO", Some('p')),
    ('\u{03B9}', "GREEK SMALL LETTER IOTA", Some('i')),
    ('\u{03BA}', "GREEK SMALL LETTER KAPPA", Some('k')),
    ('\u{0391}', "GREEK CAPITAL LETTER ALPHA", Some('A')),
    ('\u{0392}', "GREEK CAPITAL LETTER BETA", Some('B')),
    ('\u{0395}', "GREEK CAPITAL LETTER EPSILON", Some('E')),
    ('\u{0396}', "GREEK CAPITAL LETTER ZETA", Some('Z')),
    ('\u{0397}', "GREEK CAPITAL LETTER ETA", Some('H')),
    ('\u{0399}', "GREEK CAPITAL LETTER IOTA", Some('I')),
    ('\u{039A}', "GREEK CAPITAL LETTER KAPPA", Some('K')),
    ('\u{039C}', "GREEK CAPITAL LETTER MU", Some('M')),
    ('\u{039D}', "GREEK CAPITAL LETTER NU", Some('N')),
    ('\u{039F}', "GREEK CAPITAL LETTER OMICRON", Some('O')),
    ('\u{03A1}', "GREEK CAPITAL LETTER RHO", Some('P')),
    ('\u{03A4}', "GREEK CAPITAL LETTER TAU", Some('T')),
    ('\u{03A7}', "GREEK CAPITAL LETTER CHI", Some('X')),
    ('\u{0131}', "LATIN SMALL LETTER DOTLESS I", Some('i')),
];

const FULLWIDTH_NAMES: &str = "FULLWIDTH FORM";

/// Look up a character in the table of look-alikes and invisible characters.
pub fn confusable(c: char) -> Option<Confusable> {
    if let Some(&(_, name, ascii)) = TABLE.iter().find(|(t, _, _)| *t == c) {
        return Some(Confusable { name, ascii });
    }
    // Full-width ASCII variants U+FF01..U+FF5E mirror U+0021..U+007E.
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        return Some(Confusable {
            name: FULLWIDTH_NAMES,
            ascii: char::from_u32(code - 0xFEE0),
        });
    }
    None
}

/// "U+0430 CYRILLIC SMALL LETTER A" style description of any non-ASCII character.
pub fn describe_char(c: char) -> String {
    match confusable(c) {
        Some(info) if info.name == FULLWIDTH_NAMES => format!(
            "U+{:04X} FULLWIDTH {}",
            c as u32,
            info.ascii.map(|a| format!("'{a}'")).unwrap_or_default()
        ),
        Some(info) => format!("U+{:04X} {}", c as u32, info.name),
        None => format!("U+{:04X}", c as u32),
    }
}

/// Similarity in 0..=1 from the edit distance, case-insensitive (for "closest" matches).
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - edit_distance(&a, &b) as f64 / longest as f64
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_ascii_path_agrees_with_the_general_one() {
        let names = [
            "dag-sales",
            "DAG-Sales",
            " dag-sales ",
            "dag-sales\t",
            "\x0bdag-sales",
            "dag_sales",
            "",
            " ",
            "AG1",
            "ag1 ",
            "Ag1\n",
            "x",
            "X",
            "dag-sale",
        ];
        for a in names {
            for b in names {
                assert_eq!(compare(a, b), compare_any(a, b), "{a:?} {b:?}");
            }
        }
    }

    use super::*;

    #[test]
    fn comparison_kinds() {
        assert_eq!(compare("AG_Sales", "AG_Sales"), NameMatch::Same);
        assert_eq!(compare("ag_sales", "AG_Sales"), NameMatch::CaseOnly);
        assert_eq!(compare("AG_Sales ", "AG_Sales"), NameMatch::Whitespace);
        assert_eq!(
            compare("AG_S\u{0430}les", "AG_Sales"),
            NameMatch::Confusable
        );
        assert_eq!(compare("dag\u{2011}x", "dag-x"), NameMatch::Confusable);
        assert_eq!(compare("AG_Sale", "AG_Sales"), NameMatch::Different);
    }

    #[test]
    fn describes_characters() {
        assert_eq!(describe_char('\u{0430}'), "U+0430 CYRILLIC SMALL LETTER A");
        assert_eq!(describe_char('\u{FF41}'), "U+FF41 FULLWIDTH 'a'");
        assert_eq!(describe_char('é'), "U+00E9");
    }

    #[test]
    fn similarity_is_symmetric_and_bounded() {
        assert_eq!(similarity("abc", "abc"), 1.0);
        assert!(similarity("dag-sales", "dag_sales") > 0.8);
        assert_eq!(similarity("ab", "ba"), similarity("ba", "ab"));
    }
}
