//! TLS 1.3 with an X.509 client certificate over any [`Transport`], with
//! embedded-tls: the broker's certificate checked against a CA (and its name
//! against the server name), the node proven by a P-256 key, the kind RainMaker's
//! newer claiming issues. (Keys of RainMaker 1.x claiming are RSA-2048: on a device
//! those take a TLS stack with RSA, such as esp-mbedtls on the ESP32's RSA
//! accelerator, behind a [`Transport`] of its own.)
//!
//! ```no_run
//! # fn run(tcp: impl rainmaker_embedded::Transport, rng: impl rainmaker_embedded::tls::CryptoRngCore,
//! #     ca: &[u8], cert: &[u8], key: &[u8]) -> Result<(), rainmaker_embedded::tls::IdentityError> {
//! use rainmaker_embedded::tls::{Identity, TlsTransport};
//!
//! let identity = Identity::new(ca, cert, key)?; // DER: the CA, the node's certificate, its key
//! let tls = TlsTransport::new(tcp, identity, "broker.example.com", rng);
//! // NodeDriver::new(node, tls, clock, &mut rx, &mut tx)
//! # Ok(()) }
//! ```

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use core::cell::Cell;
use core::fmt;
use core::ptr::NonNull;

use embedded_io_async::{ErrorKind, ErrorType, Read, Write};
use embedded_tls::pki::CertVerifier;
use embedded_tls::{
    Aes128GcmSha256, Certificate, CryptoProvider, NoClock, SignatureScheme, TlsConfig,
    TlsConnection, TlsContext, TlsError, TlsVerifier,
};
use p256::SecretKey;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::DecodePrivateKey;

pub use embedded_tls::CryptoRngCore;

use crate::Transport;

/// The cipher suite: the one every TLS 1.3 server has.
type Suite = Aes128GcmSha256;
/// Room for the broker's certificate while it is verified.
const CERT_SIZE: usize = 4096;
/// The largest TLS record a server may send (16 KiB of data and its overhead).
pub const RECORD_READ_BUFFER: usize = 16_640;
/// The record buffer for writing: large messages are split into records this size.
pub const RECORD_WRITE_BUFFER: usize = 4096;

/// What proves the broker and the node to each other, all DER: the CA that
/// signed the broker's certificate, the node's certificate and its P-256 key.
#[derive(Clone)]
pub struct Identity<'a> {
    ca: &'a [u8],
    cert: &'a [u8],
    key: SecretKey,
}

impl fmt::Debug for Identity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("ca", &self.ca.len())
            .field("cert", &self.cert.len())
            .finish_non_exhaustive()
    }
}

/// The node's key is not a P-256 key in PKCS#8 or SEC1 DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityError;

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the key is not a P-256 private key in PKCS#8 or SEC1 DER")
    }
}

impl core::error::Error for IdentityError {}

impl<'a> Identity<'a> {
    /// The CA certificate, the node's certificate and its key (PKCS#8 or SEC1).
    ///
    /// # Errors
    ///
    /// [`IdentityError`] when the key is not a P-256 key.
    pub fn new(ca: &'a [u8], cert: &'a [u8], key: &[u8]) -> Result<Self, IdentityError> {
        let key = SecretKey::from_pkcs8_der(key)
            .or_else(|_| SecretKey::from_sec1_der(key))
            .map_err(|_| IdentityError)?;
        Ok(Self { ca, cert, key })
    }
}

/// Why a TLS connection could not be opened.
#[derive(Debug)]
pub enum TlsConnectError {
    /// The inner transport could not connect.
    Transport(ErrorKind),
    /// The handshake failed: the broker's certificate, its name, the node's
    /// certificate refused, or the transport during the handshake.
    Handshake(TlsError),
}

impl fmt::Display for TlsConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(kind) => write!(f, "cannot connect: {kind:?}"),
            Self::Handshake(error) => write!(f, "TLS handshake failed: {error:?}"),
        }
    }
}

impl core::error::Error for TlsConnectError {}

impl embedded_io_async::Error for TlsConnectError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Transport(kind) | Self::Handshake(TlsError::Io(kind)) => *kind,
            Self::Handshake(_) => ErrorKind::PermissionDenied,
        }
    }
}

