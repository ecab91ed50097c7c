use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(standard = Power, primary)]
    power: bool,
    #[param(name = "Power")]
    on: bool,
    #[param(name = "Level")]
    brightness: i32,
    level: i32,
}

fn main() {}
