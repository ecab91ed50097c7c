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

struct Route<H> {
    command: Command,
    allowed: UserRole,
    handler: H,
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
/// router.register(Command::SET_PARAMS, UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER,
///     |req: &rainmaker_tlv::Request<'_>, out: &mut Vec<u8>| {
///         out.extend_from_slice(br#"{"status":"success"}"#);
///         Outcome::Done
///     });
///
/// let request = b"\x01\x03abc\x02\x01\x02\x05\x02\x01\x00\x06\x02{}";
/// let Dispatch::Respond(answer) = router.handle(request) else { unreachable!() };
/// assert_eq!(answer.status, Status::SUCCESS);
/// let resp = Response::decode(&answer.frame)?;
/// assert_eq!(resp.status, Status::SUCCESS);
/// assert_eq!(resp.request_id, Some(&b"abc"[..]));
/// assert_eq!(resp.data, &br#"{"status":"success"}"#[..]);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
pub struct Router<'h> {
    routes: Routes<Box<dyn Handler + 'h>>,
}

/// The route table behind a [`Router`], generic over what a route holds: an
/// application that answers some commands itself keeps one table of its own kind
/// of handler and calls [`Routes::dispatch_into`] with the code that runs it.
pub struct Routes<H> {
    routes: Vec<Route<H>>,
    scratch: Vec<u8>,
}

/// The router's answer to one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dispatch {
    /// The response frame to publish on `from-node`, and what it says.
    Respond(Answer),
    /// The handler deferred its answer.
    Deferred(Pending),
}

/// A response frame, with the command and status it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The encoded response frame.
    pub frame: Vec<u8>,
    /// The command answered (0 when the request named none).
    pub command: Command,
    /// The status sent.
    pub status: Status,
    /// Why the request frame was refused, when it did not decode.
    pub error: Option<crate::Error>,
}

/// What a response appended by [`Routes::dispatch_into`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The command answered (0 when the request named none).
    pub command: Command,
    /// The status sent.
    pub status: Status,
    /// Why the request frame was refused, when it did not decode.
    pub error: Option<crate::Error>,
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
        self.routes.fmt(f)
    }
}

impl<'h> Router<'h> {
    /// A router with no handlers.
    pub fn new() -> Self {
        Router {
            routes: Routes::new(),
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
        self.routes.insert(command, allowed, Box::new(handler));
        self
    }

    /// Removes the handler of `command`; returns whether there was one.
    pub fn unregister(&mut self, command: Command) -> bool {
        self.routes.remove(command)
    }

    /// Handles one `to-node` frame.
    pub fn handle(&mut self, frame: &[u8]) -> Dispatch {
        let mut out = Vec::new();
        match self.handle_into(frame, &mut out) {
            Ok(answered) => Dispatch::Respond(Answer {
                frame: out,
                command: answered.command,
                status: answered.status,
                error: answered.error,
            }),
            Err(pending) => Dispatch::Deferred(pending),
        }
    }

    /// Handles one `to-node` frame, appending the response frame to `out`.
    ///
    /// # Errors
    ///
    /// The [`Pending`] request (and nothing appended) when the handler deferred.
    pub fn handle_into(
        &mut self,
        frame: &[u8],
        out: &mut Vec<u8>,
    ) -> core::result::Result<Answered, Pending> {
        self.routes
            .dispatch_into(frame, out, |handler, request, data| {
                handler.handle(request, data)
            })
    }
}

impl<H> Default for Routes<H> {
    fn default() -> Self {
        Routes::new()
    }
}

impl<H> fmt::Debug for Routes<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.routes.iter().map(|r| (r.command, r.allowed)))
            .finish()
    }
}

