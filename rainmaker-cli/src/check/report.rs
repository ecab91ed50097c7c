//! What a check found: the deviations, each with its rule, where it was seen and
//! what was expected; the rules that were checked and the areas that were not.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::rules::{self, Area, Rule};

/// How much of a payload a deviation quotes.
const EXCERPT_LEN: usize = 200;

/// One way the node departed from a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deviation {
    /// The rule's id.
    pub rule: &'static str,
    /// The rule's area.
    pub area: Area,
    /// The rule, in one sentence.
    pub summary: &'static str,
    /// The topic where it was seen, or where something was expected.
    pub topic: String,
    /// What the rule expected.
    pub expected: String,
    /// What came instead (a payload excerpt, or `nothing`).
    pub got: String,
    /// What the lenient decoder repaired in the payload, when it was not JSON.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<String>,
}

/// An area the check could not exercise, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// What was not checked.
    pub what: String,
    /// Why.
    pub why: String,
}

/// Deviations and checked rules as a check collects them.
#[derive(Debug, Default)]
pub struct Findings {
    deviations: Vec<Deviation>,
    checked: BTreeSet<&'static str>,
    skipped: Vec<Skipped>,
    notes: Vec<String>,
}

impl Findings {
    /// Notes that `rule` was exercised (whether or not the node followed it).
    pub fn checked(&mut self, rule: &'static Rule) {
        self.checked.insert(rule.id);
    }

    /// Records a deviation from `rule` (and that the rule was checked). The same
    /// deviation seen again (rule, topic and expectation) is kept once.
    pub fn deviate(
        &mut self,
        rule: &'static Rule,
        topic: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> &mut Deviation {
        self.checked(rule);
        let deviation = Deviation {
            rule: rule.id,
            area: rule.area,
            summary: rule.summary,
            topic: topic.into(),
            expected: expected.into(),
            got: got.into(),
            repairs: Vec::new(),
        };
        let index = match self.deviations.iter().position(|seen| {
            seen.rule == deviation.rule
                && seen.topic == deviation.topic
                && seen.expected == deviation.expected
        }) {
            Some(index) => index,
            None => {
                self.deviations.push(deviation);
                self.deviations.len() - 1
            }
        };
        &mut self.deviations[index]
    }

    /// Notes an area that was not exercised.
    pub fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.skipped.push(Skipped {
            what: what.into(),
            why: why.into(),
        });
    }

    /// Notes what happened to the check itself (the broker lost, a publish
    /// refused): it may explain a deviation.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The deviations so far.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The report of a finished check.
    pub fn into_report(mut self, node_id: &str, broker: &str, seconds: f64) -> Report {
        let order = |id: &str| rules::ALL.iter().position(|rule| rule.id == id);
        self.deviations
            .sort_by_key(|deviation| order(deviation.rule));
        Report {
            node_id: node_id.to_owned(),
            broker: broker.to_owned(),
            conformant: self.deviations.is_empty(),
            seconds,
            checked: self.checked.into_iter().collect(),
            skipped: self.skipped,
            notes: self.notes,
            deviations: self.deviations,
        }
    }
}

/// The result of a check, as printed and as written with `--json` / `--report`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The node checked.
    pub node_id: String,
    /// The broker it was checked on.
    pub broker: String,
    /// No deviation was found.
    pub conformant: bool,
    /// How long the check took.
    pub seconds: f64,
    /// The ids of the rules exercised.
    pub checked: Vec<&'static str>,
    /// What could not be exercised, and why.
    pub skipped: Vec<Skipped>,
    /// What happened to the check itself (its connection, its publishes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Every deviation, in rule order.
    pub deviations: Vec<Deviation>,
}

impl Report {
    /// The deviations from one rule.
    pub fn deviations_from(&self, rule: &Rule) -> impl Iterator<Item = &Deviation> {
        self.deviations
            .iter()
            .filter(move |deviation| deviation.rule == rule.id)
    }

