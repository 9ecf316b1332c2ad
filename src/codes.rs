//! The rule registry: every rule's stable code, the module under `src/rules/` that
//! implements it, and its kebab-case name. This list is the only place a rule code is
//! written; [`Code`] (what a finding carries) and the rule table of
//! [`crate::rules`] are both generated from it, so they cannot drift apart.
//!
//! It sits at the bottom of the crate (it depends on nothing) because every stage
//! speaks of codes: configuration selects them, rules report them, suppression
//! comments name them, reports print them.

/// Calls `$callback!` with the registry: `CODE module "name",` per rule, in code order.
/// (A callback so that the one list feeds two expansions: [`Code`] here, and the rule
/// table in `rules/mod.rs`, which needs the module names.)
macro_rules! registry {
    ($callback:ident) => {
        $callback! {
        ML001 ml001_syntax_error "syntax-error",
        ML002 ml002_malformed_link_statement "malformed-link-statement",
        ML003 ml003_unused_suppression "unused-suppression",
        ML004 ml004_unreadable_file "unreadable-file",
        ML101 ml101_dag_name_mismatch "dag-name-mismatch",
        ML102 ml102_ag_name_mismatch "ag-name-mismatch",
        ML103 ml103_dag_member_unknown_ag "dag-member-unknown-ag",
        ML104 ml104_instance_ag_mismatch "instance-ag-mismatch",
        ML105 ml105_database_mismatch "database-mismatch",
        ML106 ml106_prepared_database_mismatch "prepared-database-mismatch",
        ML107 ml107_replica_name_mismatch "replica-name-mismatch",
        ML108 ml108_mi_server_name_mismatch "mi-server-name-mismatch",
        ML109 ml109_mi_host_mismatch "mi-host-mismatch",
        ML110 ml110_mi_certificate_name "mi-certificate-name",
        ML111 ml111_unknown_endpoint_certificate "unknown-endpoint-certificate",
        ML112 ml112_alter_member_mismatch "alter-member-mismatch",
        ML113 ml113_name_case_mismatch "name-case-mismatch",
        ML114 ml114_name_whitespace "name-whitespace",
        ML115 ml115_confusable_character "confusable-character",
        ML116 ml116_azure_name_rules "azure-name-rules",
        ML117 ml117_identifier_too_long "identifier-too-long",
        ML201 ml201_endpoint_port_mismatch "endpoint-port-mismatch",
        ML202 ml202_dag_client_port "dag-client-port",
        ML203 ml203_mi_port_not_5022 "mi-port-not-5022",
        ML204 ml204_mi_url_missing_server "mi-url-missing-server",
        ML205 ml205_mi_public_endpoint "mi-public-endpoint",
        ML206 ml206_mi_url_database_direction "mi-url-database-direction",
        ML207 ml207_sql_host_loopback "sql-host-loopback",
        ML208 ml208_url_named_instance "url-named-instance",
        ML209 ml209_malformed_url "malformed-url",
        ML210 ml210_sql_host_mismatch "sql-host-mismatch",
        ML211 ml211_listener_ip_restricted "listener-ip-restricted",
        ML212 ml212_named_instance_default_port "named-instance-default-port",
        ML301 ml301_seeding_mode_not_automatic "seeding-mode-not-automatic",
        ML302 ml302_failover_mode_not_manual "failover-mode-not-manual",
        ML303 ml303_synchronous_dag "synchronous-dag",
        ML304 ml304_cluster_type_version "cluster-type-version",
        ML305 ml305_endpoint_authentication "endpoint-authentication",
        ML306 ml306_endpoint_encryption "endpoint-encryption",
        ML307 ml307_endpoint_role_state "endpoint-role-state",
        ML308 ml308_multiple_databases "multiple-databases",
        ML309 ml309_multi_database_mode "multi-database-mode",
        ML310 ml310_system_database "system-database",
        ML311 ml311_certificate_expiry "certificate-expiry",
        ML312 ml312_certificate_backslash "certificate-backslash",
        ML401 ml401_missing_grant_create_any_database "missing-grant-create-any-database",
        ML402 ml402_empty_ag_sql_first "empty-ag-sql-first",
        ML403 ml403_mi_first_database_on_sql_server "mi-first-database-on-sql-server",
        ML404 ml404_dag_joined "dag-joined",
        ML405 ml405_wrong_replica "wrong-replica",
        ML406 ml406_order "order",
        ML407 ml407_set_hadr_in_link "set-hadr-in-link",
        ML408 ml408_copy_only_backup "copy-only-backup",
        ML409 ml409_direction_version "direction-version",
        ML410 ml410_inverted_existence_guard "inverted-existence-guard",
        ML501 ml501_placeholder "placeholder",
        ML502 ml502_undefined_variable "undefined-sqlcmd-variable",
        ML503 ml503_sqlcmd_mode_off "sqlcmd-mode-off",
        ML504 ml504_stray_bom "stray-bom",
        ML505 ml505_hard_coded_secret "hard-coded-secret",
        ML506 ml506_include_cycle "include-cycle",
        ML507 ml507_missing_include "missing-include",
        ML601 ml601_azure_link_name_mismatch "azure-link-name-mismatch",
        ML602 ml602_azure_partner_ag_mismatch "azure-partner-ag-mismatch",
        ML603 ml603_azure_instance_ag_mismatch "azure-instance-ag-mismatch",
        ML604 ml604_azure_database_mismatch "azure-database-mismatch",
        ML605 ml605_azure_partner_endpoint_mismatch "azure-partner-endpoint-mismatch",
        ML606 ml606_azure_link_role_mismatch "azure-link-role-mismatch",
        ML607 ml607_azure_instance_mismatch "azure-instance-mismatch",
        ML608 ml608_azure_removed_parameter "azure-removed-parameter",
        ML609 ml609_azure_unresolved_value "azure-unresolved-value",
        ML610 ml610_azure_trust_certificate_name "azure-trust-certificate-name",
        ML611 ml611_azure_link_mode "azure-link-mode",
        ML612 ml612_azure_incomplete_create "azure-incomplete-create",
        }
    };
}
pub(crate) use registry;

macro_rules! define_codes {
    ($($code:ident $module:ident $name:literal,)*) => {
        /// A rule's stable code (`ML101`). Printed as written; ordered like the codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// `"ML101"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// The rule's kebab-case name (`dag-name-mismatch`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }

            /// The rule's page, `rules/CODE.md`, compiled in so `explain` and the docs
            /// never drift.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/rules/",
                        stringify!($code),
                        ".md"
                    )),)*
                }
            }
        }
    };
}
registry!(define_codes);

impl Code {
    /// Position in [`Code::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The code a text names: `ML101` (any case) or the rule's name.
    pub fn find(code_or_name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| {
            c.as_str().eq_ignore_ascii_case(code_or_name)
                || c.name().eq_ignore_ascii_case(code_or_name)
        })
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Tests and callers that hold a code as text compare it directly.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_in_order_and_unique() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{:?}", pair);
            assert_ne!(pair[0].name(), pair[1].name());
        }
        assert!(Code::ALL.iter().enumerate().all(|(i, c)| c.index() == i));
    }

    #[test]
    fn finds_by_code_or_name() {
        assert_eq!(Code::find("ml101"), Some(Code::ML101));
        assert_eq!(Code::find("dag-name-mismatch"), Some(Code::ML101));
        assert_eq!(Code::find("ML999"), None);
    }
}
