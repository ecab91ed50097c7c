//! Validates `spec/rainmaker-node.asyncapi.yaml` against the conventions of
//! `spec/README.md`, and checks that every rule of the validator fires on a small
//! document that breaks it, naming the right JSON pointer.

use std::path::PathBuf;

use rainmaker_codegen::read::conventions::UPSTREAM_OPERATION_IDS;
use rainmaker_codegen::{Diagnostic, Location, Sources};
use serde_json::Value;

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rainmaker_codegen::SPEC_PATH)
}

fn load() -> Sources {
    Sources::load(spec_path()).unwrap_or_else(|error| panic!("{error}"))
}

/// The spec's top-level `key`, as the kind of value `kind` reads.
fn top_level<'s, T>(spec: &'s Sources, key: &str, kind: fn(&Value) -> Option<&T>) -> &'s T {
    spec.root()
        .get(key)
        .and_then(kind)
        .unwrap_or_else(|| panic!("the spec has no `{key}` of the expected kind"))
}

fn listing(problems: &[Diagnostic]) -> String {
    problems
        .iter()
        .map(|problem| format!("  {problem}\n"))
        .collect()
}

#[test]
fn the_spec_is_valid_without_a_warning() {
    let sources = load();
    let problems: Vec<Diagnostic> = rainmaker_codegen::check(&sources).into_iter().collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) in {}:\n{}",
        problems.len(),
        sources.origin(),
        listing(&problems)
    );
}

#[test]
fn all_sixteen_upstream_operations_are_present() {
    let spec = load();
    let operations = top_level(&spec, "operations", Value::as_object);
    let present: Vec<&str> = UPSTREAM_OPERATION_IDS
        .iter()
        .copied()
        .filter(|id| operations.contains_key(*id))
        .collect();
    assert_eq!(present.len(), 16, "present: {present:?}");
    // Everything else is marked as going beyond the upstream summary.
    for (id, operation) in operations {
        if !UPSTREAM_OPERATION_IDS.contains(&id.as_str()) {
            assert_eq!(
                operation.get("x-rainmaker-beyond-upstream"),
                Some(&Value::Bool(true)),
                "operation {id} is not upstream and not marked x-rainmaker-beyond-upstream"
            );
        }
    }
}

#[test]
fn upstream_message_names_are_used() {
    let spec = load();
    let expected = [
        ("onPresenceConnected", "connectedMessage"),
        ("onPresenceDisconnected", "disconnectedMessage"),
        ("onNodeConfig", "configMessage"),
        ("onNodeParamsLocalInit", "paramsLocalInitMessage"),
        ("onNodeUserMapping", "userMappingMessage"),
        ("publishNodeParamsRemote", "paramsRemoteMessage"),
        ("onNodeParamsLocal", "paramsLocalMessage"),
        ("onNodeParamsLocalGroup", "paramsLocalWildcardMessage"),
        ("onNodeOtaFetch", "otaFetchMessage"),
        ("publishNodeOtaUrl", "otaUrlMessage"),
        ("onNodeOtaStatus", "otaStatusMessage"),
        ("onNodeTsData", "tsDataMessage"),
        ("onNodeSimpleTsData", "simpleTsDataMessage"),
        ("onNodeFromNode", "fromNodeMessage"),
        ("publishNodeToNode", "toNodeMessage"),
        ("onNodeAlert", "nodeAlertMessage"),
        ("publishNodeParamsRemoteGroup", "paramsRemoteGroupMessage"),
    ];
    for (operation, message) in expected {
        let at = Location::root()
            .join("operations")
            .join(operation)
            .join("messages")
            .join(0);
        let (resolved, _) = spec.resolve(&at).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(resolved["name"], message, "operation {operation}");
    }
}

#[test]
fn every_upstream_difference_of_protocol_section_14_is_recorded() {
    let spec = load();
    let sections: Vec<&str> = top_level(&spec, "x-rainmaker-upstream-differences", Value::as_array)
        .iter()
        .filter_map(|entry| entry.get("protocol-section").and_then(Value::as_str))
        .collect();
    for item in 1..=18 {
        let section = format!("14.{item}");
        assert!(
            sections.contains(&section.as_str()),
            "no difference for {section}"
        );
    }
}

