//! A thermostat node and the cloud that talks to it, in one file, with
//! `rainmaker-types` as the only dependency:
//!
//! 1. the node boots and the cloud decodes what it publishes (typed config, its
//!    device and param types from the standard catalogue);
//! 2. the cloud writes the setpoint and mode with command 1 over `to-node`;
//! 3. the node applies the write and answers on `from-node`; the cloud decodes the
//!    answer into a typed `SetParamsResponse`.
//!
//! Run it with `cargo run -p rainmaker-types --example thermostat --features derive`.
//! No broker is involved: each `(topic, payload)` the node publishes is what an MQTT
//! client would send, and what the cloud decodes is what it would receive.

use std::error::Error;

use rainmaker_types::messages::{DeviceConfigType, NodeInfo, NodeInfoPlatform};
use rainmaker_types::node::{Event, Input, Node, WriteSource};
use rainmaker_types::standard_types::{DeviceType, ParamType, UiType};
use rainmaker_types::tlv::UserRole;
use rainmaker_types::{
    Device, Envelope, Message, NodeId, ParamsDocument, Payload, ToNodeFrame, Topic,
};

/// A wall thermostat: a standard device type with standard and custom params.
#[derive(Debug, Device)]
#[device(name = "Thermostat", r#type = "esp.device.thermostat")]
struct Thermostat {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Power, primary)]
    power: bool,
    #[param(
        name = "Setpoint",
        ui = "esp.ui.slider",
        bounds(min = 10, max = 30, step = 0.5)
    )]
    setpoint: f32,
    #[param(standard = Temperature)]
    temperature: f32,
    #[param(
        r#type = "esp.param.ac-mode",
        ui = "esp.ui.dropdown",
        valid_strs("Auto", "Cool", "Heat")
    )]
    mode: String,
}

fn main() -> Result<(), Box<dyn Error>> {
    run()
}

fn run() -> Result<(), Box<dyn Error>> {
    let node_id = NodeId::new("7C9EBD4A1B2C")?;
    // Name, firmware version, type, model, project name, platform.
    let info = NodeInfo::new(
        "Hallway",
        "1.0",
        "Thermostat",
        "thermo-1",
        "thermostat",
        NodeInfoPlatform::Esp32c3,
    );
    let mut node = Node::new(node_id.clone(), info);
    node.add_device(Thermostat {
        name: "Hallway".into(),
        power: true,
        setpoint: 20.0,
        temperature: 19.2,
        mode: "Auto".into(),
    })?;

    // The time of each input, from the device's clock (Unix seconds).
    let now = 1_765_000_000;

    // 1. Boot: the cloud decodes every publish.
    println!("-- boot");
    for publish in node.handle(now, Input::Connected)?.publish {
        let envelope = Envelope::decode(&publish.topic, &publish.payload)?;
        println!("{envelope}");
        if let Message::NodeConfig(config) = envelope.message() {
            let device = config
                .devices
                .iter()
                .flatten()
                .next()
                .ok_or("a config without devices")?;
            assert_eq!(
                device.r#type,
                Some(DeviceConfigType::Device(DeviceType::Thermostat))
            );
            for param in device.params.iter().flatten() {
                // Types are the catalogue's enums: `ParamType::Power`, not a string.
                let ty = param.r#type.as_ref().map_or("(no type)", ParamType::as_str);
                println!("   param {:<12} {ty}", param.name);
            }
            let mode = device.params.iter().flatten().find(|p| p.name == "Mode");
            assert_eq!(mode.and_then(|p| p.ui_type.clone()), Some(UiType::Dropdown));
        }
    }

    // 2. The cloud writes with command 1 (set params) on `to-node`.
    println!("-- cmd 1");
    // Params documents key devices by the device name ("Thermostat"), not by the
    // value of its Name param ("Hallway", the name the apps show).
    let mut write = ParamsDocument::new();
    write.insert("Thermostat", "Setpoint", 22.5);
    write.insert("Thermostat", "Mode", "Heat");
    let request = ToNodeFrame::set_params("req-1", UserRole::PRIMARY_USER, &write)?;
    let to_node = Topic::ToNode {
        node_id: node_id.clone(),
    };
    println!("{to_node}  {request}");

    // 3. The node applies it and answers on `from-node`.
    let out = node.handle(
        now,
        Input::Received {
            topic: &to_node.to_string(),
            payload: &request.encode()?,
        },
    )?;
    for event in &out.events {
        println!("event: {event}");
    }
    assert!(out.events.iter().any(|event| matches!(
        event,
        Event::ParamsWritten { source: WriteSource::Command, rejected, .. } if rejected.is_empty()
    )));
    let thermostat = node
        .device::<Thermostat>("Thermostat")
        .ok_or("the thermostat is gone")?;
    assert_eq!(
        (thermostat.setpoint, thermostat.mode.as_str()),
        (22.5, "Heat")
    );

    for publish in &out.publish {
        let envelope = Envelope::decode(&publish.topic, &publish.payload)?;
        println!("{envelope}");
        if let Message::FromNode(answer) = envelope.message() {
            let response = answer
                .set_params_response()
                .ok_or("not an answer to cmd 1")??;
            println!("   set params: {}", response.status);
            assert_eq!(response.params.as_ref(), Some(&write));
        }
    }
    Ok(())
}

#[test]
fn the_conversation_runs() {
    run().expect("the thermostat conversation");
}
