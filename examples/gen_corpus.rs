//! Deterministic corpus generator for the milink-lint benchmark (issue 6).
//!
//! ```text
//! cargo run --release --example gen-corpus -- DIR
//!     [--preset large|huge|precommit|procedures|deploy-200]
//!     [--files N] [--size-mb M] [--seed S]
//! ```
//!
//! Writes a repository-like tree of T-SQL files under DIR: mostly ordinary scripts
//! (tables, procedures, views, functions, migrations, reports) that contain nothing a
//! link linter reports, plus a few Managed Instance link set-ups (`link/<dag>/01_…`,
//! `02_…`), a `params.toml` that matches them exactly and a `milink.toml`, so that
//! `milink-lint check` run inside DIR reports no error. The `procedures` preset is the
//! opposite case: DBA diagnostic procedures full of link words (availability groups,
//! endpoints, certificates, backups) in queries, comments and strings, but no link
//! statement, so nothing to report either. The same arguments always give
//! byte-identical output (a small splitmix64 generator, no external crate).
//!
//! Sizes are in MB of 2^20 bytes, like milink-lint's own `--max-file-size`.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const MB: u64 = 1024 * 1024;

const USAGE: &str = "\
usage: gen-corpus DIR [--preset large|huge|precommit|procedures|deploy-200]
                     [--files N] [--size-mb M] [--seed S]

  large       about 5,000 files / 100 MB: a repository with ~1 link set-up per 1,000 files
  huge        one deployment script of about 100 MB with a link set-up in a few batches
  precommit   one link set-up pair (01_trust_and_endpoint.sql + 02_ag_and_dag.sql)
  procedures  40 DBA diagnostic procedure scripts / 50 MB (0.5-2 MB each, one huge
              CREATE OR ALTER PROCEDURE batch each): link words everywhere, no link
              statement
  deploy-200  one deployment script of about 200 MB with the link set-up split in
              three places (near the start, the middle and the end)

--files and --size-mb override the preset's numbers (huge, deploy-200: --files N
writes N deployment scripts of size/N each; precommit ignores both). DIR must be
empty or missing. Also writes DIR/.gen-corpus (the arguments and the summary) and,
for the presets with a link set-up, DIR/params.toml and DIR/milink.toml.";

// ---------------------------------------------------------------------------
// PRNG: splitmix64 (deterministic, no dependency)
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// A value in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// An independent generator for item `i` (so one file's content does not depend
    /// on how much randomness the previous files used).
    fn fork(&mut self, i: u64) -> Rng {
        let mut r = Rng::new(self.next_u64() ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        (0..len).map(|_| DIGITS[self.below(16)] as char).collect()
    }
}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Preset {
    Large,
    Huge,
    Precommit,
    Procedures,
    Deploy200,
}

impl Preset {
    fn name(self) -> &'static str {
        match self {
            Preset::Large => "large",
            Preset::Huge => "huge",
            Preset::Precommit => "precommit",
            Preset::Procedures => "procedures",
            Preset::Deploy200 => "deploy-200",
        }
    }
}

struct Args {
    dir: PathBuf,
    preset: Preset,
    files: usize,
    size_bytes: u64,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut dir = None;
    let mut preset = Preset::Large;
    let mut files = None;
    let mut size_mb: Option<f64> = None;
    let mut seed = 1u64;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--preset" => {
                preset = match value("--preset")?.as_str() {
                    "large" => Preset::Large,
                    "huge" => Preset::Huge,
                    "precommit" => Preset::Precommit,
                    "procedures" => Preset::Procedures,
                    "deploy-200" => Preset::Deploy200,
                    other => return Err(format!("unknown preset '{other}'")),
                }
            }
            "--files" => {
                let v = value("--files")?;
                let n: usize = v.parse().map_err(|_| format!("bad --files '{v}'"))?;
                if n == 0 {
                    return Err("--files must be at least 1".into());
                }
                files = Some(n);
            }
            "--size-mb" => {
                let v = value("--size-mb")?;
                let m: f64 = v.parse().map_err(|_| format!("bad --size-mb '{v}'"))?;
                if !(m > 0.0 && m < 1.0e6) {
                    return Err(format!("bad --size-mb '{v}'"));
                }
                size_mb = Some(m);
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("bad --seed '{v}'"))?;
            }
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option '{s}'")),
            s => {
                if dir.is_some() {
                    return Err(format!("unexpected argument '{s}'"));
                }
                dir = Some(PathBuf::from(s));
            }
        }
    }
    let dir = dir.ok_or("missing DIR")?;
    let (default_files, default_mb) = match preset {
        Preset::Large => (5000, 100.0),
        Preset::Huge => (1, 100.0),
        Preset::Precommit => (2, 0.0),
        Preset::Procedures => (40, 50.0),
        Preset::Deploy200 => (1, 200.0),
    };
    Ok(Args {
        dir,
        preset,
        files: files.unwrap_or(default_files),
        size_bytes: (size_mb.unwrap_or(default_mb) * MB as f64) as u64,
        seed,
    })
}

// ---------------------------------------------------------------------------
// Output: files with LF or CRLF line ends, with or without BOM
// ---------------------------------------------------------------------------

struct Totals {
    sql_files: usize,
    sql_bytes: u64,
}

struct SqlFile {
    out: BufWriter<fs::File>,
    crlf: bool,
    written: u64,
}

impl SqlFile {
    fn create(root: &Path, rel: &str, crlf: bool, bom: bool) -> std::io::Result<SqlFile> {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut out = BufWriter::with_capacity(1 << 16, fs::File::create(&path)?);
        let mut written = 0;
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
            written += 3;
        }
        Ok(SqlFile { out, crlf, written })
    }

    /// Writes `text` (LF line ends) converting to CRLF when the file uses CRLF.
    fn put(&mut self, text: &str) -> std::io::Result<()> {
        if self.crlf {
            let mut rest = text;
            while let Some(i) = rest.find('\n') {
                self.out.write_all(&rest.as_bytes()[..i])?;
                self.out.write_all(b"\r\n")?;
                self.written += i as u64 + 2;
                rest = &rest[i + 1..];
            }
            self.out.write_all(rest.as_bytes())?;
            self.written += rest.len() as u64;
        } else {
            self.out.write_all(text.as_bytes())?;
            self.written += text.len() as u64;
        }
        Ok(())
    }

    fn finish(mut self, totals: &mut Totals) -> std::io::Result<u64> {
        self.out.flush()?;
        totals.sql_files += 1;
        totals.sql_bytes += self.written;
        Ok(self.written)
    }
}

// ---------------------------------------------------------------------------
// Word pools
// ---------------------------------------------------------------------------

const SCHEMAS: &[&str] = &[
    "dbo",
    "sales",
    "hr",
    "inventory",
    "finance",
    "ops",
    "reporting",
    "audit",
    "crm",
    "billing",
    "shipping",
    "ref",
];

const NOUNS: &[&str] = &[
    "Customer",
    "Order",
    "OrderLine",
    "Invoice",
    "Payment",
    "Product",
    "Supplier",
    "Shipment",
    "Warehouse",
    "Employee",
    "Department",
    "Contract",
    "PriceList",
    "Discount",
    "Account",
    "Journal",
    "Ledger",
    "Region",
    "Country",
    "Currency",
    "Campaign",
    "Ticket",
    "Vehicle",
    "Route",
    "Store",
    "Basket",
    "Voucher",
    "Address",
    "Contact",
    "Subscription",
];

const ADJECTIVES: &[&str] = &[
    "", "", "", "Daily", "Open", "Archived", "Pending", "Monthly", "Active", "Legacy", "Staged",
    "Blocked",
];

const VERBS: &[&str] = &[
    "Get",
    "Upsert",
    "Delete",
    "Archive",
    "Recalculate",
    "Import",
    "Export",
    "Validate",
    "Merge",
    "Purge",
    "Refresh",
    "Assign",
];

const SQL_TYPES: &[&str] = &[
    "INT",
    "BIGINT",
    "SMALLINT",
    "BIT",
    "DECIMAL(18, 4)",
    "MONEY",
    "NVARCHAR(100)",
    "NVARCHAR(400)",
    "NVARCHAR(MAX)",
    "VARCHAR(50)",
    "CHAR(3)",
    "DATE",
    "DATETIME2(3)",
    "UNIQUEIDENTIFIER",
    "VARBINARY(256)",
];

const COLUMN_WORDS: &[&str] = &[
    "Name",
    "Code",
    "Status",
    "Amount",
    "Quantity",
    "Note",
    "CreatedAt",
    "UpdatedAt",
    "ValidFrom",
    "ValidTo",
    "Email",
    "Phone",
    "City",
    "PostalCode",
    "Priority",
    "Weight",
    "Score",
    "Flags",
    "ExternalRef",
    "Comment",
    "Channel",
    "Rating",
];

/// Non-ASCII text for comments and strings.
const INTL: &[&str] = &[
    "café crème",
    "Müller & Söhne",
    "Zürich",
    "日本",
    "東京都",
    "Ångström",
    "naïve façade",
    "São Paulo",
    "Łódź",
    "Ünïcödé",
    "résumé",
    "Größe",
    "Straße",
    "大阪",
];

const AUTHORS: &[&str] = &[
    "José Müller",
    "A. Nakamura (中村)",
    "Chloé Dubois",
    "Jürgen Weiß",
    "m.rossi",
    "Sven Ångström",
    "dba-team",
    "K. O'Neill",
];

const COMPANIES: &[&str] = &[
    "contoso",
    "fabrikam",
    "northwind",
    "tailspin",
    "woodgrove",
    "litware",
    "proseware",
    "adatum",
];

const LINK_DATABASES: &[&str] = &[
    "Ledger",
    "Orders",
    "Billing",
    "Claims",
    "Payroll",
    "Inventory",
    "Shipping",
    "Contracts",
    "Pricing",
    "Loyalty",
    "Telemetry",
    "Warehouse",
    "Treasury",
    "Customers",
    "Catalog",
    "Bookings",
];

const REGIONS: &[&str] = &["weu", "neu", "eus2", "uks", "frc", "sea", "gwc", "cus"];

// ---------------------------------------------------------------------------
// Ordinary T-SQL (nothing a link linter reports)
// ---------------------------------------------------------------------------

/// Per-file style choices.
struct Style {
    go: &'static str,
    semicolons: bool,
}

impl Style {
    fn new(rng: &mut Rng) -> Style {
        Style {
            go: if rng.chance(1, 6) { "go" } else { "GO" },
            semicolons: !rng.chance(1, 5),
        }
    }

    fn end(&self) -> &'static str {
        if self.semicolons {
            ";"
        } else {
            ""
        }
    }
}

fn ident(rng: &mut Rng) -> String {
    let adj = rng.pick(ADJECTIVES);
    let noun = rng.pick(NOUNS);
    format!("{adj}{noun}")
}

/// A bracketed column name; now and then one that needs `]]` or a blank.
fn column(rng: &mut Rng) -> String {
    let w = rng.pick(COLUMN_WORDS);
    match rng.below(14) {
        0 => format!("[{w}]]Old]"),
        1 => format!("[{w} Text]"),
        _ => format!("[{w}]"),
    }
}