// ---------------------------------------------------------------------- negative tests

/// A small valid document: one node-to-cloud JSON channel, one cloud-to-node binary
/// channel. Each negative test breaks one rule of it.
const MINIMAL: &str = r##"
asyncapi: 3.0.0
info: {title: t, version: '1'}
x-rainmaker-upstream: {title: upstream}
channels:
  config:
    address: 'node/{node_id}/config'
    parameters:
      node_id: {$ref: '#/components/parameters/node_id'}
    messages:
      configMessage: {$ref: '#/components/messages/configMessage'}
    x-rainmaker-ingest:
      rule: esp_node_config
      address: '$aws/rules/esp_node_config/node/{node_id}/config'
  toNode:
    address: 'node/{node_id}/to-node'
    parameters:
      node_id: {$ref: '#/components/parameters/node_id'}
    messages:
      toNodeMessage: {$ref: '#/components/messages/toNodeMessage'}
operations:
  onNodeConfig:
    action: send
    channel: {$ref: '#/channels/config'}
    messages:
      - $ref: '#/channels/config/messages/configMessage'
    bindings: {mqtt: {qos: 1, retain: false}}
    x-rainmaker-direction: node-to-cloud
  publishNodeToNode:
    action: receive
    channel: {$ref: '#/channels/toNode'}
    messages:
      - $ref: '#/channels/toNode/messages/toNodeMessage'
    bindings: {mqtt: {qos: 1, retain: false}}
    x-rainmaker-direction: cloud-to-node
components:
  parameters:
    node_id:
      examples: [7C9EBD4A1B2C]
      x-rainmaker-pattern: '^[^/+#]+$'
      x-rainmaker-max-length: 64
  messages:
    configMessage:
      name: configMessage
      contentType: application/json
      payload: {$ref: '#/components/schemas/Config'}
      examples:
        - name: ok
          payload: {node_id: 7C9EBD4A1B2C, extra: {a: 1}}
    toNodeMessage:
      name: toNodeMessage
      contentType: application/octet-stream
      payload: {$ref: '#/components/schemas/Frame'}
      x-rainmaker-tlv-frame: request
      x-rainmaker-hex: true
      x-rainmaker-decoded-examples:
        getPending: {request_id: '', status: 0, command: 0}
        setConfig:
          request_id: a
          user_role: 2
          command: 1
          data: '{"node_id":"x"}'
          data-schema: {$ref: '#/components/schemas/Config'}
      examples:
        - name: getPending
          payload: '010003010005020000'
        - name: setConfig
          payload: 01016102010205020100060f7b226e6f64655f6964223a2278227d
  schemas:
    Config:
      type: object
      required: [node_id]
      properties:
        node_id: {type: string, x-rainmaker-topic-parameter: node_id}
        extra:
          type: object
          additionalProperties: true
      additionalProperties: false
    Frame: {type: string, format: binary}
    DataType: {type: string, enum: [bool, int]}
    ParamProperty: {type: string, enum: [read, write]}
x-rainmaker-tlv:
  tags:
    - {tag: 1, name: request_id, length: {min: 0, max: 31}, encoding: ascii}
    - {tag: 2, name: user_role, length: {min: 1, max: 1}, encoding: u8-flags}
    - {tag: 3, name: status, length: {min: 1, max: 1}, encoding: u8}
    - {tag: 4, name: timestamp, length: {min: 4, max: 4}, encoding: u32-le}
    - {tag: 5, name: command, length: {min: 1, max: 2}, encoding: u16-le}
    - {tag: 6, name: data, length: {min: 0, max: 65536}, encoding: bytes}
  commands:
    - {id: 0, name: get-pending, request-data: none}
    - {id: 1, name: set-config, request-data: {$ref: '#/components/schemas/Config'}}
    - {id: 16, name: c16, request-data: unknown}
    - {id: 17, name: c17, request-data: unknown}
    - {id: 20, name: c20, request-data: unknown}
    - {id: 201, name: c201, request-data: unknown}
    - {id: 202, name: c202, request-data: unknown}
    - {id: 203, name: c203, request-data: unknown}
