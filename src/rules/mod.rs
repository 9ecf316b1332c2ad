//! The rule registry: one module per rule, each a function from the [`Analysis`]
//! to diagnostics, registered here with its stable code, kebab-case name, default
//! severity, summary, catalogue reference and documentation (`rules/CODE.md`,
//! compiled in so `explain` and the docs never drift).

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::selection::RuleSelection;

pub mod azure;
pub mod expectations;
pub mod support;

mod ml001_syntax_error;
mod ml002_malformed_link_statement;
mod ml003_unused_suppression;
mod ml004_unreadable_file;
mod ml101_dag_name_mismatch;
mod ml102_ag_name_mismatch;
mod ml103_dag_member_unknown_ag;
mod ml104_instance_ag_mismatch;
mod ml105_database_mismatch;
mod ml106_prepared_database_mismatch;
mod ml107_replica_name_mismatch;
mod ml108_mi_server_name_mismatch;
mod ml109_mi_host_mismatch;
pub(crate) mod ml110_mi_certificate_name;
mod ml111_unknown_endpoint_certificate;
mod ml112_alter_member_mismatch;
mod ml113_name_case_mismatch;
mod ml114_name_whitespace;
mod ml115_confusable_character;
mod ml116_azure_name_rules;
mod ml117_identifier_too_long;
mod ml201_endpoint_port_mismatch;
pub(crate) mod ml202_dag_client_port;
mod ml203_mi_port_not_5022;
mod ml204_mi_url_missing_server;
mod ml205_mi_public_endpoint;
mod ml206_mi_url_database_direction;
pub(crate) mod ml207_sql_host_loopback;
mod ml208_url_named_instance;
mod ml209_malformed_url;
mod ml210_sql_host_mismatch;
mod ml211_listener_ip_restricted;
mod ml212_named_instance_default_port;
mod ml301_seeding_mode_not_automatic;
mod ml302_failover_mode_not_manual;
mod ml303_synchronous_dag;
mod ml304_cluster_type_version;
mod ml305_endpoint_authentication;
mod ml306_endpoint_encryption;
mod ml307_endpoint_role_state;
pub(crate) mod ml308_multiple_databases;
mod ml309_multi_database_mode;
mod ml310_system_database;
mod ml311_certificate_expiry;
mod ml312_certificate_backslash;
mod ml401_missing_grant_create_any_database;
mod ml402_empty_ag_sql_first;
mod ml403_mi_first_database_on_sql_server;
mod ml404_dag_joined;
mod ml405_wrong_replica;
mod ml406_order;
mod ml407_set_hadr_in_link;
mod ml408_copy_only_backup;
mod ml409_direction_version;
mod ml410_inverted_existence_guard;
mod ml501_placeholder;
mod ml502_undefined_variable;
mod ml503_sqlcmd_mode_off;
mod ml504_stray_bom;
mod ml505_hard_coded_secret;
mod ml506_include_cycle;
mod ml507_missing_include;
mod ml601_azure_link_name_mismatch;
mod ml602_azure_partner_ag_mismatch;
mod ml603_azure_instance_ag_mismatch;
mod ml604_azure_database_mismatch;
mod ml605_azure_partner_endpoint_mismatch;
mod ml606_azure_link_role_mismatch;
mod ml607_azure_instance_mismatch;
mod ml608_azure_removed_parameter;
mod ml609_azure_unresolved_value;
mod ml610_azure_trust_certificate_name;
mod ml611_azure_link_mode;
mod ml612_azure_incomplete_create;

/// A rule's registration.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Defect IDs of the domain catalogue (mi-link.md §10) the rule covers.
    pub catalogue: &'static str,
    /// The rule runs only with a parameters file.
    pub needs_params: bool,
    pub doc: &'static str,
    pub check: fn(&Analysis, &mut Vec<Diagnostic>),
}

