//! Time-series reports (`tsdata`) of the params marked for them.

use super::*;
use crate::messages::{DataType, SimpleTsData};
use crate::standard_types::ParamType;

impl Node {
    /// Reports one time-series sample of `device`'s `param` with its current value,
    /// changed or not (the SDK reports every `update_and_report` of a time-series
    /// param, even with the same value): a `tsdata` or `simple_tsdata` publish,
    /// nothing for a param without a time series or before the time is known.
    ///
    /// # Errors
    ///
    /// [`NodeError::NoSuchParam`].
    pub fn report_time_series(
        &mut self,
        now: i64,
        device: &str,
        param: &str,
    ) -> Result<Output, NodeError> {
        let mut out = Output::default();
        self.observe(now);
        let no_such = || NodeError::NoSuchParam {
            device: device.to_owned(),
            param: param.to_owned(),
        };
        let slot = self.slot(device).ok_or_else(no_such)?;
        let value = slot
            .device
            .params()
            .get(param)
            .cloned()
            .ok_or_else(no_such)?;
        let mut sample = ParamsDocument::new();
        sample.insert(device, param, value);
        self.time_series_reports(&sample, &mut out)?;
        Ok(out)
    }

    /// One `tsdata` publish per time-series param in `doc` (none without a clock).
    pub(super) fn time_series_reports(
        &self,
        doc: &ParamsDocument,
        out: &mut Output,
    ) -> Result<(), NodeError> {
        let Some(now) = self.synced_now() else {
            return Ok(());
        };
        for slot in &self.slots {
            let device = slot.device.name();
            let Some(values) = doc.device(device) else {
                continue;
            };
            for spec in slot.device.descriptor().params {
                let Some(value) = values.get(spec.name) else {
                    continue;
                };
                if spec.properties.time_series == TimeSeries::Simple {
                    let report = SimpleTsData {
                        name: format!("{device}.{}", spec.name),
                        r#type: spec.param_type.map(ParamType::from),
                        dt: spec.data_type,
                        t: now,
                        v: value.clone(),
                        d: None,
                        extra: serde_json::Map::new(),
                    };
                    let topic = Topic::SimpleTsData {
                        node_id: self.node_id.clone(),
                    };
                    self.publish_json(out, topic, &report)?;
                    continue;
                }
                if spec.properties.time_series != TimeSeries::Full {
                    continue;
                }
                let Some(dt) = ts_data_type(spec.data_type) else {
                    continue;
                };
                let report = TsData {
                    ts_data_version: TsDataVersion::V2021_09_13,
                    ts_data: vec![TsSeries {
                        name: format!("{device}.{}", spec.name),
                        r#type: spec.param_type.map(ParamType::from),
                        dt,
                        records: vec![TsRecord {
                            t: now,
                            v: value.clone(),
                            extra: serde_json::Map::new(),
                        }],
                        extra: serde_json::Map::new(),
                    }],
                    extra: serde_json::Map::new(),
                };
                self.publish_json(
                    out,
                    Topic::TsData {
                        node_id: self.node_id.clone(),
                    },
                    &report,
                )?;
            }
        }
        Ok(())
    }
}

/// The full time-series data type of a param (object and array params have none).
fn ts_data_type(kind: DataType) -> Option<TsDataType> {
    match kind {
        DataType::Bool => Some(TsDataType::Bool),
        DataType::Int => Some(TsDataType::Int),
        DataType::Float => Some(TsDataType::Float),
        DataType::String => Some(TsDataType::String),
        DataType::Object | DataType::Array | DataType::Invalid => None,
    }
}