fn block_comment(rng: &mut Rng, title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "/* -----------------------------------------------------------------"
    );
    let _ = writeln!(s, "   {title}");
    let _ = writeln!(
        s,
        "   Author: {} · last review {}-{:02}-{:02}",
        rng.pick(AUTHORS),
        rng.range(2015, 2025),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    if rng.chance(1, 2) {
        let _ = writeln!(
            s,
            "   /* nested: keep in sync with the wiki page \"{}\" */",
            rng.pick(INTL)
        );
    }
    let _ = writeln!(
        s,
        "   ----------------------------------------------------------------- */"
    );
    s
}

fn line_comment(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!(
            "-- TODO({}): revisit after the {} migration\n",
            rng.pick(AUTHORS),
            rng.pick(INTL)
        ),
        1 => format!(
            "-- ticket OPS-{}: rows with NULL are legacy data\n",
            rng.range(100, 9999)
        ),
        2 => "-- keep the column order: the export job reads by position\n".to_string(),
        3 => format!(
            "-- Hinweis: Werte in {} werden gerundet (Größe ≤ 4)\n",
            rng.pick(INTL)
        ),
        4 => "-- 注意: 日本 locale uses a different collation here\n".to_string(),
        _ => format!(
            "-- perf: see plan cache notes, {} ms p95\n",
            rng.range(3, 900)
        ),
    }
}

/// A N'' string literal with '' escapes and some non-ASCII text.
fn nstring(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("N'{}'", rng.pick(INTL)),
        1 => "N'O''Brien''s order'".to_string(),
        2 => format!("N'Label: {} (v{})'", rng.pick(INTL), rng.range(1, 9)),
        3 => "N'it''s ''quoted'' twice'".to_string(),
        4 => "N''".to_string(),
        _ => format!("N'{}'", rng.pick(NOUNS)),
    }
}

fn table_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let mut s = block_comment(rng, &format!("Table [{schema}].[{table}]"));
    let go = st.go;
    let e = st.end();
    let _ = writeln!(s, "CREATE TABLE [{schema}].[{table}]\n(");
    let _ = writeln!(s, "    [{table}Id] INT IDENTITY(1, 1) NOT NULL,");
    let ncols = rng.range(3, 14);
    let mut cols: Vec<String> = Vec::new();
    let fk = rng.chance(2, 3).then(|| rng.pick(NOUNS));
    if let Some(other) = fk {
        let _ = writeln!(s, "    [{other}Id] INT NULL,");
    }
    for i in 0..ncols {
        let c = column(rng);
        if cols.contains(&c) {
            continue;
        }
        let ty = rng.pick(SQL_TYPES);
        let null = if rng.chance(1, 2) { "NULL" } else { "NOT NULL" };
        let default = match rng.below(5) {
            0 => format!(
                " CONSTRAINT [DF_{table}_{i}] DEFAULT ({})",
                if ty.contains("CHAR") {
                    nstring(rng)
                } else if ty.starts_with("DATE") {
                    "SYSUTCDATETIME()".to_string()
                } else if ty == "UNIQUEIDENTIFIER" {
                    "NEWID()".to_string()
                } else {
                    "0".to_string()
                }
            ),
            _ => String::new(),
        };
        let trailing = if rng.chance(1, 8) {
            format!(" -- {}", rng.pick(INTL))
        } else {
            String::new()
        };
        let _ = writeln!(s, "    {c} {ty} {null}{default},{trailing}");
        cols.push(c);
    }
    let _ = writeln!(s, "    [RowVersion] ROWVERSION NOT NULL,");
    let _ = write!(
        s,
        "    CONSTRAINT [PK_{table}] PRIMARY KEY CLUSTERED ([{table}Id] ASC)"
    );
    if let Some(other) = fk {
        let _ = write!(
            s,
            ",\n    CONSTRAINT [FK_{table}_{other}] FOREIGN KEY ([{other}Id]) REFERENCES [{}].[{other}] ([{other}Id])",
            rng.pick(SCHEMAS)
        );
    }
    if rng.chance(1, 2) {
        let _ = write!(
            s,
            ",\n    CONSTRAINT [CK_{table}_Range] CHECK ({} >= 0 AND {} <= {})",
            cols[0],
            cols[0],
            rng.range(10, 100_000)
        );
    }
    if rng.chance(1, 3) {
        let _ = write!(
            s,
            ",\n    CONSTRAINT [UQ_{table}_Code] UNIQUE ({})",
            cols[cols.len() - 1]
        );
    }
    let _ = writeln!(s, "\n){e}\n{go}\n");
    for _ in 0..rng.range(0, 3) {
        let c = &cols[rng.below(cols.len())];
        let _ = writeln!(
            s,
            "CREATE NONCLUSTERED INDEX [IX_{table}_{}] ON [{schema}].[{table}] ({c}){}{e}\n{go}\n",
            rng.range(1, 99),
            if rng.chance(1, 2) {
                format!(" INCLUDE ({})", cols[0])
            } else {
                String::new()
            }
        );
    }
    if rng.chance(1, 3) {
        let _ = writeln!(
            s,
            "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'{} – {}',\n    @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'{e}\n{go}\n",
            rng.pick(INTL),
            rng.pick(NOUNS)
        );
    }
    s
}

fn statement_block(rng: &mut Rng, schema: &str, table: &str, indent: &str) -> String {
    let mut s = String::new();
    let c = column(rng);
    match rng.below(8) {
        0 => {
            let _ = writeln!(s, "{indent}IF @PageSize > {}", rng.range(100, 5000));
            let _ = writeln!(s, "{indent}BEGIN");
            let _ = writeln!(s, "{indent}    SET @PageSize = 500;");
            let _ = writeln!(
                s,
                "{indent}    PRINT N'page size capped ({})';",
                rng.pick(INTL)
            );
            let _ = writeln!(s, "{indent}END");
            let _ = writeln!(s, "{indent}ELSE IF @PageSize < 1");
            let _ = writeln!(s, "{indent}    SET @PageSize = 50;");
            let _ = writeln!(s, "{indent}ELSE");
            let _ = writeln!(s, "{indent}    SET @rows = @rows + 0;");
        }
        1 => {
            let _ = writeln!(s, "{indent}MERGE [{schema}].[{table}] AS tgt");
            let _ = writeln!(
                s,
                "{indent}USING (SELECT @Id AS [{table}Id], @Note AS {c}) AS src"
            );
            let _ = writeln!(s, "{indent}    ON tgt.[{table}Id] = src.[{table}Id]");
            let _ = writeln!(
                s,
                "{indent}WHEN MATCHED AND ISNULL(tgt.{c}, N'') <> ISNULL(src.{c}, N'') THEN"
            );
            let _ = writeln!(s, "{indent}    UPDATE SET tgt.{c} = src.{c}");
            let _ = writeln!(s, "{indent}WHEN NOT MATCHED BY TARGET THEN");
            let _ = writeln!(s, "{indent}    INSERT ({c}) VALUES (src.{c})");
            let _ = writeln!(
                s,
                "{indent}WHEN NOT MATCHED BY SOURCE AND tgt.{c} IS NULL THEN"
            );
            let _ = writeln!(s, "{indent}    DELETE;");
            let _ = writeln!(s, "{indent}SET @rows = @rows + @@ROWCOUNT;");
        }
        2 => {
            let lit = nstring(rng).replace('\'', "''");
            let _ = writeln!(
                s,
                "{indent}SET @sql = N'SELECT TOP (@n) {} FROM [{schema}].[{table}] WHERE {c} = {lit} ORDER BY 1;';",
                c.replace('\'', "''")
            );
            let _ = writeln!(
                s,
                "{indent}EXEC sys.sp_executesql @sql, N'@n INT', @n = @PageSize;"
            );
        }
        3 => {
            let _ = writeln!(
                s,
                "{indent}DECLARE @cutoff{} DATETIME2(3) = DATEADD(DAY, -{}, SYSUTCDATETIME());",
                rng.range(1, 99),
                rng.range(1, 400)
            );
            let _ = writeln!(
                s,
                "{indent}UPDATE t SET t.{c} = {} FROM [{schema}].[{table}] AS t WHERE t.[{table}Id] = @Id;",
                nstring(rng)
            );
        }
        4 => {
            let _ = writeln!(
                s,
                "{indent}/* dynamic filter, /* nested */ comment kept from v{} */",
                rng.range(1, 20)
            );
            let _ = writeln!(
                s,
                "{indent}SET @sql = N'UPDATE [{schema}].[{table}] SET [Note] = N''' + REPLACE(@Note, N'''', N'''''') + N''' WHERE [{table}Id] = @id;';"
            );
            let _ = writeln!(s, "{indent}EXEC sp_executesql @sql, N'@id INT', @id = @Id;");
        }
        5 => {
            let other = rng.pick(NOUNS);
            let _ = writeln!(s, "{indent}SELECT t.[{table}Id], t.{c}, o.[{other}Id]");
            let _ = writeln!(s, "{indent}FROM [{schema}].[{table}] AS t");
            let _ = writeln!(
                s,
                "{indent}INNER JOIN [{}].[{other}] AS o ON o.[{other}Id] = t.[{other}Id]",
                rng.pick(SCHEMAS)
            );
            let _ = writeln!(
                s,
                "{indent}WHERE t.{c} IS NOT NULL AND o.[Status] != N'deleted'"
            );
            let _ = writeln!(
                s,
                "{indent}ORDER BY t.[{table}Id] OFFSET 0 ROWS FETCH NEXT @PageSize ROWS ONLY;"
            );
        }
        6 => {
            let _ = writeln!(
                s,
                "{indent}WHILE @rows < {} AND @@ROWCOUNT > 0",
                rng.range(10, 10_000)
            );
            let _ = writeln!(s, "{indent}BEGIN");
            let _ = writeln!(
                s,
                "{indent}    DELETE TOP (1000) FROM [{schema}].[{table}] WHERE {c} IS NULL;"
            );
            let _ = writeln!(s, "{indent}    SET @rows += 1000;");
            let _ = writeln!(s, "{indent}END");
        }
        _ => {
            let _ = writeln!(
                s,
                "{indent}INSERT INTO [{schema}].[{table}Log] ([At], [Message]) VALUES (SYSUTCDATETIME(), N'{} [{}]]x] ''ok''');",
                rng.pick(INTL),
                rng.range(1, 999)
            );
        }
    }
    if rng.chance(1, 4) {
        s.push_str(indent);
        s.push_str(&line_comment(rng));
    }
    s
}

