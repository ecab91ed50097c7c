use rainmaker_types::Device;

#[derive(Device)]
struct Sensor {
    #[param(primary)]
    power: bool,
    #[param(time_series)]
    history: Vec<f32>,
    #[param(time_series)]
    raw: serde_json::Value,
}

fn main() {}
