//! Generates the bindings of every test document with `rainmaker_codegen::Builder`,
//! as a user's build script would, into `OUT_DIR/<module>/`, and writes
//! `OUT_DIR/documents.rs`, which `include!`s each as a module with its contract tests.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let tests = manifest.join("../tests");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut documents = Vec::new();
    for version in ["3.0.0", "3.1.0"] {
        let dir = tests.join("asyncapi").join(version);
        for path in yaml_files(&dir)? {
            let stem = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or_default()
                .trim_end_matches("-asyncapi");
            documents.push((format!("v{version}_{stem}"), path));
        }
        for service in [
            "backend",
            "comments-service",
            "frontend",
            "notification-service",
            "public-api",
        ] {
            let path = dir.join("social-media").join(service).join("asyncapi.yaml");
            documents.push((format!("v{version}_social_media_{service}"), path));
        }
    }
    for path in yaml_files(&tests.join("documents"))? {
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        documents.push((format!("doc_{stem}"), path));
    }

    let mut modules = String::new();
    for (name, path) in documents {
        let module = name.replace(['.', '-'], "_");
        let dir = out.join(&module);
        rainmaker_codegen::Builder::new()
            .spec(&path)
            .out_dir(&dir)
            .examples(true)
            .generate()
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let include = dir.join("mod.rs");
        writeln!(
            modules,
            "/// Generated from `{}`.\npub mod {module} {{\n    include!({:?});\n\n    #[cfg(test)]\n    mod contract {{\n        crate::contract_tests!();\n    }}\n}}\n",
            path.strip_prefix(&manifest).unwrap_or(&path).display(),
            include.display().to_string(),
        )?;
    }
    std::fs::write(out.join("documents.rs"), modules)?;
    println!(
        "cargo:rerun-if-changed={}",
        tests.join("asyncapi").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        tests.join("documents").display()
    );
    Ok(())
}

/// The `.yml` and `.yaml` files of `dir`, sorted.
fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yml" || extension == "yaml")
        })
        .collect();
    files.sort();
    Ok(files)
}
