use rainmaker_types::Device;

#[derive(Device)]
struct Sensor {
    #[param(primary, read_only, time_series, simple_ts)]
    temperature: f32,
    #[param(standard = Temperature, name = "Outside", simple_ts, time_series)]
    outside: f32,
}

fn main() {}