fn procedure_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let verb = rng.pick(VERBS);
    let name = format!("usp_{verb}{table}");
    let mut s = String::new();
    if rng.chance(1, 2) {
        s.push_str(&block_comment(
            rng,
            &format!("Procedure [{schema}].[{name}]"),
        ));
    } else {
        s.push_str(&line_comment(rng));
    }
    let _ = writeln!(s, "CREATE OR ALTER PROCEDURE [{schema}].[{name}]");
    let _ = writeln!(s, "    @Id INT,");
    let _ = writeln!(s, "    @Note NVARCHAR(400) = NULL,");
    let _ = writeln!(s, "    @PageSize INT = 50");
    let _ = writeln!(s, "AS\nBEGIN");
    let _ = writeln!(s, "    SET NOCOUNT ON;\n    SET XACT_ABORT ON;");
    let _ = writeln!(
        s,
        "    DECLARE @rows INT = 0, @msg NVARCHAR(2048), @sql NVARCHAR(MAX);\n"
    );
    let try_catch = rng.chance(2, 3);
    let indent = if try_catch { "        " } else { "    " };
    if try_catch {
        let _ = writeln!(s, "    BEGIN TRY\n        BEGIN TRANSACTION;");
    }
    for _ in 0..rng.range(1, 6) {
        s.push_str(&statement_block(rng, schema, table, indent));
        s.push('\n');
    }
    if try_catch {
        let _ = writeln!(s, "        COMMIT TRANSACTION;");
        let _ = writeln!(s, "    END TRY\n    BEGIN CATCH");
        let _ = writeln!(s, "        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;");
        let _ = writeln!(
            s,
            "        SET @msg = CONCAT(N'{name} failed (', ERROR_NUMBER(), N'): ', ERROR_MESSAGE());"
        );
        let _ = writeln!(s, "        THROW 50001, @msg, 1;");
        let _ = writeln!(s, "    END CATCH");
    }
    let _ = writeln!(s, "    RETURN @rows;\nEND\n{}\n", st.go);
    s
}

fn view_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let other = rng.pick(NOUNS);
    let third = rng.pick(NOUNS);
    let c = column(rng);
    let mut s = block_comment(rng, &format!("View [{schema}].[v{table}Summary]"));
    let _ = writeln!(
        s,
        "CREATE OR ALTER VIEW [{schema}].[v{table}Summary{}]",
        rng.range(1, 99)
    );
    let _ = writeln!(s, "WITH SCHEMABINDING\nAS");
    let _ = writeln!(
        s,
        "    SELECT t.[{table}Id], o.[{other}Id], t.{c}, COUNT_BIG(*) AS [Rows], SUM(ISNULL(x.[Amount], 0)) AS [Total]"
    );
    let _ = writeln!(s, "    FROM [{schema}].[{table}] AS t");
    let _ = writeln!(
        s,
        "    INNER JOIN [{}].[{other}] AS o ON o.[{other}Id] = t.[{other}Id]",
        rng.pick(SCHEMAS)
    );
    let _ = writeln!(
        s,
        "    LEFT OUTER JOIN [{}].[{third}] AS x ON x.[{third}Id] = o.[{third}Id] AND x.[Status] <> {}",
        rng.pick(SCHEMAS),
        nstring(rng)
    );
    let _ = writeln!(
        s,
        "    WHERE t.[CreatedAt] >= '20{:02}-01-01' -- {}",
        rng.range(10, 24),
        rng.pick(INTL)
    );
    let _ = writeln!(
        s,
        "    GROUP BY t.[{table}Id], o.[{other}Id], t.{c}{}\n{}\n",
        st.end(),
        st.go
    );
    s
}

fn function_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let mut s = line_comment(rng);
    let _ = writeln!(
        s,
        "CREATE OR ALTER FUNCTION [{schema}].[fn_{table}Label{}] (@Id INT, @Lang CHAR(2) = 'en')",
        rng.range(1, 99)
    );
    let _ = writeln!(s, "RETURNS NVARCHAR(200)\nWITH SCHEMABINDING\nAS\nBEGIN");
    let _ = writeln!(s, "    DECLARE @r NVARCHAR(200);");
    let _ = writeln!(
        s,
        "    SELECT @r = CASE @Lang WHEN 'de' THEN N'Größe ' WHEN 'fr' THEN N'Taille ' WHEN 'ja' THEN N'日本 ' ELSE N'Size ' END + CONVERT(NVARCHAR(20), t.[{table}Id])"
    );
    let _ = writeln!(
        s,
        "    FROM [{schema}].[{table}] AS t WHERE t.[{table}Id] = @Id;"
    );
    let _ = writeln!(s, "    RETURN ISNULL(@r, N'n/a');\nEND\n{}\n", st.go);
    s
}

fn migration_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let e = st.end();
    let go = st.go;
    let c = COLUMN_WORDS[rng.below(COLUMN_WORDS.len())];
    let mut s = String::new();
    match rng.below(5) {
        0 => {
            let _ = writeln!(s, "IF COL_LENGTH(N'[{schema}].[{table}]', N'{c}') IS NULL");
            let _ = writeln!(s, "BEGIN");
            let _ = writeln!(
                s,
                "    ALTER TABLE [{schema}].[{table}] ADD [{c}] NVARCHAR(200) NULL{e}"
            );
            let _ = writeln!(s, "END\n{go}\n");
            let _ = writeln!(
                s,
                "UPDATE [{schema}].[{table}] SET [{c}] = {} WHERE [{c}] IS NULL{e}\n{go}\n",
                nstring(rng)
            );
        }
        1 => {
            let _ = writeln!(s, "INSERT INTO [ref].[Country] ([Code], [Name]) VALUES");
            let _ = writeln!(
                s,
                "    (N'DE', N'Deutschland'), (N'FR', N'République française'), (N'JP', N'日本'),"
            );
            let _ = writeln!(
                s,
                "    (N'IE', N'Éire'), (N'X{}', N'O''Brien''s test'){e}\n{go}\n",
                rng.range(1, 9)
            );
        }
        2 => {
            let _ = writeln!(
                s,
                "-- heartbeat rows for the monitoring job (runs the batch twice)"
            );
            let _ = writeln!(
                s,
                "INSERT INTO [ops].[Heartbeat] ([At], [Source]) VALUES (SYSUTCDATETIME(), N'{table}'){e}\n{go} 2\n"
            );
        }
        3 => {
            let _ = writeln!(s, "/* data fix: /* nested */ trailing blanks in [{c}] */");
            let _ = writeln!(
                s,
                "UPDATE [{schema}].[{table}]\nSET [{c}] = LTRIM(RTRIM([{c}]))\nWHERE [{c}] LIKE N'% ' OR [{c}] LIKE N' %'{e}\n{go}\n"
            );
        }
        _ => {
            let _ = writeln!(
                s,
                "IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_{table}_{c}' AND object_id = OBJECT_ID(N'[{schema}].[{table}]'))"
            );
            let _ = writeln!(
                s,
                "    CREATE INDEX [IX_{table}_{c}] ON [{schema}].[{table}] ([{c}]) WITH (ONLINE = ON, DATA_COMPRESSION = PAGE){e}\n{go}\n"
            );
        }
    }
    s
}

fn report_unit(rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    let c = column(rng);
    let title = format!(
        "Report: monthly {table} by region · 月次 {}",
        rng.pick(INTL)
    );
    let mut s = block_comment(rng, &title);
    let _ = writeln!(
        s,
        "DECLARE @from DATE = '20{:02}-01-01', @to DATE;",
        rng.range(15, 25)
    );
    let _ = writeln!(
        s,
        "SET @to = DATEADD(MONTH, {}, @from);\n",
        rng.range(1, 24)
    );
    let _ = writeln!(s, "WITH [m] AS (");
    let _ = writeln!(
        s,
        "    SELECT DATEFROMPARTS(YEAR(t.[CreatedAt]), MONTH(t.[CreatedAt]), 1) AS [Month],"
    );
    let _ = writeln!(
        s,
        "           r.[Name] AS [Region], SUM(t.[Amount]) AS [Revenue], COUNT(*) AS [N]"
    );
    let _ = writeln!(s, "    FROM [{schema}].[{table}] AS t");
    let _ = writeln!(
        s,
        "    JOIN [ref].[Region] AS r ON r.[RegionId] = t.[RegionId]"
    );
    let _ = writeln!(
        s,
        "    WHERE t.[CreatedAt] >= @from AND t.[CreatedAt] < @to AND t.{c} IS NOT NULL"
    );
    let _ = writeln!(
        s,
        "    GROUP BY DATEFROMPARTS(YEAR(t.[CreatedAt]), MONTH(t.[CreatedAt]), 1), r.[Name]"
    );
    let _ = writeln!(s, ")");
    let _ = writeln!(
        s,
        "SELECT [Month], [Region], [Revenue], [N],\n       ROW_NUMBER() OVER (PARTITION BY [Month] ORDER BY [Revenue] DESC) AS [Rank],\n       FORMAT([Revenue], N'N2', 'de-DE') AS [Umsatz (€)]"
    );
    let _ = writeln!(
        s,
        "FROM [m]\nORDER BY [Month], [Rank]{}\n{}\n",
        st.end(),
        st.go
    );
    s
}

#[derive(Clone, Copy)]
enum Kind {
    Table,
    Procedure,
    View,
    Function,
    Migration,
    Report,
}

fn unit(kind: Kind, rng: &mut Rng, st: &Style, schema: &str, table: &str) -> String {
    match kind {
        Kind::Table => table_unit(rng, st, schema, table),
        Kind::Procedure => procedure_unit(rng, st, schema, table),
        Kind::View => view_unit(rng, st, schema, table),
        Kind::Function => function_unit(rng, st, schema, table),
        Kind::Migration => migration_unit(rng, st, schema, table),
        Kind::Report => report_unit(rng, st, schema, table),
    }
}

/// Any kind of unit (used to fill the deployment script and big files).
fn any_unit(rng: &mut Rng, st: &Style) -> String {
    let kind = match rng.below(10) {
        0..=2 => Kind::Table,
        3..=5 => Kind::Procedure,
        6 => Kind::View,
        7 => Kind::Function,
        8 => Kind::Migration,
        _ => Kind::Report,
    };
    let schema = rng.pick(SCHEMAS);
    let table = ident(rng);
    unit(kind, rng, st, schema, &table)
}

// ---------------------------------------------------------------------------
// Link set-ups (modelled on fixtures/ok/sql-first-multi-file)
// ---------------------------------------------------------------------------

struct Server {
    sql_name: String,
    sql_fqdn: String,
    sql_ip: String,
    mi_name: String,
    mi_fqdn: String,
}

struct Link {
    database: String,
    ag: String,
    dag: String,
    mi_ag: String,
}

impl Server {
    fn new(rng: &mut Rng) -> Server {
        let company = rng.pick(COMPANIES);
        let n = rng.range(1, 40);
        let sql_name = format!("SQLPRD{n:02}");
        let app = rng.pick(&["core", "erp", "crm", "fin", "ops"]);
        let mi_name = format!("mi-{company}-{app}-{}", rng.pick(REGIONS));
        let zone = rng.hex(12).to_ascii_lowercase();
        Server {
            sql_fqdn: format!("{}.corp.{company}.com", sql_name.to_ascii_lowercase()),
            sql_ip: format!(
                "10.{}.{}.{}",
                rng.range(1, 250),
                rng.range(1, 250),
                rng.range(2, 250)
            ),
            mi_fqdn: format!("{mi_name}.{zone}.database.windows.net"),
            sql_name,
            mi_name,
        }
    }
}

fn links(count: usize) -> Vec<Link> {
    (0..count)
        .map(|i| {
            let base = LINK_DATABASES[i % LINK_DATABASES.len()];
            let round = i / LINK_DATABASES.len();
            let database = if round == 0 {
                base.to_string()
            } else {
                format!("{base}{}", round + 1)
            };
            Link {
                ag: format!("AG_{database}"),
                dag: format!("dag-{}", database.to_ascii_lowercase()),
                mi_ag: format!("AG_{database}_MI"),
                database,
            }
        })
        .collect()
}