macro_rules! rule_doc {
    ($code:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $code, ".md"))
    };
}
pub(crate) use rule_doc;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &ml001_syntax_error::RULE,
    &ml002_malformed_link_statement::RULE,
    &ml003_unused_suppression::RULE,
    &ml004_unreadable_file::RULE,
    &ml101_dag_name_mismatch::RULE,
    &ml102_ag_name_mismatch::RULE,
    &ml103_dag_member_unknown_ag::RULE,
    &ml104_instance_ag_mismatch::RULE,
    &ml105_database_mismatch::RULE,
    &ml106_prepared_database_mismatch::RULE,
    &ml107_replica_name_mismatch::RULE,
    &ml108_mi_server_name_mismatch::RULE,
    &ml109_mi_host_mismatch::RULE,
    &ml110_mi_certificate_name::RULE,
    &ml111_unknown_endpoint_certificate::RULE,
    &ml112_alter_member_mismatch::RULE,
    &ml113_name_case_mismatch::RULE,
    &ml114_name_whitespace::RULE,
    &ml115_confusable_character::RULE,
    &ml116_azure_name_rules::RULE,
    &ml117_identifier_too_long::RULE,
    &ml201_endpoint_port_mismatch::RULE,
    &ml202_dag_client_port::RULE,
    &ml203_mi_port_not_5022::RULE,
    &ml204_mi_url_missing_server::RULE,
    &ml205_mi_public_endpoint::RULE,
    &ml206_mi_url_database_direction::RULE,
    &ml207_sql_host_loopback::RULE,
    &ml208_url_named_instance::RULE,
    &ml209_malformed_url::RULE,
    &ml210_sql_host_mismatch::RULE,
    &ml211_listener_ip_restricted::RULE,
    &ml212_named_instance_default_port::RULE,
    &ml301_seeding_mode_not_automatic::RULE,
    &ml302_failover_mode_not_manual::RULE,
    &ml303_synchronous_dag::RULE,
    &ml304_cluster_type_version::RULE,
    &ml305_endpoint_authentication::RULE,
    &ml306_endpoint_encryption::RULE,
    &ml307_endpoint_role_state::RULE,
    &ml308_multiple_databases::RULE,
    &ml309_multi_database_mode::RULE,
    &ml310_system_database::RULE,
    &ml311_certificate_expiry::RULE,
    &ml312_certificate_backslash::RULE,
    &ml401_missing_grant_create_any_database::RULE,
    &ml402_empty_ag_sql_first::RULE,
    &ml403_mi_first_database_on_sql_server::RULE,
    &ml404_dag_joined::RULE,
    &ml405_wrong_replica::RULE,
    &ml406_order::RULE,
    &ml407_set_hadr_in_link::RULE,
    &ml408_copy_only_backup::RULE,
    &ml409_direction_version::RULE,
    &ml410_inverted_existence_guard::RULE,
    &ml501_placeholder::RULE,
    &ml502_undefined_variable::RULE,
    &ml503_sqlcmd_mode_off::RULE,
    &ml504_stray_bom::RULE,
    &ml505_hard_coded_secret::RULE,
    &ml506_include_cycle::RULE,
    &ml507_missing_include::RULE,
    &ml601_azure_link_name_mismatch::RULE,
    &ml602_azure_partner_ag_mismatch::RULE,
    &ml603_azure_instance_ag_mismatch::RULE,
    &ml604_azure_database_mismatch::RULE,
    &ml605_azure_partner_endpoint_mismatch::RULE,
    &ml606_azure_link_role_mismatch::RULE,
    &ml607_azure_instance_mismatch::RULE,
    &ml608_azure_removed_parameter::RULE,
    &ml609_azure_unresolved_value::RULE,
    &ml610_azure_trust_certificate_name::RULE,
    &ml611_azure_link_mode::RULE,
    &ml612_azure_incomplete_create::RULE,
];

pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Whether `rule` runs in this analysis: rules that need parameters are skipped without them.
pub fn runs(rule: &Rule, analysis: &Analysis) -> bool {
    !rule.needs_params || analysis.params.is_some()
}

/// Run the selected rules.
pub fn run_selected(analysis: &Analysis, selection: &RuleSelection) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in selection.enabled_rules().filter(|r| runs(r, analysis)) {
        (rule.check)(analysis, &mut out);
    }
    out
}
