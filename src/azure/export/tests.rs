use super::*;

const FILE: FileId = FileId(3);

fn ok(text: &str) -> Export {
    match parse(text, FILE) {
        Ok(export) => export,
        Err(error) => panic!("unexpected error: {error:?}"),
    }
}

fn err(text: &str) -> ParamsError {
    match parse(text, FILE) {
        Ok(export) => panic!("expected an error, got {export:?}"),
        Err(error) => error,
    }
}

/// The text a span covers.
fn at(text: &str, span: Span) -> &str {
    assert_eq!(span.file, FILE);
    &text[span.range()]
}

fn value<'t>(text: &'t str, v: &Option<AzValue>) -> (&'t str, String) {
    let v = v.as_ref().expect("value present");
    assert_eq!(v.defined_at, None);
    (at(text, v.span), v.value.clone())
}

fn names(link: &AzureLink) -> Vec<&str> {
    link.databases
        .as_ref()
        .expect("databases")
        .iter()
        .map(|d| d.value.as_str())
        .collect()
}

const ID: &str = "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-link/providers/Microsoft.Sql/managedInstances/mi-prod-01/distributedAvailabilityGroups/dag-x";

fn arm_current() -> String {
    format!(
        r#"{{
  "id": "{ID}",
  "name": "dag-x",
  "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups",
  "systemData": {{ "createdAt": "2025-03-14T09:26:53.5897932Z", "createdBy": "admin@contoso.com" }},
  "properties": {{
    "distributedAvailabilityGroupName": "dag-x",
    "distributedAvailabilityGroupId": "a1b2c3d4-0000-4e5f-9a8b-7c6d5e4f3a2b",
    "replicationMode": "Async",
    "partnerLinkRole": "Primary",
    "partnerAvailabilityGroupName": "ag-sales",
    "partnerEndpoint": "TCP://10.0.0.4:5022",
    "instanceLinkRole": "Secondary",
    "instanceAvailabilityGroupName": "mi-ag-sales",
    "failoverMode": "None",
    "seedingMode": "Automatic",
    "databases": [
      {{ "databaseName": "Sales",
        "instanceReplicaId": "0f7c5e2a-1b3d-4c5e-8f9a-0b1c2d3e4f5a",
        "partnerReplicaId": "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
        "replicaState": "SYNCHRONIZING",
        "synchronizationHealth": "HEALTHY",
        "connectedState": "CONNECTED",
        "lastReceivedLsn": "38000000046400001",
        "lastReceivedTime": "2025-03-14T10:01:02.123Z",
        "lastHardenedTime": "2025-03-14T10:01:02.123Z",
        "mostRecentLinkError": null,
        "partnerAuthCertValidity": {{ "certificateName": "MI_cert", "expiryDate": "2026-03-14T00:00:00Z" }},
        "instanceSendReplicationLagSeconds": 0,
        "instanceRedoReplicationLagSeconds": 3 }}
    ]
  }}
}}"#
    )
}

#[test]
fn arm_resource_current_names() {
    let text = arm_current();
    let export = ok(&text);
    assert_eq!(export.shape, ExportShape::Arm);
    assert!(export.instances.is_empty());
    let [link] = export.links.as_slice() else {
        panic!("one link")
    };
    assert_eq!(link.origin, Origin::Export(ExportShape::Arm));
    assert_eq!(at(&text, link.span), text.trim());
    assert_eq!(value(&text, &link.name), ("\"dag-x\"", "dag-x".into()));
    assert_eq!(&text[link.name.as_ref().unwrap().span.range()], "\"dag-x\"");
    assert_eq!(
        value(&text, &link.instance),
        ("mi-prod-01", "mi-prod-01".into())
    );
    assert_eq!(
        value(&text, &link.resource_group),
        ("rg-link", "rg-link".into())
    );
    assert_eq!(
        value(&text, &link.partner_ag),
        ("\"ag-sales\"", "ag-sales".into())
    );
    assert_eq!(
        value(&text, &link.instance_ag),
        ("\"mi-ag-sales\"", "mi-ag-sales".into())
    );
    assert_eq!(
        value(&text, &link.partner_endpoint).1,
        "TCP://10.0.0.4:5022"
    );
    assert_eq!(value(&text, &link.instance_link_role).1, "Secondary");
    assert_eq!(value(&text, &link.failover_mode).1, "None");
    assert_eq!(value(&text, &link.seeding_mode).1, "Automatic");
    assert_eq!(link.link_mode, None);
    assert_eq!(names(link), ["Sales"]);
    let db = &link.databases.as_ref().unwrap()[0];
    assert_eq!(at(&text, db.span), "\"Sales\"");
    let list = at(&text, link.databases_span.unwrap());
    assert!(list.starts_with('[') && list.ends_with(']'));
    assert!(link.old_names.is_empty());
    // The id segments lie inside the id literal.
    let id_start = text.find(ID).unwrap();
    let instance = link.instance.as_ref().unwrap().span;
    assert!(instance.start as usize > id_start && (instance.end as usize) < id_start + ID.len());
}

