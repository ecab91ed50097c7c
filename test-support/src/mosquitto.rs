//! A mosquitto broker for integration tests: plain TCP on a free loopback port,
//! anonymous clients, optional persistence, restartable on the same port (to test
//! what survives a broker restart). The child process is killed on drop.

use std::fs;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long mosquitto gets to listen.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the mosquitto binary is: on `PATH`, or in Debian's `/usr/sbin`.
pub fn mosquitto_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|dir| dir.join("mosquitto"))
        .find(|candidate| candidate.is_file())
}

/// The mosquitto binary, or a `return` from the calling test, which
/// [`mosquitto_or_skip`] reports as skipped under the test function's name.
///
/// ```no_run
/// # fn main() {}
/// #[test]
/// fn talks_to_a_broker() {
///     let binary = rainmaker_test_support::mosquitto_or_return!();
///     # let _ = binary;
/// }
/// ```
#[macro_export]
macro_rules! mosquitto_or_return {
    () => {{
        fn here() {}
        let test = $crate::mosquitto::test_name(::std::any::type_name_of_val(&here));
        match $crate::mosquitto::mosquitto_or_skip(test) {
            ::std::option::Option::Some(binary) => binary,
            ::std::option::Option::None => return,
        }
    }};
}

/// The name of the test function whose item path (with a nested `here` function,
/// inside async blocks) is `path`.
#[doc(hidden)]
pub fn test_name(path: &str) -> &str {
    let mut path = path.strip_suffix("::here").unwrap_or(path);
    while let Some(outer) = path.strip_suffix("::{{closure}}") {
        path = outer;
    }
    path.rsplit("::").next().unwrap_or(path)
}

/// The mosquitto binary, or `None` when the test is skipped: only outside CI (with
/// `CI` set, a missing mosquitto fails the test). A skip is written straight to the
/// terminal's standard error, which the test harness does not capture, so it is
/// seen in `cargo test` output rather than hidden behind an `ok`.
pub fn mosquitto_or_skip(test: &str) -> Option<PathBuf> {
    match mosquitto_binary() {
        Some(binary) => Some(binary),
        None if std::env::var_os("CI").is_some() => {
            panic!("mosquitto is not installed and CI is set; run .ci/mosquitto.sh")
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: mosquitto is not installed (bash .ci/mosquitto.sh installs it)"
            );
            None
        }
    }
}

/// A running mosquitto.
#[derive(Debug)]
pub struct Mosquitto {
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    tls: bool,
}

/// How a test broker is set up beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Settings<'a> {
    /// Save sessions and queued messages to the broker's directory, and reload
    /// them when restarted.
    pub persistence: bool,
    /// The lines of an ACL file (`topic read node/+/config`, `user ...`,
    /// `pattern readwrite node/%u/#`).
    pub acl: Option<&'a str>,
    /// A TLS listener instead of plain TCP.
    pub tls: Option<TlsListener<'a>>,
}

/// A TLS listener. With `client_certificates`, it requires a client certificate
/// from `ca_pem`; the certificate's CN is the user name and replaces the client
/// id (the broker binds client id to certificate, as AWS IoT's policy variables
/// do), and anonymous clients are refused. Without, it is server-only TLS for
/// anonymous clients.
#[derive(Debug, Clone)]
pub struct TlsListener<'a> {
    /// Whether clients must show a certificate from the CA.
    pub client_certificates: bool,
    /// The CA of the client and server certificates (PEM).
    pub ca_pem: &'a str,
    /// The broker's certificate (PEM).
    pub cert_pem: &'a str,
    /// The broker's private key (PEM).
    pub key_pem: &'a str,
}

impl Mosquitto {
    /// Starts mosquitto on a free loopback port; with `persistence`, the broker
    /// saves sessions and queued messages to its directory and reloads them when
    /// restarted.
    ///
    /// # Panics
    ///
    /// If mosquitto does not start (the panic message holds its log).
    pub fn start(binary: &Path, persistence: bool) -> Self {
        Self::start_with(
            binary,
            &Settings {
                persistence,
                ..Settings::default()
            },
        )
    }

