use super::*;

const F: FileId = FileId(0);

fn ps(text: &str) -> Vec<Command> {
    commands(F, text, Dialect::PowerShell)
}

fn sh(text: &str) -> Vec<Command> {
    commands(F, text, Dialect::Posix)
}

fn bat(text: &str) -> Vec<Command> {
    commands(F, text, Dialect::Cmd)
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

fn find<'c>(cmds: &'c [Command], name: &str) -> &'c Command {
    cmds.iter()
        .find(|c| c.name.join(" ").eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no command {name} in {:#?}", names(cmds)))
}

fn names(cmds: &[Command]) -> Vec<String> {
    cmds.iter().map(|c| c.name.join(" ")).collect()
}

fn arg<'c>(c: &'c Command, flag: &str) -> &'c Argument {
    if flag.is_empty() {
        return c
            .arguments
            .iter()
            .find(|a| a.flag.is_none())
            .expect("no positional argument");
    }
    c.arguments
        .iter()
        .find(|a| {
            a.flag
                .as_ref()
                .is_some_and(|(f, _)| f.eq_ignore_ascii_case(flag))
        })
        .unwrap_or_else(|| panic!("no {flag} in {c:#?}"))
}

/// The known value of a flag.
fn val<'c>(c: &'c Command, flag: &str) -> &'c str {
    match arg(c, flag).value.as_ref() {
        Some(Word::Known { value, .. }) => value,
        other => panic!("{flag} is not known: {other:#?}"),
    }
}

fn why<'c>(c: &'c Command, flag: &str) -> &'c str {
    match arg(c, flag).value.as_ref() {
        Some(Word::Unknown { why, .. }) => why,
        other => panic!("{flag} is not unknown: {other:#?}"),
    }
}

/// (value as written, defined_at as written) of a flag's known value.
fn written<'t>(text: &'t str, c: &Command, flag: &str) -> (&'t str, Option<&'t str>) {
    match arg(c, flag).value.as_ref() {
        Some(Word::Known {
            span, defined_at, ..
        }) => (slice(text, *span), defined_at.map(|d| slice(text, d))),
        other => panic!("{flag} is not known: {other:#?}"),
    }
}

fn list_values(w: &Word) -> Vec<String> {
    match w {
        Word::List { items, .. } => items
            .iter()
            .map(|i| match i {
                Word::Known { value, .. } => value.clone(),
                other => format!("?{other:?}"),
            })
            .collect(),
        other => panic!("not a list: {other:#?}"),
    }
}

const REALISTIC_PS: &str = r#"[CmdletBinding()]
param([string]$DagName = "dag-x", [Parameter(Mandatory)][string]$Mi)
$rg = "rg"  # resource group
$p = @{ Name = $DagName; InstanceName = $Mi; 'ResourceGroupName' = $rg }
<# old:
New-AzSqlInstanceLink -Name x #>
$cert = Get-Content -Raw ".\cert.txt"
New-AzSqlInstanceServerTrustCertificate -ResourceGroupName $rg -InstanceName $Mi -Name "SQLCert" -PublicKey $cert
New-AzSqlInstanceLink @p -PartnerEndpoint ("TCP://" + $ip + ":5022") `
  -Database @("db1", 'db2') -PartnerAvailabilityGroupName "AG1" -Force
Invoke-Sqlcmd -ServerInstance "$env:COMPUTERNAME" -InputFile ".\02_ag.sql" -Variable "DagName=$DagName"
foreach ($db in $dbs) { & sqlcmd -S $s -Q "ALTER DATABASE [$db] SET RECOVERY FULL" }
$sql = @"
SELECT '$($DagName)'
"@
"#;

const REALISTIC_SH: &str = r#"#!/bin/bash
set -euo pipefail
RG="rg-prod"; MI=sqlmi-01
export DAG_NAME=${DAG_NAME:-dag-x}
# az sql mi link create --name old
az sql mi link create -g "$RG" --instance-name $MI --name="${DAG_NAME}" \
   --databases "['db1']" --partner-ag-name AG1 --instance-ag-name 'AG1-MI' \
   --partner-endpoint "tcp://$(hostname -f):5022" && echo ok
sqlcmd -S localhost -E -i 02_ag.sql -v DagName="$DAG_NAME" <<'EOF'
az sql mi link delete
EOF
IP=`hostname -I`; echo "$1 $@"
"#;

const REALISTIC_CMD: &str = "@echo off\r\nsetlocal EnableDelayedExpansion\r\nREM az sql mi link create --name old\r\n:: comment\r\nset RG=rg-prod\r\nset \"MI=sqlmi-01\"\r\nset DAG=dag-%RG%\r\ncall az sql mi link create -g %RG% --instance-name \"%MI%\" --name !DAG! ^\r\n  --databases \"['db1']\" --partner-endpoint tcp://%1:5022 && echo ok\r\nsqlcmd -S %COMPUTERNAME% -E -i 02_ag.sql -v DagName=\"%DAG%\" | findstr x\r\n";

#[test]
fn ps_old_cmdlet_with_backticks_and_concatenation() {
    let text = r#"# Variables
$rg = "rg-sql"
$ManagedInstanceName = 'sqlmi-prod'
$DAGName = "dag-sales"
$AGNameOnSQLServer = "AG_Sales"
$AGNameOnSQLMI = "AG_Sales_MI"
$DatabaseName = "SalesDB"
$SQLServerIP = "10.0.0.4"

New-AzSqlInstanceLink -ResourceGroupName $rg -InstanceName $ManagedInstanceName -Name $DAGName `
  -PrimaryAvailabilityGroupName $AGNameOnSQLServer -SecondaryAvailabilityGroupName $AGNameOnSQLMI `
  -TargetDatabase $DatabaseName -SourceEndpoint ("TCP://" + $SQLServerIP + ":5022")
Write-Host "done"
"#;
    let cmds = ps(text);
    assert_eq!(names(&cmds), ["New-AzSqlInstanceLink", "Write-Host"]);
    let c = &cmds[0];
    assert_eq!(slice(text, c.name_span), "New-AzSqlInstanceLink");
    assert!(slice(text, c.span).starts_with("New-AzSqlInstanceLink"));
    assert!(slice(text, c.span).ends_with("\":5022\")"));
    assert_eq!(val(c, "-ResourceGroupName"), "rg-sql");
    assert_eq!(val(c, "-InstanceName"), "sqlmi-prod");
    assert_eq!(val(c, "-Name"), "dag-sales");
    assert_eq!(
        written(text, c, "-Name"),
        ("$DAGName", Some("\"dag-sales\""))
    );
    assert_eq!(val(c, "-PrimaryAvailabilityGroupName"), "AG_Sales");
    assert_eq!(val(c, "-SecondaryAvailabilityGroupName"), "AG_Sales_MI");
    assert_eq!(val(c, "-TargetDatabase"), "SalesDB");
    assert_eq!(val(c, "-SourceEndpoint"), "TCP://10.0.0.4:5022");
    assert_eq!(
        written(text, c, "-SourceEndpoint"),
        (
            "(\"TCP://\" + $SQLServerIP + \":5022\")",
            Some("\"10.0.0.4\"")
        )
    );
    let (flag, span) = arg(c, "-SourceEndpoint").flag.clone().unwrap();
    assert_eq!(flag, "-SourceEndpoint");
    assert_eq!(slice(text, span), "-SourceEndpoint");
    assert_eq!(c.arguments.len(), 7);
}

#[test]
fn ps_new_cmdlet() {
    let text = "$ip = 'sql01.contoso.local'\r\n\
        $link = New-AzSqlInstanceLink -ResourceGroupName \"rg\" -InstanceName \"mi-1\" -Name \"dag1\" `\r\n\
        \x20 -PartnerAvailabilityGroupName \"AG1\" -InstanceAvailabilityGroupName \"AG1-MI\" `\r\n\
        \x20 -Database \"db1\", 'db2' -PartnerEndpoint \"TCP://$($ip):5022\" -FailoverMode Manual `\r\n\
        \x20 -InstanceLinkRole Secondary -SeedingMode:Automatic -Force\r\n\
        $link | Format-List\r\n";
    let cmds = ps(text);
    assert_eq!(names(&cmds), ["New-AzSqlInstanceLink", "Format-List"]);
    let c = &cmds[0];
    assert_eq!(val(c, "-PartnerAvailabilityGroupName"), "AG1");
    assert_eq!(val(c, "-InstanceAvailabilityGroupName"), "AG1-MI");
    let dbs = arg(c, "-Database").value.as_ref().unwrap();
    assert_eq!(list_values(dbs), ["db1", "db2"]);
    assert_eq!(slice(text, dbs.span()), "\"db1\", 'db2'");
    assert_eq!(val(c, "-PartnerEndpoint"), "TCP://sql01.contoso.local:5022");
    assert_eq!(
        written(text, c, "-PartnerEndpoint"),
        ("\"TCP://$($ip):5022\"", Some("'sql01.contoso.local'"))
    );
    assert_eq!(val(c, "-FailoverMode"), "Manual");
    assert_eq!(val(c, "-InstanceLinkRole"), "Secondary");
    assert_eq!(val(c, "-SeedingMode"), "Automatic");
    assert_eq!(
        slice(text, arg(c, "-SeedingMode").flag.as_ref().unwrap().1),
        "-SeedingMode"
    );
    assert_eq!(arg(c, "-Force").value, None);
    assert!(slice(text, c.span).ends_with("-Force"));
}

