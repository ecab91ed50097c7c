use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(primary, writable, min = 0)]
    power: bool,
}

fn main() {}
