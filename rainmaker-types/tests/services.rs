//! The standard services: node-config entries equal to the C SDK's, agreement with the
//! generated standard-type catalogue, remote writes (accepted, read-only, bounds, list
//! operations) and a node holding a light plus the Time, Schedule and System
//! services.

use rainmaker_types::device::WriteRejection;
use rainmaker_types::messages::DataType;
use rainmaker_types::messages::OtaJobStatus;
use rainmaker_types::services::{
    Connectivity, DEFAULT_MAX_ENTRIES, Groups, LocalControl, Ota, Scenes, Schedule, ScheduleEntry,
    System, SystemAction, SystemFlags, Time,
};
use rainmaker_types::standard_types::{ParamType, STANDARD_SERVICES};
use rainmaker_types::value::DeviceParams;
use rainmaker_types::{Device, GroupId, ParamValue, ParamsDocument};
use serde_json::{Value, json};

/// A one-param write.
fn write(param: &str, value: impl Into<ParamValue>) -> DeviceParams {
    [(param, value.into())].into_iter().collect()
}

/// A write of a JSON array to the list param `param`.
fn list_write(param: &str, items: Value) -> DeviceParams {
    write(param, ParamValue::from(items))
}

/// The reason of the only error of an outcome.
fn only_rejection(service: &mut impl Device, write: &DeviceParams) -> WriteRejection {
    let outcome = service.apply(write);
    assert!(outcome.accepted.is_empty(), "{outcome:?}");
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    outcome.errors[0].reason.clone()
}

fn json_of(params: &DeviceParams) -> Value {
    serde_json::to_value(params).expect("params serialize")
}

// ---- Config entries ----

#[test]
fn schedule_config_matches_the_sdk_example() {
    // docs/protocol.md.
    let schedule = Schedule::new(10).with_daylight_support(true);
    let expected = json!({"name":"Schedule","type":"esp.service.schedule",
        "attributes":[{"name":"daylight_support","value":"yes"}],
        "params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array",
                   "properties":["read","write"],"bounds":{"max":10}}]});
    assert_eq!(schedule.config_json(), expected);
    assert_eq!(schedule.descriptor().config_json(), expected);
    assert_eq!(Schedule::default().max(), DEFAULT_MAX_ENTRIES);
}

#[test]
fn schedule_without_daylight_support_has_no_attribute_and_its_own_max() {
    // The SDK's default build announces daylight support; without it there is no
    // attribute.
    assert!(Schedule::new(5).daylight_support());
    let schedule = Schedule::new(5).with_daylight_support(false);
    assert_eq!(
        schedule.config_json(),
        json!({"name":"Schedule","type":"esp.service.schedule",
            "params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array",
                       "properties":["read","write"],"bounds":{"max":5}}]})
    );
    assert!(!schedule.daylight_support());
    // Switching the attribute back and forth keeps the maximum.
    let toggled = Schedule::new(5)
        .with_daylight_support(false)
        .with_daylight_support(true)
        .with_daylight_support(false);
    assert_eq!(toggled.config_json(), schedule.config_json());
}

#[test]
fn list_descriptors_are_shared_per_configuration() {
    let (a, b) = (Schedule::new(7), Schedule::new(7));
    assert!(std::ptr::eq(a.descriptor(), b.descriptor()));
    let c = Schedule::new(7).with_daylight_support(false);
    assert!(!std::ptr::eq(a.descriptor(), c.descriptor()));
    let (d, e) = (Scenes::new(7), Scenes::new(7));
    assert!(std::ptr::eq(d.descriptor(), e.descriptor()));
    assert!(!std::ptr::eq(a.descriptor(), d.descriptor()));
}

#[test]
fn scenes_config_always_has_the_deactivation_attribute() {
    let param = json!({"name":"Scenes","type":"esp.param.scenes","data_type":"array",
        "properties":["read","write"],"bounds":{"max":10}});
    assert_eq!(
        Scenes::new(10).config_json(),
        json!({"name":"Scenes","type":"esp.service.scenes",
            "attributes":[{"name":"deactivation_support","value":"no"}],"params":[param]})
    );
    assert_eq!(
        Scenes::default()
            .with_deactivation_support(true)
            .config_json(),
        json!({"name":"Scenes","type":"esp.service.scenes",
            "attributes":[{"name":"deactivation_support","value":"yes"}],"params":[param]})
    );
}