#[test]
fn ps_splatting() {
    let text = r#"$mi = "sqlmi-01"
$params = @{
    Name = "dag-x"
    InstanceName = $mi; 'ResourceGroupName' = "rg"
    "PartnerEndpoint" = "TCP://10.1.1.1:5022"
    Database = @("db1", 'db2')
}
$params.Name = "dag-y"
$params["FailoverMode"] = 'Manual'
New-AzSqlInstanceLink @params -Force
"#;
    let cmds = ps(text);
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(val(c, "-Name"), "dag-y");
    assert_eq!(val(c, "-InstanceName"), "sqlmi-01");
    assert_eq!(
        written(text, c, "-InstanceName"),
        ("$mi", Some("\"sqlmi-01\""))
    );
    assert_eq!(val(c, "-ResourceGroupName"), "rg");
    let (_, key_span) = arg(c, "-ResourceGroupName").flag.clone().unwrap();
    assert_eq!(slice(text, key_span), "'ResourceGroupName'");
    assert_eq!(written(text, c, "-ResourceGroupName"), ("\"rg\"", None));
    assert_eq!(val(c, "-PartnerEndpoint"), "TCP://10.1.1.1:5022");
    assert_eq!(val(c, "-FailoverMode"), "Manual");
    assert_eq!(
        list_values(arg(c, "-Database").value.as_ref().unwrap()),
        ["db1", "db2"]
    );
    assert_eq!(arg(c, "-Force").value, None);
    assert_eq!(slice(text, c.span), "New-AzSqlInstanceLink @params -Force");
}