/// The batches of step 1: master key, certificates, mirroring endpoint (SQLCMD mode:
/// the master key password comes from `$(MasterKeyPassword)`).
fn link_trust_batches(rng: &mut Rng, srv: &Server) -> String {
    let mut s = link_certificate_batches(rng, srv);
    s.push_str(&link_endpoint_batch(srv));
    s
}

/// The name of SQL Server's endpoint certificate.
fn endpoint_certificate(srv: &Server) -> String {
    format!("Cert_{}_endpoint", srv.sql_name)
}

/// The first part of step 1: master key and certificates, from `USE master` on.
fn link_certificate_batches(rng: &mut Rng, srv: &Server) -> String {
    let cert = endpoint_certificate(srv);
    let mut s = String::new();
    let _ = writeln!(s, "USE master;\nGO\n");
    let _ = writeln!(
        s,
        "IF NOT EXISTS (SELECT * FROM sys.symmetric_keys WHERE symmetric_key_id = 101)"
    );
    let _ = writeln!(s, "BEGIN");
    let _ = writeln!(
        s,
        "    PRINT 'Creating the database master key in master.';"
    );
    let _ = writeln!(
        s,
        "    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';"
    );
    let _ = writeln!(s, "END\nGO\n");
    let _ = writeln!(
        s,
        "IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'{cert}')"
    );
    let _ = writeln!(s, "    CREATE CERTIFICATE [{cert}]");
    let _ = writeln!(s, "        WITH SUBJECT = 'Certificate for {cert}',");
    let _ = writeln!(s, "             EXPIRY_DATE = '2034-01-31';");
    let _ = writeln!(s, "GO\n");
    let _ = writeln!(
        s,
        "-- Public key of the managed instance (EXEC sp_get_endpoint_certificate 4 on the MI)"
    );
    let _ = writeln!(
        s,
        "IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'{}')",
        srv.mi_fqdn
    );
    let _ = writeln!(
        s,
        "    CREATE CERTIFICATE [{}]\n        FROM BINARY = 0x3082{};",
        srv.mi_fqdn,
        rng.hex(440)
    );
    let _ = writeln!(s, "GO\n");
    for root in ["MicrosoftPKI", "DigiCertPKI"] {
        let _ = writeln!(
            s,
            "IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'{root}')"
        );
        let _ = writeln!(s, "BEGIN");
        let _ = writeln!(
            s,
            "    CREATE CERTIFICATE [{root}] FROM BINARY = 0x3082{};",
            rng.hex(520)
        );
        let _ = writeln!(s, "    DECLARE @CERTID int = CERT_ID('{root}');");
        let _ = writeln!(
            s,
            "    EXEC sp_certificate_add_issuer @CERTID, N'*.database.windows.net';"
        );
        let _ = writeln!(s, "END\nGO\n");
    }
    s
}

/// The last batch of step 1: the mirroring endpoint (no `USE`: it follows the
/// certificates in master; a caller that places it elsewhere adds `USE master`).
fn link_endpoint_batch(srv: &Server) -> String {
    let cert = endpoint_certificate(srv);
    let mut s = String::new();
    let _ = writeln!(s, "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints WHERE type_desc = 'DATABASE_MIRRORING')");
    let _ = writeln!(s, "    CREATE ENDPOINT [Hadr_endpoint]");
    let _ = writeln!(s, "        STATE = STARTED");
    let _ = writeln!(
        s,
        "        AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)"
    );
    let _ = writeln!(s, "        FOR DATABASE_MIRRORING (");
    let _ = writeln!(s, "            ROLE = ALL,");
    let _ = writeln!(s, "            AUTHENTICATION = CERTIFICATE [{cert}],");
    let _ = writeln!(s, "            ENCRYPTION = REQUIRED ALGORITHM AES");
    let _ = writeln!(s, "        );\nGO\n");
    s
}

/// The batches of step 2: recovery, backup, AG and DAG.
fn link_ag_batches(srv: &Server, link: &Link) -> String {
    let Link {
        database,
        ag,
        dag,
        mi_ag,
    } = link;
    let mut s = String::new();
    let _ = writeln!(s, "USE master;\nGO\n");
    let _ = writeln!(s, "ALTER DATABASE [{database}] SET RECOVERY FULL;\nGO\n");
    let _ = writeln!(s, "BACKUP DATABASE [{database}]");
    let _ = writeln!(
        s,
        "    TO DISK = N'E:\\MSSQL\\Backup\\{database}_full_before_milink.bak'"
    );
    let _ = writeln!(s, "    WITH INIT, COMPRESSION, CHECKSUM, STATS = 10;\nGO\n");
    let _ = writeln!(s, "CREATE AVAILABILITY GROUP [{ag}]");
    let _ = writeln!(s, "WITH (CLUSTER_TYPE = NONE)");
    let _ = writeln!(s, "    FOR DATABASE [{database}]");
    let _ = writeln!(s, "    REPLICA ON N'{}' WITH (", srv.sql_name);
    let _ = writeln!(s, "        ENDPOINT_URL = 'TCP://{}:5022',", srv.sql_fqdn);
    let _ = writeln!(s, "        AVAILABILITY_MODE = SYNCHRONOUS_COMMIT,");
    let _ = writeln!(s, "        FAILOVER_MODE = MANUAL,");
    let _ = writeln!(s, "        SEEDING_MODE = AUTOMATIC");
    let _ = writeln!(s, "    );\nGO\n");
    let _ = writeln!(s, "CREATE AVAILABILITY GROUP [{dag}]");
    let _ = writeln!(s, "WITH (DISTRIBUTED)");
    let _ = writeln!(s, "    AVAILABILITY GROUP ON");
    let _ = writeln!(s, "    N'{ag}' WITH (");
    let _ = writeln!(s, "        LISTENER_URL = 'TCP://{}:5022',", srv.sql_fqdn);
    let _ = writeln!(s, "        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT,");
    let _ = writeln!(s, "        FAILOVER_MODE = MANUAL,");
    let _ = writeln!(s, "        SEEDING_MODE = AUTOMATIC,");
    let _ = writeln!(s, "        SESSION_TIMEOUT = 20");
    let _ = writeln!(s, "    ),");
    let _ = writeln!(s, "    N'{mi_ag}' WITH (");
    let _ = writeln!(
        s,
        "        LISTENER_URL = 'tcp://{}:5022;Server=[{}]',",
        srv.mi_fqdn, srv.mi_name
    );
    let _ = writeln!(s, "        AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT,");
    let _ = writeln!(s, "        FAILOVER_MODE = MANUAL,");
    let _ = writeln!(s, "        SEEDING_MODE = AUTOMATIC");
    let _ = writeln!(s, "    );\nGO\n");
    s
}

fn link_header(file: &str, step: &str, srv: &Server, link: &Link) -> String {
    format!(
        "-- =============================================================================\n\
         -- {file}\n\
         -- Managed Instance link for [{}] (link name {}): {step}\n\
         -- Runs on: SQL Server {} (initial primary), in SQLCMD mode:\n\
         --     sqlcmd -E -b -v MasterKeyPassword=\"...\" -i {file}\n\
         -- =============================================================================\n\
         :on error exit\n\n",
        link.database, link.dag, srv.sql_name
    )
}

fn write_link_pair(
    root: &Path,
    rng: &mut Rng,
    srv: &Server,
    link: &Link,
    totals: &mut Totals,
) -> std::io::Result<()> {
    let crlf = rng.chance(1, 3);
    let f1 = "01_trust_and_endpoint.sql";
    let mut f = SqlFile::create(root, &format!("link/{}/{f1}", link.dag), crlf, false)?;
    f.put(&link_header(
        f1,
        "step 1 of 2 (master key, certificates, endpoint)",
        srv,
        link,
    ))?;
    f.put(&link_trust_batches(rng, srv))?;
    f.finish(totals)?;
    let f2 = "02_ag_and_dag.sql";
    let mut f = SqlFile::create(root, &format!("link/{}/{f2}", link.dag), crlf, false)?;
    f.put(&link_header(
        f2,
        "step 2 of 2 (database, AG, distributed AG)",
        srv,
        link,
    ))?;
    f.put(&link_ag_batches(srv, link))?;
    f.put("SELECT name, is_distributed FROM sys.availability_groups ORDER BY name;\nGO\n")?;
    f.finish(totals)?;
    Ok(())
}

fn write_params(root: &Path, srv: &Server, links: &[Link]) -> std::io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by gen-corpus: the link set-ups of this corpus.\n"
    );
    let _ = writeln!(s, "[sql_server]");
    let _ = writeln!(s, "name = \"{}\"", srv.sql_name);
    let _ = writeln!(s, "fqdn = \"{}\"", srv.sql_fqdn);
    let _ = writeln!(s, "ip = \"{}\"", srv.sql_ip);
    let _ = writeln!(s, "endpoint_port = 5022");
    let _ = writeln!(s, "version = 2022\n");
    let _ = writeln!(s, "[managed_instance]");
    let _ = writeln!(s, "name = \"{}\"", srv.mi_name);
    let _ = writeln!(s, "fqdn = \"{}\"", srv.mi_fqdn);
    for l in links {
        let _ = writeln!(s, "\n[[link]]");
        let _ = writeln!(s, "availability_group = \"{}\"", l.ag);
        let _ = writeln!(s, "distributed_availability_group = \"{}\"", l.dag);
        let _ = writeln!(s, "instance_availability_group = \"{}\"", l.mi_ag);
        let _ = writeln!(s, "databases = [\"{}\"]", l.database);
        let _ = writeln!(s, "initial_primary = \"sql_server\"");
        let _ = writeln!(s, "mode = \"single\"");
    }
    fs::write(root.join("params.toml"), s)?;
    fs::write(
        root.join("milink.toml"),
        "# Generated by gen-corpus.\nparams = \"params.toml\"\n\n[vars]\nMasterKeyPassword = \"supplied-at-run-time\"\n",
    )
}

// ---------------------------------------------------------------------------
// DBA diagnostic procedures (the `procedures` preset)
// ---------------------------------------------------------------------------
//
// Modelled on health-check procedure libraries: each file installs one procedure whose
// body is a long list of checks over the HADR catalog views and DMVs, msdb's backup
// history and master's databases. Every link word the linter's prefilter looks for
// (availability, endpoint, certificate, master, backup, recovery, hadr, use) occurs
// again and again, in queries, comments, string literals and dynamic SQL, but there is
// no link statement: the whole batch must be tokenized and found to hold nothing.
// Nothing here may look like a link statement outside comments (no CREATE/ALTER
// ENDPOINT, AVAILABILITY GROUP, CERTIFICATE, MASTER KEY, BACKUP DATABASE, ALTER
// DATABASE … SET RECOVERY/HADR), nor like a password.

