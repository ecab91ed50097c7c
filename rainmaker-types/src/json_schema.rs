//! `schemars` support for the hand-written types that generated messages contain
//! (`x-rust-type` in the spec), so every generated message can derive `JsonSchema`.

use alloc::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::ids::NodeId;
use crate::value::{ParamValue, ParamsDocument};

impl JsonSchema for ParamValue {
    fn schema_name() -> Cow<'static, str> {
        "ParamValue".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The value of one param: any JSON kind, interpreted by the \
                            param's data type (bool, int, float, string, object, array).",
            "type": ["boolean", "integer", "number", "string", "object", "array"]
        })
    }
}

impl JsonSchema for ParamsDocument {
    fn schema_name() -> Cow<'static, str> {
        "ParamsDocument".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ParamValue>();
        json_schema!({
            "description": "A two-level params document: device or service name, then \
                            param name, then value.",
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": value
            }
        })
    }
}

impl JsonSchema for NodeId {
    fn schema_name() -> Cow<'static, str> {
        "NodeId".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A node id: the MQTT client id and the topics' node id.",
            "type": "string",
            "minLength": 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_document_schema_nests_param_values() {
        let schema = schemars::schema_for!(ParamsDocument);
        let text = serde_json::to_string(&schema).unwrap_or_default();
        assert!(text.contains("additionalProperties"), "{text}");
        assert!(text.contains("ParamValue"), "{text}");
    }
}
