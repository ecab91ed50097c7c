use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(primary)]
    power: bool,
    #[param(primary)]
    brightness: i32,
}

#[derive(Device)]
#[device(no_primary)]
struct Service {
    #[param(primary)]
    reboot: bool,
}

fn main() {}
