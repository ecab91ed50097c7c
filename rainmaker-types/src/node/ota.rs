//! OTA jobs: the offer from the cloud and the progress reports.

use super::*;

impl Node {
    /// An `otaurl` offer: the job to run, unless one is running already (the SDK
    /// ignores the new one too).
    pub(super) fn on_ota_offer(&mut self, job: OtaUrl, out: &mut Output) {
        if self.ota_job.is_some() {
            out.events.push(Event::OtaIgnored(job));
        } else {
            self.ota_job = Some(job.clone());
            out.events.push(Event::OtaOffered(job));
        }
    }

    /// The running OTA job, if any.
    pub fn ota_job(&self) -> Option<&OtaUrl> {
        self.ota_job.as_ref()
    }

    /// Reports the running OTA job's progress on `otastatus` at `now` (its `ts`, 0
    /// while the time is not known). A terminal status (`success`, `failed`,
    /// `rejected`) ends the job.
    pub fn report_ota_status(
        &mut self,
        now: i64,
        status: OtaJobStatus,
        additional_info: impl Into<String>,
    ) -> Result<Publish, NodeError> {
        self.now = now;
        let job = self.ota_job.as_ref().ok_or(NodeError::NoOtaJob)?;
        let report = OtaStatus {
            ota_job_id: Some(job.ota_job_id.clone()),
            status,
            network_id: None,
            additional_info: additional_info.into(),
            ts: Some(self.synced_now().unwrap_or(0)),
            extra: serde_json::Map::new(),
        };
        let payload = sdk_json::to_vec(&report)?;
        let publish = self.publish(
            Topic::OtaStatus {
                node_id: self.node_id.clone(),
            },
            payload,
        );
        if matches!(
            status,
            OtaJobStatus::Success | OtaJobStatus::Failed | OtaJobStatus::Rejected
        ) {
            self.ota_job = None;
        }
        Ok(publish)
    }
}
