//! A RainMaker node on an ESP32-C3: the SDK's `led_light` node (a light, OTA over
//! topics) on Wi-Fi (station, DHCP, DNS), over TLS 1.3 with a client certificate
//! to an MQTT broker, run by `rainmaker-embedded`'s driver; the wall clock from
//! SNTP. Configured at build time (README.md). It downloads no firmware: OTA offers
//! are answered `failed`.

#![no_std]
#![no_main]

extern crate alloc;

mod config {
    include!(concat!(env!("OUT_DIR"), "/config.rs"));
}
mod net;

use embassy_executor::Spawner;
use embassy_net::{Runner, StackResources};
use embassy_time::Timer;
use esp_backtrace as _;
use esp_hal::clock::CpuClock;
use esp_hal::rng::{Trng, TrngSource};
use esp_hal::timer::timg::TimerGroup;
use esp_println::println;
use esp_radio::wifi::sta::StationConfig;
use esp_radio::wifi::{
    AuthenticationMethodConfig, Config, ControllerConfig, Interface, Password, Ssid, WifiController,
};
use rainmaker_embedded::tls::{Identity, TlsTransport};
use rainmaker_embedded::{Event, NodeDriver};
use rainmaker_example_devices::{decline_ota, led_light_node};
use rainmaker_types::NodeId;
use rainmaker_types::node;
use static_cell::StaticCell;

use net::{EmbassyClock, Tcp};

esp_bootloader_esp_idf::esp_app_desc!();

/// The largest MQTT message either way.
const BUFFER: usize = 4096;
/// TCP socket buffers.
const SOCKET_BUFFER: usize = 2048;

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let peripherals = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));
    esp_alloc::heap_allocator!(#[esp_hal::ram(reclaimed)] size: 64 * 1024);
    esp_alloc::heap_allocator!(size: 48 * 1024);

    let timg0 = TimerGroup::new(peripherals.TIMG0);
    esp_rtos::start(timg0.timer0, peripherals.FROM_CPU_INTR0);

    static TRNG_SOURCE: StaticCell<TrngSource<'static>> = StaticCell::new();
    TRNG_SOURCE.init(TrngSource::new(peripherals.RNG, peripherals.ADC1));
    let Ok(trng) = Trng::try_new() else {
        panic!("the true random number generator is not running");
    };

    let (Ok(ssid), Ok(password)) = (
        Ssid::try_from(config::WIFI_SSID),
        Password::try_from(config::WIFI_PASSWORD),
    ) else {
        panic!("WIFI_SSID or WIFI_PASSWORD is too long");
    };
    let authentication = if config::WIFI_PASSWORD.is_empty() {
        AuthenticationMethodConfig::Open
    } else {
        AuthenticationMethodConfig::Wpa2Personal(password)
    };
    let station = Config::Station(
        StationConfig::default()
            .with_ssid(ssid)
            .with_authentication(authentication),
    );
    let controller = match WifiController::new(
        peripherals.WIFI,
        ControllerConfig::default().with_initial_config(station),
    ) {
        Ok(controller) => controller,
        Err(error) => panic!("Wi-Fi: {error:?}"),
    };
    static RESOURCES: StaticCell<StackResources<4>> = StaticCell::new();
    let seed = (u64::from(trng.random()) << 32) | u64::from(trng.random());
    let (stack, runner) = embassy_net::new(
        Interface::station(),
        embassy_net::Config::dhcpv4(Default::default()),
        RESOURCES.init(StackResources::new()),
        seed,
    );
    spawner.spawn(wifi(controller).expect("one Wi-Fi task"));
    spawner.spawn(network(runner).expect("one network task"));
    stack.wait_config_up().await;
    if let Some(config) = stack.config_v4() {
        println!("address {}", config.address);
    }
    net::sync_time(stack, "pool.ntp.org").await;

    let Ok(node_id) = NodeId::new(config::RAINMAKER_NODE_ID) else {
        panic!("RAINMAKER_NODE_ID is not a valid node id");
    };
    let node = match led_light_node(node_id) {
        Ok(node) => node,
        Err(error) => panic!("{error:?}"),
    };

    static SOCKET: StaticCell<([u8; SOCKET_BUFFER], [u8; SOCKET_BUFFER])> = StaticCell::new();
    let (socket_rx, socket_tx) = SOCKET.init(([0; SOCKET_BUFFER], [0; SOCKET_BUFFER]));
    let port = config::RAINMAKER_BROKER_PORT.parse().unwrap_or(8883);
    let tcp = Tcp::new(
        stack,
        socket_rx,
        socket_tx,
        config::RAINMAKER_BROKER_HOST,
        port,
    );
    let identity = match Identity::new(
        config::RAINMAKER_CA,
        config::RAINMAKER_CERT,
        config::RAINMAKER_KEY,
    ) {
        Ok(identity) => identity,
        Err(error) => panic!("RAINMAKER_KEY: {error}"),
    };
    let server_name = match config::RAINMAKER_SERVER_NAME {
        "" => config::RAINMAKER_BROKER_HOST,
        name => name,
    };
    let tls = TlsTransport::new(tcp, identity, server_name, trng);

    static BUFFERS: StaticCell<([u8; BUFFER], [u8; BUFFER])> = StaticCell::new();
    let (rx, tx) = BUFFERS.init(([0; BUFFER], [0; BUFFER]));
    let mut driver = NodeDriver::new(node, tls, EmbassyClock, rx, tx);
    loop {
        let event = driver.next_event().await;
        println!("{event:?}");
        if let Event::Node(event) = &event
            && let node::Event::OtaOffered(_) = **event
        {
            let answered = driver.change(decline_ota);
            if let Err(error) = answered {
                println!("OTA status not sent: {error:?}");
            }
        }
    }
}

/// Keeps the station connected: connects, waits for a disconnection, connects
/// again after a pause.
#[embassy_executor::task]
async fn wifi(mut controller: WifiController<'static>) {
    loop {
        match controller.connect_async().await {
            Ok(info) => {
                println!("Wi-Fi connected: {info:?}");
                let lost = controller.wait_for_disconnect_async().await;
                println!("Wi-Fi disconnected: {lost:?}");
            }
            Err(error) => println!("Wi-Fi connection failed: {error:?}"),
        }
        Timer::after_secs(5).await;
    }
}

/// Runs the network stack.
#[embassy_executor::task]
async fn network(mut runner: Runner<'static, Interface>) {
    runner.run().await
}
