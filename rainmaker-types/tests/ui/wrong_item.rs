use rainmaker_types::Device;

#[derive(Device)]
enum Mode {
    Auto,
}

#[derive(Device)]
struct Pair(bool, i32);

#[derive(Device)]
struct Generic<T> {
    #[param(primary)]
    value: T,
}

#[derive(Device)]
#[param(primary)]
struct Misplaced {
    #[device(name = "x")]
    #[param(primary)]
    power: bool,
}

fn main() {}
