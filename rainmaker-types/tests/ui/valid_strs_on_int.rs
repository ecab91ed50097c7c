use rainmaker_types::Device;

#[derive(Device)]
struct Fan {
    #[param(primary)]
    power: bool,
    #[param(valid_strs("Low", "High"))]
    speed: i32,
    #[param(valid_strs("Auto", "Cool", "Auto"))]
    mode: String,
}

fn main() {}