#[test]
fn time_config_with_and_without_timestamp() {
    let tz = json!({"name":"TZ","type":"esp.param.tz","data_type":"string","properties":["read","write"]});
    let tz_posix = json!({"name":"TZ-POSIX","type":"esp.param.tz_posix","data_type":"string",
        "properties":["read","write"]});
    let timestamp = json!({"name":"Timestamp","type":"esp.param.timestamp","data_type":"int",
        "properties":["read","write"]});
    assert_eq!(
        Time::new().config_json(),
        json!({"name":"Time","type":"esp.service.time","params":[tz, tz_posix]})
    );
    assert_eq!(
        Time::new().with_timestamp(0).config_json(),
        json!({"name":"Time","type":"esp.service.time","params":[tz, tz_posix, timestamp]})
    );
}

#[test]
fn system_config_lists_only_the_enabled_params_in_sdk_order() {
    let reboot = json!({"name":"Reboot","type":"esp.param.reboot","data_type":"bool",
        "properties":["read","write"]});
    let factory = json!({"name":"Factory-Reset","type":"esp.param.factory-reset",
        "data_type":"bool","properties":["read","write"]});
    let wifi = json!({"name":"Wi-Fi-Reset","type":"esp.param.wifi-reset","data_type":"bool",
        "properties":["read","write"]});
    let entry = |params: Vec<Value>| {
        let mut entry = json!({"name":"System","type":"esp.service.system"});
        if !params.is_empty() {
            entry["params"] = Value::Array(params);
        }
        entry
    };
    let cases = [
        (
            SystemFlags::ALL,
            vec![reboot.clone(), factory.clone(), wifi.clone()],
        ),
        (
            SystemFlags {
                reboot: true,
                ..SystemFlags::default()
            },
            vec![reboot.clone()],
        ),
        (
            SystemFlags {
                factory_reset: true,
                wifi_reset: true,
                ..SystemFlags::default()
            },
            vec![factory.clone(), wifi.clone()],
        ),
        (
            SystemFlags {
                reboot: true,
                wifi_reset: true,
                ..SystemFlags::default()
            },
            vec![reboot.clone(), wifi.clone()],
        ),
        (SystemFlags::default(), vec![]),
    ];
    for (flags, params) in cases {
        let system = System::new(flags);
        assert_eq!(system.config_json(), entry(params), "{flags:?}");
        assert_eq!(system.flags(), flags);
    }
    assert_eq!(System::default().flags(), SystemFlags::ALL);
}

#[test]
fn ota_local_control_connectivity_and_groups_configs_match_the_sdk() {
    assert_eq!(
        Ota::new().config_json(),
        json!({"name":"OTA","type":"esp.service.ota","params":[
            {"name":"Status","type":"esp.param.ota_status","data_type":"string","properties":["read"]},
            {"name":"Info","type":"esp.param.ota_info","data_type":"string","properties":["read"]},
            {"name":"URL","type":"esp.param.ota_url","data_type":"string","properties":["write"]}]})
    );
    assert_eq!(
        LocalControl::new("abcd1234", 1).config_json(),
        json!({"name":"Local Control","type":"esp.service.local_control","params":[
            {"name":"POP","type":"esp.param.local_control_pop","data_type":"string","properties":["read"]},
            {"name":"Type","type":"esp.param.local_control_type","data_type":"int","properties":["read"]}]})
    );
    assert_eq!(
        Connectivity::new().config_json(),
        json!({"name":"Connectivity","type":"esp.service.connectivity","params":[
            {"name":"Connected","type":"esp.param.connected","data_type":"bool","properties":["read"]}]})
    );
    assert_eq!(
        Groups::new().config_json(),
        json!({"name":"Groups","type":"esp.service.groups","params":[
            {"name":"GroupID","type":"esp.param.group-id","data_type":"string","properties":["read","write"]}]})
    );
}

