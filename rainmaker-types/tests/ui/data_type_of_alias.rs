use rainmaker_types::Device;

type Label = String;

#[derive(Device)]
struct Light {
    #[param(primary)]
    power: bool,
    #[param(data_type = "int")]
    label: Label,
}

fn main() {}