impl<H> Routes<H> {
    /// A table with no routes.
    pub fn new() -> Self {
        Routes {
            routes: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Routes `command` to `handler`, for requests whose base role shares a flag
    /// with `allowed`. Replaces an earlier route of the same command.
    pub fn insert(&mut self, command: Command, allowed: UserRole, handler: H) -> &mut Self {
        let route = Route {
            command,
            allowed,
            handler,
        };
        match self.routes.iter_mut().find(|r| r.command == command) {
            Some(existing) => *existing = route,
            None => self.routes.push(route),
        }
        self
    }

    /// Removes the route of `command`; returns whether there was one.
    pub fn remove(&mut self, command: Command) -> bool {
        let before = self.routes.len();
        self.routes.retain(|r| r.command != command);
        self.routes.len() != before
    }

    /// Handles one `to-node` frame: checks it, finds its route, runs the route's
    /// handler with `run` (which writes the response data and says how it went),
    /// and appends the response frame to `out`.
    ///
    /// # Errors
    ///
    /// The [`Pending`] request (and nothing appended) when the handler deferred.
    pub fn dispatch_into(
        &mut self,
        frame: &[u8],
        out: &mut Vec<u8>,
        mut run: impl FnMut(&mut H, &Request<'_>, &mut Vec<u8>) -> Outcome,
    ) -> core::result::Result<Answered, Pending> {
        let raw = match RawFrame::parse(frame) {
            Ok(raw) => raw,
            Err(error) => {
                let (id, command) = salvage(frame);
                return Ok(answer(
                    out,
                    Response::new(command, Status::INVALID).with_request_id(id),
                    Some(error),
                ));
            }
        };
        let id = raw.request_id().unwrap_or_default();
        let command = raw.command().unwrap_or_default();
        let role = raw.role().unwrap_or_default();
        let reply = Response::new(command, Status::INVALID).with_request_id(id);
        if id.is_empty() || role.0 == 0 || command.0 == 0 {
            return Ok(answer(out, reply, None));
        }
        let Some(route) = self.routes.iter_mut().find(|r| r.command == command) else {
            return Ok(answer(
                out,
                Response {
                    status: Status::NOT_FOUND,
                    ..reply
                },
                None,
            ));
        };
        if !route.allowed.allows(role) {
            return Ok(answer(
                out,
                Response {
                    status: Status::AUTH_FAILED,
                    ..reply
                },
                None,
            ));
        }
        let Ok(request) = Request::from_raw(&raw) else {
            // Role and command are present, so this cannot fail.
            return Ok(answer(out, reply, None));
        };
        self.scratch.clear();
        match run(&mut route.handler, &request, &mut self.scratch) {
            Outcome::Done => {
                let ok = Response {
                    status: Status::SUCCESS,
                    ..reply
                }
                .with_data(&self.scratch[..]);
                let before = out.len();
                if ok.encode_append(out).is_ok() {
                    return Ok(Answered {
                        command,
                        status: Status::SUCCESS,
                        error: None,
                    });
                }
                // Data the protocol cannot carry (over 64 KiB).
                out.truncate(before);
                Ok(answer(
                    out,
                    Response {
                        status: Status::FAILED,
                        ..reply
                    },
                    None,
                ))
            }
            Outcome::Failed => Ok(answer(
                out,
                Response {
                    status: Status::FAILED,
                    ..reply
                },
                None,
            )),
            Outcome::Deferred => {
                let mut saved = [0u8; MAX_REQUEST_ID_LEN];
                let len = id.len().min(MAX_REQUEST_ID_LEN);
                if let (Some(dst), Some(src)) = (saved.get_mut(..len), id.get(..len)) {
                    dst.copy_from_slice(src);
                }
                Err(Pending {
                    id: saved,
                    id_len: len as u8,
                    command,
                })
            }
        }
    }
}

/// Appends a response whose fields are within limits (request ids come
/// from a checked frame or are empty; no data), and says what it carries.
fn answer(out: &mut Vec<u8>, response: Response<'_>, error: Option<crate::Error>) -> Answered {
    // Cannot fail: the request id is at most MAX_REQUEST_ID_LEN bytes.
    let _ = response.encode_append(out);
    Answered {
        command: response.command,
        status: response.status,
        error,
    }
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