/// Every service, with every optional param and attribute enabled.
fn every_service() -> Vec<Box<dyn Device>> {
    vec![
        Box::new(Ota::new()),
        Box::new(Time::new().with_timestamp(0)),
        Box::new(Schedule::default().with_daylight_support(true)),
        Box::new(Scenes::default().with_deactivation_support(true)),
        Box::new(System::new(SystemFlags::ALL)),
        Box::new(LocalControl::new("", 0)),
        Box::new(Groups::new()),
        Box::new(Connectivity::new()),
    ]
}

#[test]
fn services_agree_with_the_standard_catalogue() {
    for service in every_service() {
        let descriptor = service.descriptor();
        let standard = STANDARD_SERVICES
            .iter()
            .find(|standard| standard.name == service.name())
            .unwrap_or_else(|| panic!("{} is not a standard service", service.name()));
        assert_eq!(
            descriptor.device_type,
            Some(standard.service_type.as_str()),
            "{}",
            standard.name
        );
        let names: Vec<&str> = descriptor.params.iter().map(|spec| spec.name).collect();
        assert_eq!(names, standard.params, "{}", standard.name);
        // The catalogue lists the attributes with their enabled value.
        assert_eq!(
            descriptor.attributes, standard.attributes,
            "{}",
            standard.name
        );
        assert_eq!(descriptor.primary, None);

        for spec in descriptor.params {
            let param_type: ParamType = spec
                .param_type
                .expect("standard params have a type")
                .parse()
                .expect("parses");
            let defaults = param_type.defaults().expect("a standard param type");
            assert_eq!(spec.name, defaults.name);
            assert_eq!(
                serde_json::to_value(defaults.data_type).expect("serializes"),
                spec.data_type.as_str()
            );
            let properties: Vec<&str> = spec.properties.names().collect();
            assert_eq!(
                serde_json::to_value(defaults.properties).expect("serializes"),
                json!(properties),
                "{}",
                spec.name
            );
            assert_eq!(
                defaults.ui_type.as_ref().map(|ui| ui.as_str()),
                spec.ui_type
            );
        }
    }
}

// ---- Writes ----

#[test]
fn time_stores_writes_and_refuses_a_timestamp_it_does_not_have() {
    let mut time = Time::new();
    let outcome = time.apply(&write("TZ", "Asia/Shanghai"));
    assert!(outcome.is_ok());
    assert_eq!(time.tz(), "Asia/Shanghai");
    assert_eq!(json_of(&outcome.accepted), json!({"TZ":"Asia/Shanghai"}));
    assert!(time.apply(&write("TZ-POSIX", "CST-8")).is_ok());
    assert_eq!(
        json_of(&time.params()),
        json!({"TZ":"Asia/Shanghai","TZ-POSIX":"CST-8"})
    );

    assert_eq!(
        only_rejection(&mut time, &write("Timestamp", 1_700_000_000)),
        WriteRejection::UnknownParam
    );
    assert_eq!(
        only_rejection(&mut time, &write("TZ", 5)),
        WriteRejection::WrongType {
            expected: DataType::String,
            found: "int"
        }
    );
    time.set_timestamp(5);
    assert_eq!(time.timestamp(), None);

    let mut time = Time::new()
        .with_time_zone("Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3")
        .with_timestamp(100);
    assert!(time.apply(&write("Timestamp", 1_700_000_000)).is_ok());
    assert_eq!(time.timestamp(), Some(1_700_000_000));
    time.set_timestamp(1_700_000_005);
    assert_eq!(
        json_of(&time.params()),
        json!({"TZ":"Europe/Paris","TZ-POSIX":"CET-1CEST,M3.5.0,M10.5.0/3","Timestamp":1_700_000_005})
    );
}

