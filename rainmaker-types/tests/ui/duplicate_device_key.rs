use rainmaker_types::Device;

#[derive(Device)]
#[device(name = "Light", r#type = "esp.device.light", kind = "esp.device.lightbulb")]
#[device(name = "Lamp", attributes("serial" = "1", "serial" = "2"))]
struct Light {
    #[param(primary)]
    power: bool,
}

fn main() {}
