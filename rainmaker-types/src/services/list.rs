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
use crate::value::ParamValue;

/// The SDK's default maximum number of schedules (and of scenes).
pub const DEFAULT_MAX_ENTRIES: u32 = 10;

/// The longest `id` the SDK keeps, in bytes.
const MAX_ID_LEN: usize = 8;

/// The longest `name` the SDK keeps, in bytes.
const MAX_NAME_LEN: usize = 32;

/// The list params; their bounds (`{"max": n}`) are set per instance.
const SCHEDULES: ParamSpec =
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

const DAYLIGHT: &[(&str, &str)] = &[("daylight_support", "yes")];
const DEACTIVATION: &[(&str, &str)] = &[("deactivation_support", "yes")];
const NO_DEACTIVATION: &[(&str, &str)] = &[("deactivation_support", "no")];

/// The operations of list writes, matched the SDK's way: the `operation` sent must
/// be a non-empty prefix of an operation name, the first in the service's order
/// wins (`"e"` is `edit`, `"en"` is `enable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Add,
    Edit,
    Remove,
    Enable,
    Disable,
    Activate,
    Deactivate,
}

const SCHEDULE_OPERATIONS: &[(&str, Operation)] = &[
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
struct ListKind {
    name: &'static str,
    service_type: &'static str,
    param: ParamSpec,
    operations: &'static [(&'static str, Operation)],
    /// The attributes with the flag off, and on.
    attributes: [&'static [(&'static str, &'static str)]; 2],
}

