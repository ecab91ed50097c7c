//! The schedule service: the list the cloud writes, and the schedules run as the
//! SDK runs them (armed by the [`schedule`](crate::schedule) engine, fired by the
//! node, disabled when they will not fire again).

use crate::prelude::*;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::list::{DAYLIGHT, Entry, List, ListKind, Operation, SCHEDULE_OPERATIONS, SCHEDULES};
use crate::clock::Clock;
use crate::device::{Device, DeviceDescriptor, Firing, Timer, WriteRejection};
use crate::schedule::Trigger;
use crate::value::ParamValue;

/// The validity period of a schedule, epoch seconds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Validity {
    /// When the schedule starts being valid, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// When the schedule stops being valid, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,
}

/// One schedule as the node reports it (an element of `Schedule.Schedules`).
///
/// ```json
/// {"name":"Evening","id":"8D3A","enabled":true,
///  "action":{"Light":{"Power":true}},"triggers":[{"m":1110,"d":31}]}
/// ```
///
/// The node reports each schedule as the SDK does: `info` and `flags` only when
/// set, `validity` only with a non-zero bound, and one trigger written from what
/// the SDK reads of it ([`Trigger`]) with its next time `ts` where the SDK tracks
/// one. Keys the SDK does not know are dropped, as the SDK drops them.
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
    /// The triggers (the SDK uses the first one).
    #[serde(default)]
    pub triggers: Vec<Value>,
}

fn enabled_by_default() -> bool {
    true
}

impl ScheduleEntry {
    /// The trigger the SDK uses (the first), as it reads it; [`Trigger::Invalid`]
    /// when there is none.
    pub fn trigger(&self) -> Trigger {
        self.triggers
            .first()
            .map_or(Trigger::Invalid { minutes: 0 }, Trigger::from_json)
    }

    /// The `ts` of the first trigger (0 when absent), as the SDK reads it.
    fn ts(&self) -> i64 {
        self.triggers
            .first()
            .and_then(|trigger| trigger.get("ts")?.as_i64())
            .unwrap_or(0)
    }

    /// The validity bounds, 0 for none.
    fn bounds(&self) -> (i64, i64) {
        self.validity.as_ref().map_or((0, 0), |validity| {
            (validity.start.unwrap_or(0), validity.end.unwrap_or(0))
        })
    }
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

    fn head(&self) -> (&str, &str, Option<&str>) {
        (&self.id, &self.name, self.info.as_deref())
    }

    fn defaults() -> Map<String, Value> {
        let mut keys = Map::new();
        keys.insert("enabled".into(), Value::Bool(true));
        keys
    }
}

/// What runs a schedule, beside its entry: the trigger as the SDK reads it, the
/// next time it reports (`ts`) and the time it is armed for.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    trigger: Trigger,
    /// The RainMaker layer's `next_timestamp`, reported as `ts`.
    ts: i64,
    /// When `esp_schedule` fires it next, if armed.
    armed: Option<i64>,
}

impl Run {
    fn of(entry: &ScheduleEntry) -> Self {
        Self {
            trigger: entry.trigger(),
            ts: entry.ts(),
            armed: None,
        }
    }
}

/// The schedule service (`esp.service.schedule`, named `Schedule`): a list of at most
/// `max` schedules, changed by the cloud with operations, and run on the node.
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
/// # Running the schedules
///
/// A [`Node`](crate::node::Node) runs them: it gives the service the time of each
/// call ([`Schedule::set_clock`]), wakes at [`Schedule::next_due`] and applies what
/// [`Schedule::fire_due`] returns as a write from the schedule. As in the SDK:
///
/// * a schedule added or enabled is armed for its next trigger time; until the
///   time is known (after 2019), it is enabled but waits, and is armed when the
///   time arrives;
/// * one that will not fire again is disabled when it is enabled (a one-shot
///   whose `ts` has passed, for example after a reboot) or right after it fired,
///   and the list is reported; missed repeating triggers are not made up, the
///   schedule is armed for the next one;
/// * a schedule fires late when the node is woken late (its clock jumped
///   forward), once, and is then armed again from the time it fired;
/// * outside its `validity` a schedule does not act: before `start` it waits for
///   its next trigger, after `end` it is no longer armed.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    list: List<ScheduleEntry>,
    /// One per entry, in the same order.
    runs: Vec<Run>,
    clock: Option<Clock>,
    /// Whether enabled schedules have been armed since the time became known.
    started: bool,
}

impl Schedule {
    /// The service name, `Schedule`.
    pub const NAME: &'static str = "Schedule";