#[test]
fn arm_resource_old_names_2021_11_01() {
    let text = r#"{
  "id": "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-old/providers/Microsoft.Sql/managedInstances/mi-legacy/distributedAvailabilityGroups/dag-old",
  "name": "dag-old",
  "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups",
  "properties": {
    "targetDatabase": "Inventory",
    "sourceEndpoint": "TCP://sql01.contoso.local:5022",
    "primaryAvailabilityGroupName": "ag-inv",
    "secondaryAvailabilityGroupName": "mi-legacy",
    "replicationMode": "Async",
    "distributedAvailabilityGroupId": "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "sourceReplicaId": "11111111-2222-4333-8444-555555555555",
    "targetReplicaId": "66666666-7777-4888-9999-000000000000",
    "linkState": "Copying",
    "lastHardenedLsn": "38000000046400001"
  }
}"#;
    let export = ok(text);
    assert_eq!(export.shape, ExportShape::Arm);
    let link = &export.links[0];
    assert_eq!(
        value(text, &link.partner_ag),
        ("\"ag-inv\"", "ag-inv".into())
    );
    assert_eq!(value(text, &link.instance_ag).1, "mi-legacy");
    assert_eq!(
        value(text, &link.partner_endpoint),
        (
            "\"TCP://sql01.contoso.local:5022\"",
            "TCP://sql01.contoso.local:5022".into()
        )
    );
    assert_eq!(names(link), ["Inventory"]);
    assert_eq!(at(text, link.databases_span.unwrap()), "\"Inventory\"");
    assert_eq!(value(text, &link.instance).1, "mi-legacy");
    assert!(
        link.old_names.is_empty(),
        "no old-name findings for exports"
    );
}

const AZ_SHOW: &str = r#"{
  "databases": [
    {
      "connectedState": "CONNECTED",
      "databaseName": "Sales",
      "instanceRedoReplicationLagSeconds": 0,
      "instanceReplicaId": "0f7c5e2a-1b3d-4c5e-8f9a-0b1c2d3e4f5a",
      "instanceSendReplicationLagSeconds": 0,
      "lastBackupLsn": null,
      "lastCommitTime": "2025-03-14T10:01:02.123000+00:00",
      "partnerReplicaId": "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
      "replicaState": "SYNCHRONIZING",
      "synhronizationHealth": "HEALTHY"
    },
    { "databaseName": "Orders", "replicaState": "SEEDING" }
  ],
  "distributedAvailabilityGroupId": "a1b2c3d4-0000-4e5f-9a8b-7c6d5e4f3a2b",
  "distributedAvailabilityGroupName": "dag-x",
  "failoverMode": "None",
  "id": "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-link/providers/Microsoft.Sql/managedInstances/mi-prod-01/distributedAvailabilityGroups/dag-x",
  "instanceAvailabilityGroupName": "mi-ag-sales",
  "instanceLinkRole": "Secondary",
  "linkMode": "MultiDatabase",
  "name": "dag-x",
  "partnerAvailabilityGroupName": "ag-sales",
  "partnerEndpoint": "TCP://10.0.0.4:5022",
  "partnerLinkRole": "Primary",
  "replicationMode": "Async",
  "resourceGroup": "rg-link",
  "seedingMode": "Automatic",
  "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups"
}"#;

#[test]
fn az_cli_show_current_names() {
    let export = ok(AZ_SHOW);
    assert_eq!(export.shape, ExportShape::AzCli);
    let link = &export.links[0];
    assert_eq!(link.origin, Origin::Export(ExportShape::AzCli));
    assert_eq!(value(AZ_SHOW, &link.name), ("\"dag-x\"", "dag-x".into()));
    assert_eq!(
        value(AZ_SHOW, &link.instance),
        ("mi-prod-01", "mi-prod-01".into())
    );
    // From the id first, even though `resourceGroup` is there.
    assert_eq!(
        value(AZ_SHOW, &link.resource_group),
        ("rg-link", "rg-link".into())
    );
    assert_eq!(value(AZ_SHOW, &link.partner_ag).1, "ag-sales");
    assert_eq!(value(AZ_SHOW, &link.instance_ag).1, "mi-ag-sales");
    assert_eq!(
        value(AZ_SHOW, &link.link_mode),
        ("\"MultiDatabase\"", "MultiDatabase".into())
    );
    assert_eq!(names(link), ["Sales", "Orders"]);
    let dbs = link.databases.as_ref().unwrap();
    assert_eq!(at(AZ_SHOW, dbs[1].span), "\"Orders\"");
}

