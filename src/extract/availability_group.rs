//! CREATE AVAILABILITY GROUP (plain and DISTRIBUTED) and ALTER AVAILABILITY GROUP.

use super::parser::{port_of, OptionItem, PResult, Parser};
use crate::model::{
    AgListener, AlterAg, AlterAgAction, AvailabilityGroup, DagMember, DistributedAg, Name, Replica,
    ReplicaOptions, Spanned, StatementKind, Url,
};

/// Replica / member options the link cares about, plus the URL option by name.
fn replica_options(
    p: &Parser,
    items: &[OptionItem],
    with_span: crate::span::Span,
    url_key: &str,
) -> (ReplicaOptions, Option<Url>) {
    let mut options = ReplicaOptions {
        with_span: Some(with_span),
        ..ReplicaOptions::default()
    };
    let mut url = None;
    for item in items {
        if item.is("AVAILABILITY_MODE") {
            options.availability_mode = item.word();
        } else if item.is("FAILOVER_MODE") {
            options.failover_mode = item.word();
        } else if item.is("SEEDING_MODE") {
            options.seeding_mode = item.word();
        } else if item.is(url_key) {
            url = item
                .value
                .first()
                .filter(|t| t.is_string())
                .map(|t| p.url_of(t));
        }
    }
    (options, url)
}

/// `'name' WITH ( … ) [, 'name' WITH ( … )]…` — DAG members.
fn members(p: &mut Parser) -> PResult<Vec<DagMember>> {
    let mut members = Vec::new();
    loop {
        let name = p.name("an availability group name")?;
        p.expect_kw("WITH")?;
        let (items, with_span) = p.option_list()?;
        let (options, listener_url) = replica_options(p, &items, with_span, "LISTENER_URL");
        members.push(DagMember {
            name,
            listener_url,
            options,
        });
        // Another member follows a comma; anything else ends the list.
        if p.peek_punct(",") && p.peek_at(1).is_some_and(|t| t.is_name()) {
            p.bump();
        } else {
            break;
        }
    }
    Ok(members)
}

/// `REPLICA ON 'server' WITH ( … ) [, 'server' WITH ( … )]…` — AG replicas.
fn replicas(p: &mut Parser) -> PResult<Vec<Replica>> {
    let mut replicas = Vec::new();
    loop {
        let server = p.name("a server instance name")?;
        p.expect_kw("WITH")?;
        let (items, with_span) = p.option_list()?;
        let (options, endpoint_url) = replica_options(p, &items, with_span, "ENDPOINT_URL");
        replicas.push(Replica {
            server,
            endpoint_url,
            options,
        });
        let another = p.peek_punct(",")
            && p.peek_at(1)
                .is_some_and(|t| t.is_name() && !t.is_kw("LISTENER"));
        if another {
            p.bump();
        } else {
            break;
        }
    }
    Ok(replicas)
}

/// `LISTENER 'dns' ( WITH IP (…) , PORT = n )` after the replicas.
fn listener(p: &mut Parser) -> PResult<AgListener> {
    let name = p.name("a listener name")?;
    let mut port = None;
    if p.peek_punct("(") {
        let (items, _) = p.option_list()?;
        port = items
            .iter()
            .find(|i| i.is("PORT"))
            .and_then(|i| port_of(i.value));
    }
    Ok(AgListener { name, port })
}

/// After `CREATE AVAILABILITY GROUP`.
pub fn create(p: &mut Parser) -> PResult<StatementKind> {
    let name = p.name("the availability group name")?;
    let mut distributed = false;
    let mut cluster_type = None;
    let mut options_span = None;
    if p.eat_kw("WITH") {
        let (items, span) = p.option_list()?;
        options_span = Some(span);
        distributed = items.iter().any(|i| i.is("DISTRIBUTED"));
        cluster_type = items
            .iter()
            .find(|i| i.is("CLUSTER_TYPE"))
            .and_then(|i| i.word());
    }
    if distributed || p.peek_kws(&["AVAILABILITY", "GROUP", "ON"]) {
        if !p.eat_kws(&["AVAILABILITY", "GROUP", "ON"]) {
            return p.error("expected `AVAILABILITY GROUP ON` after `WITH (DISTRIBUTED)`");
        }
        let members = members(p)?;
        return Ok(StatementKind::DistributedAg(DistributedAg {
            name,
            members,
        }));
    }
    let for_start = p.here();
    p.expect_kw("FOR")?;
    let mut databases = Vec::new();
    if p.eat_kw("DATABASE") {
        loop {
            databases.push(p.name("a database name")?);
            if !p.eat_punct(",") {
                break;
            }
        }
    }
    let for_span = Some(for_start.to(p.prev_span()));
    if !p.eat_kws(&["REPLICA", "ON"]) {
        return p.error("expected `REPLICA ON`");
    }
    let replicas = replicas(p)?;
    let mut listener_clause = None;
    if p.peek_punct(",") && p.peek_at(1).is_some_and(|t| t.is_kw("LISTENER")) {
        p.bump();
    }
    if p.eat_kw("LISTENER") {
        listener_clause = Some(listener(p)?);
    }
    Ok(StatementKind::AvailabilityGroup(AvailabilityGroup {
        name,
        cluster_type,
        options_span,
        databases,
        for_span,
        replicas,
        listener: listener_clause,
    }))
}

fn database_list(p: &mut Parser) -> PResult<Vec<Name>> {
    let mut databases = vec![p.name("a database name")?];
    while p.eat_punct(",") {
        databases.push(p.name("a database name")?);
    }
    Ok(databases)
}

/// After `ALTER AVAILABILITY GROUP`.
pub fn alter(p: &mut Parser) -> PResult<StatementKind> {
    let name = p.name("the availability group name")?;
    let action = if p.eat_kws(&["GRANT", "CREATE", "ANY", "DATABASE"]) {
        AlterAgAction::GrantCreateAnyDatabase
    } else if p.eat_kw("JOIN") {
        let members = if p.eat_kws(&["AVAILABILITY", "GROUP", "ON"]) {
            members(p)?
        } else {
            Vec::new()
        };
        AlterAgAction::Join { members }
    } else if p.eat_kws(&["MODIFY", "AVAILABILITY", "GROUP", "ON"]) {
        AlterAgAction::ModifyMembers {
            members: members(p)?,
        }
    } else if p.eat_kws(&["MODIFY", "REPLICA", "ON"]) {
        let mut list = replicas(p)?;
        AlterAgAction::ModifyReplica {
            replica: Box::new(list.remove(0)),
        }
    } else if p.eat_kws(&["ADD", "DATABASE"]) {
        AlterAgAction::AddDatabase {
            databases: database_list(p)?,
        }
    } else if p.eat_kws(&["REMOVE", "DATABASE"]) {
        AlterAgAction::RemoveDatabase {
            databases: database_list(p)?,
        }
    } else if p.eat_kw("FAILOVER") {
        AlterAgAction::Failover
    } else if p.eat_kw("FORCE_FAILOVER_ALLOW_DATA_LOSS") {
        AlterAgAction::ForceFailover
    } else {
        match p.bump() {
            Some(t) => AlterAgAction::Other(Spanned {
                value: t.value.as_str().to_ascii_uppercase(),
                span: t.span,
            }),
            None => return p.error("expected an ALTER AVAILABILITY GROUP action"),
        }
    };
    Ok(StatementKind::AlterAg(AlterAg { name, action }))
}