    /// The service holding at most `max` schedules (the SDK's default is
    /// [`DEFAULT_MAX_ENTRIES`](super::DEFAULT_MAX_ENTRIES)), with daylight support as
    /// the SDK's default build announces it (see [`Schedule::with_daylight_support`]),
    /// with no schedules.
    pub fn new(max: u32) -> Self {
        Self {
            list: List::new(max, true),
            runs: Vec::new(),
            clock: None,
            started: false,
        }
    }

    /// Announces support for sunrise / sunset triggers (the `daylight_support`
    /// attribute, `yes`), or removes the attribute.
    #[must_use]
    pub fn with_daylight_support(self, enabled: bool) -> Self {
        Self {
            list: self.list.with_flag(enabled),
            ..self
        }
    }

    /// Starts with `schedules` (for example restored from storage), as the SDK
    /// restores its persisted list: enabled ones are armed once the time is known
    /// (or disabled if they will not fire again). Entries beyond the maximum are
    /// dropped.
    #[must_use]
    pub fn with_schedules(self, schedules: Vec<ScheduleEntry>) -> Self {
        let list = self.list.with_entries(schedules);
        let runs = list.entries.iter().map(Run::of).collect();
        Self { list, runs, ..self }
    }

    /// The most schedules the service holds.
    pub fn max(&self) -> u32 {
        self.list.max
    }

    /// Whether the `daylight_support` attribute is set.
    pub fn daylight_support(&self) -> bool {
        self.list.flag
    }

    /// The schedules as last reported, in the order they were added.
    pub fn schedules(&self) -> &[ScheduleEntry] {
        &self.list.entries
    }

    /// The schedule with `id`, if any.
    pub fn schedule(&self, id: &str) -> Option<&ScheduleEntry> {
        self.list.get(id)
    }

    /// When the schedule with `id` fires next, if it is armed.
    pub fn armed(&self, id: &str) -> Option<i64> {
        self.runs.get(self.list.position(id)?)?.armed
    }
}

/// The schedules' timing: armed at the time of each call, fired when due.
impl Timer for Schedule {
    /// The first time after the time became known, enabled schedules are armed
    /// (or disabled when they will not fire again).
    fn set_clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
        if clock.is_synced() && !self.started {
            self.started = true;
            let mut disabled = false;
            for index in 0..self.runs.len() {
                if self
                    .list
                    .entries
                    .get(index)
                    .is_some_and(|entry| entry.enabled)
                {
                    disabled |= self.enable(index);
                }
            }
            // The SDK reports the list then only if a schedule was disabled.
            if disabled {
                self.render();
            }
        }
    }

    /// The earliest time a schedule is armed for.
    fn next_due(&self) -> Option<i64> {
        self.runs.iter().filter_map(|run| run.armed).min()
    }

    /// Fires every schedule armed for the clock's time or earlier, once each, in
    /// list order, and re-arms those that fire again; returns their actions. The
    /// SDK checks each schedule after its action: [`Timer::retire`].
    fn fire_due(&mut self) -> Vec<Firing> {
        let Some(clock) = self.clock.filter(Clock::is_synced) else {
            return Vec::new();
        };
        let now = clock.now;
        let mut fired = Vec::new();
        for index in 0..self.runs.len() {
            let (Some(run), Some(entry)) = (self.runs.get(index), self.list.entries.get(index))
            else {
                continue;
            };
            let Some(due) = run.armed.filter(|due| *due <= now) else {
                continue;
            };
            let (start, end) = entry.bounds();
            if end != 0 && now > end {
                // Past its validity: not armed again.
                if let Some(run) = self.runs.get_mut(index) {
                    run.armed = None;
                }
                continue;
            }
            // Before its validity it only waits for its next trigger.
            if start == 0 || now >= start {
                fired.push(Firing {
                    id: entry.id.clone(),
                    action: entry.action.clone(),
                });
            }
            self.rearm(index, clock, due);
        }
        fired
    }

    /// After the action of a schedule that fired: disables it when it will not
    /// fire again (a one-shot, or a date past its last month), as the SDK does;
    /// the list then changes and is reported. Returns whether it was disabled.
    fn retire(&mut self, id: &str) -> bool {
        let (Some(clock), Some(index)) = (self.clock, self.list.position(id)) else {
            return false;
        };
        let expired = self
            .runs
            .get(index)
            .is_some_and(|run| run.trigger.has_expired(clock.now, &clock.tz, run.ts));
        if expired {
            self.disable(index);
            self.render();
        }
        expired
    }
}

impl Schedule {
    /// Arms the schedule at `index` again after it fired for `due`, unless it
    /// will not fire again.
    fn rearm(&mut self, index: usize, clock: Clock, due: i64) {
        let Some(run) = self.runs.get_mut(index) else {
            return;
        };
        run.armed = None;
        if run.trigger.is_finished(clock.now, &clock.tz, due) {
            return;
        }
        Self::arm(run, clock, due);
    }