#[test]
fn ps_param_block() {
    let text = r#"[CmdletBinding()]
param(
    [Parameter(Mandatory = $false)]
    [string]$DagName = "dag-x",
    [Parameter(Mandatory)][string]$Mi,
    [string[]]$Databases = @("db1", "db2"),
    [int]$Port = 5022
)
New-AzSqlInstanceLink -Name $DagName -InstanceName $Mi -Database $Databases `
    -PartnerEndpoint "TCP://sql01:$Port"
"#;
    let cmds = ps(text);
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(written(text, c, "-Name"), ("$DagName", Some("\"dag-x\"")));
    assert_eq!(
        why(c, "-InstanceName"),
        "`$Mi` is a script parameter without a default"
    );
    let dbs = arg(c, "-Database").value.as_ref().unwrap();
    assert_eq!(list_values(dbs), ["db1", "db2"]);
    assert_eq!(slice(text, dbs.span()), "$Databases");
    assert_eq!(val(c, "-PartnerEndpoint"), "TCP://sql01:5022");
    assert_eq!(cmds.len(), 1);
}

#[test]
fn ps_unresolved_values_say_why() {
    let text = r#"$mi = Read-Host "Managed instance name"
$rg = (Get-AzResourceGroup -Name "rg*").ResourceGroupName
$ip = $(Get-NetIPAddress -AddressFamily IPv4 | Select-Object -First 1).IPAddress
$fmt = "dag-{0}" -f $env:COMPUTERNAME
$env:LINK_DAG = "dag-env"
New-AzSqlInstanceLink -InstanceName $mi -ResourceGroupName $rg -PartnerEndpoint "TCP://$ip:5022" `
    -Name $env:LINK_DAG -PartnerAvailabilityGroupName $env:AG_NAME -InstanceAvailabilityGroupName $Later `
    -Database $fmt -SeedingMode $PSScriptRoot -LinkMode $Nowhere
$Later = "x"
"#;
    let cmds = ps(text);
    assert_eq!(
        names(&cmds),
        [
            "Read-Host",
            "Get-AzResourceGroup",
            "Get-NetIPAddress",
            "Select-Object",
            "New-AzSqlInstanceLink"
        ]
    );
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(
        why(c, "-InstanceName"),
        "`$mi` is set from input read by `Read-Host`"
    );
    assert_eq!(
        why(c, "-ResourceGroupName"),
        "`$rg` is set from the output of `Get-AzResourceGroup`"
    );
    eprintln!("{}", why(c, "-PartnerEndpoint"));
    assert!(
        why(c, "-PartnerEndpoint").contains("drive-qualified"),
        "{}",
        why(c, "-PartnerEndpoint")
    );
    assert_eq!(val(c, "-Name"), "dag-env");
    assert_eq!(
        written(text, c, "-Name"),
        ("$env:LINK_DAG", Some("\"dag-env\""))
    );
    assert_eq!(
        why(c, "-PartnerAvailabilityGroupName"),
        "`$env:AG_NAME` is an environment variable not set in this file"
    );
    assert_eq!(
        why(c, "-InstanceAvailabilityGroupName"),
        "`$Later` is assigned only later in this file"
    );
    assert_eq!(why(c, "-Database"), "`$fmt` is set from a `-f` expression");
    assert_eq!(
        why(c, "-SeedingMode"),
        "`$PSScriptRoot` is set by PowerShell at run time"
    );
    assert_eq!(
        why(c, "-LinkMode"),
        "`$Nowhere` is never assigned in this file"
    );
}

#[test]
fn ps_invoke_sqlcmd_and_sqlcmd() {
    let text = r#"$s = "sqlvm01\INST1"
Invoke-Sqlcmd -ServerInstance $s -InputFile ".\02_ag.sql" -Variable "DagName=dag-x" -ErrorAction Stop
sqlcmd -S host -E -i 02_ag.sql -v DagName="dag-x"
& "C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\SQLCMD.EXE" -S $s -i .\03.sql 2>&1 | Out-File log.txt
& sqlcmd.exe -S "tcp:$s,1433" -Q "SELECT 1" > $null
. .\helpers.ps1
"#;
    let cmds = ps(text);
    assert_eq!(
        names(&cmds),
        [
            "Invoke-Sqlcmd",
            "sqlcmd",
            "SQLCMD",
            "Out-File",
            "sqlcmd",
            "helpers.ps1"
        ]
    );
    let c = &cmds[0];
    assert_eq!(val(c, "-ServerInstance"), "sqlvm01\\INST1");
    assert_eq!(val(c, "-InputFile"), ".\\02_ag.sql");
    assert_eq!(written(text, c, "-InputFile"), ("\".\\02_ag.sql\"", None));
    let c = &cmds[1];
    assert_eq!(val(c, "-S"), "host");
    assert_eq!(arg(c, "-E").value, None);
    assert_eq!(val(c, "-i"), "02_ag.sql");
    assert_eq!(val(c, "-v"), "DagName=dag-x");
    assert_eq!(written(text, c, "-v").0, "DagName=\"dag-x\"");
    let c = &cmds[2];
    assert_eq!(slice(text, c.name_span).len(), 81);
    assert_eq!(val(c, "-S"), "sqlvm01\\INST1");
    assert_eq!(val(c, "-i"), ".\\03.sql");
    assert_eq!(c.arguments.len(), 2);
    assert!(slice(text, c.span).starts_with("& \"C:"));
    let c = &cmds[4];
    assert_eq!(val(c, "-S"), "tcp:sqlvm01\\INST1,1433");
    assert_eq!(val(c, "-Q"), "SELECT 1");
    assert_eq!(c.arguments.len(), 2);
}

#[test]
fn ps_comments_and_strings_hide_commands() {
    let text = r#"<#
New-AzSqlInstanceLink -Name "old"
#>
# New-AzSqlInstanceLink -Name "commented"
$note = "New-AzSqlInstanceLink -Name 'in a string'"
$sql = @"
ALTER AVAILABILITY GROUP [$note]
New-AzSqlInstanceLink -Name here
"@
$lit = @'
az sql mi link create --name x
'@
Write-Output $note # New-AzSqlInstanceLink
"#;
    let cmds = ps(text);
    assert_eq!(names(&cmds), ["Write-Output"]);
    assert_eq!(cmds[0].arguments.len(), 1);
}

#[test]
fn ps_az_cli_in_powershell() {
    let text = "$rg='rg1'; $mi = \"mi1\"\n\
        $r = az sql mi link create -g $rg --instance-name $mi --name=dag1 `\n\
        \x20   --databases \"['db1']\" --partner-ag-name AG1 --instance-ag-name AG1-MI `\n\
        \x20   --partner-endpoint 'tcp://server1:5022' --failover-mode Manual --yes\n\
        az sql mi partner-cert create -g $rg --mi $mi -n SQLCert --public-key 0x1234\n";
    let cmds = ps(text);
    assert_eq!(
        names(&cmds),
        ["az sql mi link create", "az sql mi partner-cert create"]
    );
    let c = &cmds[0];
    assert_eq!(slice(text, c.name_span), "az sql mi link create");
    assert_eq!(val(c, "-g"), "rg1");
    assert_eq!(val(c, "--name"), "dag1");
    assert_eq!(
        slice(text, arg(c, "--name").flag.as_ref().unwrap().1),
        "--name"
    );
    assert_eq!(written(text, c, "--name").0, "dag1");
    assert_eq!(val(c, "--databases"), "['db1']");
    assert_eq!(val(c, "--partner-endpoint"), "tcp://server1:5022");
    assert_eq!(arg(c, "--yes").value, None);
    assert_eq!(val(&cmds[1], "--public-key"), "0x1234");
}