#[test]
fn az_cli_before_2_67_old_names() {
    let text = r#"{
  "distributedAvailabilityGroupId": "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  "id": "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-old/providers/Microsoft.Sql/managedInstances/mi-legacy/distributedAvailabilityGroups/dag-old",
  "lastHardenedLsn": null,
  "linkState": "Catchup",
  "name": "dag-old",
  "primaryAvailabilityGroupName": "ag-inv",
  "replicationMode": "Async",
  "resourceGroup": "rg-old",
  "secondaryAvailabilityGroupName": "mi-legacy",
  "sourceEndpoint": "TCP://sql01.contoso.local:5022",
  "sourceReplicaId": "11111111-2222-4333-8444-555555555555",
  "targetDatabase": "Inventory",
  "targetReplicaId": "66666666-7777-4888-9999-000000000000",
  "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups"
}"#;
    let export = ok(text);
    assert_eq!(export.shape, ExportShape::AzCli);
    let link = &export.links[0];
    assert_eq!(value(text, &link.partner_ag).1, "ag-inv");
    assert_eq!(value(text, &link.instance_ag).1, "mi-legacy");
    assert_eq!(
        value(text, &link.partner_endpoint).1,
        "TCP://sql01.contoso.local:5022"
    );
    assert_eq!(names(link), ["Inventory"]);
    assert!(link.old_names.is_empty());
}

#[test]
fn az_cli_list_is_an_array_of_show_objects() {
    let second = AZ_SHOW
        .replace("dag-x", "dag-y")
        .replace("\"Sales\"", "\"Hr\"")
        .replace("\"Orders\"", "\"Payroll\"");
    let text = format!("[\n{AZ_SHOW},\n{second}\n]\n");
    let export = ok(&text);
    assert_eq!(export.shape, ExportShape::AzCliList);
    assert_eq!(export.links.len(), 2);
    for link in &export.links {
        assert_eq!(link.origin, Origin::Export(ExportShape::AzCliList));
    }
    assert_eq!(value(&text, &export.links[0].name).1, "dag-x");
    assert_eq!(
        value(&text, &export.links[1].name),
        ("\"dag-y\"", "dag-y".into())
    );
    assert_eq!(names(&export.links[1]), ["Hr", "Payroll"]);
    assert_eq!(at(&text, export.links[1].span), second);
}

#[test]
fn rest_list_response_value() {
    let text = format!("{{\"value\": [{}], \"nextLink\": null}}", arm_current());
    let export = ok(&text);
    assert_eq!(export.shape, ExportShape::AzCliList);
    assert_eq!(export.links.len(), 1);
    assert_eq!(value(&text, &export.links[0].partner_ag).1, "ag-sales");
    assert_eq!(value(&text, &export.links[0].instance).1, "mi-prod-01");
}

const PS_ONE: &str = r#"{
  "ResourceGroupName": "rg-link",
  "InstanceName": "mi-prod-01",
  "Type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups",
  "Id": "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-link/providers/Microsoft.Sql/managedInstances/mi-prod-01/distributedAvailabilityGroups/dag-x",
  "Name": "dag-x",
  "DistributedAvailabilityGroupName": "dag-x",
  "DistributedAvailabilityGroupId": "a1b2c3d4-0000-4e5f-9a8b-7c6d5e4f3a2b",
  "Databases": [
    {
      "DatabaseName": "Sales",
      "InstanceReplicaId": "0f7c5e2a-1b3d-4c5e-8f9a-0b1c2d3e4f5a",
      "PartnerReplicaId": "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
      "ReplicaState": "SYNCHRONIZING",
      "SynchronizationHealth": "HEALTHY",
      "ConnectedState": "CONNECTED",
      "LastReceivedTime": "2025-03-14T10:01:02.123Z"
    }
  ],
  "InstanceAvailabilityGroupName": "mi-ag-sales",
  "PartnerAvailabilityGroupName": "ag-sales",
  "PartnerEndpoint": "TCP://10.0.0.4:5022",
  "InstanceLinkRole": "Secondary",
  "PartnerLinkRole": "Primary",
  "ReplicationMode": "Async",
  "FailoverMode": "None",
  "SeedingMode": "Automatic",
  "LinkMode": "SingleDatabase"
}"#;

#[test]
fn powershell_one_object() {
    let export = ok(PS_ONE);
    assert_eq!(export.shape, ExportShape::PowerShell);
    let link = &export.links[0];
    assert_eq!(link.origin, Origin::Export(ExportShape::PowerShell));
    assert_eq!(value(PS_ONE, &link.name), ("\"dag-x\"", "dag-x".into()));
    assert_eq!(value(PS_ONE, &link.instance).1, "mi-prod-01");
    assert_eq!(value(PS_ONE, &link.partner_ag).1, "ag-sales");
    assert_eq!(value(PS_ONE, &link.link_mode).1, "SingleDatabase");
    assert_eq!(names(link), ["Sales"]);
}