#[test]
fn system_echoes_flags_and_refuses_disabled_params() {
    let mut system = System::new(SystemFlags::ALL);
    assert_eq!(
        json_of(&system.params()),
        json!({"Reboot":false,"Factory-Reset":false,"Wi-Fi-Reset":false})
    );
    let outcome = system.apply(
        &[
            ("Reboot", ParamValue::Bool(true)),
            ("Wi-Fi-Reset", ParamValue::Int(1)),
        ]
        .into_iter()
        .collect(),
    );
    assert!(outcome.is_ok(), "{outcome:?}");
    // `1` is read as `true`, and echoed as the bool.
    assert_eq!(
        json_of(&outcome.accepted),
        json!({"Reboot":true,"Wi-Fi-Reset":true})
    );
    assert!(system.reboot() && system.wifi_reset() && !system.factory_reset());
    system.clear();
    assert!(!system.reboot() && !system.wifi_reset());

    let mut reboot_only = System::new(SystemFlags {
        reboot: true,
        ..SystemFlags::default()
    });
    assert_eq!(
        only_rejection(&mut reboot_only, &write("Factory-Reset", true)),
        WriteRejection::UnknownParam
    );
    assert_eq!(
        only_rejection(&mut reboot_only, &write("Reboot", "yes")),
        WriteRejection::WrongType {
            expected: DataType::Bool,
            found: "string"
        }
    );
    assert!(!reboot_only.factory_reset() && !reboot_only.reboot());
}

#[test]
fn system_requested_reads_the_true_flags_of_a_write() {
    let mut accepted = ParamsDocument::new();
    accepted.insert("System", "Factory-Reset", true);
    accepted.insert("System", "Reboot", true);
    accepted.insert("System", "Wi-Fi-Reset", false);
    accepted.insert("Light", "Reboot", true);
    assert_eq!(
        System::requested(&accepted),
        [SystemAction::Reboot, SystemAction::FactoryReset]
    );
    assert!(System::requested(&ParamsDocument::new()).is_empty());
}

#[test]
fn ota_accepts_a_url_and_refuses_status_writes() {
    let mut ota = Ota::new();
    assert_eq!(
        json_of(&ota.params()),
        json!({"Status":"","Info":"","URL":""})
    );
    let outcome = ota.apply(&write("URL", "https://example.invalid/fw.bin"));
    assert!(outcome.is_ok());
    assert_eq!(ota.url(), "https://example.invalid/fw.bin");
    let mut accepted = ParamsDocument::new();
    *accepted.device_mut(Ota::NAME) = outcome.accepted;
    assert_eq!(
        Ota::requested_url(&accepted),
        Some("https://example.invalid/fw.bin")
    );

    assert_eq!(
        only_rejection(&mut ota, &write("Status", "success")),
        WriteRejection::ReadOnly
    );
    assert_eq!(
        only_rejection(&mut ota, &write("Info", "x")),
        WriteRejection::ReadOnly
    );
    ota.set_status(OtaJobStatus::InProgress, "Downloading");
    assert_eq!((ota.status(), ota.info()), ("in-progress", "Downloading"));
}

#[test]
fn read_only_services_refuse_writes() {
    let mut local = LocalControl::new("abcd1234", 1);
    assert_eq!(json_of(&local.params()), json!({"POP":"abcd1234","Type":1}));
    assert_eq!(
        only_rejection(&mut local, &write("POP", "other")),
        WriteRejection::ReadOnly
    );
    assert_eq!((local.pop(), local.security()), ("abcd1234", 1));

    let mut connectivity = Connectivity::default();
    assert_eq!(json_of(&connectivity.params()), json!({"Connected":true}));
    assert_eq!(
        only_rejection(&mut connectivity, &write("Connected", false)),
        WriteRejection::ReadOnly
    );
    connectivity.set_connected(false);
    assert!(!connectivity.connected());
    let will: Value = serde_json::from_str(Connectivity::LAST_WILL_PAYLOAD).expect("valid JSON");
    assert_eq!(will, json!({"Connectivity":{"Connected":false}}));
}

