//! The schedule and scenes services: an array param holding a list of entries keyed
//! by `id`, changed by writes of operations (docs/protocol.md).

use crate::prelude::*;
use core::cell::RefCell;

use critical_section::Mutex;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::device::{Bounds, Device, DeviceDescriptor, ParamSpec, WriteRejection};
use crate::messages::DataType;
use crate::value::{ParamValue, RawJson};

/// The SDK's default maximum number of schedules (and of scenes).
pub const DEFAULT_MAX_ENTRIES: u32 = 10;

/// The longest `id` the SDK keeps, in bytes.
const MAX_ID_LEN: usize = 8;

/// The longest `name` the SDK keeps, in bytes.
const MAX_NAME_LEN: usize = 32;

/// The list params; their bounds (`{"max": n}`) are set per instance.
pub(super) const SCHEDULES: ParamSpec =
    ParamSpec::new("Schedules", DataType::Array).with_type("esp.param.schedules");
const SCENES: ParamSpec = ParamSpec::new("Scenes", DataType::Array).with_type("esp.param.scenes");

/// A descriptor configuration: service name, attributes, maximum.
type Key = (&'static str, &'static [(&'static str, &'static str)], u32);

/// The descriptors built so far, one per configuration, shared by every instance.
/// Guarded by a critical section, which works on single-core targets without
/// atomics (`std` builds use the `std` implementation of `critical-section`).
static DESCRIPTORS: Mutex<RefCell<Vec<(Key, &'static DeviceDescriptor)>>> =
    Mutex::new(RefCell::new(Vec::new()));

/// The descriptor of a list service: `template` with `{"max": max}` bounds.
///
/// The maximum is known only at run time while descriptors are `'static`, so each
/// configuration is allocated once and kept for the life of the process.
fn list_descriptor(
    name: &'static str,
    service_type: &'static str,
    attributes: &'static [(&'static str, &'static str)],
    template: ParamSpec,
    max: u32,
) -> &'static DeviceDescriptor {
    let key: Key = (name, attributes, max);
    critical_section::with(|cs| {
        let mut table = DESCRIPTORS.borrow_ref_mut(cs);
        if let Some((_, descriptor)) = table.iter().find(|(found, _)| *found == key) {
            return *descriptor;
        }
        let params: &'static [ParamSpec] = Box::leak(Box::new([ParamSpec {
            bounds: Some(Bounds::ArrayMax(max)),
            ..template
        }]));
        let descriptor: &'static DeviceDescriptor = Box::leak(Box::new(DeviceDescriptor::service(
            name,
            service_type,
            attributes,
            params,
        )));
        table.push((key, descriptor));
        descriptor
    })
}

pub(super) const DAYLIGHT: &[(&str, &str)] = &[("daylight_support", "yes")];
const DEACTIVATION: &[(&str, &str)] = &[("deactivation_support", "yes")];
const NO_DEACTIVATION: &[(&str, &str)] = &[("deactivation_support", "no")];

/// The operations of list writes, matched the SDK's way: the `operation` sent must
/// be a non-empty prefix of an operation name, the first in the service's order
/// wins (`"e"` is `edit`, `"en"` is `enable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operation {
    Add,
    Edit,
    Remove,
    Enable,
    Disable,
    Activate,
    Deactivate,
}

pub(super) const SCHEDULE_OPERATIONS: &[(&str, Operation)] = &[
    ("add", Operation::Add),
    ("edit", Operation::Edit),
    ("remove", Operation::Remove),
    ("enable", Operation::Enable),
    ("disable", Operation::Disable),
];

const SCENE_OPERATIONS: &[(&str, Operation)] = &[
    ("add", Operation::Add),
    ("edit", Operation::Edit),
    ("remove", Operation::Remove),
    ("activate", Operation::Activate),
    ("deactivate", Operation::Deactivate),
];

fn operation(sent: &str, table: &[(&str, Operation)]) -> Option<Operation> {
    if sent.is_empty() {
        return None;
    }
    table
        .iter()
        .find(|(name, _)| name.starts_with(sent))
        .map(|(_, operation)| *operation)
}

/// What makes a list service of one kind of entry: its name, type, param, write
/// operations and the attributes its flag (daylight or deactivation support) gives.
pub(super) struct ListKind {
    pub(super) name: &'static str,
    pub(super) service_type: &'static str,
    pub(super) param: ParamSpec,
    pub(super) operations: &'static [(&'static str, Operation)],
    /// The attributes with the flag off, and on.
    pub(super) attributes: [&'static [(&'static str, &'static str)]; 2],
}