#[test]
fn powershell_without_id_takes_instance_name_and_resource_group_name() {
    let text = r#"{
  "ResourceGroupName": "rg-old",
  "InstanceName": "mi-legacy",
  "Name": "dag-old",
  "TargetDatabase": "Inventory",
  "SourceEndpoint": "TCP://sql01.contoso.local:5022",
  "PrimaryAvailabilityGroupName": "ag-inv",
  "SecondaryAvailabilityGroupName": "mi-legacy",
  "ReplicationMode": "Async",
  "DistributedAvailabilityGroupId": "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  "SourceReplicaId": "11111111-2222-4333-8444-555555555555",
  "TargetReplicaId": "66666666-7777-4888-9999-000000000000",
  "LinkState": "Copying",
  "LastHardenedLsn": null
}"#;
    let export = ok(text);
    assert_eq!(export.shape, ExportShape::PowerShell);
    let link = &export.links[0];
    assert_eq!(
        value(text, &link.instance),
        ("\"mi-legacy\"", "mi-legacy".into())
    );
    assert_eq!(
        value(text, &link.resource_group),
        ("\"rg-old\"", "rg-old".into())
    );
    assert_eq!(value(text, &link.name).1, "dag-old");
    assert_eq!(value(text, &link.partner_ag).1, "ag-inv");
    assert_eq!(names(link), ["Inventory"]);
}

#[test]
fn powershell_array_of_two_links() {
    let second = PS_ONE
        .replace("dag-x", "dag-y")
        .replace("\"Sales\"", "\"Hr\"");
    let text = format!("[\r\n{PS_ONE},\r\n{second}\r\n]");
    let export = ok(&text);
    assert_eq!(export.shape, ExportShape::PowerShell);
    assert_eq!(export.links.len(), 2);
    assert_eq!(
        export.links[1].origin,
        Origin::Export(ExportShape::PowerShell)
    );
    assert_eq!(value(&text, &export.links[1].name).1, "dag-y");
    assert_eq!(names(&export.links[1]), ["Hr"]);
}

#[test]
fn keys_match_case_insensitively() {
    let text = r#"{"NAME": "dag-x", "ID": "/SUBSCRIPTIONS/x/RESOURCEGROUPS/rg/PROVIDERS/Microsoft.Sql/MANAGEDINSTANCES/mi1/DISTRIBUTEDAVAILABILITYGROUPS/dag-x",
  "partneravailabilitygroupname": "ag1", "INSTANCEAVAILABILITYGROUPNAME": "mi-ag", "DATABASES": [{"DATABASENAME": "db1"}],
  "type": "microsoft.sql/MANAGEDINSTANCES/distributedavailabilitygroups"}"#;
    let link = &ok(text).links[0];
    assert_eq!(value(text, &link.name).1, "dag-x");
    assert_eq!(value(text, &link.instance), ("mi1", "mi1".into()));
    assert_eq!(value(text, &link.resource_group), ("rg", "rg".into()));
    assert_eq!(value(text, &link.partner_ag).1, "ag1");
    assert_eq!(value(text, &link.instance_ag).1, "mi-ag");
    assert_eq!(names(link), ["db1"]);
}

#[test]
fn name_from_id_then_distributed_availability_group_name() {
    let text = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi1/distributedAvailabilityGroups/dag-from-id",
  "partnerAvailabilityGroupName": "ag1"}"#;
    let link = &ok(text).links[0];
    assert_eq!(
        value(text, &link.name),
        ("dag-from-id", "dag-from-id".into())
    );
    assert_eq!(
        link.name.as_ref().unwrap().span.end as usize,
        text.find("\",").unwrap()
    );

    let text = r#"{"distributedAvailabilityGroupName": "dag-prop", "partnerAvailabilityGroupName": "ag1"}"#;
    let link = &ok(text).links[0];
    assert_eq!(value(text, &link.name), ("\"dag-prop\"", "dag-prop".into()));
    assert_eq!(link.instance, None);
    assert_eq!(link.resource_group, None);
}

#[test]
fn databases_as_plain_strings() {
    let text =
        r#"{"name": "dag-x", "partnerAvailabilityGroupName": "ag1", "databases": ["db1", "db2"]}"#;
    let link = &ok(text).links[0];
    assert_eq!(names(link), ["db1", "db2"]);
    assert_eq!(
        at(text, link.databases.as_ref().unwrap()[1].span),
        "\"db2\""
    );
    assert_eq!(at(text, link.databases_span.unwrap()), r#"["db1", "db2"]"#);
}

#[test]
fn nulls_are_absent() {
    let text = r#"{"name": "dag-x", "partnerAvailabilityGroupName": "ag1", "databases": null,
        "targetDatabase": "db1", "linkMode": null, "partnerEndpoint": null, "sourceEndpoint": "TCP://h:5022"}"#;
    let link = &ok(text).links[0];
    assert_eq!(names(link), ["db1"]);
    assert_eq!(link.link_mode, None);
    assert_eq!(value(text, &link.partner_endpoint).1, "TCP://h:5022");
}

