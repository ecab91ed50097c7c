use rainmaker_types::Device;

#[derive(Device)]
struct Light {
    #[param(primary, on_write = Self::on_power)]
    power: bool,
}

impl Light {
    fn on_power(&mut self, new: &i32) -> Result<(), String> {
        let _ = new;
        Ok(())
    }
}

fn main() {}
