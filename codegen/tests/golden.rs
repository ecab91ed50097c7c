//! Golden files: each test document `documents/<case>.yaml` generates exactly the
//! files committed in `golden/<case>/` (so a change of the generator shows in review).
//! `UPDATE_GOLDEN=1 cargo test -p rainmaker-codegen --test golden` rewrites them. The
//! crate `codegen/contract` compiles the same output and exercises it.

use std::path::{Path, PathBuf};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

#[test]
fn golden_outputs_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("documents"))
        .expect("documents")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml")
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    let mut failures = Vec::new();
    for spec in cases {
        let case = spec
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        let output = rainmaker_codegen::Builder::new()
            .spec(&spec)
            .examples(true)
            .build()
            .unwrap_or_else(|error| panic!("{case}: {error}"));
        let dir = tests_dir().join("golden").join(case);
        if update {
            output
                .files
                .write(&dir)
                .unwrap_or_else(|error| panic!("{error}"));
            continue;
        }
        if let Some(diff) = output
            .files
            .diff(&dir)
            .unwrap_or_else(|error| panic!("{error}"))
        {
            failures.push(format!("{case}:\n{diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs differ (rerun with UPDATE_GOLDEN=1 to accept):\n{}",
        failures.join("\n")
    );
}
