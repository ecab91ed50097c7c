use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(standard = Dimmer, primary)]
    power: bool,
}

fn main() {}
