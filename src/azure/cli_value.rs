//! The values the Azure CLI accepts for a list or object argument such as
//! `az sql mi link create --databases`, read the way the CLI reads them:
//!
//! - its *shorthand syntax*: `[a,b]`, `{key:value,key2:value2}`, nested, a trailing comma
//!   allowed, strings bare (`SalesDb`) or in single quotes (`'Sales Db'`, where `'/`
//!   stands for a quote), `null`;
//! - JSON (`[{"databaseName":"SalesDb"}]`), tried when the shorthand syntax does not read;
//! - a *partial value* `[0].database-name=SalesDb` / `[1]=HrDb` that sets one element;
//! - `@file` (and a bare `file.json` / `.yaml` path), whose content is one of the above:
//!   the caller reads the file, offline, and hands its text to [`parse`].
//!
//! Only what the linter needs: the database names of `--databases`. The elements are
//! strings (Azure CLI 2.67: `"['db1']"`, `--databases db1 db2`) or objects whose
//! `database-name` key holds the name (later versions: `"[{database-name:db1}]"`). The key
//! is matched ignoring letter case, `-` and `_`, so `database_name` (the CLI's field
//! name) and `databaseName` (the REST property) are read as the same key.

/// The start of an [`crate::azure::Unresolved`] why for a value written in a form the
/// tool does not read (ML609 then helps with the syntax, not with variables).
pub const NOT_READ: &str = "milink-lint does not read this form";

/// A value as the CLI reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliValue {
    Null,
    /// Strings, and numbers or booleans as written.
    Str(String),
    List(Vec<CliValue>),
    /// Members in written order.
    Object(Vec<(String, CliValue)>),
}

/// Deepest nesting followed (the CLI's own values are two levels deep).
const MAX_DEPTH: usize = 32;

/// Reads a full value: shorthand syntax first, then JSON, as the CLI does. The error is a
/// short phrase for messages ("a `{` is never closed").
pub fn parse(text: &str) -> Result<CliValue, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("the value is empty".into());
    }
    let shorthand = Shorthand {
        text: trimmed,
        pos: 0,
    }
    .full();
    match shorthand {
        Ok(value) => Ok(value),
        Err(why) => match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(json) => Ok(from_json(&json, 0)),
            Err(_) => Err(why),
        },
    }
}

/// A YAML file's content (`@databases.yaml`).
pub fn parse_yaml(text: &str) -> Result<CliValue, String> {
    serde_saphyr::from_str::<serde_json::Value>(text)
        .map(|json| from_json(&json, 0))
        .map_err(|_| "the file is not valid YAML".to_string())
}

fn from_json(value: &serde_json::Value, depth: usize) -> CliValue {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return CliValue::Null;
    }
    match value {
        Value::Null => CliValue::Null,
        Value::Bool(b) => CliValue::Str(b.to_string()),
        Value::Number(n) => CliValue::Str(n.to_string()),
        Value::String(s) => CliValue::Str(s.clone()),
        Value::Array(items) => {
            CliValue::List(items.iter().map(|i| from_json(i, depth + 1)).collect())
        }
        Value::Object(members) => CliValue::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v, depth + 1)))
                .collect(),
        ),
    }
}

/// A partial value `key=value` whose key is a path into the list: `[0]`,
/// `[0].database-name`, `[2].'database-name'`. Returns the element index, the key inside
/// the element (if any) and the value text. `None` when the text is not such an
/// assignment (a full value, or `key=value` with a key that starts with no index).
pub fn partial(text: &str) -> Option<(usize, Option<String>, &str)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find(']')?;
    let index: usize = rest[..close].trim().parse().ok()?;
    let after = &rest[close + 1..];
    if let Some(value) = after.strip_prefix('=') {
        return Some((index, None, value));
    }
    let after = after.strip_prefix('.')?;
    let (key, value) = if let Some(quoted) = after.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        let value = quoted[end + 1..].strip_prefix('=')?;
        (quoted[..end].to_string(), value)
    } else {
        let (key, value) = after.split_once('=')?;
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return None;
        }
        (key.to_string(), value)
    };
    Some((index, Some(key), value))
}

/// A key as the CLI matches it to `database-name`, ignoring letter case, `-` and `_`.
pub fn is_database_name_key(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    folded == "databasename"
}

/// The database name of one element of `--databases`: a string, or an object with a
/// `database-name` key. `Err` says why the element is not read.
pub fn element_name(element: &CliValue) -> Result<Option<String>, String> {
    match element {
        CliValue::Null => Ok(None),
        CliValue::Str(s) => Ok(Some(s.clone())),
        CliValue::Object(members) => match members.iter().find(|(k, _)| is_database_name_key(k)) {
            Some((_, CliValue::Str(name))) => Ok(Some(name.clone())),
            Some((_, CliValue::Null)) => Ok(None),
            Some((key, _)) => Err(format!("its `{key}` is not a string")),
            None => Err(match members.first() {
                Some((key, _)) => {
                    format!("an element has no `database-name` key (it has `{key}`)")
                }
                None => "an element is an empty object".to_string(),
            }),
        },
        CliValue::List(_) => Err("an element is a list, not a database".to_string()),
    }
}

