use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(standard = Power, primary)]
    power: i32,
    #[param(standard = Brightness)]
    brightness: String,
    #[param(data_type = "string")]
    count: u8,
    #[param(standard = Name, data_type = "int")]
    name: String,
    #[param(data_type = "text")]
    other: String,
    big: u64,
}

fn main() {}
