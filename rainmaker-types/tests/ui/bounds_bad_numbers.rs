use rainmaker_types::Device;

#[derive(Device)]
struct Fan {
    #[param(primary)]
    power: bool,
    #[param(bounds(min = 0, max = 5.5))]
    speed: i32,
    #[param(bounds(min = 0, max = 5, step = 0))]
    level: u8,
    #[param(bounds(max = 10))]
    target: f32,
    #[param(bounds(min = 1, max = 10))]
    schedules: Vec<u32>,
    #[param(bounds(min = 0, max = 5, stride = 1))]
    other: i16,
}

fn main() {}
