//! The domain crate stays free of infrastructure: no database, web, OpenAPI
//! or async-runtime crate anywhere in its normal dependency tree.

use std::process::Command;

#[test]
fn the_domain_depends_on_no_sqlx_actix_or_utoipa() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "tidbok-domain",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).unwrap();
    assert!(tree.starts_with("tidbok-domain"), "{tree}");
    let banned = [
        "sqlx",
        "actix",
        "utoipa",
        "tokio",
        "tracing-actix",
        "hyper",
        "reqwest",
        "serde_json",
    ];
    let offending: Vec<_> = tree
        .lines()
        .filter(|l| banned.iter().any(|b| l.starts_with(b)))
        .collect();
    assert!(
        offending.is_empty(),
        "the domain crate depends on infrastructure: {offending:?}"
    );
}
