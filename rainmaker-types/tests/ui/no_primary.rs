use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    power: bool,
    brightness: i32,
}

fn main() {}
