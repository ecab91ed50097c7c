//! The services with a fixed shape, derived with this crate's `#[derive(Device)]`.

use crate::prelude::*;
use rainmaker_macros::Device;

use crate::ids::GroupId;
use crate::messages::OtaJobStatus;
use crate::value::{ParamValue, ParamsDocument};

/// The OTA service of "OTA using params" (`esp.service.ota`, named `OTA`): the cloud
/// writes a firmware URL, the node reports its progress in `Status` and `Info`.
///
/// Config entry, as the SDK writes it:
///
/// ```json
/// {"name":"OTA","type":"esp.service.ota","params":[
///   {"name":"Status","type":"esp.param.ota_status","data_type":"string","properties":["read"]},
///   {"name":"Info","type":"esp.param.ota_info","data_type":"string","properties":["read"]},
///   {"name":"URL","type":"esp.param.ota_url","data_type":"string","properties":["write"]}]}
/// ```
///
/// A write of `{"OTA":{"URL":"https://..."}}` is accepted and shows up in
/// [`Event::ParamsWritten`](crate::node::Event::ParamsWritten); read it with
/// [`Ota::requested_url`], download the image, and report progress with
/// [`Ota::set_status`] followed by
/// [`Node::report_changes`](crate::node::Node::report_changes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Device)]
#[device(crate = "crate", name = "OTA", r#type = "esp.service.ota", no_primary)]
pub struct Ota {
    #[param(standard = OtaStatus)]
    status: String,
    #[param(standard = OtaInfo)]
    info: String,
    #[param(standard = OtaUrl)]
    url: String,
}

impl Ota {
    /// The service with empty `Status`, `Info` and `URL`, as the SDK creates it.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reported status (`in-progress`, `success`, `failed`, `delayed`,
    /// `rejected`, or empty before the first job).
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The reported free-text information.
    pub fn info(&self) -> &str {
        &self.info
    }

    /// The last URL the cloud wrote (empty if none).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sets `Status` (the status words of `otastatus`) and `Info`, to be reported by
    /// the next [`Node::report_changes`](crate::node::Node::report_changes).
    pub fn set_status(&mut self, status: OtaJobStatus, info: impl Into<String>) {
        status.as_str().clone_into(&mut self.status);
        self.info = info.into();
    }

    /// The firmware URL written to this service in `accepted` (the accepted values of
    /// an [`Event::ParamsWritten`](crate::node::Event::ParamsWritten)), if any.
    pub fn requested_url(accepted: &ParamsDocument) -> Option<&str> {
        accepted.get(Self::NAME, "URL").and_then(ParamValue::as_str)
    }
}

/// The local control service (`esp.service.local_control`, named `Local Control`):
/// the proof of possession and the security version of the node's local HTTP
/// control, both read-only.
///
/// Config entry, as the SDK writes it:
///
/// ```json
/// {"name":"Local Control","type":"esp.service.local_control","params":[
///   {"name":"POP","type":"esp.param.local_control_pop","data_type":"string","properties":["read"]},
///   {"name":"Type","type":"esp.param.local_control_type","data_type":"int","properties":["read"]}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Device)]
#[device(
    crate = "crate",
    name = "Local Control",
    r#type = "esp.service.local_control",
    no_primary
)]
pub struct LocalControl {
    #[param(standard = LocalControlPop)]
    pop: String,
    #[param(standard = LocalControlType)]
    security: i32,
}

impl LocalControl {
    /// The service with proof of possession `pop` (empty for security 0) and the
    /// protocomm security version `security` (0, 1 or 2).
    pub fn new(pop: impl Into<String>, security: i32) -> Self {
        Self {
            pop: pop.into(),
            security,
        }
    }

    /// The proof of possession.
    pub fn pop(&self) -> &str {
        &self.pop
    }

    /// The protocomm security version.
    pub fn security(&self) -> i32 {
        self.security
    }
}

/// The connectivity service (`esp.service.connectivity`, named `Connectivity`): a
/// read-only `Connected` flag that the node's MQTT last will sets to `false`
/// (docs/protocol.md).
///
/// Config entry, as the SDK writes it:
///
/// ```json
/// {"name":"Connectivity","type":"esp.service.connectivity","params":[
///   {"name":"Connected","type":"esp.param.connected","data_type":"bool","properties":["read"]}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Device)]
#[device(
    crate = "crate",
    name = "Connectivity",
    r#type = "esp.service.connectivity",
    no_primary
)]
pub struct Connectivity {
    #[param(standard = Connected)]
    connected: bool,
}

impl Connectivity {
    /// The payload of the node's MQTT last will, published by the broker on an
    /// ungraceful disconnect (on `params/local`, or its group form).
    pub const LAST_WILL_PAYLOAD: &'static str = r#"{"Connectivity":{"Connected":false}}"#;