/// An entry of a list service.
trait Entry: Serialize + DeserializeOwned + Clone {
    /// The service the entries are listed in.
    const KIND: ListKind;
    /// The entry's `id`.
    fn id(&self) -> &str;
    /// The entry's `name`.
    fn name(&self) -> &str;
    /// The entry's `info`, if any.
    fn info(&self) -> Option<&str>;
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
    if entry.id().is_empty() || entry.id().len() > MAX_ID_LEN {
        return Err(malformed(format!("`id` must be 1 to {MAX_ID_LEN} bytes")));
    }
    if entry.name().len() > MAX_NAME_LEN {
        return Err(malformed(format!(
            "`name` must be at most {MAX_NAME_LEN} bytes"
        )));
    }
    if entry
        .info()
        .is_some_and(|info| info.len() > E::MAX_INFO_LEN)
    {
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
struct Applied<E> {
    /// The new list.
    list: Vec<E>,
    /// The `activate` / `deactivate` requests with their entries, in write order.
    requests: Vec<(Operation, E)>,
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
        let position = list.iter().position(|entry| entry.id() == id);
        let mut keys = element.clone();
        keys.remove("operation");
        match (operation, position) {
            (Operation::Add, Some(_)) => {
                return Err(malformed(format!("`{id}` already exists")));
            }
            // `edit` of an unknown id is an `add`, as in the SDK.
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
    Ok(Applied { list, requests })
}

/// The list as an array param value.
fn list_value<E: Entry>(entries: &[E]) -> Option<ParamValue> {
    let items = entries
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some(ParamValue::Array(items))
}

fn array_of(value: &ParamValue) -> Result<&[Value], WriteRejection> {
    match value {
        ParamValue::Array(items) => Ok(items),
        other => Err(WriteRejection::WrongType {
            expected: DataType::Array,
            found: other.kind(),
        }),
    }
}

/// A list service's state: its descriptor, maximum, flag and entries; [`Schedule`]
/// and [`Scenes`] are each one of these with what their kind adds.
#[derive(Debug, Clone, PartialEq)]
struct List<E> {
    descriptor: &'static DeviceDescriptor,
    max: u32,
    flag: bool,
    entries: Vec<E>,
}

impl<E: Entry> List<E> {
    fn new(max: u32, flag: bool) -> Self {
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

    fn with_flag(mut self, flag: bool) -> Self {
        self.flag = flag;
        self.descriptor = Self::descriptor(self.max, flag);
        self
    }

    fn with_entries(mut self, mut entries: Vec<E>) -> Self {
        entries.truncate(self.max as usize);
        self.entries = entries;
        self
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|entry| entry.id() == id)
    }

    fn get(&self, id: &str) -> Option<&E> {
        self.entries.get(self.position(id)?)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut E> {
        let position = self.position(id)?;
        self.entries.get_mut(position)
    }

    /// The value of param `index` (the list is param 0).
    fn value(&self, index: usize) -> Option<ParamValue> {
        if index == 0 {
            list_value(&self.entries)
        } else {
            None
        }
    }

    /// What a write of `value` to param `index` would make of the list.
    fn write(&self, index: usize, value: &ParamValue) -> Result<Applied<E>, WriteRejection> {
        if index != 0 {
            return Err(WriteRejection::UnknownParam);
        }
        apply_operations(
            &self.entries,
            array_of(value)?,
            E::KIND.operations,
            self.max,
        )
    }
}

/// The validity period of a schedule, epoch seconds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Validity {
    /// When the schedule starts being valid, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// When the schedule stops being valid, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,
    /// Keys this type does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One schedule as the node reports it (an element of `Schedule.Schedules`).
///
/// ```json
/// {"name":"Evening","id":"8D3A","enabled":true,
///  "action":{"Light":{"Power":true}},"triggers":[{"m":1110,"d":31}]}
/// ```
///
/// Triggers are kept as sent (`m` minutes since midnight with `d` weekday bitmask,
/// bit 0 = Monday; or `dd`/`mm`/`yy`/`r`; `rsec`; `sr`/`ss` with `lat`, `lon`,
/// `loc`; plus `ts`, the next trigger time). Unknown keys are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleEntry {
    /// The name (at most 32 bytes).
    pub name: String,
    /// The id (1 to 8 bytes), unique in the list.
    pub id: String,
    /// Whether the schedule is enabled.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Free text (at most 128 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// Application flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<i64>,
    /// When the schedule is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// The params document to apply when the schedule fires.
    #[serde(default)]
    pub action: Map<String, Value>,
    /// The triggers (the SDK uses the first one), kept as sent.
    #[serde(default)]
    pub triggers: Vec<Value>,
    /// Keys this type does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn enabled_by_default() -> bool {
    true
}

impl ScheduleEntry {
    /// The trigger the SDK uses (the first), read into typed fields; `None` when the
    /// schedule has none. The entry keeps the trigger as sent, so it is reported back
    /// byte for byte.
    ///
    /// # Errors
    ///
    /// The JSON error of a trigger whose keys have the wrong types.
    pub fn trigger(&self) -> Option<Result<ScheduleTrigger, serde_json::Error>> {
        self.triggers.first().map(ScheduleTrigger::deserialize)
    }
}

/// A schedule trigger's keys, typed. One kind is set: a time of day (`m`, with `d`,
/// or a date with `dd`/`mm`/`yy`/`r`), a delay (`rsec`), or an offset from sunrise
/// or sunset (`sr`/`ss` with `lat`, `lon`, `loc`, and `d`/`dd`/`mm`). `ts` is the
/// next time the trigger fires, filled in by the node.
///
/// ```
/// use rainmaker_types::services::ScheduleTrigger;
///
/// let trigger: ScheduleTrigger = serde_json::from_str(
///     r#"{"sr":-15,"lat":18.5204,"lon":73.8567,"d":127,"loc":"Pune","ts":1700003600}"#,
/// )?;
/// assert_eq!((trigger.sunrise, trigger.weekdays), (Some(-15), Some(127)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScheduleTrigger {
    /// `m`: minutes since midnight.
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u16>,
    /// `d`: weekday bitmask, bit 0 = Monday ... bit 6 = Sunday (127 = every day).
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub weekdays: Option<u8>,
    /// `dd`: day of the month.
    #[serde(rename = "dd", default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// `mm`: month bitmask, bit 0 = January.
    #[serde(rename = "mm", default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u16>,
    /// `yy`: the year.
    #[serde(rename = "yy", default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// `r`: repeat every year.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub repeat_yearly: Option<bool>,
    /// `rsec`: seconds from now.
    #[serde(rename = "rsec", default, skip_serializing_if = "Option::is_none")]
    pub relative_seconds: Option<i64>,
    /// `sr`: minutes from sunrise (negative before).
    #[serde(rename = "sr", default, skip_serializing_if = "Option::is_none")]
    pub sunrise: Option<i32>,
    /// `ss`: minutes from sunset (negative before).
    #[serde(rename = "ss", default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<i32>,
    /// `lat`: latitude of a sunrise or sunset trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// `lon`: longitude of a sunrise or sunset trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// `loc`: the place's name (at most 31 bytes).
    #[serde(rename = "loc", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `ts`: the next time the trigger fires (epoch seconds), reported by the node.
    #[serde(rename = "ts", default, skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
    /// Keys this type does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Entry for ScheduleEntry {
    const KIND: ListKind = ListKind {
        name: Schedule::NAME,
        service_type: "esp.service.schedule",
        param: SCHEDULES,
        operations: SCHEDULE_OPERATIONS,
        attributes: [&[], DAYLIGHT],
    };
    const MAX_INFO_LEN: usize = 128;

    fn id(&self) -> &str {
        &self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn info(&self) -> Option<&str> {
        self.info.as_deref()
    }

    fn defaults() -> Map<String, Value> {
        let mut keys = Map::new();
        keys.insert("enabled".into(), Value::Bool(true));
        keys
    }
}

/// The schedule service (`esp.service.schedule`, named `Schedule`): a list of at most
/// `max` schedules, changed by the cloud with operations.
///
/// Config entry, as the SDK writes it (the attribute only with daylight support, see
/// [`Schedule::with_daylight_support`]):
///
/// ```json
/// {"name":"Schedule","type":"esp.service.schedule",
///  "attributes":[{"name":"daylight_support","value":"yes"}],
///  "params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array",
///             "properties":["read","write"],"bounds":{"max":10}}]}
/// ```
///
/// A write is an array of operations, each with an `id` and an `operation`
/// (`add`, `edit`, `remove`, `enable`, `disable`, matched as a prefix like the SDK);
/// `add` (and `edit` of an unknown id) needs a `name`, `edit` replaces the keys it
/// sends. The node reports the whole list. A write is applied all or nothing: an
/// element the SDK would skip (an `id` over 8 bytes, a `name` over 32, an `info`
/// over 128, an unknown id or operation) refuses the whole write with
/// [`WriteRejection::Malformed`], and a list that would exceed the maximum with
/// [`WriteRejection::TooManyItems`].
///
/// Firing the schedules is the application's job: read them with
/// [`Schedule::schedules`] after each accepted write.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    list: List<ScheduleEntry>,
}

impl Schedule {
    /// The service name, `Schedule`.
    pub const NAME: &'static str = "Schedule";

    /// The service holding at most `max` schedules (the SDK's default is
    /// [`DEFAULT_MAX_ENTRIES`]), with daylight support as the SDK's default build
    /// announces it (see [`Schedule::with_daylight_support`]), with no schedules.
    pub fn new(max: u32) -> Self {
        Self {
            list: List::new(max, true),
        }
    }

    /// Announces support for sunrise / sunset triggers (the `daylight_support`
    /// attribute, `yes`), or removes the attribute.
    #[must_use]
    pub fn with_daylight_support(self, enabled: bool) -> Self {
        Self {
            list: self.list.with_flag(enabled),
        }
    }

    /// Starts with `schedules` (for example restored from storage). Entries beyond
    /// the maximum are dropped.
    #[must_use]
    pub fn with_schedules(self, schedules: Vec<ScheduleEntry>) -> Self {
        Self {
            list: self.list.with_entries(schedules),
        }
    }

    /// The most schedules the service holds.
    pub fn max(&self) -> u32 {
        self.list.max
    }

    /// Whether the `daylight_support` attribute is set.
    pub fn daylight_support(&self) -> bool {
        self.list.flag
    }

    /// The current schedules, in the order they were added.
    pub fn schedules(&self) -> &[ScheduleEntry] {
        &self.list.entries
    }

    /// The schedule with `id`, if any.
    pub fn schedule(&self, id: &str) -> Option<&ScheduleEntry> {
        self.list.get(id)
    }

    /// The schedule with `id` for local changes (for example its trigger's `ts`),
    /// reported by the next [`Node::report_changes`](crate::node::Node::report_changes).
    pub fn schedule_mut(&mut self, id: &str) -> Option<&mut ScheduleEntry> {
        self.list.get_mut(id)
    }
}

impl Default for Schedule {
    /// [`DEFAULT_MAX_ENTRIES`] schedules, with daylight support.
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ENTRIES)
    }
}

impl Device for Schedule {
    fn descriptor(&self) -> &DeviceDescriptor {
        self.list.descriptor
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        self.list.value(index)
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        self.list.entries = self.list.write(index, value)?.list;
        Ok(())
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

    fn id(&self) -> &str {
        &self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn info(&self) -> Option<&str> {
        self.info.as_deref()
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
/// Writes work as for [`Schedule`], with the operations `add`, `edit`, `remove`,
/// `activate` and `deactivate` (the last refused without deactivation support) and
/// `info` up to 100 bytes. Activations change nothing in the list: after each
/// accepted write, take them with [`Scenes::take_activations`] and apply each
/// scene's action.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenes {
    list: List<SceneEntry>,
    activations: Vec<SceneActivation>,
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
    /// order.
    pub fn take_activations(&mut self) -> Vec<SceneActivation> {
        core::mem::take(&mut self.activations)
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
        let Applied { list, requests } = self.list.write(index, value)?;
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