#[test]
fn ps_assignment_chains_and_types() {
    let text = r#"$a = "x"
$b = $a
[string]$c = $b
$script:d = [string]$c
$e = "pre-$d"
$e += "-post"
$list = "db1", "db2"
$list += "db3"
Set-Variable -Name F -Value "eff"
Cmd -A $b -C $c -D $d -E $e -L $list -F $f -N 5022 -M -1 -T $true
"#;
    let cmds = ps(text);
    let c = find(&cmds, "Cmd");
    assert_eq!(written(text, c, "-A"), ("$b", Some("\"x\"")));
    assert_eq!(written(text, c, "-C"), ("$c", Some("\"x\"")));
    assert_eq!(written(text, c, "-D"), ("$d", Some("\"x\"")));
    assert_eq!(val(c, "-E"), "pre-x-post");
    assert_eq!(written(text, c, "-E").1, Some("\"pre-$d\""));
    assert_eq!(
        list_values(arg(c, "-L").value.as_ref().unwrap()),
        ["db1", "db2", "db3"]
    );
    assert_eq!(val(c, "-F"), "eff");
    assert_eq!(val(c, "-N"), "5022");
    assert_eq!(val(c, "-M"), "-1");
    assert_eq!(val(c, "-T"), "True");
}

/// Every prefix of realistic scripts (and some garbage) must not panic.
#[test]
fn never_panics_on_prefixes_and_garbage() {
    let scripts = [
        REALISTIC_PS,
        REALISTIC_SH,
        REALISTIC_CMD,
        "$p = @{ Name = \"x\"; 'A' = $(Get-X) }\nNew-X @p -Y:$z `\n -Q (\"a\" + $b) @(1,2) [int]5 $x.y[0] \"`u{1F600}\" @\"\n$($a) ${b}\n\"@ <# c #> 2>&1 | X",
        "az sql mi link create \\\n --name \"$X\" --db=${Y:-d} $'a\\'b' `echo` $(cat <<EOF\nbody\nEOF\n) <<-'E'\n\tx\n\tE\n",
        "@echo off\r\nsetlocal enabledelayedexpansion\r\nset \"A=1\"\r\nset B=%A%^\r\n2\r\ncall az sql mi link create --name !B! %~1 & REM x\r\n:: y\r\n",
        "\u{feff}é“”‘’–—\u{a0}$`\"'@{}()[]<#\\^%!;&|",
    ];
    for s in scripts {
        for end in 0..=s.len() {
            if !s.is_char_boundary(end) {
                continue;
            }
            let prefix = &s[..end];
            for d in [Dialect::PowerShell, Dialect::Posix, Dialect::Cmd] {
                for c in commands(F, prefix, d) {
                    assert!(c.span.end as usize <= prefix.len());
                }
            }
        }
    }
    // Deep nesting must not overflow the stack.
    let deep = "(".repeat(100_000) + &"$(".repeat(50_000) + &"@{a=".repeat(30_000);
    for d in [Dialect::PowerShell, Dialect::Posix, Dialect::Cmd] {
        commands(F, &deep, d);
    }
}

/// A megabyte of script is handled in one linear pass (no assertion on time).
#[test]
fn large_input_is_linear() {
    let ps_line = "New-AzSqlInstanceLink -Name $DagName -PartnerEndpoint (\"TCP://\" + $ip + \":5022\") `\n  -Database \"db1\", \"db2\"\n$DagName = \"dag-$DagName\"\n";
    let text = format!(
        "$DagName = 'x'\n$ip = '10.0.0.1'\n{}",
        ps_line.repeat((1 << 20) / ps_line.len())
    );
    let t = std::time::Instant::now();
    let cmds = ps(&text);
    eprintln!("ps {:?}", t.elapsed());
    assert!(cmds.len() > 5000);
    let sh_line = "az sql mi link create -g \"$RG\" --name=${DAG:-dag} \\\n  --partner-endpoint tcp://x:5022 # c\nDAG=\"$DAG-x\"\n";
    let text = format!("RG=rg\n{}", sh_line.repeat((1 << 20) / sh_line.len()));
    let t = std::time::Instant::now();
    assert!(sh(&text).len() > 5000);
    eprintln!("sh {:?}", t.elapsed());
    let cmd_line =
        "call az sql mi link create -g %RG% --name !DAG! ^\r\n  --yes\r\nset DAG=%DAG%x\r\n";
    let text = format!(
        "set RG=rg\r\n{}",
        cmd_line.repeat((1 << 20) / cmd_line.len())
    );
    let t = std::time::Instant::now();
    assert!(bat(&text).len() > 5000);
    eprintln!("cmd {:?}", t.elapsed());
    // Exponential growth is capped.
    let text = "$a = 'xy'\n".to_string() + &"$a = \"$a$a\"\n".repeat(200) + "X -A $a\n";
    let cmds = ps(&text);
    assert!(matches!(
        arg(&cmds[0], "-A").value,
        Some(Word::Unknown { .. })
    ));
}

#[test]
fn sh_az_link_create_with_continuations() {
    let text = r#"#!/usr/bin/env bash
set -euo pipefail
RG="rg-sql"          # resource group
MI=sqlmi-prod
export DAG_NAME='dag-sales'
readonly AG=AG_Sales
declare -r DB1="SalesDB"
PARTNER="tcp://sql01.contoso.com:5022"

# az sql mi link create --name commented-out
az sql mi link create -g "$RG" --instance-name $MI --name=${DAG_NAME} \
   --databases "['$DB1']" --partner-ag-name "${AG}" --instance-ag-name "${AG}_MI" \
   --partner-endpoint "$PARTNER" --instance-link-role Secondary \
   --failover-mode Manual --seeding-mode Automatic --no-wait
echo "created"
"#;
    let cmds = sh(text);
    assert_eq!(names(&cmds), ["set", "az sql mi link create", "echo"]);
    let c = &cmds[1];
    assert_eq!(c.name, ["az", "sql", "mi", "link", "create"]);
    assert_eq!(slice(text, c.name_span), "az sql mi link create");
    assert!(slice(text, c.span).ends_with("--no-wait"));
    assert_eq!(written(text, c, "-g"), ("\"$RG\"", Some("\"rg-sql\"")));
    assert_eq!(
        written(text, c, "--instance-name"),
        ("$MI", Some("sqlmi-prod"))
    );
    assert_eq!(
        written(text, c, "--name"),
        ("${DAG_NAME}", Some("'dag-sales'"))
    );
    assert_eq!(
        slice(text, arg(c, "--name").flag.as_ref().unwrap().1),
        "--name"
    );
    assert_eq!(val(c, "--databases"), "['SalesDB']");
    assert_eq!(written(text, c, "--databases").1, Some("\"SalesDB\""));
    assert_eq!(val(c, "--partner-ag-name"), "AG_Sales");
    assert_eq!(val(c, "--instance-ag-name"), "AG_Sales_MI");
    assert_eq!(val(c, "--partner-endpoint"), "tcp://sql01.contoso.com:5022");
    assert_eq!(val(c, "--instance-link-role"), "Secondary");
    assert_eq!(arg(c, "--no-wait").value, None);
}