#[test]
fn az_sql_mi_show_instance() {
    let text = r#"{
  "administratorLogin": "miadmin",
  "collation": "SQL_Latin1_General_CP1_CI_AS",
  "dnsZone": "1a2b3c4d5e6f",
  "fullyQualifiedDomainName": "mi-prod-01.1a2b3c4d5e6f.database.windows.net",
  "id": "/subscriptions/6d3f1c2a-9b1e-4f7a-8c55-0e2b7d9a41f3/resourceGroups/rg-link/providers/Microsoft.Sql/managedInstances/mi-prod-01",
  "location": "westeurope",
  "name": "mi-prod-01",
  "resourceGroup": "rg-link",
  "sku": { "capacity": 8, "family": "Gen5", "name": "GP_Gen5", "tier": "GeneralPurpose" },
  "state": "Ready",
  "storageSizeInGb": 256,
  "type": "Microsoft.Sql/managedInstances",
  "vCores": 8
}"#;
    let export = ok(text);
    assert_eq!(export.shape, ExportShape::AzCli);
    assert!(export.links.is_empty());
    let [instance] = export.instances.as_slice() else {
        panic!("one instance")
    };
    assert_eq!(instance.name.value, "mi-prod-01");
    assert_eq!(at(text, instance.name.span), "\"mi-prod-01\"");
    let fqdn = instance.fqdn.as_ref().unwrap();
    assert_eq!(
        at(text, fqdn.span),
        "\"mi-prod-01.1a2b3c4d5e6f.database.windows.net\""
    );
    assert_eq!(at(text, instance.span), text);
}

#[test]
fn arm_and_powershell_instances_and_a_mixed_list() {
    let arm = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi-a",
        "type": "Microsoft.Sql/managedInstances",
        "properties": {"fullyQualifiedDomainName": "mi-a.zone.database.windows.net", "state": "Ready"}}"#;
    let export = ok(arm);
    assert_eq!(export.shape, ExportShape::Arm);
    // No `name`: taken from the id.
    assert_eq!(at(arm, export.instances[0].name.span), "mi-a");
    assert_eq!(
        export.instances[0].fqdn.as_ref().unwrap().value,
        "mi-a.zone.database.windows.net"
    );

    let ps = r#"{"ResourceGroupName": "rg", "ManagedInstanceName": "mi-b", "Location": "westeurope",
        "FullyQualifiedDomainName": "mi-b.zone.database.windows.net", "VCores": 4}"#;
    let export = ok(ps);
    assert_eq!(export.shape, ExportShape::PowerShell);
    assert_eq!(at(ps, export.instances[0].name.span), "\"mi-b\"");

    let text =
        format!("[{AZ_SHOW}, {arm}, {{\"type\": \"Microsoft.Sql/servers\", \"name\": \"srv\"}}]");
    let export = ok(&text);
    assert_eq!(export.shape, ExportShape::AzCliList);
    assert_eq!(export.links.len(), 1);
    assert_eq!(export.instances.len(), 1);
}

#[test]
fn spans_are_byte_exact_with_non_ascii_and_escapes() {
    let text = "{\"note\": \"Zürich — 東京\", \"name\": \"dag-ü\", \"partnerAvailabilityGroupName\": \"ag\\u00e9\\\"q\",\n \"id\": \"\\/subscriptions\\/s\\/resourceGroups\\/rg-é\\/providers\\/Microsoft.Sql\\/managedInstances\\/mi\\u0031\\/distributedAvailabilityGroups\\/dag-ü\",\n \"databases\": [{\"databaseName\": \"DB-😀\"}, \"\\ud83d\\ude00\"]}";
    let link = &ok(text).links[0];
    assert_eq!(value(text, &link.name), ("\"dag-ü\"", "dag-ü".into()));
    assert_eq!(
        value(text, &link.partner_ag),
        ("\"ag\\u00e9\\\"q\"", "agé\"q".into())
    );
    assert_eq!(value(text, &link.instance), ("mi\\u0031", "mi1".into()));
    assert_eq!(value(text, &link.resource_group), ("rg-é", "rg-é".into()));
    assert_eq!(names(link), ["DB-😀", "😀"]);
    assert_eq!(
        at(text, link.databases.as_ref().unwrap()[0].span),
        "\"DB-😀\""
    );
}

#[test]
fn a_utf8_bom_is_skipped() {
    let text = format!("\u{feff}{PS_ONE}");
    let export = ok(&text);
    assert_eq!(
        at(&text, export.links[0].name.as_ref().unwrap().span),
        "\"dag-x\""
    );
    let error = err("\u{feff}{\"name\": }");
    assert_eq!(error.span.unwrap().start, 12);
}

// ---- errors