/// The database names of a full `--databases` value: a list of elements, or one element.
pub fn database_names(value: &CliValue) -> Result<Vec<String>, String> {
    let elements: &[CliValue] = match value {
        CliValue::List(items) => items,
        single => std::slice::from_ref(single),
    };
    let mut names = Vec::new();
    for element in elements {
        if let Some(name) = element_name(element)? {
            names.push(name);
        }
    }
    Ok(names)
}

/// The shorthand-syntax reader: a cursor over the text.
struct Shorthand<'t> {
    text: &'t str,
    pos: usize,
}

impl Shorthand<'_> {
    fn full(mut self) -> Result<CliValue, String> {
        let value = self.value(0)?;
        if self.pos != self.text.len() {
            return Err(format!(
                "unexpected `{}` after the value",
                self.rest().chars().next().unwrap_or(' ')
            ));
        }
        Ok(value)
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Result<CliValue, String> {
        if depth > MAX_DEPTH {
            return Err("the value is nested too deeply".into());
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.list(depth),
            _ => self.string().map(|s| match s {
                Some(s) => CliValue::Str(s),
                None => CliValue::Null,
            }),
        }
    }

    fn object(&mut self, depth: usize) -> Result<CliValue, String> {
        self.pos += 1;
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(CliValue::Object(members));
        }
        loop {
            let key = self
                .string()?
                .ok_or_else(|| "a key is `null`".to_string())?;
            let value = match self.peek() {
                Some(b':') => {
                    self.pos += 1;
                    self.value(depth + 1)?
                }
                // `{a,b:c}`: a key without a value is blank.
                Some(b',' | b'}') => CliValue::Null,
                _ => return Err("a `:` or `,` is missing after a key".into()),
            };
            members.push((key, value));
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(CliValue::Object(members));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(CliValue::Object(members));
                }
                _ => return Err("a `{` is never closed".into()),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<CliValue, String> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(CliValue::List(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(CliValue::List(items));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(CliValue::List(items));
                }
                _ => return Err("a `[` is never closed".into()),
            }
        }
    }

    /// A bare or single-quoted string; `None` for `null`.
    fn string(&mut self) -> Result<Option<String>, String> {
        if self.peek() == Some(b'\'') {
            return self.quoted().map(Some);
        }
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b',' | b':' | b']' | b'}' => break,
                b'"' | b'\'' => return Err("a quote inside a bare string".into()),
                b if b.is_ascii_whitespace() => return Err("a blank inside a bare string".into()),
                _ => self.pos += 1,
            }
        }
        let word = &self.text[start..self.pos];
        match word {
            "" => Err("an empty value".into()),
            "null" => Ok(None),
            _ => Ok(Some(word.to_string())),
        }
    }

    /// `'…'`, where `'/` is a quote.
    fn quoted(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let Some(end) = rest.find('\'') else {
                return Err("a `'` is never closed".into());
            };
            out.push_str(&rest[..end]);
            self.pos += end + 1;
            if self.peek() == Some(b'/') {
                out.push('\'');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Result<Vec<String>, String> {
        database_names(&parse(text)?)
    }

    #[test]
    fn shorthand_objects_and_lists() {
        assert_eq!(names("[{database-name:Ledger}]").unwrap(), ["Ledger"]);
        assert_eq!(
            names("[{database-name:Ledger},{database-name:'Ledger Archive'},]").unwrap(),
            ["Ledger", "Ledger Archive"]
        );
        assert_eq!(names("{Database-Name:Ledger}").unwrap(), ["Ledger"]);
        assert_eq!(
            names("['Ledger','Pay'/roll']").unwrap(),
            ["Ledger", "Pay'roll"]
        );
        assert_eq!(names("[Ledger,Payroll]").unwrap(), ["Ledger", "Payroll"]);
        assert_eq!(names("Ledger").unwrap(), ["Ledger"]);
        assert_eq!(names("[]").unwrap(), Vec::<String>::new());
        assert_eq!(names("[null]").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn json_when_the_shorthand_does_not_read() {
        assert_eq!(names(r#"[{"databaseName":"Ledger"}]"#).unwrap(), ["Ledger"]);
        assert_eq!(
            names(r#"[{"database_name": "Ledger"}]"#).unwrap(),
            ["Ledger"]
        );
        assert_eq!(
            names(r#"["Ledger", "Payroll"]"#).unwrap(),
            ["Ledger", "Payroll"]
        );
    }

    #[test]
    fn what_is_not_read_says_why() {
        assert!(names("[{name:Ledger}]").unwrap_err().contains("`name`"));
        assert!(names("[{database-name:Ledger}").is_err());
        assert!(names("[Led ger]").is_err());
        assert!(names("[[Ledger]]").is_err());
        assert!(parse("   ").is_err());
    }

    #[test]
    fn partial_values() {
        assert_eq!(
            partial("[0].database-name=Ledger"),
            Some((0, Some("database-name".to_string()), "Ledger"))
        );
        assert_eq!(
            partial("[3]={database-name:X}"),
            Some((3, None, "{database-name:X}"))
        );
        assert_eq!(
            partial("[1].'database-name'=Y"),
            Some((1, Some("database-name".to_string()), "Y"))
        );
        assert_eq!(partial("[{database-name:X}]"), None);
        assert_eq!(partial("database-name=X"), None);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}x{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
    }
}