#[test]
fn groups_accepts_valid_or_empty_ids_only() {
    let mut groups = Groups::new();
    assert_eq!(groups.group(), None);
    assert!(groups.apply(&write("GroupID", "kitchen")).is_ok());
    assert_eq!(
        groups.group(),
        Some(GroupId::new("kitchen").expect("valid"))
    );

    for bad in ["a/b", "init", &"x".repeat(GroupId::MAX_LEN + 1)] {
        let reason = only_rejection(&mut groups, &write("GroupID", bad));
        assert!(
            matches!(reason, WriteRejection::Vetoed(_)),
            "{bad}: {reason:?}"
        );
        assert_eq!(groups.group_id(), "kitchen");
    }
    assert!(groups.apply(&write("GroupID", "")).is_ok());
    assert_eq!(groups.group(), None);

    let group = GroupId::new("hall").expect("valid");
    let mut groups = Groups::with_group(&group);
    assert_eq!(json_of(&groups.params()), json!({"GroupID":"hall"}));
    groups.set_group(None);
    assert_eq!(groups.group_id(), "");
}

// ---- Schedules ----

fn evening() -> Value {
    json!({"id":"8D3A","operation":"add","name":"Evening",
        "triggers":[{"m":1110,"d":31}],"action":{"Light":{"Power":true}}})
}

/// Applies a `Schedules` write that must succeed.
#[track_caller]
fn schedules_write(schedule: &mut Schedule, items: Value) {
    let outcome = schedule.apply(&list_write("Schedules", items));
    assert!(outcome.is_ok(), "{outcome:?}");
}

/// A schedule service holding [`evening`].
fn with_evening() -> Schedule {
    let mut schedule = Schedule::default();
    schedules_write(&mut schedule, json!([evening()]));
    schedule
}

#[test]
fn schedule_add_reports_the_whole_list() {
    let mut schedule = Schedule::default();
    assert_eq!(json_of(&schedule.params()), json!({"Schedules":[]}));
    let outcome = schedule.apply(&list_write("Schedules", json!([evening()])));
    assert!(outcome.is_ok(), "{outcome:?}");
    let reported = json!({"Schedules":[{"name":"Evening","id":"8D3A","enabled":true,
        "action":{"Light":{"Power":true}},"triggers":[{"m":1110,"d":31}]}]});
    assert_eq!(json_of(&outcome.accepted), reported);
    assert_eq!(json_of(&schedule.params()), reported);
    let entry = schedule.schedule("8D3A").expect("added");
    assert_eq!(entry.triggers, [json!({"m":1110,"d":31})]);
}

#[test]
fn schedule_edit_enable_disable_remove() {
    let mut schedule = with_evening();

    // `edit` replaces the keys it sends and keeps the others.
    let edit = json!([{"id":"8D3A","operation":"edit","name":"Late","info":"weekdays","flags":3,
        "validity":{"start":1_700_000_000}}]);
    schedules_write(&mut schedule, edit);
    let entry = schedule.schedule("8D3A").expect("still there");
    assert_eq!(entry.name, "Late");
    assert_eq!(entry.info.as_deref(), Some("weekdays"));
    assert_eq!(entry.flags, Some(3));
    assert_eq!(
        entry.validity.as_ref().and_then(|v| v.start),
        Some(1_700_000_000)
    );
    assert_eq!(entry.triggers, [json!({"m":1110,"d":31})]);

    // Operations are matched as prefixes: "d" is disable, "en" is enable.
    schedules_write(&mut schedule, json!([{"id":"8D3A","operation":"d"}]));
    assert!(!schedule.schedules()[0].enabled);
    schedules_write(&mut schedule, json!([{"id":"8D3A","operation":"en"}]));
    assert!(schedule.schedules()[0].enabled);

    // `edit` of an unknown id adds it.
    let edit_new = json!([{"id":"B1","operation":"edit","name":"Morning","triggers":[{"m":420}]}]);
    schedules_write(&mut schedule, edit_new);
    let ids: Vec<&str> = schedule.schedules().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["8D3A", "B1"]);

    schedules_write(&mut schedule, json!([{"id":"8D3A","operation":"remove"}]));
    let ids: Vec<&str> = schedule.schedules().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["B1"]);
}