#[test]
fn sh_defaults_and_unknowns() {
    let text = r#"DAG=${1:-dag-default}
AG="${AG_NAME:-AG1}"
IP=$(hostname -I | awk '{print $1}')
HOST=`hostname -f`
read -r -p "Instance: " MI
EP="tcp://${IP}:5022"
: "${RG:=rg-default}"
for db in db1 db2; do echo $db; done
az sql mi link create --name "$DAG" --partner-ag-name "$AG" --mi "$MI" -g $RG \
  --partner-endpoint "$EP" --instance-ag-name $HOST --databases "$db" --x "$LATER" --y "$NEVER" --z "$@"
LATER=1
"#;
    let cmds = sh(text);
    let c = find(&cmds, "az sql mi link create");
    assert_eq!(
        why(c, "--name"),
        "`${1:-dag-default}` depends on the script argument `$1`"
    );
    assert_eq!(val(c, "--partner-ag-name"), "AG1");
    assert_eq!(
        written(text, c, "--partner-ag-name"),
        ("\"$AG\"", Some("AG1"))
    );
    assert_eq!(why(c, "--mi"), "`$MI` is read from input (`read`)");
    assert_eq!(written(text, c, "-g"), ("$RG", Some("rg-default")));
    assert_eq!(
        why(c, "--partner-endpoint"),
        "`$IP` is set from the output of `hostname`"
    );
    assert_eq!(
        why(c, "--instance-ag-name"),
        "`$HOST` is set from the output of `hostname`"
    );
    assert_eq!(why(c, "--databases"), "`$db` is a loop variable");
    assert_eq!(
        why(c, "--x"),
        "`$LATER` is assigned only later in this file"
    );
    assert_eq!(why(c, "--y"), "`$NEVER` is never assigned in this file");
    assert_eq!(why(c, "--z"), "`$@` is the script's arguments");
    assert!(names(&cmds).contains(&"awk".to_string()));
    assert!(names(&cmds).contains(&"hostname".to_string()));
}

#[test]
fn sh_heredocs_are_skipped() {
    let text = "sqlcmd -S localhost -U sa -i 02_ag.sql -v DagName=\"dag-x\" AgName=AG1 <<EOF\n\
        az sql mi link create --name in-heredoc\n\
        EOF\n\
        cat <<-'END' > out.sql\n\
        \tNew-AzSqlInstanceLink -Name x\n\
        \tEND\n\
        cat << \"X\" | grep y; echo after\n\
        $NOT_EXPANDED\n\
        X\n\
        /opt/mssql-tools18/bin/sqlcmd -S tcp:host,1433 -C -Q \"SELECT 1\" 2>/dev/null >>log.txt\n";
    let cmds = sh(text);
    assert_eq!(
        names(&cmds),
        ["sqlcmd", "cat", "cat", "grep", "echo", "sqlcmd"]
    );
    let c = &cmds[0];
    assert_eq!(val(c, "-S"), "localhost");
    assert_eq!(val(c, "-v"), "DagName=dag-x");
    assert_eq!(written(text, c, "-v").0, "DagName=\"dag-x\"");
    assert_eq!(c.arguments.last().unwrap().flag, None);
    assert_eq!(
        slice(text, c.span),
        "sqlcmd -S localhost -U sa -i 02_ag.sql -v DagName=\"dag-x\" AgName=AG1 <<EOF"
    );
    let c = &cmds[5];
    assert_eq!(slice(text, c.name_span), "/opt/mssql-tools18/bin/sqlcmd");
    assert_eq!(val(c, "-Q"), "SELECT 1");
    assert_eq!(arg(c, "-C").value, None);
    assert_eq!(c.arguments.len(), 3);
}

#[test]
fn sh_quoting_and_separators() {
    let text = r#"A='it'"'"'s'; B="say \"hi\" \$x \\"; C=$'tab\there'
X=1 az sql mi link show --name "$A" && az sql mi link delete --name $B || echo "$C" | tee f &
if [ -n "$A" ]; then az sql mi link list -g rg; fi
f() { az account show; }
case "$1" in
  create) az sql mi link create --name c ;;
  *) echo usage ;;
esac
"#;
    let cmds = sh(text);
    assert_eq!(
        names(&cmds),
        [
            "az sql mi link show",
            "az sql mi link delete",
            "echo",
            "tee",
            "[",
            "az sql mi link list",
            "az account show",
            "az sql mi link create",
            "echo"
        ]
    );
    assert_eq!(val(&cmds[0], "--name"), "it's");
    assert_eq!(val(&cmds[1], "--name"), "say \"hi\" $x \\");
    assert_eq!(val(&cmds[2], ""), "tab\there");
}