#[test]
fn error_not_strict_json() {
    let text = "{\n  \"name\": \"dag-x\",\n}";
    let error = err(text);
    assert!(
        error
            .message
            .starts_with("JSON syntax error: trailing comma"),
        "{error:?}"
    );
    assert_eq!(at(text, error.span.unwrap()), ",");
    assert!(error.help.unwrap().contains("strict JSON"));

    let text = "{\n  // comment\n  \"name\": \"dag-x\"\n}";
    let error = err(text);
    assert!(error.message.starts_with("JSON syntax error"));
    assert_eq!(error.span.unwrap().start as usize, text.find('/').unwrap());

    let error = err("");
    assert!(error.message.contains("EOF"), "{error:?}");
    assert!(error.span.is_some());
}

#[test]
fn error_no_link_in_valid_json() {
    let text = r#"{"foo": "bar", "count": 3}"#;
    let error = err(text);
    assert!(error
        .message
        .starts_with("no managed instance link in this export"));
    assert!(error.message.contains("partnerAvailabilityGroupName"));
    assert_eq!(at(text, error.span.unwrap()), text);
    assert!(error.help.is_some());

    let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
    assert!(err(text).help.unwrap().contains("ARM templates"));

    let error = err("\"just a string\"");
    assert!(error.message.contains("object or array"), "{error:?}");
    assert_eq!(error.span.unwrap().start, 0);
}

#[test]
fn error_other_resource_type() {
    let text = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/srv/databases/db1", "name": "db1", "type": "Microsoft.Sql/servers/databases", "properties": {}}"#;
    let error = err(text);
    assert!(
        error.message.contains("`Microsoft.Sql/servers/databases`"),
        "{error:?}"
    );
    assert_eq!(
        at(text, error.span.unwrap()),
        "\"Microsoft.Sql/servers/databases\""
    );
}

#[test]
fn error_list_without_link_or_instance() {
    let text = r#"[{"type": "Microsoft.Sql/servers", "name": "a"}, {"type": "Microsoft.Network/virtualNetworks", "name": "b"}, {"x": 1}]"#;
    let error = err(text);
    assert!(error
        .message
        .starts_with("no managed instance link in this export"));
    assert!(
        error
            .message
            .contains("`Microsoft.Network/virtualNetworks`"),
        "{error:?}"
    );
    assert_eq!(at(text, error.span.unwrap()), text);

    let error = err(" [ ] ");
    assert!(error.message.contains("empty"));
    assert_eq!(error.span.unwrap().range(), 1..4);

    let text = r#"{"value": []}"#;
    let error = err(text);
    assert_eq!(at(text, error.span.unwrap()), "[]");

    let text = r#"[{"name": "dag-x", "partnerAvailabilityGroupName": "ag"}, 42]"#;
    let error = err(text);
    assert!(error.message.contains("must be an object"), "{error:?}");
    assert_eq!(at(text, error.span.unwrap()), "42");
}

#[test]
fn error_convert_to_json_depth_cut() {
    let text = PS_ONE.replace(
        &PS_ONE[PS_ONE.find("[\n    {").unwrap()..PS_ONE.find("}\n  ],").unwrap() + 5],
        r#"["Microsoft.Azure.Management.Sql.Models.DistributedAvailabilityGroupDatabase"]"#,
    );
    let error = err(&text);
    assert!(error.message.contains("ConvertTo-Json"), "{error:?}");
    assert_eq!(
        at(&text, error.span.unwrap()),
        "\"Microsoft.Azure.Management.Sql.Models.DistributedAvailabilityGroupDatabase\""
    );
    assert!(error.help.unwrap().contains("-Depth 5"));

    let text = r#"{"Name": "dag-x", "InstanceName": "mi1", "PartnerAvailabilityGroupName": "ag",
        "Databases": "System.Collections.Generic.List`1[Microsoft.Azure.Management.Sql.Models.DistributedAvailabilityGroupDatabase]"}"#;
    let error = err(text);
    assert!(error.help.unwrap().contains("-Depth 5"));
    assert!(at(text, error.span.unwrap()).starts_with("\"System.Collections"));

    let text = r#"{"Name": "dag-x", "PartnerAvailabilityGroupName": "ag", "Databases": ["@{DatabaseName=Sales; ReplicaState=SYNCHRONIZING}"]}"#;
    let error = err(text);
    assert!(error.help.unwrap().contains("-Depth 5"));
    assert!(at(text, error.span.unwrap()).starts_with("\"@{"));
}

