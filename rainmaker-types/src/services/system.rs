//! The system service.

use crate::device::{Device, DeviceDescriptor, ParamSpec, WriteRejection};
use crate::messages::DataType;
use crate::prelude::*;
use crate::value::{ParamValue, ParamsDocument};

use super::spec_at;

const REBOOT: ParamSpec = ParamSpec::new("Reboot", DataType::Bool).with_type("esp.param.reboot");

const FACTORY_RESET: ParamSpec =
    ParamSpec::new("Factory-Reset", DataType::Bool).with_type("esp.param.factory-reset");

const WIFI_RESET: ParamSpec =
    ParamSpec::new("Wi-Fi-Reset", DataType::Bool).with_type("esp.param.wifi-reset");

const fn system_descriptor(params: &'static [ParamSpec]) -> DeviceDescriptor {
    DeviceDescriptor::service(System::NAME, "esp.service.system", &[], params)
}

/// One descriptor per combination of flags, indexed by [`SystemFlags::bits`]; the
/// params keep the SDK's order (Reboot, Factory-Reset, Wi-Fi-Reset).
static DESCRIPTORS: [DeviceDescriptor; 8] = [
    system_descriptor(&[]),
    system_descriptor(&[REBOOT]),
    system_descriptor(&[FACTORY_RESET]),
    system_descriptor(&[REBOOT, FACTORY_RESET]),
    system_descriptor(&[WIFI_RESET]),
    system_descriptor(&[REBOOT, WIFI_RESET]),
    system_descriptor(&[FACTORY_RESET, WIFI_RESET]),
    system_descriptor(&[REBOOT, FACTORY_RESET, WIFI_RESET]),
];

/// Which params the [`System`] service has (the SDK's `SYSTEM_SERV_FLAG_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SystemFlags {
    /// `Reboot` (`esp.param.reboot`).
    pub reboot: bool,
    /// `Factory-Reset` (`esp.param.factory-reset`).
    pub factory_reset: bool,
    /// `Wi-Fi-Reset` (`esp.param.wifi-reset`).
    pub wifi_reset: bool,
}

impl SystemFlags {
    /// All three params (`SYSTEM_SERV_FLAGS_ALL`).
    pub const ALL: Self = Self {
        reboot: true,
        factory_reset: true,
        wifi_reset: true,
    };

    /// Reboot bit 0, factory reset bit 1, Wi-Fi reset bit 2.
    const fn bits(self) -> usize {
        (self.reboot as usize)
            | ((self.factory_reset as usize) << 1)
            | ((self.wifi_reset as usize) << 2)
    }
}

/// An action the cloud asked the [`System`] service for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemAction {
    /// `Reboot` written `true`: restart the node.
    Reboot,
    /// `Factory-Reset` written `true`: erase the node's settings and restart.
    FactoryReset,
    /// `Wi-Fi-Reset` written `true`: forget the Wi-Fi credentials and restart into
    /// provisioning.
    WifiReset,
}

impl SystemAction {
    /// The param that requests this action.
    pub const fn param_name(self) -> &'static str {
        match self {
            Self::Reboot => "Reboot",
            Self::FactoryReset => "Factory-Reset",
            Self::WifiReset => "Wi-Fi-Reset",
        }
    }
}

/// The system service (`esp.service.system`, named `System`): boolean params with
/// which the cloud asks the node to reboot or reset. Only the params enabled by the
/// [`SystemFlags`] exist, as in the SDK.
///
/// Config entry, as the SDK writes it with all three flags:
///
/// ```json
/// {"name":"System","type":"esp.service.system","params":[
///   {"name":"Reboot","type":"esp.param.reboot","data_type":"bool","properties":["read","write"]},
///   {"name":"Factory-Reset","type":"esp.param.factory-reset","data_type":"bool","properties":["read","write"]},
///   {"name":"Wi-Fi-Reset","type":"esp.param.wifi-reset","data_type":"bool","properties":["read","write"]}]}
/// ```
///
/// A write is stored and echoed as sent (the SDK reports `true` back after a `true`
/// write). The service never acts by itself: after
/// [`Event::ParamsWritten`](crate::node::Event::ParamsWritten), take the requested
/// actions with [`System::requested`], let the node's delta go out, then carry them
/// out (the SDK waits a couple of seconds first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct System {
    flags: SystemFlags,
    reboot: bool,
    factory_reset: bool,
    wifi_reset: bool,
}

impl System {
    /// The service name, `System`.
    pub const NAME: &'static str = "System";

    /// The service with the params `flags` enables, all `false`.
    pub fn new(flags: SystemFlags) -> Self {
        Self {
            flags,
            reboot: false,
            factory_reset: false,
            wifi_reset: false,
        }
    }

    /// The params this service has.
    pub fn flags(&self) -> SystemFlags {
        self.flags
    }

    /// The current `Reboot` value (`false` when the param is not enabled).
    pub fn reboot(&self) -> bool {
        self.reboot
    }

    /// The current `Factory-Reset` value (`false` when the param is not enabled).
    pub fn factory_reset(&self) -> bool {
        self.factory_reset
    }

    /// The current `Wi-Fi-Reset` value (`false` when the param is not enabled).
    pub fn wifi_reset(&self) -> bool {
        self.wifi_reset
    }

    /// Sets every enabled param back to `false`, to be reported by the next
    /// [`Node::report_changes`](crate::node::Node::report_changes).
    pub fn clear(&mut self) {
        self.reboot = false;
        self.factory_reset = false;
        self.wifi_reset = false;
    }

    /// The actions written `true` to the `System` service in `accepted` (the accepted
    /// values of an [`Event::ParamsWritten`](crate::node::Event::ParamsWritten)), in
    /// the order Reboot, Factory-Reset, Wi-Fi-Reset.
    pub fn requested(accepted: &ParamsDocument) -> Vec<SystemAction> {
        [
            SystemAction::Reboot,
            SystemAction::FactoryReset,
            SystemAction::WifiReset,
        ]
        .into_iter()
        .filter(|action| {
            accepted
                .get(Self::NAME, action.param_name())
                .and_then(ParamValue::as_bool)
                .unwrap_or(false)
        })
        .collect()
    }

    fn field(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "Reboot" => Some(&mut self.reboot),
            "Factory-Reset" => Some(&mut self.factory_reset),
            "Wi-Fi-Reset" => Some(&mut self.wifi_reset),
            _ => None,
        }
    }
}

impl Default for System {
    /// All three params, as with `SYSTEM_SERV_FLAGS_ALL`.
    fn default() -> Self {
        Self::new(SystemFlags::ALL)
    }
}

impl Device for System {
    fn descriptor(&self) -> &DeviceDescriptor {
        // Three bits index the eight combinations.
        &DESCRIPTORS[self.flags.bits() & 0b111]
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        let value = match spec_at(self.descriptor(), index)?.name {
            "Reboot" => self.reboot,
            "Factory-Reset" => self.factory_reset,
            "Wi-Fi-Reset" => self.wifi_reset,
            _ => return None,
        };
        Some(ParamValue::Bool(value))
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        let spec = spec_at(self.descriptor(), index).ok_or(WriteRejection::UnknownParam)?;
        let new = value.as_bool().ok_or(WriteRejection::WrongType {
            expected: DataType::Bool,
            found: value.kind(),
        })?;
        let field = self.field(spec.name).ok_or(WriteRejection::UnknownParam)?;
        *field = new;
        Ok(())
    }
}
