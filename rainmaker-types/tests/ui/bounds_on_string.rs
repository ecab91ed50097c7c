use rainmaker_types::Device;

#[derive(Device)]
struct Fan {
    #[param(primary)]
    power: bool,
    #[param(bounds(min = 0, max = 3))]
    mode: String,
}

fn main() {}