#[test]
fn error_wrong_json_type() {
    let text = r#"{"name": "dag-x", "partnerAvailabilityGroupName": 42}"#;
    let error = err(text);
    assert_eq!(
        error.message,
        "`partnerAvailabilityGroupName` must be a string, not a number"
    );
    assert_eq!(at(text, error.span.unwrap()), "42");

    let text = r#"{"name": ["dag-x"], "partnerAvailabilityGroupName": "ag"}"#;
    assert_eq!(at(text, err(text).span.unwrap()), "[\"dag-x\"]");

    let text = r#"{"name": "dag-x", "partnerAvailabilityGroupName": "ag", "databases": {"databaseName": "db"}}"#;
    let error = err(text);
    assert!(error.message.contains("must be an array"));
    assert_eq!(at(text, error.span.unwrap()), "{\"databaseName\": \"db\"}");

    let text = r#"{"name": "dag-x", "partnerAvailabilityGroupName": "ag", "databases": [{"databaseName": true}]}"#;
    assert_eq!(at(text, err(text).span.unwrap()), "true");

    let text = r#"{"name": "dag-x", "partnerAvailabilityGroupName": "ag", "databases": [{"replicaState": "SEEDING"}]}"#;
    let error = err(text);
    assert!(error.message.contains("databaseName"));
    assert_eq!(
        at(text, error.span.unwrap()),
        "{\"replicaState\": \"SEEDING\"}"
    );

    let text = r#"{"id": 7, "partnerAvailabilityGroupName": "ag"}"#;
    assert_eq!(at(text, err(text).span.unwrap()), "7");

    let text = r#"{"type": 1, "name": "x"}"#;
    assert_eq!(at(text, err(text).span.unwrap()), "1");

    let text = r#"{"name": "dag-x", "type": "Microsoft.Sql/managedInstances/distributedAvailabilityGroups", "properties": "x"}"#;
    assert_eq!(at(text, err(text).span.unwrap()), "\"x\"");
}

#[test]
fn error_duplicate_key_differing_in_case() {
    let text = r#"{"name": "dag-x", "Name": "dag-y", "partnerAvailabilityGroupName": "ag"}"#;
    let error = err(text);
    assert!(error.message.contains("duplicate key `Name`"));
    assert_eq!(at(text, error.span.unwrap()), "\"Name\"");
}

#[test]
fn error_deep_nesting_and_huge_input_do_not_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let error = err(&deep);
    assert!(error.message.contains("recursion limit"), "{error:?}");

    let mut big = String::from("[");
    for i in 0..20_000 {
        if i > 0 {
            big.push(',');
        }
        big.push_str(&format!(
            r#"{{"name": "dag-{i}", "partnerAvailabilityGroupName": "ag-{i}", "databases": ["db{i}"]}}"#
        ));
    }
    big.push(']');
    assert_eq!(ok(&big).links.len(), 20_000);
}

// ---- looks_like_export

#[test]
fn looks_like_export_accepts_every_shape() {
    assert!(looks_like_export(&arm_current()));
    assert!(looks_like_export(AZ_SHOW));
    assert!(looks_like_export(&format!("[{AZ_SHOW}]")));
    assert!(looks_like_export(&format!(
        "{{\"value\": [{}]}}",
        arm_current()
    )));
    assert!(looks_like_export(PS_ONE));
    assert!(looks_like_export(&format!("\u{feff}[{PS_ONE}, {PS_ONE}]")));
    assert!(looks_like_export(
        r#"{"TargetDatabase": "db", "Name": "dag"}"#
    ));
    assert!(looks_like_export(
        r#"{"name": "mi-a", "fullyQualifiedDomainName": "mi-a.z.database.windows.net"}"#
    ));
    assert!(looks_like_export(
        r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/managedInstances/mi-a", "name": "mi-a"}"#
    ));
    // Malformed, but clearly meant as an export: parse() reports the syntax error.
    assert!(looks_like_export(
        "{\"partnerAvailabilityGroupName\": \"ag\",}"
    ));
}

