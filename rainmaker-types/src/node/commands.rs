//! The command channel: cmd 1 (set params) answered by the node, custom commands by
//! their handlers, all through one route table kept for the node's life.

use super::*;

/// The roles allowed to call cmd 1 (set params), as the SDK registers it: super-admin,
/// primary and secondary users (mask 0x07).
const SET_PARAMS_ROLES: UserRole = UserRole(0x07);

/// Who answers a command.
pub(super) enum CommandRoute {
    /// The node itself: cmd 1 writes its params.
    SetParams,
    /// A handler the application registered.
    Custom(Box<dyn Handler + Send>),
}

/// The route table of a new node: cmd 1 only.
pub(super) fn routes() -> Routes<CommandRoute> {
    let mut routes = Routes::new();
    routes.insert(
        Command::SET_PARAMS,
        SET_PARAMS_ROLES,
        CommandRoute::SetParams,
    );
    routes
}

impl Node {
    /// Registers a handler for a custom (or other) command on `to-node`, callable by
    /// `roles`. The handler gets the request and a buffer for the response data. A
    /// handler for cmd 1 replaces the node's own.
    pub fn register_command<H: Handler + Send + 'static>(
        &mut self,
        command: Command,
        roles: UserRole,
        handler: H,
    ) {
        self.commands
            .insert(command, roles, CommandRoute::Custom(Box::new(handler)));
    }

    pub(super) fn on_command(&mut self, frame: &[u8], out: &mut Output) -> Result<(), NodeError> {
        let mut written: Option<(ParamsDocument, Vec<WriteError>)> = None;
        let mut response = Vec::new();
        let Node {
            slots,
            reported,
            commands,
            ..
        } = self;
        let dispatch =
            commands.dispatch_into(frame, &mut response, |route, request, data| match route {
                CommandRoute::SetParams => set_params(slots, reported, request, data, &mut written),
                CommandRoute::Custom(handler) => handler.handle(request, data),
            });
        match dispatch {
            Ok(answered) => {
                let request_id = rainmaker_tlv::RawFrame::parse(&response)
                    .ok()
                    .and_then(|frame| frame.request_id())
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                out.publish.push(self.publish(
                    Topic::FromNode {
                        node_id: self.node_id.clone(),
                    },
                    response,
                ));
                out.events.push(Event::CommandAnswered {
                    request_id,
                    command: answered.command,
                    status: answered.status,
                    error: answered.error,
                });
            }
            Err(pending) => out.events.push(Event::CommandDeferred(pending)),
        }
        if let Some((accepted, rejected)) = written {
            out.events.push(Event::ParamsWritten {
                source: WriteSource::Command,
                accepted,
                rejected,
            });
            // Scenes the command activated are applied as the SDK applies them.
            self.run_scene_activations(out)?;
        }
        Ok(())
    }

    /// The `from-node` publish answering a deferred command.
    pub fn respond_later(
        &self,
        pending: &Pending,
        status: Status,
        data: &[u8],
    ) -> Result<Publish, NodeError> {
        let bytes = pending.respond(status, data).map_err(EncodeError::from)?;
        Ok(self.publish(
            Topic::FromNode {
                node_id: self.node_id.clone(),
            },
            bytes,
        ))
    }
}

/// Cmd 1: applies the request's `params` and writes the SDK's response data.
fn set_params(
    slots: &mut [Slot],
    reported: &mut ParamsDocument,
    request: &Request<'_>,
    data: &mut Vec<u8>,
    written: &mut Option<(ParamsDocument, Vec<WriteError>)>,
) -> Outcome {
    let text = request.data.to_vec();
    let Ok(write) = decode_json::<SetParamsRequest>(&text) else {
        return Outcome::Failed;
    };
    // The SDK copies `params` into its buffer as received: measure the received text.
    if crate::json_span::member_len(&text, "params").is_none_or(|len| len > MAX_COMMAND_PARAMS_LEN)
    {
        return Outcome::Failed;
    }
    let (accepted, rejected) = params::apply_write(slots, reported, &write.params);
    let response = SetParamsResponse {
        status: SetParamsResponseStatus::Success,
        params: (!accepted.is_empty()).then(|| accepted.clone()),
        extra: serde_json::Map::new(),
    };
    match sdk_json::to_vec(&response) {
        Ok(bytes) => {
            data.extend_from_slice(&bytes);
            *written = Some((accepted, rejected));
            Outcome::Done
        }
        Err(_) => Outcome::Failed,
    }
}
