use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(primary = true)]
    power: bool,
    #[param(read_only, write_only)]
    level: i32,
    #[param(skip, name = "X")]
    handle: u64,
}

fn main() {}