#[test]
fn cmd_az_link_create_with_carets() {
    let text = "@echo off\r\n\
        setlocal EnableDelayedExpansion\r\n\
        REM az sql mi link create --name commented\r\n\
        :: az sql mi link delete --name commented\r\n\
        set RG=rg-sql\r\n\
        set \"MI=sqlmi-prod\"\r\n\
        set DAG=dag-%RG%\r\n\
        set Db=SalesDB\r\n\
        call az sql mi link create -g %RG% --instance-name \"%MI%\" --name !DAG! ^\r\n\
        \x20 --databases \"['%DB%']\" --partner-ag-name AG1 --instance-ag-name=AG1-MI ^\r\n\
        \x20 --partner-endpoint tcp://%~1:5022 --link %COMPUTERNAME% --x %NEVER% && echo ok\r\n\
        if errorlevel 1 (\r\n\
        \x20 echo failed & exit /b 1\r\n\
        ) else (\r\n\
        \x20 sqlcmd -S localhost -E -i 02_ag.sql -v DagName=\"%DAG%\" > log.txt 2>&1\r\n\
        )\r\n";
    let cmds = bat(text);
    assert_eq!(
        names(&cmds),
        [
            "echo",
            "az sql mi link create",
            "echo",
            "echo",
            "exit",
            "sqlcmd"
        ]
    );
    let c = &cmds[1];
    assert!(slice(text, c.span).starts_with("call az sql"));
    assert!(slice(text, c.span).ends_with("--x %NEVER%"));
    assert_eq!(slice(text, c.name_span), "az sql mi link create");
    assert_eq!(written(text, c, "-g"), ("%RG%", Some("rg-sql")));
    assert_eq!(
        written(text, c, "--instance-name"),
        ("\"%MI%\"", Some("sqlmi-prod"))
    );
    assert_eq!(val(c, "--name"), "dag-rg-sql");
    assert_eq!(written(text, c, "--name"), ("!DAG!", Some("dag-%RG%")));
    assert_eq!(val(c, "--databases"), "['SalesDB']");
    assert_eq!(val(c, "--instance-ag-name"), "AG1-MI");
    assert_eq!(why(c, "--partner-endpoint"), "`%~1` is a script argument");
    assert_eq!(
        why(c, "--link"),
        "`%COMPUTERNAME%` is set by Windows at run time"
    );
    assert_eq!(why(c, "--x"), "`%NEVER%` is never assigned in this file");
    let c = &cmds[5];
    assert_eq!(val(c, "-S"), "localhost");
    assert_eq!(arg(c, "-E").value, None);
    assert_eq!(val(c, "-v"), "DagName=dag-rg-sql");
    assert_eq!(c.arguments.len(), 4);
}

#[test]
fn cmd_set_forms() {
    let text = "set A=one & set B=two\nset \"C=three\" & rem x\nset /p D=Name? \nset E=\"quoted\"\nset F=%1\nif /i \"%A%\"==\"one \" az x --a %A% --b \"%A%\" --c %C% --d %D% --e %E% --f %F% --g %LATER%\nset later=1\n";
    let cmds = bat(text);
    let c = find(&cmds, "az x");
    assert_eq!(val(c, "--a"), "one");
    assert_eq!(val(c, "--b"), "one ");
    assert_eq!(val(c, "--c"), "three");
    assert_eq!(why(c, "--d"), "`%D%` is read from input (`set /p`)");
    assert_eq!(val(c, "--e"), "quoted");
    assert_eq!(why(c, "--f"), "`%1` is a script argument");
    assert_eq!(
        why(c, "--g"),
        "`%LATER%` is assigned only later in this file"
    );
    assert_eq!(c.name, ["az", "x"]);
}

#[test]
fn cmd_expands_percent_variables_when_it_parses_a_line_or_block() {
    let text = "setlocal EnableDelayedExpansion\nset DAG=dag-treasury\nif 1==1 (\n  set DAG=dag_x\n  az x --a %DAG% --b !DAG!\n)\naz y --a %DAG%\nset C=1 & az z --c %C% --d !C!\n";
    let cmds = bat(text);
    assert_eq!(val(find(&cmds, "az x"), "--a"), "dag-treasury");
    assert_eq!(val(find(&cmds, "az x"), "--b"), "dag_x");
    assert_eq!(val(find(&cmds, "az y"), "--a"), "dag_x");
    assert!(why(find(&cmds, "az z"), "--c").contains("%C%"));
    assert_eq!(val(find(&cmds, "az z"), "--d"), "1");
}

#[test]
fn empty_and_trivial_inputs() {
    for d in [Dialect::PowerShell, Dialect::Posix, Dialect::Cmd] {
        assert!(commands(F, "", d).is_empty());
        assert!(commands(F, "\n\n   \r\n", d).is_empty());
        assert!(commands(F, "\u{feff}", d).is_empty());
    }
    assert_eq!(Dialect::of("x/01_Link.PS1"), Some(Dialect::PowerShell));
    assert_eq!(Dialect::of("setup.bat"), Some(Dialect::Cmd));
    assert_eq!(Dialect::of("setup.sql"), None);
}

#[test]
fn ps_blocks_pipelines_and_nested_commands() {
    let text = r#"function New-Link {
    param([string]$Name, $Port = 5022)
    New-AzSqlInstanceLink -Name $Name -PartnerEndpoint "TCP://sql01:$Port"
}
foreach ($db in (Get-Content .\dbs.txt)) { Invoke-Sqlcmd -Query "SELECT '$db'"; Write-Host $db }
if ($true) { az sql mi link show -n dag1 } else { az sql mi link list }
Invoke-Command -ComputerName sql01 -ScriptBlock { sqlcmd -S . -E -Q "SELECT 1" }
Get-AzSqlInstanceLink -ResourceGroupName rg -InstanceName mi |
    Where-Object { $_.Name -eq "dag1" } |
    Remove-AzSqlInstanceLink -Force; Write-Output "gone" && Write-Output "and"
$when = $(Get-Date -Format s)
$when2 = $when
$msg = @"
Link $when2 $Name on port ${Port}: `"ok`" at $when
"@
Write-Output $msg
"#;
    let cmds = ps(text);
    assert_eq!(
        names(&cmds),
        [
            "New-AzSqlInstanceLink",
            "Get-Content",
            "Invoke-Sqlcmd",
            "Write-Host",
            "az sql mi link show",
            "az sql mi link list",
            "Invoke-Command",
            "sqlcmd",
            "Get-AzSqlInstanceLink",
            "Where-Object",
            "Remove-AzSqlInstanceLink",
            "Write-Output",
            "Write-Output",
            "Get-Date",
            "Write-Output"
        ]
    );
    let c = &cmds[0];
    assert_eq!(
        why(c, "-Name"),
        "`$Name` is a function parameter without a default"
    );
    assert_eq!(val(c, "-PartnerEndpoint"), "TCP://sql01:5022");
    assert_eq!(why(&cmds[2], "-Query"), "`$db` is a loop variable");
    assert_eq!(val(&cmds[4], "-n"), "dag1");
    let sb = arg(&cmds[6], "-ScriptBlock").value.as_ref().unwrap();
    assert!(matches!(sb, Word::Unknown { why, .. } if why == "a script block"));
    assert_eq!(arg(&cmds[10], "-Force").value, None);
    let msg = cmds[14].arguments[0].value.as_ref().unwrap();
    assert!(
        matches!(msg, Word::Unknown { why, .. } if why == "`$when` is set from the output of `Get-Date`"),
        "{msg:?}"
    );
}