/// An entry of a list service.
pub(super) trait Entry: Serialize + DeserializeOwned + Clone {
    /// The service the entries are listed in.
    const KIND: ListKind;
    /// The entry's `id`, `name` and `info` (if any).
    fn head(&self) -> (&str, &str, Option<&str>);
    /// The longest `info` the SDK keeps, in bytes.
    const MAX_INFO_LEN: usize;
    /// The keys a new entry starts with before the write's keys are laid over them.
    fn defaults() -> Map<String, Value>;
}

fn malformed(reason: impl Into<String>) -> WriteRejection {
    WriteRejection::Malformed(reason.into())
}

/// An entry from its JSON keys, checked against the SDK's limits.
fn entry_from<E: Entry>(keys: Map<String, Value>) -> Result<E, WriteRejection> {
    let entry: E = serde_json::from_value(Value::Object(keys))
        .map_err(|error| malformed(error.to_string()))?;
    let (id, name, info) = entry.head();
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(malformed(format!("`id` must be 1 to {MAX_ID_LEN} bytes")));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(malformed(format!(
            "`name` must be at most {MAX_NAME_LEN} bytes"
        )));
    }
    if info.is_some_and(|info| info.len() > E::MAX_INFO_LEN) {
        return Err(malformed(format!(
            "`info` must be at most {} bytes",
            E::MAX_INFO_LEN
        )));
    }
    Ok(entry)
}

/// An entry's JSON keys.
fn keys_of<E: Entry>(entry: &E) -> Result<Map<String, Value>, WriteRejection> {
    match serde_json::to_value(entry) {
        Ok(Value::Object(keys)) => Ok(keys),
        Ok(_) => Err(malformed("an entry is not a JSON object")),
        Err(error) => Err(malformed(error.to_string())),
    }
}

/// The result of a list write.
pub(super) struct Applied<E> {
    /// The new list.
    pub(super) list: Vec<E>,
    /// The `activate` / `deactivate` requests with their entries, in write order.
    pub(super) requests: Vec<(Operation, E)>,
    /// Every operation applied, in write order, with the id and whether the
    /// element sent `triggers`.
    pub(super) operations: Vec<(Operation, String, bool)>,
}

/// Applies a write (an array of operations) to `entries`, all or nothing.
fn apply_operations<E: Entry + Clone>(
    entries: &[E],
    write: &[Value],
    table: &[(&str, Operation)],
    max: u32,
) -> Result<Applied<E>, WriteRejection> {
    let mut list = entries.to_vec();
    let mut requests = Vec::new();
    let mut operations = Vec::new();
    for element in write {
        let Value::Object(element) = element else {
            return Err(malformed("each element must be an object"));
        };
        let id = element
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("an element has no string `id`"))?;
        let sent = element
            .get("operation")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(format!("`{id}` has no string `operation`")))?;
        let operation = operation(sent, table)
            .ok_or_else(|| malformed(format!("unknown operation `{sent}`")))?;
        let position = list.iter().position(|entry| entry.head().0 == id);
        let mut keys = element.clone();
        keys.remove("operation");
        // `edit` of an unknown id is an `add`, as in the SDK.
        let applied = match (operation, position) {
            (Operation::Edit, None) => Operation::Add,
            _ => operation,
        };
        operations.push((applied, id.to_owned(), keys.contains_key("triggers")));
        match (operation, position) {
            (Operation::Add, Some(_)) => {
                return Err(malformed(format!("`{id}` already exists")));
            }
            (Operation::Add | Operation::Edit, None) => {
                if !keys.contains_key("name") {
                    return Err(malformed(format!("`{id}` has no `name`")));
                }
                let mut merged = E::defaults();
                merged.extend(keys);
                list.push(entry_from(merged)?);
            }
            (Operation::Edit, Some(position)) => {
                let Some(entry) = list.get_mut(position) else {
                    continue;
                };
                let mut merged = keys_of(entry)?;
                merged.extend(keys);
                *entry = entry_from(merged)?;
            }
            (Operation::Remove, Some(position)) => {
                list.remove(position);
            }
            (Operation::Enable | Operation::Disable, Some(position)) => {
                let Some(entry) = list.get_mut(position) else {
                    continue;
                };
                let mut merged = keys_of(entry)?;
                merged.insert(
                    "enabled".into(),
                    Value::Bool(operation == Operation::Enable),
                );
                *entry = entry_from(merged)?;
            }
            (Operation::Activate | Operation::Deactivate, Some(position)) => {
                if let Some(entry) = list.get(position) {
                    requests.push((operation, entry.clone()));
                }
            }
            (_, None) => return Err(malformed(format!("no entry with id `{id}`"))),
        }
    }
    if list.len() > max as usize {
        return Err(WriteRejection::TooManyItems {
            max,
            found: list.len(),
        });
    }
    Ok(Applied {
        list,
        requests,
        operations,
    })
}