    /// The report for people: deviations grouped by area, then a summary line.
    pub fn human(&self) -> String {
        let mut text = String::new();
        for area in Area::ALL {
            let mut deviations = self
                .deviations
                .iter()
                .filter(|deviation| deviation.area == area)
                .peekable();
            if deviations.peek().is_none() {
                continue;
            }
            let _ = writeln!(text, "{}", area.name());
            for deviation in deviations {
                let _ = writeln!(text, "  {}  {}", deviation.rule, deviation.summary);
                let _ = writeln!(text, "    topic:    {}", deviation.topic);
                let _ = writeln!(text, "    expected: {}", deviation.expected);
                let _ = writeln!(text, "    got:      {}", deviation.got);
                for repair in &deviation.repairs {
                    let _ = writeln!(text, "    repaired: {repair}");
                }
            }
        }
        for note in &self.notes {
            let _ = writeln!(text, "note: {note}");
        }
        for skipped in &self.skipped {
            let _ = writeln!(text, "not checked: {} ({})", skipped.what, skipped.why);
        }
        let verdict = if self.conformant {
            "conformant".to_owned()
        } else {
            let areas: Vec<String> = Area::ALL
                .iter()
                .filter_map(|area| {
                    let count = self
                        .deviations
                        .iter()
                        .filter(|deviation| deviation.area == *area)
                        .count();
                    (count > 0).then(|| format!("{} {count}", area.name()))
                })
                .collect();
            format!(
                "{} deviation{} ({})",
                self.deviations.len(),
                if self.deviations.len() == 1 { "" } else { "s" },
                areas.join(", ")
            )
        };
        let _ = writeln!(
            text,
            "node {} on {}: {verdict}; {} rules checked in {:.1} s",
            self.node_id,
            self.broker,
            self.checked.len(),
            self.seconds
        );
        text
    }
}

/// A payload as a deviation quotes it: text cut at 200 characters, or hex.
pub fn excerpt(payload: &[u8]) -> String {
    match std::str::from_utf8(payload) {
        Ok(text) if text.chars().count() > EXCERPT_LEN => {
            let cut: String = text.chars().take(EXCERPT_LEN).collect();
            format!("{cut}... ({} bytes)", payload.len())
        }
        Ok(text) => text.to_owned(),
        Err(_) => format!("hex {}", hex::encode(payload)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deviation_seen_twice_is_kept_once_and_the_report_orders_by_rule() {
        let mut findings = Findings::default();
        findings.deviate(&rules::VALUE, "node/N/params/local", "60", "59");
        findings.deviate(&rules::QOS, "node/N/config", "QoS 1", "QoS 0");
        findings.deviate(&rules::QOS, "node/N/config", "QoS 1", "QoS 0");
        findings.checked(&rules::INIT);
        let report = findings.into_report("N", "mqtt://127.0.0.1:1883", 1.25);
        assert!(!report.conformant);
        let ids: Vec<_> = report.deviations.iter().map(|d| d.rule).collect();
        assert_eq!(ids, ["transport.qos", "writes.value"]);
        assert_eq!(
            report.checked,
            ["boot.init", "transport.qos", "writes.value"]
        );
        let human = report.human();
        assert!(human.starts_with("transport\n  transport.qos  "), "{human}");
        assert!(
            human.ends_with(
                "node N on mqtt://127.0.0.1:1883: 2 deviations (transport 1, writes 1); \
                 3 rules checked in 1.2 s\n"
            ),
            "{human}"
        );
    }

    #[test]
    fn excerpts_cut_long_text_and_show_binary_as_hex() {
        assert_eq!(excerpt(b"{\"a\":1}"), "{\"a\":1}");
        assert_eq!(excerpt(&[0x01, 0xff]), "hex 01ff");
        let long = "x".repeat(300);
        assert_eq!(
            excerpt(long.as_bytes()),
            format!("{}... (300 bytes)", "x".repeat(200))
        );
    }
}
