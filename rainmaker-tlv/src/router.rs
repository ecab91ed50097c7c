//! The node-side command router (feature `alloc`).

use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use crate::{
    Command, MAX_REQUEST_ID_LEN, RawFrame, Request, Response, Result, Status, Tag, UserRole,
    records,
};

/// What a handler did with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Success: the bytes the handler wrote are the response data (status 0).
    Done,
    /// Failure: status 1, and whatever the handler wrote is dropped.
    Failed,
    /// No answer now: the router hands back a [`Pending`] to answer later.
    Deferred,
}

/// A command handler.
///
/// It receives the decoded request and a cleared buffer for the response
/// data. Closures `FnMut(&Request<'_>, &mut Vec<u8>) -> Outcome` are handlers.
pub trait Handler {
    /// Handles one request.
    fn handle(&mut self, request: &Request<'_>, data: &mut Vec<u8>) -> Outcome;
}

impl<F> Handler for F
where
    F: FnMut(&Request<'_>, &mut Vec<u8>) -> Outcome,
{
    fn handle(&mut self, request: &Request<'_>, data: &mut Vec<u8>) -> Outcome {
        self(request, data)
    }
}

struct Route<'h> {
    command: Command,
    allowed: UserRole,
    handler: Box<dyn Handler + 'h>,
}

/// Dispatches `to-node` frames to handlers and builds the `from-node` answers.
///
/// The statuses are the C implementation's: a frame without a non-empty
/// request id, a non-zero role or a non-zero command gets status 2 (invalid),
/// an unknown command 4 (not found), a role outside the handler's mask 3
/// (auth fail), a failed handler 1 with no data, a successful one 0 with its
/// data. The response echoes the request id and command and has no role
/// record. A frame that does not decode gets status 2 as well (see the
/// crate's "Differences from the C implementation").
///
/// ```
/// use rainmaker_tlv::{Command, Dispatch, Outcome, Response, Router, Status, UserRole};
///
/// let mut router = Router::new();
/// router.register(Command::SET_PARAMS, UserRole::SUPER_ADMIN | UserRole::PRIMARY,
///     |req: &rainmaker_tlv::Request<'_>, out: &mut Vec<u8>| {
///         out.extend_from_slice(br#"{"status":"success"}"#);
///         Outcome::Done
///     });
///
/// let request = b"\x01\x03abc\x02\x01\x02\x05\x02\x01\x00\x06\x02{}";
/// let Dispatch::Respond(bytes) = router.handle(request) else { unreachable!() };
/// let resp = Response::decode(&bytes)?;
/// assert_eq!(resp.status, Status::SUCCESS);
/// assert_eq!(resp.request_id, Some(&b"abc"[..]));
/// assert_eq!(resp.data, &br#"{"status":"success"}"#[..]);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
pub struct Router<'h> {
    routes: Vec<Route<'h>>,
    scratch: Vec<u8>,
}

/// The router's answer to one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dispatch {
    /// The response frame to publish on `from-node`.
    Respond(Vec<u8>),
    /// The handler deferred its answer.
    Deferred(Pending),
}

/// A deferred request: what is needed to answer it later.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pending {
    id: [u8; MAX_REQUEST_ID_LEN],
    id_len: u8,
    command: Command,
}

impl Pending {
    /// The saved request id.
    pub fn request_id(&self) -> &[u8] {
        self.id.get(..usize::from(self.id_len)).unwrap_or_default()
    }

    /// The command being answered.
    pub fn command(&self) -> Command {
        self.command
    }

    /// The response to send later: saved request id, command, `status`
    /// (add data with [`Response::with_data`]).
    pub fn response(&self, status: Status) -> Response<'_> {
        Response::new(self.command, status).with_request_id(self.request_id())
    }

    /// The encoded response frame with `status` and `data`.
    pub fn respond(&self, status: Status, data: &[u8]) -> Result<Vec<u8>> {
        self.response(status).with_data(data).to_vec()
    }
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("request_id", &self.request_id().escape_ascii().to_string())
            .field("command", &self.command)
            .finish()
    }
}

impl Default for Router<'_> {
    fn default() -> Self {
        Router::new()
    }
}

impl fmt::Debug for Router<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.routes.iter().map(|r| (r.command, r.allowed)))
            .finish()
    }
}