/// The list as an array param value.
fn list_value<E: Entry>(entries: &[E]) -> Option<ParamValue> {
    let items = entries
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some(ParamValue::Array(RawJson::from_value(Value::Array(items))))
}

fn array_of(value: &ParamValue) -> Result<Vec<Value>, WriteRejection> {
    match value {
        ParamValue::Array(raw) => match raw.to_value() {
            Value::Array(items) => Ok(items),
            _ => Ok(Vec::new()),
        },
        other => Err(WriteRejection::WrongType {
            expected: DataType::Array,
            found: other.kind(),
        }),
    }
}

/// A list service's state: its descriptor, maximum, flag and entries; [`Schedule`]
/// and [`Scenes`] are each one of these with what their kind adds.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct List<E> {
    pub(super) descriptor: &'static DeviceDescriptor,
    pub(super) max: u32,
    pub(super) flag: bool,
    pub(super) entries: Vec<E>,
}

impl<E: Entry> List<E> {
    pub(super) fn new(max: u32, flag: bool) -> Self {
        Self {
            descriptor: Self::descriptor(max, flag),
            max,
            flag,
            entries: Vec::new(),
        }
    }

    fn descriptor(max: u32, flag: bool) -> &'static DeviceDescriptor {
        let kind = E::KIND;
        let attributes = kind.attributes[usize::from(flag)];
        list_descriptor(kind.name, kind.service_type, attributes, kind.param, max)
    }

    pub(super) fn with_flag(mut self, flag: bool) -> Self {
        self.flag = flag;
        self.descriptor = Self::descriptor(self.max, flag);
        self
    }

    pub(super) fn with_entries(mut self, mut entries: Vec<E>) -> Self {
        entries.truncate(self.max as usize);
        self.entries = entries;
        self
    }

    pub(super) fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|entry| entry.head().0 == id)
    }

    pub(super) fn get(&self, id: &str) -> Option<&E> {
        self.entries.get(self.position(id)?)
    }

    /// The value of param `index` (the list is param 0).
    pub(super) fn value(&self, index: usize) -> Option<ParamValue> {
        if index == 0 {
            list_value(&self.entries)
        } else {
            None
        }
    }

    /// What a write of `value` to param `index` would make of the list.
    pub(super) fn write(
        &self,
        index: usize,
        value: &ParamValue,
    ) -> Result<Applied<E>, WriteRejection> {
        if index != 0 {
            return Err(WriteRejection::UnknownParam);
        }
        apply_operations(
            &self.entries,
            &array_of(value)?,
            E::KIND.operations,
            self.max,
        )
    }
}

/// One scene as the node reports it (an element of `Scenes.Scenes`).
///
/// ```json
/// {"name":"Movie","id":"5A1C","info":"dim lights","action":{"Light":{"Brightness":10}}}
/// ```
///
/// Unknown keys are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneEntry {
    /// The name (at most 32 bytes).
    pub name: String,
    /// The id (1 to 8 bytes), unique in the list.
    pub id: String,
    /// Free text (at most 100 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// Application flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<i64>,
    /// The params document to apply when the scene is activated.
    #[serde(default)]
    pub action: Map<String, Value>,
    /// Keys this type does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Entry for SceneEntry {
    const KIND: ListKind = ListKind {
        name: Scenes::NAME,
        service_type: "esp.service.scenes",
        param: SCENES,
        operations: SCENE_OPERATIONS,
        attributes: [NO_DEACTIVATION, DEACTIVATION],
    };
    const MAX_INFO_LEN: usize = 100;

    fn head(&self) -> (&str, &str, Option<&str>) {
        (&self.id, &self.name, self.info.as_deref())
    }

    fn defaults() -> Map<String, Value> {
        Map::new()
    }
}

