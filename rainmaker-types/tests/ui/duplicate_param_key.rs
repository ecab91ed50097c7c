use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(primary, primary)]
    power: bool,
    #[param(name = "A", name = "B")]
    brightness: i32,
    #[param(r#type = "esp.param.speed", param_type = "esp.param.speed")]
    speed: i32,
    #[param(ui = "esp.ui.slider")]
    #[param(ui_type = "esp.ui.text")]
    hue: i32,
}

fn main() {}