x-rainmaker-standard-types:
  ui-types: [{type: esp.ui.toggle}]
  device-types: [{type: esp.device.switch, constructor: {params: [Power], primary: Power}}]
  service-types: [{type: esp.service.system}]
  param-types:
    - {type: esp.param.power, default-name: Power, data-type: bool, properties: [read, write], ui-type: esp.ui.toggle}
  services: [{name: System, type: esp.service.system, params: [Power]}]
x-rainmaker-upstream-differences:
  - id: one
    location: /channels/config/x-rainmaker-ingest
    upstream: u
    wire: w
    resolution: r
"##;

/// Checks `MINIMAL` after replacing `from` with `to` (which must occur once): its
/// errors.
fn problems_after(from: &str, to: &str) -> Vec<Diagnostic> {
    assert_eq!(
        MINIMAL.matches(from).count(),
        1,
        "`{from}` must occur once in MINIMAL"
    );
    let text = MINIMAL.replace(from, to);
    let sources =
        Sources::parse(&text, "minimal.yaml", None).unwrap_or_else(|error| panic!("{error}"));
    rainmaker_codegen::check(&sources)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// Asserts that breaking `MINIMAL` reports a problem at `pointer` whose message
/// contains `needle`.
fn assert_reports(from: &str, to: &str, pointer: &str, needle: &str) {
    let problems = problems_after(from, to);
    let found = problems.iter().any(|problem| {
        problem.at.pointer().as_str() == pointer && problem.message.contains(needle)
    });
    assert!(
        found,
        "expected a problem at {pointer} containing `{needle}`, got:\n{}",
        listing(&problems)
    );
}

fn missing_upstream(problem: &Diagnostic) -> bool {
    problem.message.starts_with("upstream operation")
}

#[test]
fn the_minimal_document_is_valid_apart_from_missing_upstream_operations() {
    let problems = problems_after("asyncapi: 3.0.0", "asyncapi: 3.0.0");
    let other: Vec<Diagnostic> = problems
        .iter()
        .filter(|problem| !missing_upstream(problem))
        .cloned()
        .collect();
    assert!(other.is_empty(), "{}", listing(&other));
    assert_eq!(problems.len(), 14, "16 upstream ids, 2 present");
    assert!(
        problems
            .iter()
            .all(|problem| problem.at.pointer().as_str() == "/operations")
    );
}

#[test]
fn a_channel_without_operation_is_reported() {
    assert_reports(
        "    channel: {$ref: '#/channels/config'}",
        "    channel: {$ref: '#/channels/toNode'}",
        "/channels/config",
        "the channel has no operation",
    );
}

#[test]
fn an_operation_without_message_is_reported() {
    assert_reports(
        "    messages:\n      - $ref: '#/channels/config/messages/configMessage'\n",
        "    messages: []\n",
        "/operations/onNodeConfig/messages",
        "the operation has no message",
    );
}

#[test]
fn an_operation_message_from_another_channel_is_reported() {
    assert_reports(
        "      - $ref: '#/channels/config/messages/configMessage'",
        "      - $ref: '#/channels/toNode/messages/toNodeMessage'",
        "/operations/onNodeConfig/messages/0",
        "operation's channel",
    );
}

#[test]
fn a_json_message_without_payload_is_reported() {
    assert_reports(
        "      payload: {$ref: '#/components/schemas/Config'}\n",
        "",
        "/components/messages/configMessage/payload",
        "no payload schema",
    );
}

#[test]
fn a_message_without_example_is_reported() {
    assert_reports(
        "      examples:\n        - name: ok\n          payload: {node_id: 7C9EBD4A1B2C, extra: {a: 1}}\n",
        "",
        "/components/messages/configMessage/examples",
        "no example",
    );
}

#[test]
fn an_example_that_does_not_match_its_schema_is_reported() {
    assert_reports(
        "payload: {node_id: 7C9EBD4A1B2C, extra: {a: 1}}",
        "payload: {node_id: 42, extra: {a: 1}}",
        "/components/messages/configMessage/examples/0/payload",
        "/node_id",
    );
    assert_reports(
        "payload: {node_id: 7C9EBD4A1B2C, extra: {a: 1}}",
        "payload: {node_id: x, unknown: 1}",
        "/components/messages/configMessage/examples/0/payload",
        "unknown",
    );
}

#[test]
fn an_undeclared_channel_parameter_is_reported() {
    assert_reports(
        "    address: 'node/{node_id}/config'",
        "    address: 'node/{node_id}/config/{group_id}'",
        "/channels/config/parameters",
        "`group_id` is used in the address but not declared",
    );
}

#[test]
fn an_unused_channel_parameter_is_reported() {
    assert_reports(
        "    address: 'node/{node_id}/to-node'",
        "    address: 'node/x/to-node'",
        "/channels/toNode/parameters/node_id",
        "not used in the address",
    );
}

#[test]
fn a_parameter_without_pattern_is_reported() {
    assert_reports(
        "      x-rainmaker-pattern: '^[^/+#]+$'\n",
        "",
        "/components/parameters/node_id",
        "x-rainmaker-pattern",
    );
    assert_reports(
        "      examples: [7C9EBD4A1B2C]",
        "      examples: [a/b]",
        "/components/parameters/node_id/examples/0",
        "does not match",
    );
}

#[test]
fn a_node_to_cloud_channel_without_ingest_alias_is_reported() {
    assert_reports(
        "    x-rainmaker-ingest:\n      rule: esp_node_config\n      address: '$aws/rules/esp_node_config/node/{node_id}/config'\n",
        "",
        "/channels/config/x-rainmaker-ingest",
        "without a basic-ingest alias",
    );
    assert_reports(
        "      address: '$aws/rules/esp_node_config/node/{node_id}/config'",
        "      address: '$aws/rules/esp_node_config/node/{node_id}/cfg'",
        "/channels/config/x-rainmaker-ingest/address",
        "expected `$aws/rules/esp_node_config/node/{node_id}/config`",
    );
}

#[test]
fn an_unresolved_ref_is_reported() {
    assert_reports(
        "payload: {$ref: '#/components/schemas/Frame'}",
        "payload: {$ref: '#/components/schemas/Missing'}",
        "/components/messages/toNodeMessage/payload/$ref",
        "unresolved $ref",
    );
}

#[test]
fn an_object_schema_without_additional_properties_is_reported() {
    assert_reports(
        "          type: object\n          additionalProperties: true\n",
        "          type: object\n",
        "/components/schemas/Config/properties/extra",
        "additionalProperties",
    );
}

#[test]
fn unsupported_keywords_and_integers_without_format_are_reported() {
    assert_reports(
        "        node_id: {type: string, x-rainmaker-topic-parameter: node_id}",
        "        node_id: {type: integer}",
        "/components/schemas/Config/properties/node_id",
        "needs a `format`",
    );
    assert_reports(
        "        node_id: {type: string, x-rainmaker-topic-parameter: node_id}",
        "        node_id: {anyOf: [{type: string}, {type: integer, format: int32}]}",
        "/components/schemas/Config/properties/node_id/anyOf",
        "not used",
    );
}

#[test]
fn a_missing_qos_binding_is_reported() {
    assert_reports(
        "    bindings: {mqtt: {qos: 1, retain: false}}\n    x-rainmaker-direction: node-to-cloud",
        "    bindings: {mqtt: {qos: 0, retain: false}}\n    x-rainmaker-direction: node-to-cloud",
        "/operations/onNodeConfig/bindings/mqtt/qos",
        "qos: 1",
    );
}

#[test]
fn an_ambiguous_direction_is_reported() {
    assert_reports(
        "    x-rainmaker-direction: cloud-to-node",
        "    x-rainmaker-direction: node-to-cloud",
        "/operations/publishNodeToNode/action",
        "needs `action: send`",
    );
    assert_reports(
        "    x-rainmaker-direction: cloud-to-node",
        "    x-rainmaker-direction: sideways",
        "/operations/publishNodeToNode/x-rainmaker-direction",
        "must be",
    );
}

#[test]
fn a_broken_hex_example_is_reported() {
    assert_reports(
        "          payload: '010003010005020000'",
        "          payload: '0100030100050200'",
        "/components/messages/toNodeMessage/examples/0/payload",
        "declares 2 bytes but only 1 remain",
    );
    assert_reports(
        "        getPending: {request_id: '', status: 0, command: 0}",
        "        getPending: {request_id: '', status: 0, command: 1}",
        "/components/messages/toNodeMessage/x-rainmaker-decoded-examples/getPending",
        "field `command`",
    );
}

#[test]
fn a_difference_location_that_does_not_resolve_is_reported() {
    assert_reports(
        "    location: /channels/config/x-rainmaker-ingest",
        "    location: /channels/nowhere",
        "/x-rainmaker-upstream-differences/0/location",
        "does not resolve",
    );
}

#[test]
fn command_data_that_does_not_match_its_schema_is_reported() {
    assert_reports(
        "          data-schema: {$ref: '#/components/schemas/Config'}",
        "          data-schema: {$ref: '#/components/schemas/DataType'}",
        "/components/messages/toNodeMessage/x-rainmaker-decoded-examples/setConfig/data-schema",
        "does not match",
    );
}

#[test]
fn a_missing_upstream_command_is_reported() {
    assert_reports(
        "    - {id: 17, name: c17, request-data: unknown}\n",
        "",
        "/x-rainmaker-tlv/commands",
        "upstream command 17 is missing",
    );
    assert_reports(
        "    - {id: 20, name: c20, request-data: unknown}",
        "    - {id: 20, name: c20, request-data: maybe}",
        "/x-rainmaker-tlv/commands/4/request-data",
        "command data",
    );
}

#[test]
fn inconsistent_standard_types_are_reported() {
    assert_reports(
        "data-type: bool, properties: [read, write]",
        "data-type: boolean, properties: [read, write]",
        "/x-rainmaker-standard-types/param-types/0/data-type",
        "DataType",
    );
    assert_reports(
        "properties: [read, write], ui-type",
        "properties: [read, persist], ui-type",
        "/x-rainmaker-standard-types/param-types/0/properties",
        "ParamProperty",
    );
    assert_reports(
        "  services: [{name: System, type: esp.service.system, params: [Power]}]",
        "  services: [{name: System, type: esp.service.system, params: [Reboot]}]",
        "/x-rainmaker-standard-types/services/0/params/0",
        "not the default name",
    );
}

/// A wrong catalogue entry is reported once, where it is wrong, and nowhere else
/// (not again by the conventions, not again where a device or service names it).
#[test]
fn a_wrong_catalogue_entry_is_reported_exactly_once() {
    let cases = [
        (
            "data-type: bool, properties: [read, write]",
            "data-type: boolean, properties: [read, write]",
            "/x-rainmaker-standard-types/param-types/0/data-type",
        ),
        (
            "properties: [read, write], ui-type",
            "properties: [read, persist], ui-type",
            "/x-rainmaker-standard-types/param-types/0/properties",
        ),
        (
            "ui-type: esp.ui.toggle}",
            "ui-type: esp.ui.knob}",
            "/x-rainmaker-standard-types/param-types/0/ui-type",
        ),
        (
            "{type: esp.param.power, default-name: Power, ",
            "{type: esp.param.power, ",
            "/x-rainmaker-standard-types/param-types/0/default-name",
        ),
    ];
    for (from, to, pointer) in cases {
        let problems: Vec<Diagnostic> = problems_after(from, to)
            .into_iter()
            .filter(|problem| !missing_upstream(problem))
            .collect();
        assert_eq!(problems.len(), 1, "{pointer}:\n{}", listing(&problems));
        assert_eq!(problems[0].at.pointer().as_str(), pointer);
    }
}

/// A property may repeat only a parameter every channel of its message has, and only
/// as a required property.
#[test]
fn a_topic_parameter_the_channel_lacks_is_reported() {
    assert_reports(
        "node_id: {type: string, x-rainmaker-topic-parameter: node_id}",
        "node_id: {type: string, x-rainmaker-topic-parameter: group_id}",
        "/channels/config",
        "has no such parameter",
    );
    assert_reports(
        "      required: [node_id]\n      properties:\n        node_id: {type: string, x-rainmaker-topic",
        "      required: []\n      properties:\n        node_id: {type: string, x-rainmaker-topic",
        "/components/messages/configMessage",
        "is optional",
    );
}

#[test]
fn a_message_name_that_differs_from_its_key_is_reported() {
    assert_reports(
        "      name: configMessage",
        "      name: config",
        "/components/messages/configMessage/name",
        "`configMessage`",
    );
}