#[test]
fn ps_here_string_values() {
    let text = "$Name = 'dag1'\n$Port = 5022\n$msg = @\"\nLink $Name on ${Port}: `\"ok`\" $($Name)\n\"@\n$raw = @'\nno $Name here\n'@\nX -M $msg -R $raw\n";
    let cmds = ps(text);
    let c = find(&cmds, "X");
    assert_eq!(val(c, "-M"), "Link dag1 on 5022: \"ok\" dag1");
    assert_eq!(
        written(text, c, "-M").1,
        Some("@\"\nLink $Name on ${Port}: `\"ok`\" $($Name)\n\"@")
    );
    assert_eq!(val(c, "-R"), "no $Name here");
}

fn check_spans(text: &str, cmds: &[Command]) {
    fn word(text: &str, w: &Word) {
        let s = w.span();
        assert!(s.start <= s.end && s.end as usize <= text.len(), "{w:?}");
        match w {
            Word::Known {
                defined_at: Some(d),
                ..
            } => assert!(d.start <= d.end && d.end as usize <= text.len()),
            Word::List { items, .. } => items.iter().for_each(|i| word(text, i)),
            _ => {}
        }
    }
    for c in cmds {
        assert!(c.span.start <= c.span.end && c.span.end as usize <= text.len());
        assert!(c.name_span.end as usize <= text.len());
        for a in &c.arguments {
            if let Some((_, s)) = &a.flag {
                assert!(s.start <= s.end && s.end as usize <= text.len());
            }
            if let Some(w) = &a.value {
                word(text, w);
            }
        }
    }
}

/// Random mixtures of the characters that matter to the three scanners.
#[test]
fn random_inputs_do_not_panic() {
    const ALPHABET: &[&str] = &[
        "$", "(", ")", "{", "}", "[", "]", "@", "\"", "'", "`", "\\", "\n", "\r\n", " ", "\t", "#",
        "<#", "#>", "<<", "EOF", "%", "!", "^", "&", "|", ";", "=", ",", "-", "--", ":", "a",
        "Name", "az", "sql", "x=", "${", "$(", "@\"", "\"@", "@'", "'@", "é", "“", "–", "%1",
        "%~dp0", "set ", "if ", "for ", "do ", "rem ", "::", "param(", ">", "2>&1",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        for d in [Dialect::PowerShell, Dialect::Posix, Dialect::Cmd] {
            let cmds = commands(F, &text, d);
            check_spans(&text, &cmds);
        }
    }
}

/// Inputs that would be quadratic with a careless scanner (run with --nocapture to see times).
#[test]
fn pathological_inputs_stay_linear() {
    let n = 200_000;
    let inputs = [
        "\"".repeat(n),
        "'".repeat(n),
        "$(".repeat(n / 2),
        "${".repeat(n / 2),
        "@\"\n".repeat(n / 3),
        "<<EOF\n".repeat(n / 6),
        "%a".repeat(n / 2),
        "!a".repeat(n / 2),
        "`".repeat(n),
        "x `\n".repeat(n / 4),
        "a \\\n".repeat(n / 4),
        "a ^\n".repeat(n / 4),
        "-a ".repeat(n / 3),
        "$a, ".repeat(n / 4),
        "@{a=".repeat(n / 4),
        "$a = \"".to_string() + &"$a".repeat(n / 2),
        "set \"a=".repeat(n / 7),
        "for ".repeat(n / 4),
        "if ".repeat(n / 3),
        "case x in ".repeat(n / 10),
        "[[ ".repeat(n / 3),
    ];
    for text in &inputs {
        for d in [Dialect::PowerShell, Dialect::Posix, Dialect::Cmd] {
            let t = std::time::Instant::now();
            let cmds = commands(F, text, d);
            check_spans(text, &cmds);
            let e = t.elapsed();
            if e.as_millis() > 500 {
                eprintln!("slow: {:?} {d:?} {e:?}", &text[..20.min(text.len())]);
            }
        }
    }
}

/// A megabyte of each nesting pattern, as a command argument, in every dialect. Each runs
/// in one linear pass (run with `--nocapture` to see the times; no assertion on time).
#[test]
fn nested_openers_as_arguments_stay_linear() {
    const MB: usize = 1 << 20;
    let patterns = [
        "\"$(", "${", "$(", "@(", "((", "%a", "!a", "(", "{", "$((", "@{", "${x:-",
    ];
    let prefixes = [
        (Dialect::Posix, "az sql mi link create --name "),
        (Dialect::PowerShell, "New-AzSqlInstanceLink -Name "),
        (Dialect::PowerShell, "New-AzSqlInstanceLink "),
        (Dialect::Cmd, "az sql mi link create --name "),
    ];
    for pat in patterns {
        for (d, prefix) in prefixes {
            let text = format!("{prefix}{}\n", pat.repeat(MB / pat.len()));
            let t = std::time::Instant::now();
            let cmds = commands(F, &text, d);
            let e = t.elapsed();
            assert!(!cmds.is_empty());
            eprintln!("{pat:?} after {prefix:?} {d:?}: {e:?}");
        }
    }
}

#[test]
fn ps_ordered_and_extended_hashtables_splat() {
    let text = "$p = [ordered]@{ Name = \"x\"; InstanceName = 'mi1' }\nNew-AzSqlInstanceLink @p\n";
    let cmds = ps(text);
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(val(c, "-Name"), "x");
    assert_eq!(val(c, "-InstanceName"), "mi1");
    assert_eq!(written(text, c, "-Name"), ("\"x\"", None));
    assert_eq!(
        slice(text, arg(c, "-Name").flag.as_ref().unwrap().1),
        "Name"
    );
    let text = "$p = [System.Collections.Specialized.OrderedDictionary] @{ Name = 'x' }\n\
                $p += @{ ResourceGroupName = 'rg' }\n\
                $p = $p + @{ InstanceName = 'mi1' }\n\
                $p.Add('PartnerAvailabilityGroupName', 'AG1')\n\
                $p['Name'] = 'y'\n\
                New-AzSqlInstanceLink @p\n";
    let cmds = ps(text);
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(val(c, "-Name"), "y");
    assert_eq!(val(c, "-ResourceGroupName"), "rg");
    assert_eq!(val(c, "-InstanceName"), "mi1");
    assert_eq!(val(c, "-PartnerAvailabilityGroupName"), "AG1");
    let a = arg(c, "-PartnerAvailabilityGroupName");
    assert_eq!(
        slice(text, a.flag.as_ref().unwrap().1),
        "'PartnerAvailabilityGroupName'"
    );
    assert_eq!(written(text, c, "-PartnerAvailabilityGroupName").0, "'AG1'");
    // Unreadable splats.
    let c = ps("$p = Get-Params\nNew-AzSqlInstanceLink @p\n");
    let c = find(&c, "New-AzSqlInstanceLink");
    assert_eq!(c.arguments.len(), 1);
    assert!(c.arguments[0].flag.is_none());
    assert!(matches!(&c.arguments[0].value,
        Some(Word::Unknown { why, .. }) if why == "the arguments splatted from `$p` are not known"));
}

