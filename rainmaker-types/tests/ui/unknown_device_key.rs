use rainmaker_types::Device;

#[derive(Device)]
#[device(name = "Light", colour = "red")]
struct Light {
    #[param(primary)]
    power: bool,
}

fn main() {}
