use rainmaker_types::Device;

#[derive(Device)]
#[device(name = "Light", colour = "red")]
struct Light {
    #[param(primary)]
    power: bool,
}

#[derive(Device)]
#[device(crate = "not a path", no_primary)]
struct BadCrate {
    power: bool,
}

fn main() {}
