//! Deterministic corpus generator for the milink-lint benchmark (issue 6).
//!
//! ```text
//! cargo run --release --example gen-corpus -- DIR [--preset large|huge|precommit]
//!     [--files N] [--size-mb M] [--seed S]
//! ```
//!
//! Writes a repository-like tree of T-SQL files under DIR: mostly ordinary scripts
//! (tables, procedures, views, functions, migrations, reports) that contain nothing a
//! link linter reports, plus a few Managed Instance link set-ups (`link/<dag>/01_…`,
//! `02_…`), a `params.toml` that matches them exactly and a `milink.toml`, so that
//! `milink-lint check` run inside DIR reports no error. The same arguments always give
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
usage: gen-corpus DIR [--preset large|huge|precommit] [--files N] [--size-mb M] [--seed S]

  large      about 5,000 files / 100 MB: a repository with ~1 link set-up per 1,000 files
  huge       one deployment script of about 100 MB with a link set-up in a few batches
  precommit  one link set-up pair (01_trust_and_endpoint.sql + 02_ag_and_dag.sql)

--files and --size-mb override the preset's numbers (huge: --files N writes N
deployment scripts of size/N each; precommit ignores both). DIR must be empty or
missing. Also writes DIR/params.toml, DIR/milink.toml and DIR/.gen-corpus (the
arguments and the summary).";

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
}

impl Preset {
    fn name(self) -> &'static str {
        match self {
            Preset::Large => "large",
            Preset::Huge => "huge",
            Preset::Precommit => "precommit",
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
    let cert = format!("Cert_{}_endpoint", srv.sql_name);
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

fn gen_huge(args: &Args, rng: &mut Rng, totals: &mut Totals) -> std::io::Result<usize> {
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
        // link set-up in a few batches of the first script: trust at ~35%, AG/DAG at ~70%
        let mut pending: Vec<(u64, String)> = if i == 0 {
            vec![
                (per_file * 35 / 100, link_trust_batches(&mut r, &srv)),
                (per_file * 70 / 100, link_ag_batches(&srv, link)),
            ]
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
        Preset::Huge => gen_huge(&args, &mut rng, &mut totals),
        Preset::Precommit => gen_precommit(&args, &mut rng, &mut totals),
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