/// The keys, the certificates and the verifier of one handshake.
struct Provider<'p, R> {
    rng: &'p mut R,
    verifier: CertVerifier<'p, Suite, NoClock, CERT_SIZE>,
    key: &'p SecretKey,
    cert: &'p [u8],
}

impl<R: CryptoRngCore> CryptoProvider for Provider<'_, R> {
    type CipherSuite = Suite;
    type Signature = DerSignature;

    fn rng(&mut self) -> impl CryptoRngCore {
        &mut *self.rng
    }

    fn verifier(&mut self) -> Result<&mut impl TlsVerifier<Suite>, TlsError> {
        Ok(&mut self.verifier)
    }

    fn signer(
        &mut self,
    ) -> Result<(impl signature::SignerMut<DerSignature>, SignatureScheme), TlsError> {
        Ok((
            SigningKey::from(self.key),
            SignatureScheme::EcdsaSecp256r1Sha256,
        ))
    }

    fn client_cert(&mut self) -> Option<Certificate<impl AsRef<[u8]>>> {
        Some(Certificate::X509(self.cert))
    }
}

/// The inner transport as the TLS connection sees it: writes go through until the
/// connection is taken apart, then vanish, so that the close_notify of a lost
/// connection cannot reach the next one (over a UART, the next TCP connection is
/// the same byte stream).
struct Muted<T> {
    inner: T,
    mute: Rc<Cell<bool>>,
}

impl<T: ErrorType> ErrorType for Muted<T> {
    type Error = T::Error;
}

impl<T: Read> Read for Muted<T> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, T::Error> {
        self.inner.read(buf).await
    }
}

impl<T: Write> Write for Muted<T> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, T::Error> {
        if self.mute.get() {
            return Ok(buf.len());
        }
        self.inner.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), T::Error> {
        if self.mute.get() {
            return Ok(());
        }
        self.inner.flush().await
    }
}

/// Where the inner transport is: on its own between connections, inside the TLS
/// connection during one.
// One per transport, made once and never moved about: boxing the connection would
// only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Inner<'a, T: Read + Write> {
    Plain(T),
    Tls(TlsConnection<'a, Muted<T>, Suite>),
    /// Only while moving from one to the other.
    Moving,
}

/// TLS 1.3 over another [`Transport`], opened again for every connection: the
/// node's certificate and key, the broker's certificate checked against the CA
/// and the server name. It owns its record buffers
/// ([`RECORD_READ_BUFFER`] + [`RECORD_WRITE_BUFFER`] bytes on the heap) and
/// reuses them for every connection.
pub struct TlsTransport<'a, T: Read + Write, R> {
    /// Borrows `buffers` while it holds a TLS connection; emptied first by `Drop`.
    inner: Inner<'a, T>,
    /// The record buffers, allocated by `new` and freed by `Drop`.
    buffers: NonNull<[u8]>,
    /// Silences the inner transport while a connection is taken apart.
    mute: Rc<Cell<bool>>,
    identity: Identity<'a>,
    server_name: &'a str,
    rng: R,
}

// A TLS connection borrows the record buffers, which only it (through this struct)
// can reach: making one needs a reference that outlives the call that makes it,
// and freeing the buffers needs it gone first. Both are done here and nowhere else.
#[allow(unsafe_code)]
impl<'a, T: Transport, R: CryptoRngCore> TlsTransport<'a, T, R> {
    /// TLS over `inner`, proving `identity`, to the broker called `server_name`
    /// (checked against its certificate), with randomness from `rng` (a hardware
    /// RNG on a device).
    pub fn new(inner: T, identity: Identity<'a>, server_name: &'a str, rng: R) -> Self {
        let buffers = NonNull::from(Box::leak(
            vec![0u8; RECORD_READ_BUFFER + RECORD_WRITE_BUFFER].into_boxed_slice(),
        ));
        Self {
            inner: Inner::Plain(inner),
            buffers,
            mute: Rc::new(Cell::new(false)),
            identity,
            server_name,
            rng,
        }
    }

