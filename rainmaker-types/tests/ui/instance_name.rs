use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[device(instance_name)]
    id: String,
    #[device(instance_name)]
    label: String,
    #[device(instance_name)]
    #[param(name = "Tag")]
    tag: String,
    #[param(primary)]
    power: bool,
}

#[derive(Device)]
#[device(name = "")]
struct Empty {
    #[param(primary)]
    power: bool,
}

fn main() {}