    /// The service of a connected node (`Connected` is `true`).
    pub fn new() -> Self {
        Self { connected: true }
    }

    /// Whether the node reports itself connected.
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// Sets `Connected`, to be reported by the next
    /// [`Node::report_changes`](crate::node::Node::report_changes). The SDK reports
    /// `true` a few seconds after each connect.
    pub fn set_connected(&mut self, connected: bool) {
        self.connected = connected;
    }
}

impl Default for Connectivity {
    fn default() -> Self {
        Self::new()
    }
}

/// The groups service (`esp.service.groups`, named `Groups`): the node's group id,
/// written by the cloud. An empty string means no group.
///
/// Config entry, as the SDK writes it:
///
/// ```json
/// {"name":"Groups","type":"esp.service.groups","params":[
///   {"name":"GroupID","type":"esp.param.group-id","data_type":"string","properties":["read","write"]}]}
/// ```
///
/// A write must be empty or a valid [`GroupId`] (at most 32 bytes, usable in a
/// topic); anything else is refused with
/// [`WriteRejection::Vetoed`](crate::device::WriteRejection::Vetoed). After an
/// accepted write, the application moves the node to the new group (the SDK
/// resubscribes `params/remote/<group_id>` and reconnects to re-arm the last will).
#[derive(Debug, Clone, PartialEq, Eq, Default, Device)]
#[device(
    crate = "crate",
    name = "Groups",
    r#type = "esp.service.groups",
    no_primary
)]
pub struct Groups {
    #[param(standard = GroupId, on_write = Self::check_group_id)]
    group_id: String,
}

impl Groups {
    /// The service with no group.
    pub fn new() -> Self {
        Self::default()
    }

    /// The service of a node already in `group`.
    pub fn with_group(group: &GroupId) -> Self {
        Self {
            group_id: group.as_str().to_owned(),
        }
    }

    /// The current group, `None` when the group id is empty.
    pub fn group(&self) -> Option<GroupId> {
        if self.group_id.is_empty() {
            None
        } else {
            GroupId::new(self.group_id.as_str()).ok()
        }
    }

    /// The group id as reported (empty for none).
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    /// Sets the group, to be reported by the next
    /// [`Node::report_changes`](crate::node::Node::report_changes).
    pub fn set_group(&mut self, group: Option<&GroupId>) {
        self.group_id = group.map_or_else(String::new, |group| group.as_str().to_owned());
    }

    /// The write hook: empty, or a valid group id.
    #[allow(clippy::ptr_arg)] // The derive passes hooks a reference to the field type.
    fn check_group_id(&mut self, new: &String) -> Result<(), String> {
        if new.is_empty() {
            return Ok(());
        }
        GroupId::new(new.as_str())
            .map(drop)
            .map_err(|error| error.to_string())
    }
}

/// The user authentication service (`esp.service.rmaker-user-auth`, named
/// `RMUserAuth`): a user token the phone app writes, the base URL it goes with, and
/// what the node made of the token.
///
/// Config entry, as the SDK writes it:
///
/// ```json
/// {"name":"RMUserAuth","type":"esp.service.rmaker-user-auth","params":[
///   {"name":"UserToken","type":"esp.param.user-token","data_type":"string","properties":["write"]},
///   {"name":"BaseURL","type":"esp.param.base-url","data_type":"string","properties":["read","write"]},
///   {"name":"UserTokenStatus","type":"esp.param.user-token-status","data_type":"int","properties":["read"]}]}
/// ```
///
/// A written token is stored (never reported: the param is write-only); the
/// application checks it and reports the outcome with
/// [`UserAuth::set_token_status`] and
/// [`Node::report_changes`](crate::node::Node::report_changes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Device)]
#[device(
    crate = "crate",
    name = "RMUserAuth",
    r#type = "esp.service.rmaker-user-auth",
    no_primary
)]
pub struct UserAuth {
    #[param(standard = UserToken)]
    user_token: String,
    #[param(standard = BaseUrl)]
    base_url: String,
    #[param(standard = UserTokenStatus)]
    token_status: i32,
}

impl UserAuth {
    /// The service with no token, reporting `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ..Self::default()
        }
    }

    /// The last token written.
    pub fn user_token(&self) -> &str {
        &self.user_token
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reported token status.
    pub fn token_status(&self) -> i32 {
        self.token_status
    }

    /// Sets the token status, reported by the next
    /// [`Node::report_changes`](crate::node::Node::report_changes).
    pub fn set_token_status(&mut self, status: i32) {
        self.token_status = status;
    }
}