#[test]
fn schedules_are_reported_as_the_sdk_writes_them() {
    // The SDK keeps the keys it knows: unknown ones are not reported, and the
    // trigger is written from what it read (`m` alone: a trigger of no kind).
    let mut schedule = Schedule::default();
    let add = json!([{"id":"X1","operation":"add","name":"Future","triggers":[{"m":5,"future":1}],
        "action":{},"priority":"high","flags":0,"info":""}]);
    schedules_write(&mut schedule, add);
    assert_eq!(
        json_of(&schedule.params()),
        json!({"Schedules":[{"name":"Future","id":"X1","enabled":true,"action":{},
            "triggers":[{"m":5}]}]})
    );
    // A date trigger gets its defaults (`yy`, `r` as 0 or 1) and a one-shot its
    // `ts` (0 while the time is unknown).
    let add = json!([{"id":"D1","operation":"add","name":"Date","triggers":[{"m":600,"dd":5}],
        "action":{"Light":{"Power":true}}}]);
    schedules_write(&mut schedule, add);
    assert_eq!(
        schedule.schedule("D1").expect("added").triggers,
        [json!({"m":600,"dd":5,"mm":0,"yy":0,"r":0,"ts":0})]
    );

    let restored: ScheduleEntry = serde_json::from_value(
        json!({"name":"N","id":"R","enabled":false,"action":{},"triggers":[],"x":[1]}),
    )
    .expect("an entry");
    let schedule = Schedule::new(2).with_schedules(vec![restored.clone(); 3]);
    assert_eq!(schedule.schedules(), [restored.clone(), restored]);
}

#[test]
fn schedule_refuses_too_many_schedules() {
    // More elements than the maximum in one write: refused by the bounds.
    let mut schedule = Schedule::new(2);
    let adds: Vec<Value> = (0..3)
        .map(|i| json!({"id":format!("S{i}"),"operation":"add","name":"n"}))
        .collect();
    assert_eq!(
        only_rejection(&mut schedule, &list_write("Schedules", json!(adds))),
        WriteRejection::TooManyItems { max: 2, found: 3 }
    );
    assert!(schedule.schedules().is_empty());

    // Adds beyond the maximum over several writes: refused, the list unchanged.
    let two = json!([adds[0], adds[1]]);
    schedules_write(&mut schedule, two);
    assert_eq!(
        only_rejection(&mut schedule, &list_write("Schedules", json!([adds[2]]))),
        WriteRejection::TooManyItems { max: 2, found: 3 }
    );
    assert_eq!(schedule.schedules().len(), 2);

    // Removing one makes room in the same write.
    let swap = json!([{"id":"S0","operation":"remove"}, adds[2]]);
    schedules_write(&mut schedule, swap);
    let ids: Vec<&str> = schedule.schedules().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["S1", "S2"]);
}

#[test]
fn schedule_refuses_malformed_writes_as_a_whole() {
    let mut schedule = with_evening();
    let before = schedule.clone();
    let cases = [
        json!({"Schedules":"not an array"}),
        json!({"Schedules":[1]}),
        json!({"Schedules":[{"operation":"add","name":"no id"}]}),
        json!({"Schedules":[{"id":"TOOLONGID","operation":"add","name":"n"}]}),
        json!({"Schedules":[{"id":"A","operation":"add","name":"x".repeat(33)}]}),
        json!({"Schedules":[{"id":"A","operation":"add","name":"n","info":"i".repeat(129)}]}),
        json!({"Schedules":[{"id":"A","operation":"add"}]}),
        json!({"Schedules":[{"id":"A","name":"n"}]}),
        json!({"Schedules":[{"id":"A","operation":"launch","name":"n"}]}),
        json!({"Schedules":[{"id":"A","operation":"","name":"n"}]}),
        json!({"Schedules":[{"id":"8D3A","operation":"add","name":"again"}]}),
        json!({"Schedules":[{"id":"NONE","operation":"remove"}]}),
        json!({"Schedules":[{"id":"A","operation":"add","name":"n","flags":"x"}]}),
        // A valid first element does not survive an invalid second one.
        json!({"Schedules":[{"id":"OK","operation":"add","name":"n"},{"id":"NONE","operation":"enable"}]}),
    ];
    for case in cases {
        let write: DeviceParams = serde_json::from_value(case.clone()).expect("params");
        let outcome = schedule.apply(&write);
        assert!(outcome.accepted.is_empty(), "{case}");
        assert_eq!(outcome.errors.len(), 1, "{case}");
        assert_eq!(schedule, before, "{case}");
    }
    assert_eq!(
        only_rejection(&mut schedule, &list_write("Unknown", json!([]))),
        WriteRejection::UnknownParam
    );
}

