//! The channel addresses of a model as one tree over `/`-separated segments: what
//! the generated topic parser walks (its emitter is `emit::topics::parser`).
//!
//! Where a literal and a parameter compete (`params/local/init` against a group
//! named `init`), the literal is tried first and the parameter only if the literal
//! path fails; parameters with more fixed text around them (`params-{g}`) are tried
//! before bare ones (`{g}`).

use crate::model::{Model, ParamTypeRef, Segment};

/// The tree of every channel address of a model.
#[derive(Debug, Default)]
pub struct TopicTree {
    /// The node before the first segment.
    pub root: Node,
    /// The most parameters of one channel: how many captures a parse needs.
    pub captures: usize,
}

/// A node of the tree: what may come at one segment.
#[derive(Debug, Default)]
pub struct Node {
    /// Literal children, tried first, in document order.
    pub literals: Vec<(String, Node)>,
    /// Parameter children, tried in order.
    pub params: Vec<ParamEdge>,
    /// A `#` wildcard here: (channel index, capture index).
    pub rest: Option<(usize, usize)>,
    /// The index of the channel whose address ends here.
    pub terminal: Option<usize>,
}

/// A parameter segment (`{node_id}`, `params-{group}`) leading to a child node.
#[derive(Debug)]
pub struct ParamEdge {
    /// Text before the parameter in the segment.
    pub prefix: String,
    /// Text after the parameter in the segment.
    pub suffix: String,
    /// The parameter's type (what checks the value).
    pub ty: ParamTypeRef,
    /// Where the value is captured (the parameter's index in its channel).
    pub capture: usize,
    /// What follows.
    pub child: Node,
}

impl TopicTree {
    /// The tree of `model`'s channel addresses.
    pub fn build(model: &Model) -> Self {
        let mut root = Node::default();
        for (index, channel) in model.channels.iter().enumerate() {
            let mut node = &mut root;
            for segment in &channel.segments {
                node = match segment {
                    Segment::Literal(text) => node.literal(text),
                    Segment::Param {
                        prefix,
                        param,
                        suffix,
                    } => {
                        let Some(ty) = channel.params.get(*param).map(|p| &p.ty) else {
                            break;
                        };
                        node.param(prefix, suffix, ty, *param)
                    }
                    Segment::Rest(param) => {
                        if node.rest.is_none() {
                            node.rest = Some((index, *param));
                        }
                        break;
                    }
                };
            }
            if !matches!(channel.segments.last(), Some(Segment::Rest(_))) && node.terminal.is_none()
            {
                node.terminal = Some(index);
            }
        }
        root.order();
        let captures = model
            .channels
            .iter()
            .map(|channel| channel.params.len())
            .max()
            .unwrap_or(0);
        Self { root, captures }
    }
}

impl Node {
    /// The child behind the literal `text`, added if new.
    fn literal(&mut self, text: &str) -> &mut Node {
        let at = match self.literals.iter().position(|(known, _)| known == text) {
            Some(at) => at,
            None => {
                self.literals.push((text.to_owned(), Node::default()));
                self.literals.len() - 1
            }
        };
        &mut self.literals[at].1
    }

    /// The child behind a parameter segment, added if new.
    fn param(
        &mut self,
        prefix: &str,
        suffix: &str,
        ty: &ParamTypeRef,
        capture: usize,
    ) -> &mut Node {
        let found = self.params.iter().position(|edge| {
            edge.prefix == prefix
                && edge.suffix == suffix
                && edge.ty == *ty
                && edge.capture == capture
        });
        let at = match found {
            Some(at) => at,
            None => {
                self.params.push(ParamEdge {
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                    ty: ty.clone(),
                    capture,
                    child: Node::default(),
                });
                self.params.len() - 1
            }
        };
        &mut self.params[at].child
    }

    /// Longer fixed text first, so `params-{g}` is tried before `{g}`; recursively.
    fn order(&mut self) {
        self.params
            .sort_by_key(|edge| std::cmp::Reverse(edge.prefix.len() + edge.suffix.len()));
        for (_, child) in &mut self.literals {
            child.order();
        }
        for edge in &mut self.params {
            edge.child.order();
        }
    }
}