    /// Arms `run` for its next time after the clock's; `armed_for` is the time a
    /// relative trigger was armed for (0: none).
    fn arm(run: &mut Run, clock: Clock, armed_for: i64) {
        let next = run
            .trigger
            .next_after_armed(clock.now, &clock.tz, armed_for);
        run.armed = next.filter(|next| *next > clock.now);
        if let Some(next) = next
            && run.trigger.reports_next()
        {
            run.ts = next;
        }
    }

    /// Enables the schedule at `index` (`esp_rmaker_schedule_operation_enable`);
    /// returns whether it was disabled instead because it will not fire again.
    fn enable(&mut self, index: usize) -> bool {
        if let Some(entry) = self.list.entries.get_mut(index) {
            entry.enabled = true;
        }
        let Some(clock) = self.clock.filter(Clock::is_synced) else {
            return false;
        };
        self.started = true;
        let Some(run) = self.runs.get_mut(index) else {
            return false;
        };
        if run.trigger.has_expired(clock.now, &clock.tz, run.ts) {
            self.disable(index);
            true
        } else {
            let armed_for = run.ts;
            Self::arm(run, clock, armed_for);
            false
        }
    }

    /// Disables the schedule at `index`.
    fn disable(&mut self, index: usize) {
        if let Some(entry) = self.list.entries.get_mut(index) {
            entry.enabled = false;
        }
        if let Some(run) = self.runs.get_mut(index) {
            run.armed = None;
            run.ts = 0;
        }
    }

    /// Writes every entry as the SDK reports it, from the runs.
    fn render(&mut self) {
        for (entry, run) in self.list.entries.iter_mut().zip(&self.runs) {
            entry.info = entry.info.take().filter(|info| !info.is_empty());
            entry.flags = entry.flags.filter(|flags| *flags != 0);
            entry.validity = entry.validity.take().and_then(|validity| {
                let start = validity.start.filter(|start| *start != 0);
                let end = validity.end.filter(|end| *end != 0);
                (start.is_some() || end.is_some()).then_some(Validity { start, end })
            });
            entry.triggers = vec![run.trigger.to_json(run.ts)];
        }
    }

    /// Applies the operations of a write to the runs, as the SDK does with each
    /// element: an added schedule is enabled (and armed), an edited one re-armed
    /// when enabled.
    fn apply_operations(&mut self, operations: Vec<(Operation, String, bool)>) {
        for (operation, id, triggers_sent) in operations {
            let position = self.list.position(&id);
            match (operation, position) {
                (Operation::Edit, Some(index)) => {
                    if triggers_sent
                        && let (Some(entry), Some(run)) =
                            (self.list.entries.get(index), self.runs.get_mut(index))
                    {
                        *run = Run::of(entry);
                    }
                    if self
                        .list
                        .entries
                        .get(index)
                        .is_some_and(|entry| entry.enabled)
                    {
                        self.disable(index);
                        let _ = self.enable(index);
                    }
                }
                // An added schedule is enabled, whatever it says (its run exists).
                (Operation::Add | Operation::Enable, Some(index)) => {
                    let _ = self.enable(index);
                }
                (Operation::Disable, Some(index)) => self.disable(index),
                _ => {}
            }
        }
        self.render();
    }
}

impl Default for Schedule {
    /// [`DEFAULT_MAX_ENTRIES`](super::DEFAULT_MAX_ENTRIES) schedules, with daylight
    /// support.
    fn default() -> Self {
        Self::new(super::DEFAULT_MAX_ENTRIES)
    }
}

impl Device for Schedule {
    fn descriptor(&self) -> &DeviceDescriptor {
        self.list.descriptor
    }

    fn timer(&self) -> Option<&dyn Timer> {
        Some(self)
    }

    fn timer_mut(&mut self) -> Option<&mut dyn Timer> {
        Some(self)
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        self.list.value(index)
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        let applied = self.list.write(index, value)?;
        // Keep the runs of the entries that stay, in the new list's order.
        let mut runs = Vec::with_capacity(applied.list.len());
        for entry in &applied.list {
            match self.list.position(&entry.id) {
                Some(old) => runs.push(
                    self.runs
                        .get(old)
                        .cloned()
                        .unwrap_or_else(|| Run::of(entry)),
                ),
                None => runs.push(Run::of(entry)),
            }
        }
        self.list.entries = applied.list;
        self.runs = runs;
        self.apply_operations(applied.operations);
        Ok(())
    }
}