// ---- Scenes ----

#[test]
fn scenes_add_activate_and_deactivate() {
    let mut scenes = Scenes::default();
    let add = json!([{"id":"M1","operation":"add","name":"Movie","info":"dim",
        "action":{"Light":{"Brightness":10}}}]);
    let outcome = scenes.apply(&list_write("Scenes", add));
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(
        json_of(&outcome.accepted),
        json!({"Scenes":[{"name":"Movie","id":"M1","info":"dim","action":{"Light":{"Brightness":10}}}]})
    );
    assert!(scenes.take_activations().is_empty());

    // "ac" is activate ("a" alone is add).
    let outcome = scenes.apply(&list_write("Scenes", json!([{"id":"M1","operation":"ac"}])));
    assert!(outcome.is_ok(), "{outcome:?}");
    let activations = scenes.take_activations();
    assert_eq!(activations.len(), 1);
    assert!(activations[0].activate);
    assert_eq!(activations[0].id, "M1");
    assert_eq!(
        Value::Object(activations[0].action.clone()),
        json!({"Light":{"Brightness":10}})
    );
    assert!(scenes.take_activations().is_empty());

    // No deactivation support: refused, nothing queued.
    let deactivate = json!([{"id":"M1","operation":"deactivate"}]);
    let reason = only_rejection(&mut scenes, &list_write("Scenes", deactivate.clone()));
    assert!(matches!(reason, WriteRejection::Vetoed(_)), "{reason:?}");
    assert!(scenes.take_activations().is_empty());

    let mut scenes = scenes.with_deactivation_support(true);
    assert!(scenes.apply(&list_write("Scenes", deactivate)).is_ok());
    let activations = scenes.take_activations();
    assert_eq!(activations.len(), 1);
    assert!(!activations[0].activate);

    // Scene info is limited to 100 bytes; enable is not a scene operation.
    let long = json!([{"id":"L","operation":"add","name":"n","info":"i".repeat(101)}]);
    assert!(matches!(
        only_rejection(&mut scenes, &list_write("Scenes", long)),
        WriteRejection::Malformed(_)
    ));
    let enable = json!([{"id":"M1","operation":"enable"}]);
    assert!(matches!(
        only_rejection(&mut scenes, &list_write("Scenes", enable)),
        WriteRejection::Malformed(_)
    ));
    assert_eq!(scenes.scenes().len(), 1);
    assert_eq!(
        scenes.scene("M1").map(|scene| scene.name.as_str()),
        Some("Movie")
    );
}

// ---- A node with services ----

#[cfg(feature = "derive")]
mod node {
    use super::*;
    use rainmaker_test_support::node::{Light, NODE_ID, led_light_info, node_id};
    use rainmaker_types::node::{Event, Input, Node, WriteSource};

    /// The time of every input: unknown yet, so schedules wait for it.
    const NOW: i64 = 0;

    fn node() -> Node {
        let mut node = Node::new(node_id(), led_light_info());
        node.add_device(Light::new(true, 25))
            .expect("light")
            .add_service(Time::new())
            .expect("time")
            .add_service(Schedule::default().with_daylight_support(true))
            .expect("schedule")
            .add_service(System::new(SystemFlags::ALL))
            .expect("system");
        node
    }

    #[test]
    fn init_params_hold_every_service() {
        let node = node();
        // docs/protocol.md, plus the System service.
        assert_eq!(
            serde_json::to_value(node.params()).expect("serializes"),
            json!({"Light":{"Name":"Light","Power":true,"Brightness":25},
                "Time":{"TZ":"","TZ-POSIX":""},
                "Schedule":{"Schedules":[]},
                "System":{"Reboot":false,"Factory-Reset":false,"Wi-Fi-Reset":false}})
        );
    }