#[test]
fn ps_string_methods() {
    let text = "$a = \"dag-ledger\".Replace(\"ledger\",\"treasury\")\n\
                $b = \"DAG-X\".ToLower()\n$c = ' x '.Trim()\n$d = 'ag'.ToUpper()\n\
                $e = \"dag-x\".Substring(1)\n$f = \"{0}-x\" -f $a\n$g = 'a-b' -replace 'a','b'\n\
                $h = 'x'.Length\n$i = ('Ab').ToLower().TrimEnd()\n$j = 'abc'.Replace($x, 'y')\n\
                X -A $a -B $b -C $c -D $d -E $e -F $f -G $g -H $h -I $i -J $j\n";
    let cmds = ps(text);
    let c = find(&cmds, "X");
    assert_eq!(val(c, "-A"), "dag-treasury");
    assert_eq!(val(c, "-B"), "dag-x");
    assert_eq!(val(c, "-C"), "x");
    assert_eq!(val(c, "-D"), "AG");
    assert_eq!(val(c, "-I"), "ab");
    assert!(why(c, "-E").contains("the result of `.Substring(…)`"));
    assert!(why(c, "-F").contains("-f"));
    assert!(why(c, "-G").contains("-replace"));
    assert!(why(c, "-H").contains(".Length"));
    assert!(why(c, "-J").contains(".Replace(…)"));
    assert_eq!(names(&cmds), ["X"]);
}

#[test]
fn ps_branches_make_differing_values_unknown() {
    let text =
        "if ($Prod) { $I = 'a' } else { $I = 'b' }\nNew-AzSqlInstanceLink -InstanceName $I\n";
    let cmds = ps(text);
    let c = find(&cmds, "New-AzSqlInstanceLink");
    assert_eq!(
        why(c, "-InstanceName"),
        "`$I` is set differently in the branches of an if"
    );
    let text = "if ($Prod) { $I = 'a' }\nelseif ($x) { $I = 'a' }\nelse {\n $I = 'a'\n}\nX -A $I\n";
    assert_eq!(val(&ps(text)[0], "-A"), "a");
    let text = "$I = 'a'\nif ($Prod) { $I = 'a' }\nX -A $I\n";
    assert_eq!(val(&ps(text)[0], "-A"), "a");
    let text = "$I = 'b'\nif ($Prod) { $I = 'a' }\nX -A $I\n";
    assert!(why(&ps(text)[0], "-A").contains("branches of an if"));
    let text = "if ($Prod) { $I = 'a' }\nX -A $I\n";
    assert!(why(&ps(text)[0], "-A").contains("branches of an if"));
    let text = "try { $I = 'a' } catch { $I = 'b' }\nX -A $I\n";
    assert!(why(&ps(text)[0], "-A").contains("branches of a try/catch"));
    let text =
        "try { $I = 'a' } catch [System.Exception] { $I = 'a' } finally { $J = 1 }\nX -A $I\n";
    assert_eq!(val(&ps(text)[0], "-A"), "a");
    let text = "switch ($e) { 'prod' { $I = 'a' } default { $I = 'b' } }\nX -A $I\n";
    assert!(why(find(&ps(text), "X"), "-A").contains("branches of a switch"));
    // Nested: the inner if is decided inside the outer branch.
    let text = "if ($a) { if ($b) { $I = 'x' } else { $I = 'y' }; $J = 'j' } else { $J = 'j' }\n\
                X -A $I -B $J\n";
    let cmds = ps(text);
    assert!(why(&cmds[0], "-A").contains("branches of an if"));
    assert_eq!(val(&cmds[0], "-B"), "j");
    // Commands inside a branch see the branch's value.
    let text = "if ($a) { $I = 'x'; X -A $I } else { $I = 'y'; X -A $I }\n";
    let cmds = ps(text);
    assert_eq!(val(&cmds[0], "-A"), "x");
    assert_eq!(val(&cmds[1], "-A"), "y");
    // Loops still run once.
    let text = "foreach ($x in 1, 2) { $I = 'a' }\nX -A $I\n";
    assert_eq!(val(&ps(text)[0], "-A"), "a");
}

#[test]
fn ps_set_variable_positional_forms() {
    for text in [
        "Set-Variable -Name SqlAg 'AG_Treasury'\nX -A $SqlAg\n",
        "Set-Variable SqlAg 'AG_Treasury'\nX -A $SqlAg\n",
        "New-Variable SqlAg 'AG_Treasury'\nX -A $SqlAg\n",
        "Set-Variable SqlAg -Value 'AG_Treasury'\nX -A $SqlAg\n",
    ] {
        assert_eq!(val(find(&ps(text), "X"), "-A"), "AG_Treasury", "{text}");
    }
}

#[test]
fn messages_for_long_and_self_referencing_values() {
    let mut text = "$a0 = 'xxxxxxxxxxxxxxxx'\n".to_string();
    for i in 1..18 {
        text.push_str(&format!("$a{i} = $a{} + $a{}\n", i - 1, i - 1));
    }
    text.push_str("X -A $a17\n");
    // The first variable past the cap is named.
    assert_eq!(why(&ps(&text)[0], "-A"), "`$a13` is longer than 64 KiB");
    let text = "$c = $c + $c\nX -A $c\n";
    let w = why(&ps(text)[0], "-A").to_string();
    assert!(!w.contains("only later"), "{w}");
    assert!(w.contains("`$c`"), "{w}");
}