/// Procedure names: a topic and what the procedure's comment says it covers.
const DIAG_TOPICS: &[(&str, &str)] = &[
    (
        "HadrHealthCheck",
        "availability group, replica and database health",
    ),
    (
        "AvailabilityGroupReport",
        "availability groups, replicas, listeners and seeding",
    ),
    (
        "EndpointAudit",
        "database mirroring endpoints and the certificates they use",
    ),
    (
        "CertificateExpiry",
        "certificates about to expire, in master and every database",
    ),
    (
        "BackupCheck",
        "backup history against the recovery model of each database",
    ),
    (
        "RecoveryReadiness",
        "what a restore would need: backups, recovery model, log chain",
    ),
    ("ServerHealthCheck", "server-wide checks for the DBA team"),
    (
        "SecurityAudit",
        "certificates, master keys and endpoint permissions",
    ),
    ("LogReuseCheck", "why a transaction log does not truncate"),
    ("HadrWaits", "availability group waits and send/redo queues"),
    (
        "SeedingMonitor",
        "automatic seeding of availability databases",
    ),
    (
        "DisasterRecoveryReport",
        "backups, replicas and recovery for the DR review",
    ),
];

const DIAG_PREFIXES: &[&str] = &["sp_dba_", "usp_", "usp_diag_", "sp_check_"];

/// (folder, schema) of the libraries the procedures come from.
const DIAG_LIBRARIES: &[(&str, &str)] = &[
    ("healthcheck", "dbo"),
    ("hadr-toolkit", "hadr"),
    ("maintenance", "dba"),
    ("audit", "monitor"),
];

/// Comments of the kind DBA code carries, full of link words (some even quote link
/// statements: a comment is not a statement).
const DIAG_COMMENTS: &[&str] = &[
    "-- An endpoint that authenticates with a certificate needs that certificate in master,\n    -- its private key protected by the master key.",
    "-- FULL recovery is a precondition of an availability group; SIMPLE breaks the log chain.",
    "-- msdb keeps the backup history until sp_delete_backuphistory purges it.",
    "-- Report only: never run ALTER DATABASE ... SET RECOVERY FULL from a health check.",
    "-- The DBA runbook says: BACKUP DATABASE ... WITH CHECKSUM before any availability group change.",
    "/* The link set-up (CREATE CERTIFICATE ... FROM BINARY, CREATE ENDPOINT ... FOR DATABASE_MIRRORING,\n       CREATE AVAILABILITY GROUP ... WITH (DISTRIBUTED)) lives in its own repository. */",
    "-- hadr: a secondary replica that is not readable returns no rows here, that is fine.",
    "-- The master key of master is encrypted by the service master key unless someone dropped it.",
    "-- Distributed availability groups show up in sys.availability_groups with is_distributed = 1.",
    "-- Use the endpoint URL of the replica, not the listener: port 5022 by default.",
    "-- Certificates expire silently: the endpoint keeps working until the next restart.",
    "-- TODO: recovery time estimate from the redo rate (see the runbook, page \"Größe\").",
];

/// Ordinary database names used in examples and exclusions.
const DIAG_DATABASES: &[&str] = &[
    "DBAdmin",
    "ReportServer",
    "SSISDB",
    "distribution",
    "DWConfiguration",
];

/// A check: its title, the condition it runs under (or none), and its body (indented
/// by 12 blanks, inside TRY). The common frame numbers it and catches its errors.
fn diag_check(id: usize, title: &str, cond: Option<&str>, category: &str, body: &str) -> String {
    let cond = cond.map(|c| format!("    IF {c}\n")).unwrap_or_default();
    format!(
        r#"    /* Check {id}: {title} */
{cond}    BEGIN
        BEGIN TRY
{body}        END TRY
        BEGIN CATCH
            INSERT INTO #Findings (CheckId, Priority, Category, Finding, Details)
            VALUES ({id}, 255, N'Errors', N'Check {id} ({category}) failed', CONCAT(ERROR_NUMBER(), N': ', ERROR_MESSAGE()));
        END CATCH;
    END;

"#
    )
}

/// The condition of the checks that read the HADR views.
const HADR_ON: &str = "@CheckHadr = 1 AND CONVERT(INT, SERVERPROPERTY('IsHadrEnabled')) = 1";

