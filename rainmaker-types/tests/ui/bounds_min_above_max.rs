use rainmaker_types::Device;

#[derive(Device)]
struct Fan {
    #[param(primary)]
    power: bool,
    #[param(bounds(min = 5, max = 1, step = 1))]
    speed: i32,
    #[param(bounds(min = 30.0, max = -10.5))]
    target: f32,
}

fn main() {}

#[derive(Device)]
#[device(no_primary)]
struct Narrow {
    #[param(standard = Cct)]
    cct: u8,
    #[param(bounds(min = -1, max = 10))]
    level: u16,
}