impl<'h> Router<'h> {
    /// A router with no handlers.
    pub fn new() -> Self {
        Router {
            routes: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Registers `handler` for `command`, callable by requests whose base
    /// role shares a flag with `allowed`. Replaces an earlier registration
    /// of the same command.
    pub fn register(
        &mut self,
        command: Command,
        allowed: UserRole,
        handler: impl Handler + 'h,
    ) -> &mut Self {
        let route = Route {
            command,
            allowed,
            handler: Box::new(handler),
        };
        match self.routes.iter_mut().find(|r| r.command == command) {
            Some(existing) => *existing = route,
            None => self.routes.push(route),
        }
        self
    }

    /// Removes the handler of `command`; returns whether there was one.
    pub fn unregister(&mut self, command: Command) -> bool {
        let before = self.routes.len();
        self.routes.retain(|r| r.command != command);
        self.routes.len() != before
    }

    /// Handles one `to-node` frame.
    pub fn handle(&mut self, frame: &[u8]) -> Dispatch {
        let mut out = Vec::new();
        match self.handle_into(frame, &mut out) {
            Some(pending) => Dispatch::Deferred(pending),
            None => Dispatch::Respond(out),
        }
    }

    /// Handles one `to-node` frame, appending the response frame to `out`.
    ///
    /// Returns `Some` (and appends nothing) when the handler deferred.
    pub fn handle_into(&mut self, frame: &[u8], out: &mut Vec<u8>) -> Option<Pending> {
        let raw = match RawFrame::parse(frame) {
            Ok(raw) => raw,
            Err(_) => {
                let (id, command) = salvage(frame);
                answer(
                    out,
                    Response::new(command, Status::INVALID).with_request_id(id),
                );
                return None;
            }
        };
        let id = raw.request_id().unwrap_or_default();
        let command = raw.command().unwrap_or_default();
        let role = raw.role().unwrap_or_default();
        let reply = Response::new(command, Status::INVALID).with_request_id(id);
        if id.is_empty() || role.0 == 0 || command.0 == 0 {
            answer(out, reply);
            return None;
        }
        let Some(route) = self.routes.iter_mut().find(|r| r.command == command) else {
            answer(
                out,
                Response {
                    status: Status::NOT_FOUND,
                    ..reply
                },
            );
            return None;
        };
        if !route.allowed.allows(role) {
            answer(
                out,
                Response {
                    status: Status::AUTH_FAIL,
                    ..reply
                },
            );
            return None;
        }
        let Ok(request) = Request::from_raw(&raw) else {
            // Role and command are present, so this cannot fail.
            answer(out, reply);
            return None;
        };
        self.scratch.clear();
        match route.handler.handle(&request, &mut self.scratch) {
            Outcome::Done => {
                let ok = Response {
                    status: Status::SUCCESS,
                    ..reply
                }
                .with_data(&self.scratch[..]);
                if ok.encode_append(out).is_err() {
                    // Data the protocol cannot carry (over 64 KiB).
                    answer(
                        out,
                        Response {
                            status: Status::FAILED,
                            ..reply
                        },
                    );
                }
            }
            Outcome::Failed => answer(
                out,
                Response {
                    status: Status::FAILED,
                    ..reply
                },
            ),
            Outcome::Deferred => {
                let mut saved = [0u8; MAX_REQUEST_ID_LEN];
                let len = id.len().min(MAX_REQUEST_ID_LEN);
                if let (Some(dst), Some(src)) = (saved.get_mut(..len), id.get(..len)) {
                    dst.copy_from_slice(src);
                }
                return Some(Pending {
                    id: saved,
                    id_len: len as u8,
                    command,
                });
            }
        }
        None
    }
}

/// Appends a response whose fields are within limits (request ids come
/// from a checked frame or are empty; no data).
fn answer(out: &mut Vec<u8>, response: Response<'_>) {
    // Cannot fail: the request id is at most MAX_REQUEST_ID_LEN bytes.
    let _ = response.encode_append(out);
}

/// The request id and command readable before the fault in a frame that
/// does not decode: the first well-formed request-id and command records.
fn salvage(frame: &[u8]) -> (&[u8], Command) {
    let (mut id, mut command) = (None, None);
    let (mut seen_id, mut seen_command) = (false, false);
    for record in records(frame).map_while(|r| r.ok()) {
        if record.tag == Tag::REQUEST_ID && !seen_id {
            seen_id = true;
            if record.value.len() <= MAX_REQUEST_ID_LEN {
                id = Some(record.value);
            }
        } else if record.tag == Tag::COMMAND && !seen_command {
            seen_command = true;
            if let [lo, hi] = *record.value {
                command = Some(Command(u16::from_le_bytes([lo, hi])));
            }
        }
    }
    (id.unwrap_or_default(), command.unwrap_or_default())
}
