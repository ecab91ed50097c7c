use rainmaker_types::Device;

#[derive(Device)]
struct Fan {
    #[param(primary, bounds(min = 0, max = 1))]
    power: bool,
}

fn main() {}