#[test]
fn looks_like_export_rejects_parameters_and_other_text() {
    let params = r#"{
  "sql_server": {"name": "SQL01", "fqdn": "sql01.contoso.local", "endpoint_port": 5022},
  "managed_instance": {"name": "mi-prod-01", "fqdn": "mi-prod-01.1a2b3c4d5e6f.database.windows.net"},
  "link": {"availability_group": "ag-sales", "distributed_availability_group": "dag-x",
           "databases": ["Sales"], "initial_primary": "sql_server"}
}"#;
    assert!(!looks_like_export(params));
    // Even if a value happens to look like an export.
    let params = r#"{"link": [{"availability_group": "partnerAvailabilityGroupName"}],
        "managed_instance": {"name": "Microsoft.Sql/managedInstances"}}"#;
    assert!(!looks_like_export(params));
    assert!(!looks_like_export(
        "[sql_server]\nname = \"SQL01\"\n\n[link]\npartnerAvailabilityGroupName = \"x\"\n"
    ));
    assert!(!looks_like_export("sql_server:\n  name: SQL01\n"));
    assert!(!looks_like_export(""));
    assert!(!looks_like_export(r#"{"foo": 1}"#));
    assert!(!looks_like_export(
        r#"{"name": "Microsoft.Sql/managedInstances"}"#
    ));
}

// ---- properties

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let key = prop::sample::select(vec![
            "id",
            "Name",
            "type",
            "properties",
            "value",
            "databases",
            "databaseName",
            "partnerAvailabilityGroupName",
            "targetDatabase",
            "InstanceName",
            "fullyQualifiedDomainName",
        ]);
        let string = prop_oneof![
            Just("Microsoft.Sql/managedInstances/distributedAvailabilityGroups".to_owned()),
            Just("Microsoft.Sql/managedInstances".to_owned()),
            Just("/subscriptions/s/resourceGroups/r/providers/Microsoft.Sql/managedInstances/m/distributedAvailabilityGroups/".to_owned()),
            Just("Microsoft.Azure.Management.Sql.Models.X".to_owned()),
            "\\PC{0,6}",
        ];
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            string.prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::vec((key.clone(), inner), 0..6).prop_map(|members| {
                    serde_json::Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever serde_json writes for a name (escapes, non-ASCII, `/`), the value
        /// decodes back and the span is exactly the literal.
        #[test]
        fn values_and_spans_round_trip(name in "\\PC{0,12}", db in ".{0,8}", pad in " {0,3}") {
            let name_json = serde_json::to_string(&name).unwrap();
            let db_json = serde_json::to_string(&db).unwrap();
            let text = format!(
                "{pad}{{\"name\":{pad}{name_json}, \"partnerAvailabilityGroupName\": \"ag\", \"databases\": [{{\"databaseName\": {db_json}}}]}}"
            );
            let export = parse(&text, FILE).unwrap();
            let link = &export.links[0];
            let got = link.name.as_ref().unwrap();
            prop_assert_eq!(&got.value, &name);
            prop_assert_eq!(at(&text, got.span), name_json.as_str());
            let got = &link.databases.as_ref().unwrap()[0];
            prop_assert_eq!(&got.value, &db);
            prop_assert_eq!(at(&text, got.span), db_json.as_str());
        }

        /// An id segment's span covers the segment as written, escapes included.
        #[test]
        fn id_segments_round_trip(mi in "[a-z0-9-]{1,8}", rg in "[^/\"\\\\]{1,8}", escape in any::<bool>()) {
            let id = format!("/subscriptions/s/resourceGroups/{rg}/providers/Microsoft.Sql/managedInstances/{mi}/distributedAvailabilityGroups/d");
            let mut literal = serde_json::to_string(&id).unwrap();
            if escape {
                literal = literal.replace('/', "\\/");
            }
            let text = format!("{{\"id\": {literal}, \"partnerAvailabilityGroupName\": \"ag\"}}");
            let link = &parse(&text, FILE).unwrap().links[0];
            let instance = link.instance.as_ref().unwrap();
            prop_assert_eq!(&instance.value, &mi);
            prop_assert_eq!(at(&text, instance.span), mi.as_str());
            let group = link.resource_group.as_ref().unwrap();
            prop_assert_eq!(&group.value, &rg);
            let written = serde_json::to_string(&rg).unwrap();
            prop_assert_eq!(at(&text, group.span), &written[1..written.len() - 1]);
            prop_assert_eq!(&link.name.as_ref().unwrap().value, "d");
        }

        /// Arbitrary JSON-ish text: an answer, never a panic, and spans inside the text.
        #[test]
        fn never_panics(text in "[\\[\\]{}\":, a-zA-Z0-9\\\\/é😀\n-]{0,60}") {
            let _ = looks_like_export(&text);
            if let Err(error) = parse(&text, FILE) {
                if let Some(span) = error.span {
                    prop_assert!(span.end as usize <= text.len());
                    prop_assert!(text.is_char_boundary(span.start as usize));
                    prop_assert!(text.is_char_boundary(span.end as usize));
                }
            }
        }

        /// Random valid JSON over the keys the reader looks at: an answer, never a
        /// panic, and every span on char boundaries inside the text.
        #[test]
        fn valid_json_never_panics(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let _ = looks_like_export(&text);
            let in_text = |span: Span| {
                span.end as usize <= text.len()
                    && text.is_char_boundary(span.start as usize)
                    && text.is_char_boundary(span.end as usize)
            };
            match parse(&text, FILE) {
                Ok(export) => {
                    prop_assert!(!export.links.is_empty() || !export.instances.is_empty());
                    for link in &export.links {
                        let values = [&link.name, &link.instance, &link.resource_group, &link.partner_ag,
                            &link.instance_ag, &link.partner_endpoint, &link.instance_link_role];
                        for v in values.into_iter().flatten().chain(link.databases.iter().flatten()) {
                            prop_assert!(in_text(v.span));
                        }
                    }
                }
                Err(error) => prop_assert!(error.span.is_none_or(in_text)),
            }
        }
    }
}
