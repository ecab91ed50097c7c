//! The rules `check-node` checks: a stable id, one sentence, and where the rule
//! comes from (the spec, or the part of the C SDK that does it).

use serde::Serialize;

/// The part of the protocol a rule is about; reports group deviations by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// Topics, QoS and payload syntax of everything the node publishes.
    Transport,
    /// What the node publishes when it connects, and in which order.
    Boot,
    /// The node configuration.
    Config,
    /// The params the node reports (`params/local/init`, `params/local`).
    Params,
    /// Writes on `params/remote` and the group topic.
    Writes,
    /// Command-response frames on `to-node` / `from-node`.
    Commands,
    /// The standard services: time, schedules, OTA, system.
    Services,
}

impl Area {
    /// Every area, in report order.
    pub const ALL: [Area; 7] = [
        Area::Transport,
        Area::Boot,
        Area::Config,
        Area::Params,
        Area::Writes,
        Area::Commands,
        Area::Services,
    ];

    /// The area's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Area::Transport => "transport",
            Area::Boot => "boot",
            Area::Config => "config",
            Area::Params => "params",
            Area::Writes => "writes",
            Area::Commands => "commands",
            Area::Services => "services",
        }
    }
}

/// One rule of the protocol a node must follow.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// The stable id, `area.name`.
    pub id: &'static str,
    /// The area.
    pub area: Area,
    /// What is checked, in one sentence.
    pub summary: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $area:ident, $summary:literal, $source:literal;)*) => {
        $(
            #[doc = concat!("The rule `", $id, "`.")]
            pub const $name: Rule = Rule {
                id: $id,
                area: Area::$area,
                summary: $summary,
                source: $source,
            };
        )*
        /// Every rule, in report order.
        pub const ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    QOS = "transport.qos", Transport,
        "Every message the node publishes is QoS 1 (at least once).",
        "SDK MQTT glue (QoS 1, retain off)";
    TOPIC = "transport.topic", Transport,
        "Every topic the node publishes on is a node-to-cloud topic of the protocol, in its plain form or with its own basic-ingest rule.",
        "spec channels; SDK basic-ingest topics";
    JSON = "transport.json", Transport,
        "Every JSON payload is valid JSON (RFC 8259); the report shows what the lenient decoder had to repair.",
        "RFC 8259; SDK `json_generator`";
    SCHEMA = "transport.schema", Transport,
        "Every payload is a message of its topic's channel: required fields, types and enumerations of the spec's schema.",
        "spec messages";
    ORDER = "boot.order", Boot,
        "The config comes before params/local/init, and params/local/init before any params/local report.",
        "SDK boot sequence (`node_config.c`, `param.c`)";
    INIT = "boot.init", Boot,
        "After its config the node publishes the full params snapshot on params/local/init, within the answer timeout.",
        "SDK `param.c`";
    GET_PENDING = "boot.get-pending", Boot,
        "A node with cmd-resp sends the 9-byte get-pending request on from-node when it connects.",
        "SDK `cmd_resp_manager.c`";
    LAST_WILL = "boot.last-will", Boot,
        "With --destructive: a node that declares the connectivity service has its Last Will armed, {\"<service>\":{\"Connected\":false}} on its report topic, published when the broker drops it.",
        "SDK `connectivity.c`";
    RECONNECT = "boot.reconnect", Boot,
        "With --destructive: a node the broker drops (another client took its id) connects again within the boot timeout and sends get-pending again.",
        "SDK MQTT glue, `cmd_resp_manager.c`";
    NODE_ID = "config.node-id", Config,
        "The config's node_id, and any node_id the node reports, is the node id of its topics (its MQTT client id).",
        "spec `configMessage`, `otaFetchMessage`";
    UNIQUE_NAMES = "config.unique-names", Config,
        "Device and service names are unique in the node, param names in their device, attribute names in their owner.",
        "SDK node, device and param constructors";
    STANDARD_TYPES = "config.standard-types", Config,
        "Every esp.device, esp.service, esp.param and esp.ui type is one the standard catalogue lists.",
        "spec standard-type catalogue; SDK `esp_rmaker_standard_types.h`";
    STANDARD_PARAMS = "config.standard-params", Config,
        "A param of a standard esp.param type has the data type the SDK gives that type.",
        "SDK `standard_types` param constructors";
    BOUNDS = "config.bounds", Config,
        "Bounds only on int, float (min <= max, a positive step no larger than max - min) and array params ({max}); valid_strs only on string params.",
        "SDK `esp_rmaker_param_add_bounds`, `_add_valid_str_list`, `_add_array_max_count`";
    PROPERTIES = "config.properties", Config,
        "A param is not both time_series and simple_ts, and object and array params are not time_series.",
        "SDK param property flags";
    PRIMARY = "config.primary", Config,
        "A device's primary names one of its params.",
        "SDK `esp_rmaker_device_assign_primary_param`";
    SERVICE_PARAMS = "config.service-params", Config,
        "A service of a standard type declares only the params the SDK gives that service, and at least one of them.",
        "SDK standard services";
    COMPLETE = "params.complete", Params,
        "params/local/init holds every param the config declares.",
        "SDK `param.c` (init snapshot)";
    DECLARED = "params.declared", Params,
        "The node reports only devices and params its config declares.",
        "SDK `param.c`; spec `paramsLocalMessage`";
    TYPES = "params.types", Params,
        "Every reported value has its param's data type (a float param may be reported as an integer).",
        "SDK `json_generator`; spec data types";
    IN_BOUNDS = "params.in-bounds", Params,
        "Every reported number is within its param's bounds and on its step, every string among its valid_strs, every array no longer than its max.",
        "the config's bounds, as apps read them";
    REPORTED = "writes.reported", Writes,
        "A valid write of a readable, writable param on params/remote is reported on params/local within the answer timeout.",
        "SDK `param.c` (remote writes)";
    VALUE = "writes.value", Writes,
        "The report of a write carries the written value.",
        "SDK `param.c` (remote writes)";
    IGNORED = "writes.ignored", Writes,
        "A write the SDK ignores (a value of the wrong JSON kind, an unknown device or param, a read-only param) is not reported with the written value.",
        "SDK `param.c` (remote writes)";
    OUT_OF_RANGE = "writes.out-of-range", Writes,
        "A value outside the param's bounds, off its step or not among its valid_strs is not reported: the node keeps the value it had.",
        "the config's bounds; SDK device write callbacks";
    GROUP = "writes.group", Writes,
        "A node in a group takes writes on params/remote/<group> and reports on params/local/<group> instead of params/local.",
        "SDK `groups.c`, `param.c`";
    SET = "commands.set", Commands,
        "cmd 1 (set params) is applied and answered with status 0 and {\"status\":\"success\",\"params\":...} holding the written values.",
        "SDK `cmd_resp.c` (cmd 1)";
    ECHO = "commands.echo", Commands,
        "Every answer on from-node echoes the request id and the command of its request.",
        "SDK `esp_rmaker_cmd_prepare_payload`";
    NO_DELTA = "commands.no-delta", Commands,
        "A write made by cmd 1 is not reported on params/local.",
        "SDK `param.c` (cmd-resp source)";
    FAILED = "commands.failed", Commands,
        "cmd 1 without a params object is answered with status 1 (failed) and no data.",
        "SDK `cmd_resp.c` (cmd 1)";
    AUTH = "commands.auth", Commands,
        "A command from a role its handler does not allow (sub-role bits only) is answered with status 3 (auth failed).",
        "SDK `cmd_resp.c` (access masks)";
    UNKNOWN = "commands.unknown", Commands,
        "An unknown command is answered with status 4 (not found).",
        "SDK `cmd_resp.c`";
    INVALID = "commands.invalid", Commands,
        "A frame without a usable role (a role record of the wrong length) is answered with status 2 (invalid).",
        "SDK `cmd_resp.c`";
    TIME_ZONE = "services.time-zone", Services,
        "A TZ written to the time service is reported with the matching TZ-POSIX.",
        "SDK time service";
    SCHEDULES = "services.schedules", Services,
        "A schedule added to the schedule service is reported in its Schedules list (id, name, enabled), and is gone once removed.",
        "SDK schedule service";
    OTA_FETCH = "services.ota-fetch", Services,
        "otafetch names the node and the firmware version of its config.",
        "SDK `ota_using_topics.c`";
    OTA_STATUS = "services.ota-status", Services,
        "A node that fetches OTA over topics answers an otaurl offer with an otastatus for that job, within the answer timeout.",
        "SDK `ota_using_topics.c`";
    CONNECTED = "services.connected", Services,
        "A node that declares the connectivity service reports Connected: true after each connect, the first and (with --destructive) a reconnection (5 s later by default, at most 30 s).",
        "SDK `connectivity.c`";
    REBOOT = "services.reboot", Services,
        "With --destructive: a Reboot write to the system service is reported as true, and the node boots again (a new config).",
        "SDK system service";
}

/// The rules as the Markdown table of the CLI's README.
pub fn markdown_table() -> String {
    let mut table = String::from("| Rule | What is checked | Source |\n|---|---|---|\n");
    for rule in ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id,
            rule.summary.replace('|', "\\|"),
            rule.source
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_start_with_their_area() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
            assert!(
                rule.id.starts_with(&format!("{}.", rule.area.name())),
                "{} is not in {}",
                rule.id,
                rule.area.name()
            );
        }
    }

    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "the README's rules table differs from the rules; it should read:\n{}",
            markdown_table()
        );
    }
}