    #[test]
    fn config_lists_the_services() {
        let node = node();
        let config = serde_json::to_value(node.config().expect("config")).expect("serializes");
        let entries = |key: &str| -> Vec<(Value, Value, Vec<Value>)> {
            config[key]
                .as_array()
                .expect("an array")
                .iter()
                .map(|entry| {
                    let params = entry["params"]
                        .as_array()
                        .map(|params| params.iter().map(|p| p["name"].clone()).collect())
                        .unwrap_or_default();
                    (entry["name"].clone(), entry["type"].clone(), params)
                })
                .collect()
        };
        assert_eq!(
            entries("devices"),
            [(
                json!("Light"),
                json!("esp.device.lightbulb"),
                vec![json!("Name"), json!("Power"), json!("Brightness")]
            )]
        );
        assert_eq!(
            entries("services"),
            [
                (
                    json!("Time"),
                    json!("esp.service.time"),
                    vec![json!("TZ"), json!("TZ-POSIX")]
                ),
                (
                    json!("Schedule"),
                    json!("esp.service.schedule"),
                    vec![json!("Schedules")]
                ),
                (
                    json!("System"),
                    json!("esp.service.system"),
                    vec![
                        json!("Reboot"),
                        json!("Factory-Reset"),
                        json!("Wi-Fi-Reset")
                    ]
                ),
            ]
        );
        assert_eq!(
            config["services"][1]["attributes"],
            json!([{"name":"daylight_support","value":"yes"}])
        );
    }

    #[test]
    fn a_remote_reboot_is_echoed_and_seen_by_the_application() {
        let mut node = node();
        let boot = node.handle(NOW, Input::Connected).expect("boot");
        assert!(!boot.publish.is_empty());
        let out = node
            .handle(NOW, Input::Received {
                topic: &format!("node/{NODE_ID}/params/remote"),
                payload: br#"{"System":{"Reboot":true},"Schedule":{"Schedules":[{"id":"8D3A","operation":"add","name":"Evening","triggers":[{"m":1110,"d":31}],"action":{"Light":{"Power":true}}}]}}"#,
            })
            .expect("write");
        let [
            Event::ParamsWritten {
                source,
                accepted,
                rejected,
            },
        ] = out.events.as_slice()
        else {
            panic!("one ParamsWritten event: {:?}", out.events);
        };
        assert_eq!(*source, WriteSource::Remote);
        assert!(rejected.is_empty(), "{rejected:?}");
        assert_eq!(System::requested(accepted), [SystemAction::Reboot]);
        assert_eq!(out.publish.len(), 1);
        assert_eq!(out.publish[0].topic, format!("node/{NODE_ID}/params/local"));
        let delta: Value = serde_json::from_slice(&out.publish[0].payload).expect("JSON");
        assert_eq!(
            delta,
            json!({"Schedule":{"Schedules":[{"name":"Evening","id":"8D3A","enabled":true,
                    "action":{"Light":{"Power":true}},"triggers":[{"m":1110,"d":31}]}]},
                "System":{"Reboot":true}})
        );
        assert!(node.device::<System>("System").is_some_and(System::reboot));
        assert_eq!(
            node.device::<Schedule>("Schedule")
                .map(|schedule| schedule.schedules().len()),
            Some(1)
        );

        // A read-only or unknown service param is refused and reported in the event.
        let out = node
            .handle(
                NOW,
                Input::Received {
                    topic: &format!("node/{NODE_ID}/params/remote"),
                    payload: br#"{"Time":{"Timestamp":5}}"#,
                },
            )
            .expect("write");
        assert!(out.publish.is_empty());
        let [Event::ParamsWritten { rejected, .. }] = out.events.as_slice() else {
            panic!("one ParamsWritten event: {:?}", out.events);
        };
        assert_eq!(rejected[0].reason, WriteRejection::UnknownParam);

        // The application clears the flag after acting; the change is reported.
        if let Some(system) = node.device_mut::<System>("System") {
            system.clear();
        }
        let out = node.report_changes(NOW).expect("report");
        assert_eq!(out.publish[0].payload, br#"{"System":{"Reboot":false}}"#);
    }
}