/// Replicas whose synchronization health is not HEALTHY.
fn diag_ag_replicas(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(1, 50);
    let distributed = if rng.chance(1, 2) {
        "\n              AND ag.is_distributed = 0"
    } else {
        ""
    };
    let body = format!(
        r#"            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Availability groups', N'Replica not healthy',
                   ag.name + N' / ' + ar.replica_server_name,
                   N'The replica ''' + ar.replica_server_name + N''' of availability group ''' + ag.name
                   + N''' is ' + ISNULL(ars.synchronization_health_desc, N'UNKNOWN')
                   + N' (role ' + ISNULL(ars.role_desc, N'?') + N', ' + ISNULL(ars.connected_state_desc, N'?')
                   + N'). Check the endpoint and its certificate on both sides.'
            FROM sys.availability_groups AS ag
            INNER JOIN sys.availability_replicas AS ar ON ar.group_id = ag.group_id
            LEFT OUTER JOIN sys.dm_hadr_availability_replica_states AS ars ON ars.replica_id = ar.replica_id
            WHERE ISNULL(ars.synchronization_health, 0) <> 2{distributed};
"#
    );
    diag_check(
        id,
        "availability group replicas that are not healthy.\n       A DISCONNECTED replica no longer receives the log: look at the database\n       mirroring endpoint and its certificate on both sides first.",
        Some(HADR_ON),
        "availability groups",
        &body,
    )
}

/// Availability databases that are suspended or have long send/redo queues.
fn diag_db_replicas(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(10, 80);
    let body = format!(
        r#"            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Availability databases',
                   CASE WHEN drs.is_suspended = 1 THEN N'Data movement suspended' ELSE N'Queue too long' END,
                   d.name,
                   N'Database ''' + d.name + N''' in availability group ''' + ag.name + N''': '
                   + CASE WHEN drs.is_suspended = 1
                          THEN N'data movement is suspended (' + ISNULL(drs.suspend_reason_desc, N'?') + N'); resume it once the cause is fixed.'
                          ELSE N'log send queue ' + CONVERT(NVARCHAR(20), drs.log_send_queue_size) + N' KB, redo queue '
                               + CONVERT(NVARCHAR(20), drs.redo_queue_size) + N' KB.' END
            FROM sys.dm_hadr_database_replica_states AS drs
            INNER JOIN master.sys.databases AS d ON d.database_id = drs.database_id
            INNER JOIN sys.availability_groups AS ag ON ag.group_id = drs.group_id
            WHERE drs.is_local = 1
              AND (drs.is_suspended = 1 OR drs.log_send_queue_size > @LogSendQueueKB OR drs.redo_queue_size > {redo});
"#,
        redo = rng.range(1, 64) * 1024
    );
    diag_check(
        id,
        "availability databases that are suspended or far behind.",
        Some(HADR_ON),
        "availability databases",
        &body,
    )
}

/// The mirroring endpoint joined with its TCP settings and its certificate.
fn diag_endpoints(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(5, 40);
    let port = if rng.chance(3, 4) {
        5022
    } else {
        rng.range(5022, 5099)
    };
    let body = format!(
        r#"            {comment}
            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Endpoints', N'Mirroring endpoint not ready', e.name,
                   N'The database mirroring endpoint ''' + e.name + N''' is ' + e.state_desc
                   + N', role ' + e.role_desc + N', authentication ' + e.connection_auth_desc
                   + N', encryption ' + e.encryption_algorithm_desc + N', port ' + CONVERT(NVARCHAR(10), te.port)
                   + ISNULL(N', certificate ''' + c.name + N''' expires ' + CONVERT(NVARCHAR(30), c.expiry_date, 126), N', no certificate')
                   + N'.'
            FROM sys.database_mirroring_endpoints AS e
            INNER JOIN sys.tcp_endpoints AS te ON te.endpoint_id = e.endpoint_id
            LEFT OUTER JOIN master.sys.certificates AS c ON c.certificate_id = e.certificate_id
            WHERE e.state_desc <> N'STARTED'
               OR e.encryption_algorithm_desc IN (N'NONE', N'RC4', N'RC4_AES')
               OR te.port <> {port}
               OR c.expiry_date < DATEADD(DAY, @CertificateWarningDays, SYSUTCDATETIME());
"#,
        comment = rng.pick(DIAG_COMMENTS).replace("\n    ", "\n            ")
    );
    diag_check(
        id,
        "the database mirroring endpoint: started, encrypted with AES,\n       on the expected port, with a certificate that does not expire soon.",
        None,
        "endpoints",
        &body,
    )
}

/// Certificates of master that expire soon.
fn diag_certificates(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(20, 120);
    let body = format!(
        r#"            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Certificates',
                   CASE WHEN c.expiry_date < SYSUTCDATETIME() THEN N'Certificate expired' ELSE N'Certificate expires soon' END,
                   c.name,
                   N'Certificate ''' + c.name + N''' (subject ' + ISNULL(c.subject, N'?') + N') expires on '
                   + CONVERT(NVARCHAR(30), c.expiry_date, 126) + N'; its private key is '
                   + c.pvt_key_encryption_type_desc + N'. Renew it before the endpoint that uses it stops.'
            FROM master.sys.certificates AS c
            WHERE c.name NOT LIKE N'##%'
              AND c.expiry_date < DATEADD(DAY, @CertificateWarningDays, SYSUTCDATETIME()){extra};
"#,
        extra = if rng.chance(1, 2) {
            "\n              AND c.pvt_key_encryption_type_desc = N'ENCRYPTED_BY_MASTER_KEY'"
        } else {
            ""
        }
    );
    diag_check(
        id,
        "certificates in master that expire within @CertificateWarningDays.",
        if rng.chance(1, 3) {
            Some("@CertificateWarningDays > 0")
        } else {
            None
        },
        "certificates",
        &body,
    )
}

/// The master key of master, and databases whose master key is not opened automatically.
fn diag_master_key(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(30, 150);
    let body = format!(
        r#"            IF NOT EXISTS (SELECT 1 FROM master.sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
                INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
                VALUES ({id}, {prio}, N'Keys', N'No master key in master', N'master',
                        N'master has no database master key: an endpoint certificate needs one to protect its private key.');

            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio2}, N'Keys', N'Master key not opened automatically', d.name,
                   N'The database master key of ''' + d.name + N''' is not encrypted by the service master key: '
                   + N'restores and failovers need it opened by hand.'
            FROM master.sys.databases AS d
            WHERE d.is_master_key_encrypted_by_server = 0
              AND d.database_id > 4
              AND d.name NOT IN (N'{db}');
"#,
        prio2 = prio + 10,
        db = rng.pick(DIAG_DATABASES)
    );
    diag_check(
        id,
        "master keys: one in master, opened by the service master key elsewhere.",
        None,
        "keys",
        &body,
    )
}

/// The last full and log backup of each database (CTE over msdb) against its recovery model.
fn diag_backups(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(1, 100);
    let body = format!(
        r#"            ;WITH last_backup AS
            (
                SELECT bs.database_name, bs.type, MAX(bs.backup_finish_date) AS finished
                FROM msdb.dbo.backupset AS bs
                WHERE bs.is_copy_only = 0
                  AND bs.backup_finish_date > DATEADD(DAY, -{days}, GETDATE())
                GROUP BY bs.database_name, bs.type
            )
            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Backups',
                   CASE WHEN full_b.finished IS NULL THEN N'No recent full backup' ELSE N'No recent log backup' END,
                   d.name,
                   N'Database ''' + d.name + N''' (' + d.recovery_model_desc + N' recovery): last full backup '
                   + ISNULL(CONVERT(NVARCHAR(30), full_b.finished, 120), N'never') + N', last log backup '
                   + ISNULL(CONVERT(NVARCHAR(30), log_b.finished, 120), N'never') + N'.'
            FROM master.sys.databases AS d
            LEFT OUTER JOIN last_backup AS full_b ON full_b.database_name = d.name AND full_b.type = 'D'
            LEFT OUTER JOIN last_backup AS log_b ON log_b.database_name = d.name AND log_b.type = 'L'
            WHERE d.database_id <> 2
              AND d.state_desc = N'ONLINE'
              AND (full_b.finished IS NULL OR full_b.finished < DATEADD(DAY, -@FullBackupDays, GETDATE())
                   OR (d.recovery_model_desc <> N'SIMPLE'
                       AND (log_b.finished IS NULL OR log_b.finished < DATEADD(HOUR, -@LogBackupHours, GETDATE()))));
"#,
        days = rng.range(7, 90)
    );
    diag_check(
        id,
        "databases without a recent full backup, or without a recent log\n       backup in FULL or BULK_LOGGED recovery (the log grows until one runs).",
        None,
        "backups",
        &body,
    )
}

/// A per-database check: the temp table its rows go to and the dynamic SQL that fills
/// it in each database (`{id}` stands for the check number, which keeps the names of
/// one procedure's variables, cursors and temp tables apart).
struct PerDatabase {
    what: &'static str,
    finding: &'static str,
    table: &'static str,
    columns: &'static str,
    /// The column shown in the finding's details.
    detail: &'static str,
    sql: &'static str,
    params: &'static str,
}

const PER_DATABASE: &[PerDatabase] = &[
    PerDatabase {
        what: "certificates in every user database that expire soon",
        finding: "Certificate expires soon",
        table: "#DbCertificates{id}",
        columns: "DatabaseName sysname, ItemName sysname, ExpiryDate DATETIME, KeyProtection NVARCHAR(60)",
        detail: "KeyProtection",
        sql: "N'SELECT @db, c.name, c.expiry_date, c.pvt_key_encryption_type_desc\nFROM ' + QUOTENAME(@db{id}) + N'.sys.certificates AS c\nWHERE c.name NOT LIKE N''##%'' AND c.expiry_date < DATEADD(DAY, @days, SYSUTCDATETIME());'",
        params: "N'@db sysname, @days INT', @db = @db{id}, @days = @CertificateWarningDays",
    },
    PerDatabase {
        what: "log files that grow by percent or are very large (a missed log backup?)",
        finding: "Log file needs attention",
        table: "#DbLogFiles{id}",
        columns: "DatabaseName sysname, ItemName sysname, SizeMB INT, PercentGrowth BIT",
        detail: "SizeMB",
        // `USE` inside dynamic SQL: the usual way to run a query in each database
        sql: "N'USE ' + QUOTENAME(@db{id}) + N';\nSELECT DB_NAME(), f.name, f.size / 128, f.is_percent_growth\nFROM sys.database_files AS f\nWHERE f.type_desc = N''LOG'' AND (f.is_percent_growth = 1 OR f.size > @pages);'",
        params: "N'@pages INT', @pages = 131072",
    },
    PerDatabase {
        what: "database users whose login is gone after a restore or a failover",
        finding: "Orphaned user",
        table: "#DbOrphans{id}",
        columns: "DatabaseName sysname, ItemName sysname, TypeDesc NVARCHAR(60), CreatedAt DATETIME",
        detail: "TypeDesc",
        sql: "N'SELECT @db, dp.name, dp.type_desc, dp.create_date\nFROM ' + QUOTENAME(@db{id}) + N'.sys.database_principals AS dp\nLEFT OUTER JOIN master.sys.server_principals AS sp ON sp.sid = dp.sid\nWHERE sp.sid IS NULL AND dp.type IN (''S'', ''U'') AND dp.principal_id > 4 AND dp.authentication_type = 1;'",
        params: "N'@db sysname', @db = @db{id}",
    },
];

/// A cursor over the databases running dynamic SQL in each with sp_executesql.
fn diag_per_database(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(40, 200);
    let check = &PER_DATABASE[rng.below(PER_DATABASE.len())];
    let n = id.to_string();
    let table = check.table.replace("{id}", &n);
    let sql = check.sql.replace("{id}", &n);
    let params = check.params.replace("{id}", &n);
    let PerDatabase {
        columns,
        finding,
        detail,
        ..
    } = check;
    let skip = rng.pick(DIAG_DATABASES);
    let body = format!(
        r#"            DECLARE @db{id} sysname, @sql{id} NVARCHAR(MAX);
            CREATE TABLE {table} ({columns});

            DECLARE databases_{id} CURSOR LOCAL FAST_FORWARD FOR
                SELECT d.name
                FROM master.sys.databases AS d
                WHERE d.database_id > 4 AND d.state_desc = N'ONLINE' AND HAS_DBACCESS(d.name) = 1
                  AND d.name <> N'{skip}'
                ORDER BY d.name;
            OPEN databases_{id};
            FETCH NEXT FROM databases_{id} INTO @db{id};
            WHILE @@FETCH_STATUS = 0
            BEGIN
                IF @Debug = 1
                    RAISERROR(N'check {id}: %s', 0, 1, @db{id}) WITH NOWAIT;
                SET @sql{id} = {sql};
                INSERT INTO {table}
                EXEC sys.sp_executesql @sql{id}, {params};
                FETCH NEXT FROM databases_{id} INTO @db{id};
            END;
            CLOSE databases_{id};
            DEALLOCATE databases_{id};

            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Databases', N'{finding}', t.DatabaseName + N'.' + t.ItemName,
                   N'{finding} in ''' + t.DatabaseName + N''': ' + t.ItemName
                   + N' (' + CONVERT(NVARCHAR(100), t.{detail}) + N').'
            FROM {table} AS t;
            DROP TABLE {table};
"#
    );
    diag_check(id, check.what, None, "databases", &body)
}

/// Why the log does not truncate (log_reuse_wait_desc), with the recovery model.
fn diag_log_reuse(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(20, 90);
    let body = format!(
        r#"            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Recovery', N'Log does not truncate', d.name,
                   N'The log of ''' + d.name + N''' (' + d.recovery_model_desc + N' recovery) waits for '
                   + d.log_reuse_wait_desc
                   + CASE d.log_reuse_wait_desc
                         WHEN N'LOG_BACKUP' THEN N': take a log backup, or check the backup job.'
                         WHEN N'AVAILABILITY_REPLICA' THEN N': a secondary replica of the availability group is behind.'
                         WHEN N'DATABASE_MIRRORING' THEN N': the mirroring partner is behind or disconnected.'
                         ELSE N'.'
                     END
            FROM master.sys.databases AS d
            WHERE d.log_reuse_wait_desc IN (N'LOG_BACKUP', N'AVAILABILITY_REPLICA', N'DATABASE_MIRRORING', N'ACTIVE_BACKUP_OR_RESTORE')
              AND d.database_id > {first};
"#,
        first = if rng.chance(1, 2) { 4 } else { 1 }
    );
    diag_check(
        id,
        "transaction logs waiting on a log backup or a replica.",
        None,
        "recovery",
        &body,
    )
}

/// HADR and backup waits, from a snapshot taken twice (WAITFOR, temp table).
fn diag_waits(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(100, 220);
    let body = format!(
        r#"            CREATE TABLE #Waits{id} (Sample TINYINT NOT NULL, wait_type NVARCHAR(60) NOT NULL, wait_time_ms BIGINT NOT NULL, waiting_tasks BIGINT NOT NULL);
            INSERT INTO #Waits{id} (Sample, wait_type, wait_time_ms, waiting_tasks)
            SELECT 1, ws.wait_type, ws.wait_time_ms, ws.waiting_tasks_count
            FROM sys.dm_os_wait_stats AS ws
            WHERE ws.wait_type LIKE N'HADR[_]%' OR ws.wait_type IN (N'BACKUPIO', N'BACKUPBUFFER', N'BACKUPTHREAD', N'LOGBUFFER', N'WRITELOG');
            WAITFOR DELAY '00:00:0{delay}';
            INSERT INTO #Waits{id} (Sample, wait_type, wait_time_ms, waiting_tasks)
            SELECT 2, ws.wait_type, ws.wait_time_ms, ws.waiting_tasks_count
            FROM sys.dm_os_wait_stats AS ws
            WHERE ws.wait_type LIKE N'HADR[_]%' OR ws.wait_type IN (N'BACKUPIO', N'BACKUPBUFFER', N'BACKUPTHREAD', N'LOGBUFFER', N'WRITELOG');

            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Waits', N'High HADR or backup waits', w2.wait_type,
                   CONVERT(NVARCHAR(20), w2.wait_time_ms - w1.wait_time_ms) + N' ms in {delay} s over '
                   + CONVERT(NVARCHAR(20), w2.waiting_tasks - w1.waiting_tasks) + N' waits'
                   + CASE WHEN w2.wait_type = N'HADR_SYNC_COMMIT' THEN N': synchronous commit to a slow replica.' ELSE N'.' END
            FROM #Waits{id} AS w1
            INNER JOIN #Waits{id} AS w2 ON w2.wait_type = w1.wait_type AND w2.Sample = 2
            WHERE w1.Sample = 1 AND w2.wait_time_ms - w1.wait_time_ms > {threshold};
            DROP TABLE #Waits{id};
"#,
        delay = rng.range(1, 5),
        threshold = rng.range(1, 50) * 100
    );
    diag_check(
        id,
        "HADR_* and BACKUP* waits over a few seconds.",
        Some("@SampleWaits = 1"),
        "waits",
        &body,
    )
}

/// Automatic seeding, with a version branch (IF/ELSE on the product version).
fn diag_seeding(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(30, 120);
    let version = rng.range(13, 16);
    let body = format!(
        r#"            IF @ProductMajor >= {version}
            BEGIN
                INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
                SELECT {id}, {prio}, N'Seeding', N'Automatic seeding failed', ag.name,
                       N'Seeding of a database into availability group ''' + ag.name + N''' ended '
                       + s.current_state + ISNULL(N': ' + s.failure_state_desc, N'') + N' on '
                       + CONVERT(NVARCHAR(30), s.completion_time, 120) + N'.'
                FROM sys.dm_hadr_automatic_seeding AS s
                INNER JOIN sys.availability_groups AS ag ON ag.group_id = s.ag_id
                WHERE s.current_state <> N'COMPLETED'
                  AND s.start_time > DATEADD(DAY, -{days}, SYSUTCDATETIME());

                INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
                SELECT {id}, {prio}, N'Seeding', N'Seeding in progress', ps.local_database_name,
                       N'Seeding ' + ps.role_desc + N' ''' + ps.local_database_name + N''' from '
                       + ISNULL(ps.remote_machine_name, N'?') + N': '
                       + CONVERT(NVARCHAR(20), ps.transferred_size_bytes / 1048576) + N' of '
                       + CONVERT(NVARCHAR(20), ps.database_size_bytes / 1048576) + N' MB (a backup stream over the endpoint).'
                FROM sys.dm_hadr_physical_seeding_stats AS ps;
            END
            ELSE
            BEGIN
                IF @Debug = 1
                    PRINT N'check {id}: automatic seeding needs a newer version; skipped.';
            END;
"#,
        days = rng.range(1, 30)
    );
    diag_check(
        id,
        "automatic seeding: failures and progress.",
        Some(HADR_ON),
        "seeding",
        &body,
    )
}

/// Listeners and their IP addresses.
fn diag_listeners(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(50, 150);
    let body = format!(
        r#"            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Listeners', N'Listener address offline', l.dns_name,
                   N'Listener ''' + l.dns_name + N''' of availability group ''' + ag.name + N''' port '
                   + CONVERT(NVARCHAR(10), l.port) + N': ' + ip.ip_address + N' is ' + ip.state_desc + N'.'
            FROM sys.availability_group_listeners AS l
            INNER JOIN sys.availability_groups AS ag ON ag.group_id = l.group_id
            INNER JOIN sys.availability_group_listener_ip_addresses AS ip ON ip.listener_id = l.listener_id
            WHERE ip.state_desc <> N'ONLINE'{port};
"#,
        port = if rng.chance(1, 3) {
            "\n               OR l.port = 5022"
        } else {
            ""
        }
    );
    diag_check(
        id,
        "availability group listeners (a listener on the endpoint port is a mistake).",
        Some(HADR_ON),
        "listeners",
        &body,
    )
}

/// Backup history into a temp table (SELECT … INTO), then two findings from it.
fn diag_backup_history(rng: &mut Rng, id: usize) -> String {
    let prio = rng.range(100, 240);
    let body = format!(
        r#"            SELECT bs.database_name, bs.type, bs.backup_start_date, bs.backup_finish_date,
                   bs.backup_size / 1048576.0 AS size_mb, bs.compressed_backup_size / 1048576.0 AS compressed_mb,
                   bs.recovery_model, bs.has_backup_checksums, mf.physical_device_name
            INTO #BackupHistory{id}
            FROM msdb.dbo.backupset AS bs
            INNER JOIN msdb.dbo.backupmediafamily AS mf ON mf.media_set_id = bs.media_set_id
            WHERE bs.backup_start_date > DATEADD(DAY, -{days}, GETDATE());

            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Backups', N'Backups without checksum', h.database_name,
                   CONVERT(NVARCHAR(20), COUNT(*)) + N' backups of ''' + h.database_name
                   + N''' without CHECKSUM in {days} days (last to ' + MAX(h.physical_device_name) + N').'
            FROM #BackupHistory{id} AS h
            WHERE h.has_backup_checksums = 0
            GROUP BY h.database_name;

            INSERT INTO #Findings (CheckId, Priority, Category, Finding, ObjectName, Details)
            SELECT {id}, {prio}, N'Backups', N'Backup to the local disk', h.database_name,
                   N'The last backup of ''' + h.database_name + N''' went to ' + MAX(h.physical_device_name)
                   + N': a backup on the server''s own disk does not help after a disaster.'
            FROM #BackupHistory{id} AS h
            WHERE h.physical_device_name LIKE N'{drive}:\%' AND h.type = 'D'
            GROUP BY h.database_name;
            DROP TABLE #BackupHistory{id};
"#,
        days = rng.range(7, 60),
        drive = rng.pick(&["C", "D", "E"])
    );
    diag_check(
        id,
        "the backup history of the last weeks: checksums and backup devices.",
        None,
        "backups",
        &body,
    )
}

/// A check of any kind (HADR views, endpoints, certificates, backups, …), now and then
/// after a comment of the DBA's.
fn diag_any_check(rng: &mut Rng, id: usize) -> String {
    let mut s = String::new();
    if rng.chance(1, 4) {
        s.push_str("    ");
        s.push_str(rng.pick(DIAG_COMMENTS));
        s.push('\n');
    }
    let check = match rng.below(13) {
        0 => diag_ag_replicas(rng, id),
        1 => diag_db_replicas(rng, id),
        2 => diag_endpoints(rng, id),
        3 => diag_certificates(rng, id),
        4 => diag_master_key(rng, id),
        5 | 6 => diag_backups(rng, id),
        7 | 8 => diag_per_database(rng, id),
        9 => diag_log_reuse(rng, id),
        10 => diag_waits(rng, id),
        11 => diag_seeding(rng, id),
        _ if rng.chance(1, 2) => diag_listeners(rng, id),
        _ => diag_backup_history(rng, id),
    };
    s.push_str(&check);
    s
}

/// The file up to the procedure's first check: header comment, the small set-up
/// batches, and the procedure's parameters, variables and result table.
fn diag_head(
    rng: &mut Rng,
    st: &Style,
    rel: &str,
    schema: &str,
    name: &str,
    about: &str,
) -> String {
    let go = st.go;
    let version = format!("{}.{}", rng.range(1, 9), rng.range(0, 30));
    let maintainer = rng.pick(AUTHORS);
    // DBA libraries install into master (callable from every database) or their own database
    let database = if rng.chance(1, 2) {
        "master".to_string()
    } else {
        format!("[{}]", DIAG_DATABASES[0])
    };
    let create_schema = if schema == "dbo" {
        String::new()
    } else {
        format!(
            "IF SCHEMA_ID(N'{schema}') IS NULL\n    EXEC (N'CREATE SCHEMA [{schema}] AUTHORIZATION [dbo];');\n{go}\n\n"
        )
    };
    let warning_days = rng.pick(&["30", "45", "60", "90"]);
    let full_days = rng.range(1, 8);
    let log_hours = rng.pick(&["1", "4", "12", "24"]);
    let queue_kb = rng.range(1, 100) * 1024;
    format!(
        r#"/* =============================================================================
   {rel}
   [{schema}].[{name}]: {about}.
   Part of the DBA team's health-check library, v{version}. Maintainer: {maintainer}.
   Read-only: it reports findings and never changes a database, an availability
   group, an endpoint, a certificate, a master key or a backup.
   ============================================================================= */
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
{go}

USE {database};
{go}

{create_schema}CREATE OR ALTER PROCEDURE [{schema}].[{name}]
    @CheckHadr BIT = 1,
    @SampleWaits BIT = 0,
    @CertificateWarningDays INT = {warning_days},
    @FullBackupDays INT = {full_days},
    @LogBackupHours INT = {log_hours},
    @LogSendQueueKB BIGINT = {queue_kb},
    @OutputTable NVARCHAR(400) = NULL,
    @Debug BIT = 0
AS
BEGIN
    SET NOCOUNT ON;
    -- a failing check must not end the others: each one catches its own errors
    SET XACT_ABORT OFF;

    DECLARE @ProductMajor INT = CONVERT(INT, SERVERPROPERTY('ProductMajorVersion')),
            @StartedAt DATETIME2(3) = SYSUTCDATETIME(),
            @sql NVARCHAR(MAX);

    IF OBJECT_ID(N'tempdb..#Findings') IS NOT NULL DROP TABLE #Findings;
    CREATE TABLE #Findings
    (
        FindingId INT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
        CheckId INT NOT NULL,
        Priority TINYINT NOT NULL,
        Category NVARCHAR(100) NOT NULL,
        Finding NVARCHAR(200) NOT NULL,
        ObjectName NVARCHAR(400) NULL,
        Details NVARCHAR(4000) NULL
    );

    IF @Debug = 1
        RAISERROR(N'{name}: starting (availability groups, endpoints, certificates, backups)', 0, 1) WITH NOWAIT;

"#
    )
}

/// The end of the procedure (results, or into @OutputTable by dynamic SQL) and the
/// small batches after it.
fn diag_tail(rng: &mut Rng, st: &Style, schema: &str, name: &str, about: &str) -> String {
    let go = st.go;
    let intl = rng.pick(INTL);
    let grantee = rng.pick(&["dba_monitoring", "HealthCheckReaders", "svc_monitoring"]);
    format!(
        r#"    /* Results, worst first; or into @OutputTable for the central DBA database. */
    IF @OutputTable IS NULL
        SELECT CheckId, Priority, Category, Finding, ObjectName, Details
        FROM #Findings
        ORDER BY Priority, CheckId, FindingId;
    ELSE
    BEGIN
        SET @sql = N'INSERT INTO ' + @OutputTable + N' (ServerName, CollectedAt, CheckId, Priority, Category, Finding, ObjectName, Details)
SELECT @@SERVERNAME, @at, CheckId, Priority, Category, Finding, ObjectName, Details FROM #Findings;';
        EXEC sys.sp_executesql @sql, N'@at DATETIME2(3)', @at = @StartedAt;
    END;

    IF @Debug = 1
    BEGIN
        DECLARE @found INT = (SELECT COUNT(*) FROM #Findings),
                @ms INT = DATEDIFF(MILLISECOND, @StartedAt, SYSUTCDATETIME());
        RAISERROR(N'%s: %d findings in %d ms', 0, 1, N'{name}', @found, @ms) WITH NOWAIT;
    END;
END;
{go}

EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'{about} ({intl})',
    @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'PROCEDURE', @level1name = N'{name}';
{go}

GRANT EXECUTE ON [{schema}].[{name}] TO [{grantee}];
{go}

/* Example:
   EXEC [{schema}].[{name}] @CheckHadr = 1, @CertificateWarningDays = 60, @Debug = 1;
*/
"#
    )
}

/// One procedure script: the head, checks until the file is about `target` bytes, the
/// tail. The procedure is one batch from CREATE OR ALTER to its GO.
fn write_diag_procedure(
    root: &Path,
    i: usize,
    target: u64,
    rng: &mut Rng,
    totals: &mut Totals,
) -> std::io::Result<u64> {
    // distinct names without a lookup: topic by index, prefix by round, a number after
    let (topic, about) = DIAG_TOPICS[i % DIAG_TOPICS.len()];
    let round = i / DIAG_TOPICS.len();
    let mut name = format!("{}{topic}", DIAG_PREFIXES[round % DIAG_PREFIXES.len()]);
    if round >= DIAG_PREFIXES.len() {
        name = format!("{name}{}", round / DIAG_PREFIXES.len() + 1);
    }
    let (folder, schema) = DIAG_LIBRARIES[rng.below(DIAG_LIBRARIES.len())];
    let rel = format!("dba/{folder}/{schema}.{name}.sql");
    let st = Style::new(rng);
    let mut f = SqlFile::create(root, &rel, rng.chance(1, 3), rng.chance(1, 40))?;
    f.put(&diag_head(rng, &st, &rel, schema, &name, about))?;
    let tail = diag_tail(rng, &st, schema, &name, about);
    let mut id = 0;
    while f.written + (tail.len() as u64) < target {
        id += 1;
        f.put(&diag_any_check(rng, id))?;
    }
    f.put(&tail)?;
    f.finish(totals)
}

/// `procedures`: `args.files` diagnostic procedure scripts of 0.5–2 MB each for the
/// default 40 files / 50 MB (sizes uniform over 1:4 around the mean), no link set-up,
/// so no params.toml or milink.toml.
fn gen_procedures(args: &Args, rng: &mut Rng, totals: &mut Totals) -> std::io::Result<usize> {
    let weights: Vec<f64> = (0..args.files).map(|_| 1.0 + 3.0 * rng.unit()).collect();
    let sum: f64 = weights.iter().sum();
    for (i, w) in weights.iter().enumerate() {
        let mut r = rng.fork(i as u64);
        let target = (args.size_bytes as f64 * w / sum) as u64;
        write_diag_procedure(&args.dir, i, target, &mut r, totals)?;
    }
    Ok(0)
}

// ---------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------

/// File sizes: log-uniform over a range of 1:20000, scaled to the total, so most
/// files are a few KB and a few are a few hundred KB.
fn plan_sizes(rng: &mut Rng, n: usize, total: u64) -> Vec<u64> {
    let weights: Vec<f64> = (0..n).map(|_| (rng.unit() * 20000f64.ln()).exp()).collect();
    let sum: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| ((total as f64) * w / sum) as u64)
        .collect()
}

/// One ordinary file: its kind, path and main object.
struct Planned {
    kind: Kind,
    rel: String,
    schema: String,
    table: String,
}

fn plan_file(rng: &mut Rng, i: usize, used: &mut std::collections::HashSet<String>) -> Planned {
    let schema = rng.pick(SCHEMAS).to_string();
    let table = ident(rng);
    let (kind, mut path) = match rng.below(100) {
        0..=33 => (Kind::Table, format!("db/{schema}/tables/{schema}.{table}")),
        34..=63 => (
            Kind::Procedure,
            format!(
                "db/{schema}/procedures/{schema}.usp_{}{table}",
                rng.pick(VERBS)
            ),
        ),
        64..=73 => (Kind::View, format!("db/{schema}/views/{schema}.v{table}")),
        74..=78 => (
            Kind::Function,
            format!("db/{schema}/functions/{schema}.fn_{table}"),
        ),
        79..=93 => (
            Kind::Migration,
            format!(
                "migrations/V{:04}__{}_{}",
                i + 1,
                rng.pick(&["add", "alter", "backfill", "fix", "index"]),
                table.to_ascii_lowercase()
            ),
        ),
        _ => (
            Kind::Report,
            format!(
                "reports/{}/{}_{table}",
                rng.pick(&["finance", "sales", "ops", "exec"]),
                rng.pick(&["monthly", "weekly", "adhoc"])
            ),
        ),
    };
    if used.contains(&path) {
        path = format!("{path}_{i}");
    }
    used.insert(path.clone());
    Planned {
        kind,
        rel: format!("{path}.sql"),
        schema,
        table,
    }
}

/// Fills one ordinary file with units of its kind until it reaches `target` bytes.
fn write_ordinary(
    root: &Path,
    file: &Planned,
    target: u64,
    rng: &mut Rng,
    totals: &mut Totals,
) -> std::io::Result<u64> {
    let Planned {
        kind,
        rel,
        schema,
        table,
    } = file;
    let kind = *kind;
    let crlf = rng.chance(1, 3);
    let bom = rng.chance(1, 40);
    let st = Style::new(rng);
    let mut f = SqlFile::create(root, rel, crlf, bom)?;
    if matches!(kind, Kind::Migration) {
        f.put(&format!(
            "-- {rel}\n-- applied by the migration runner; do not edit after release\n"
        ))?;
    }
    f.put(&format!("SET ANSI_NULLS ON{}\n{}\n", st.end(), st.go))?;
    let mut first = true;
    while first || f.written < target {
        let text = if first || rng.chance(3, 4) {
            unit(kind, rng, &st, schema, table)
        } else {
            // a related object with another name
            let t = ident(rng);
            unit(kind, rng, &st, schema, &t)
        };
        f.put(&text)?;
        first = false;
    }
    f.finish(totals)
}

fn gen_large(args: &Args, rng: &mut Rng, totals: &mut Totals) -> std::io::Result<usize> {
    let root = &args.dir;
    let n_links = (args.files / 1000).max(1);
    let srv = Server::new(rng);
    let links = links(n_links);
    for (i, l) in links.iter().enumerate() {
        let mut r = rng.fork(1_000_000 + i as u64);
        write_link_pair(root, &mut r, &srv, l, totals)?;
    }
    write_params(root, &srv, &links)?;
    let ordinary = args.files.saturating_sub(totals.sql_files);
    let budget = args.size_bytes.saturating_sub(totals.sql_bytes);
    let sizes = plan_sizes(rng, ordinary, budget);
    let mut used = std::collections::HashSet::new();
    // carry the over/undershoot of each file to the next so the total stays on target
    let mut planned: u64 = 0;
    let mut actual: u64 = 0;
    for (i, size) in sizes.iter().enumerate() {
        let mut r = rng.fork(i as u64);
        let file = plan_file(&mut r, i, &mut used);
        planned += size;
        let target = planned.saturating_sub(actual).max(1);
        actual += write_ordinary(root, &file, target, &mut r, totals)?;
    }
    Ok(n_links)
}

/// A part of the link set-up placed among the ordinary batches of a deployment script.
#[derive(Clone, Copy)]
enum LinkPart {
    /// Master key, certificates and endpoint together (step 1).
    Trust,
    /// Master key and certificates only.
    Certificates,
    /// The mirroring endpoint alone (with its own `USE master`).
    Endpoint,
    /// Recovery, backup, AG and DAG (step 2).
    AgDag,
}

impl LinkPart {
    fn text(self, rng: &mut Rng, srv: &Server, link: &Link) -> String {
        match self {
            LinkPart::Trust => link_trust_batches(rng, srv),
            LinkPart::Certificates => link_certificate_batches(rng, srv),
            LinkPart::Endpoint => format!("USE master;\nGO\n\n{}", link_endpoint_batch(srv)),
            LinkPart::AgDag => link_ag_batches(srv, link),
        }
    }
}

/// `huge`: step 1 at ~35% of the script, step 2 at ~70%.
const HUGE_LAYOUT: &[(u64, LinkPart)] = &[(35, LinkPart::Trust), (70, LinkPart::AgDag)];

/// `deploy-200`: the set-up in three places far apart, so that the link statements the
/// linter must find sit near the start, in the middle and near the end of 200 MB, in
/// run order (certificates before the endpoint that uses them, before the AG).
const DEPLOY_200_LAYOUT: &[(u64, LinkPart)] = &[
    (5, LinkPart::Certificates),
    (50, LinkPart::Endpoint),
    (95, LinkPart::AgDag),
];

/// One big deployment script of ordinary batches (or `--files N` scripts of size/N)
/// with the link set-up in the first one, each part of `layout` placed once the script
/// has reached that percentage of its size. `huge` and `deploy-200` differ only in
/// size and layout.
fn gen_deployment(
    args: &Args,
    layout: &[(u64, LinkPart)],
    rng: &mut Rng,
    totals: &mut Totals,
) -> std::io::Result<usize> {
    let root = &args.dir;
    let srv = Server::new(rng);
    let links = links(1);
    let link = &links[0];
    write_params(root, &srv, &links)?;
    let per_file = args.size_bytes / args.files as u64;
    for i in 0..args.files {
        let mut r = rng.fork(i as u64);
        let rel = if i == 0 {
            "deploy/full_deployment.sql".to_string()
        } else {
            format!("deploy/full_deployment_{:03}.sql", i + 1)
        };
        let st = Style {
            go: "GO",
            semicolons: true,
        };
        let mut f = SqlFile::create(root, &rel, false, false)?;
        f.put(&format!(
            "-- =============================================================================\n\
             -- {rel}\n\
             -- Generated full deployment of the application databases (SQLCMD mode).\n\
             -- =============================================================================\n\
             :on error exit\n\n\
             USE [AppMain];\nGO\n\n"
        ))?;
        // the parts' text is made before the filler, in layout order, so the random
        // stream (and the bytes of `huge`) do not depend on where the parts land
        let mut pending: Vec<(u64, String)> = if i == 0 {
            layout
                .iter()
                .map(|&(percent, part)| (per_file * percent / 100, part.text(&mut r, &srv, link)))
                .collect()
        } else {
            Vec::new()
        };
        pending.reverse();
        while f.written < per_file {
            if let Some((at, _)) = pending.last() {
                if f.written >= *at {
                    let (_, text) = pending.pop().unwrap();
                    f.put("-- ---- Managed Instance link set-up ----\n")?;
                    f.put(&text)?;
                    f.put("USE [AppMain];\nGO\n\n")?;
                    continue;
                }
            }
            f.put(&any_unit(&mut r, &st))?;
        }
        for (_, text) in pending.into_iter().rev() {
            f.put(&text)?;
        }
        f.finish(totals)?;
    }
    Ok(1)
}

fn gen_precommit(args: &Args, rng: &mut Rng, totals: &mut Totals) -> std::io::Result<usize> {
    let srv = Server::new(rng);
    let links = links(1);
    let mut r = rng.fork(0);
    write_link_pair(&args.dir, &mut r, &srv, &links[0], totals)?;
    write_params(&args.dir, &srv, &links)?;
    Ok(1)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-corpus: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Ok(mut entries) = fs::read_dir(&args.dir) {
        if entries.next().is_some() {
            eprintln!(
                "gen-corpus: {} exists and is not empty; remove it or choose another folder",
                args.dir.display()
            );
            return ExitCode::from(2);
        }
    }
    let start = Instant::now();
    let mut rng = Rng::new(args.seed ^ 0x6D69_6C69_6E6B_2D6C);
    let mut totals = Totals {
        sql_files: 0,
        sql_bytes: 0,
    };
    let result = fs::create_dir_all(&args.dir).and_then(|()| match args.preset {
        Preset::Large => gen_large(&args, &mut rng, &mut totals),
        Preset::Huge => gen_deployment(&args, HUGE_LAYOUT, &mut rng, &mut totals),
        Preset::Precommit => gen_precommit(&args, &mut rng, &mut totals),
        Preset::Procedures => gen_procedures(&args, &mut rng, &mut totals),
        Preset::Deploy200 => gen_deployment(&args, DEPLOY_200_LAYOUT, &mut rng, &mut totals),
    });
    let n_links = match result {
        Ok(n) => n,
        Err(e) => {
            eprintln!("gen-corpus: {}: {e}", args.dir.display());
            return ExitCode::from(2);
        }
    };
    let summary = format!(
        "preset {}: {} .sql files, {} bytes ({:.1} MB), {} link{}, seed {}",
        args.preset.name(),
        totals.sql_files,
        totals.sql_bytes,
        totals.sql_bytes as f64 / MB as f64,
        n_links,
        if n_links == 1 { "" } else { "s" },
        args.seed
    );
    let stamp = format!(
        "preset={} files={} size_bytes={} seed={}\n{summary}\n",
        args.preset.name(),
        args.files,
        args.size_bytes,
        args.seed
    );
    if let Err(e) = fs::write(args.dir.join(".gen-corpus"), stamp) {
        eprintln!("gen-corpus: {}: {e}", args.dir.display());
        return ExitCode::from(2);
    }
    println!(
        "gen-corpus: {} ({}) in {:.2} s",
        summary,
        args.dir.display(),
        start.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