    /// Starts mosquitto on a free loopback port as `settings` say.
    ///
    /// # Panics
    ///
    /// If mosquitto does not start (the panic message holds its log).
    pub fn start_with(binary: &Path, settings: &Settings<'_>) -> Self {
        let dir = crate::unique_temp_path("rainmaker-broker");
        let mut last = String::new();
        for _ in 0..3 {
            // (Again on each attempt: a failed attempt's drop removes the directory.)
            fs::create_dir_all(&dir).expect("a temp dir for mosquitto");
            // Started as root, mosquitto drops to its own user: it must still be able
            // to write its persistence file here.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o777));
            }
            let port = free_port();
            let conf = conf(&dir, port, settings);
            fs::write(dir.join("mosquitto.conf"), conf).expect("mosquitto.conf");
            let mut broker = Self {
                binary: binary.to_owned(),
                child: None,
                port,
                dir: dir.clone(),
                tls: settings.tls.is_some(),
            };
            match broker.launch() {
                Ok(()) => return broker,
                Err(log) => last = log,
            }
        }
        panic!("mosquitto did not start:\n{last}");
    }

    fn launch(&mut self) -> Result<(), String> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("mosquitto.log"))
            .map_err(|e| e.to_string())?;
        let mut child = Command::new(&self.binary)
            .arg("-c")
            .arg(self.dir.join("mosquitto.conf"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start mosquitto: {e}"))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let opened = format!("listen socket on port {}", self.port);
        let before = self.log().matches(&opened).count();
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("mosquitto exited: {status}\n{}", self.log()));
            }
            // Only this broker's own log says the port is its own.
            if self.log().matches(&opened).count() > before
                && TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
            {
                self.child = Some(child);
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "mosquitto did not listen on {addr}\n{}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `mqtt://127.0.0.1:<port>` (`mqtts://` with a TLS listener).
    pub fn url(&self) -> String {
        let scheme = if self.tls { "mqtts" } else { "mqtt" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The directory of the broker's configuration, files and log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Kills the broker (as a crash would: no clean shutdown, no last save beyond
    /// the autosave).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the broker as a service manager would (SIGTERM): it saves its
    /// persistent state and exits.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let stopped = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status()
                .is_ok_and(|status| status.success());
            if !stopped {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }

    /// Starts the broker again on the same port, with what it persisted.
    ///
    /// # Panics
    ///
    /// If it does not start.
    pub fn restart(&mut self) {
        self.stop();
        if let Err(log) = self.launch() {
            panic!("mosquitto did not restart:\n{log}");
        }
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("mosquitto.log")).unwrap_or_default()
    }
}

/// The configuration file of a broker in `dir` on `port`, its ACL and
/// certificates written beside it.
fn conf(dir: &Path, port: u16, settings: &Settings<'_>) -> String {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        fs::write(&path, text).expect("a broker file");
        path.display().to_string()
    };
    let mut conf = format!(
        "persistence {persistence}\n\
         persistence_location {dir}/\n\
         autosave_interval 1\n\
         autosave_on_changes true\n\
         log_dest stderr\n\
         log_type error\nlog_type warning\nlog_type notice\nlog_type information\n\
         connection_messages true\n\
         max_queued_messages 100000\n\
         set_tcp_nodelay true\n\
         per_listener_settings false\n\
         allow_anonymous {anonymous}\n",
        persistence = settings.persistence,
        dir = dir.display(),
        anonymous = settings
            .tls
            .as_ref()
            .is_none_or(|tls| !tls.client_certificates),
    );
    if let Some(acl) = settings.acl {
        conf.push_str(&format!("acl_file {}\n", write("acl", acl)));
    }
    conf.push_str(&format!("listener {port} 127.0.0.1\n"));
    if let Some(tls) = &settings.tls {
        conf.push_str(&format!(
            "cafile {}\ncertfile {}\nkeyfile {}\n",
            write("ca.pem", tls.ca_pem),
            write("server.pem", tls.cert_pem),
            write("server.key", tls.key_pem),
        ));
        if tls.client_certificates {
            conf.push_str(
                "require_certificate true\n\
                 use_identity_as_username true\n\
                 use_username_as_clientid true\n",
            );
        }
    }
    conf
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A free TCP port on the loopback interface (nothing listens on it once this
/// returns).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_names_come_from_the_enclosing_function() {
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        assert_eq!(
            super::test_name(path),
            "test_names_come_from_the_enclosing_function"
        );
        let in_async = "runner::a_test::{{closure}}::{{closure}}::here";
        assert_eq!(super::test_name(in_async), "a_test");
    }
}