/// A scene the cloud activated or deactivated, for the application to carry out.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneActivation {
    /// The scene's id.
    pub id: String,
    /// The scene's action: the params document to apply.
    pub action: Map<String, Value>,
    /// `true` for `activate`, `false` for `deactivate`.
    pub activate: bool,
}

/// The scenes service (`esp.service.scenes`, named `Scenes`): a list of at most
/// `max` scenes, changed and activated by the cloud with operations.
///
/// Config entry, as the SDK writes it (`deactivation_support` is always present,
/// `no` unless enabled with [`Scenes::with_deactivation_support`]):
///
/// ```json
/// {"name":"Scenes","type":"esp.service.scenes",
///  "attributes":[{"name":"deactivation_support","value":"no"}],
///  "params":[{"name":"Scenes","type":"esp.param.scenes","data_type":"array",
///             "properties":["read","write"],"bounds":{"max":10}}]}
/// ```
///
/// Writes work as for [`Schedule`](super::Schedule), with the operations `add`, `edit`, `remove`,
/// `activate` and `deactivate` (the last refused without deactivation support) and
/// `info` up to 100 bytes. Activations change nothing in the list: after each
/// accepted write, take them with [`Scenes::take_activations`] and apply each
/// scene's action.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenes {
    list: List<SceneEntry>,
    activations: Vec<SceneActivation>,
    /// Whether the last write changed the list (not only activations), which the
    /// SDK then reports.
    list_written: bool,
}

impl Scenes {
    /// The service name, `Scenes`.
    pub const NAME: &'static str = "Scenes";

    /// The service holding at most `max` scenes (the SDK's default is
    /// [`DEFAULT_MAX_ENTRIES`]), without deactivation support, with no scenes.
    pub fn new(max: u32) -> Self {
        Self {
            list: List::new(max, false),
            activations: Vec::new(),
            list_written: false,
        }
    }

    /// Sets the `deactivation_support` attribute to `yes` (accepting `deactivate`
    /// operations) or `no`.
    #[must_use]
    pub fn with_deactivation_support(self, enabled: bool) -> Self {
        Self {
            list: self.list.with_flag(enabled),
            ..self
        }
    }

    /// Starts with `scenes` (for example restored from storage). Entries beyond the
    /// maximum are dropped.
    #[must_use]
    pub fn with_scenes(self, scenes: Vec<SceneEntry>) -> Self {
        Self {
            list: self.list.with_entries(scenes),
            ..self
        }
    }

    /// The most scenes the service holds.
    pub fn max(&self) -> u32 {
        self.list.max
    }

    /// Whether `deactivate` operations are accepted.
    pub fn deactivation_support(&self) -> bool {
        self.list.flag
    }

    /// The current scenes, in the order they were added.
    pub fn scenes(&self) -> &[SceneEntry] {
        &self.list.entries
    }

    /// The scene with `id`, if any.
    pub fn scene(&self, id: &str) -> Option<&SceneEntry> {
        self.list.get(id)
    }

    /// The activations and deactivations written since the last call, in write
    /// order. A [`Node`](crate::node::Node) takes and applies them itself.
    pub fn take_activations(&mut self) -> Vec<SceneActivation> {
        core::mem::take(&mut self.activations)
    }

    /// Whether the last write added, edited or removed a scene: the SDK reports
    /// the list after those, not after a write of activations only.
    pub fn list_written(&self) -> bool {
        self.list_written
    }
}

impl Default for Scenes {
    /// [`DEFAULT_MAX_ENTRIES`] scenes, without deactivation support.
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ENTRIES)
    }
}

impl Device for Scenes {
    fn descriptor(&self) -> &DeviceDescriptor {
        self.list.descriptor
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        self.list.value(index)
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        let Applied {
            list,
            requests,
            operations,
        } = self.list.write(index, value)?;
        self.list_written = operations.iter().any(|(operation, _, _)| {
            !matches!(operation, Operation::Activate | Operation::Deactivate)
        });
        if !self.list.flag
            && requests
                .iter()
                .any(|(operation, _)| *operation == Operation::Deactivate)
        {
            return Err(WriteRejection::Vetoed(
                "the Scenes service has no deactivation support".into(),
            ));
        }
        let activations = requests
            .into_iter()
            .map(|(operation, scene)| SceneActivation {
                id: scene.id,
                action: scene.action,
                activate: operation == Operation::Activate,
            });
        self.activations.extend(activations);
        self.list.entries = list;
        Ok(())
    }
}