    /// Takes the TLS connection apart, if there is one (its close_notify goes
    /// nowhere: the connection is lost or being replaced), and gives the inner
    /// transport back.
    async fn take_plain(&mut self) -> Option<T> {
        match core::mem::replace(&mut self.inner, Inner::Moving) {
            Inner::Plain(inner) => Some(inner),
            Inner::Tls(connection) => {
                self.mute.set(true);
                let muted = match connection.close().await {
                    Ok(inner) | Err((inner, _)) => inner,
                };
                self.mute.set(false);
                Some(muted.inner)
            }
            Inner::Moving => None,
        }
    }
}

#[allow(unsafe_code)]
impl<T: Read + Write, R> Drop for TlsTransport<'_, T, R> {
    fn drop(&mut self) {
        // The connection, the only holder of references into the buffers, goes
        // first.
        self.inner = Inner::Moving;
        // SAFETY: the buffers came from `Box::leak` in `new` and nothing refers
        // to them any more.
        drop(unsafe { Box::from_raw(self.buffers.as_ptr()) });
    }
}

#[allow(unsafe_code)]
impl<T: Transport, R: CryptoRngCore> Transport for TlsTransport<'_, T, R> {
    type ConnectError = TlsConnectError;

    async fn connect(&mut self) -> Result<(), TlsConnectError> {
        use embedded_io_async::Error as _;
        let lost = || TlsConnectError::Handshake(TlsError::InternalError);
        // Between awaits the inner transport is always back in `self.inner`, so
        // that a call cancelled anywhere (the driver's connect timeout) loses
        // nothing: the next one starts over. (Taking a connection apart does not
        // wait: its writes are muted.)
        let inner = self.take_plain().await.ok_or_else(lost)?;
        self.inner = Inner::Plain(inner);
        if let Inner::Plain(inner) = &mut self.inner {
            inner
                .connect()
                .await
                .map_err(|error| TlsConnectError::Transport(error.kind()))?;
        }
        let Inner::Plain(inner) = core::mem::replace(&mut self.inner, Inner::Moving) else {
            return Err(lost());
        };
        // SAFETY: the buffers are live until `drop`, and no other reference into
        // them exists: `take_plain` consumed the last connection, the only holder
        // of one. This one is dropped before the buffers are (`drop`, or the next
        // `take_plain`), and nothing borrowed from it leaves this struct.
        let all: &mut [u8] = unsafe { &mut *self.buffers.as_ptr() };
        let (read, write) = all.split_at_mut(RECORD_READ_BUFFER);
        let muted = Muted {
            inner,
            mute: Rc::clone(&self.mute),
        };
        self.inner = Inner::Tls(TlsConnection::new(muted, read, write));
        let Inner::Tls(connection) = &mut self.inner else {
            return Err(lost());
        };
        let config = TlsConfig::new().with_server_name(self.server_name);
        let provider = Provider {
            rng: &mut self.rng,
            verifier: CertVerifier::new(Certificate::X509(self.identity.ca)),
            key: &self.identity.key,
            cert: self.identity.cert,
        };
        connection
            .open(TlsContext::new(&config, provider))
            .await
            .map_err(TlsConnectError::Handshake)
    }

    /// Does nothing at once: the inner transport is inside the TLS connection,
    /// which only gives it back asynchronously. The next
    /// [`Transport::connect`] takes it back and connects it again.
    fn close(&mut self) {}
}

impl<T: Read + Write, R> ErrorType for TlsTransport<'_, T, R> {
    type Error = TlsError;
}

impl<T: Read + Write, R> Read for TlsTransport<'_, T, R> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, TlsError> {
        match &mut self.inner {
            Inner::Tls(connection) => connection.read(buf).await,
            _ => Err(TlsError::Io(ErrorKind::NotConnected)),
        }
    }
}

impl<T: Read + Write, R> Write for TlsTransport<'_, T, R> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, TlsError> {
        match &mut self.inner {
            Inner::Tls(connection) => connection.write(buf).await,
            _ => Err(TlsError::Io(ErrorKind::NotConnected)),
        }
    }

    async fn flush(&mut self) -> Result<(), TlsError> {
        match &mut self.inner {
            Inner::Tls(connection) => connection.flush().await,
            _ => Err(TlsError::Io(ErrorKind::NotConnected)),
        }
    }
}
