//! The tamper-evident audit log: Verify on the audit page, the export checked by the command line,
//! and an entry altered behind the application's back named as the first broken one.

use exit_factors::domain::{AuditAction, Outcome, Role};
use reqwest::StatusCode;

use crate::helpers::{binary, select_text, spawn_app};

/// Presses "Verify the audit log" and returns the outcome shown.
async fn verify(app: &crate::helpers::TestApp, admin: &reqwest::Client) -> String {
    let res = app
        .fill_and_submit(admin, "/admin/audit", "/admin/audit/verify", &[], None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    select_text(&res.text().await.unwrap(), ".audit-check").join(" ")
}

fn verify_file(path: &std::path::Path) -> (Option<i32>, String, String) {
    let out = binary()
        .args(["audit", "verify", "--file"])
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[actix_web::test]
async fn the_chain_verifies_exports_and_names_the_first_entry_altered_behind_its_back() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let (ada, _) = app.signed_in("ada", Role::Admin).await;
    for _ in 0..3 {
        app.new_case(&olga).await;
    }
    let shown = verify(&app, &ada).await;
    assert!(shown.starts_with("The audit log is intact:"), "{shown}");
    let shown_head = shown
        .split_whitespace()
        .find(|w| w.len() == 64 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap()
        .to_owned();

    // The export checks on its own, and ends at the hash the page shows.
    let res = app.get(&ada, "/admin/audit/export.jsonl").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed line by line, not built in memory first"
    );
    let exported = res.text().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.jsonl");
    std::fs::write(&file, &exported).unwrap();
    let (code, out, stderr) = verify_file(&file);
    assert_eq!(code, Some(0), "{stderr}");
    let head = out.trim().rsplit(' ').next().unwrap().to_owned();
    let entries: Vec<exit_factors::domain::audit::chain::ChainedEntry> = exported
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.last().unwrap().hash, head, "{out}");
    // The chain the page vouched for is where the export's starts (the verification's own
    // entry may have been written since, in the background).
    let vouched = shown_head.trim();
    assert!(
        entries.iter().any(|e| e.hash == vouched),
        "{vouched} not in the export"
    );
    // The export is the log as it stood when asked for: its own entry is not in it.
    assert!(
        entries
            .iter()
            .all(|e| e.event.action != AuditAction::AuditExported)
    );
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::AuditExported)
    );

    // A line edited in the file is named.
    let lines: Vec<&str> = exported.lines().collect();
    let victim: exit_factors::domain::audit::chain::ChainedEntry =
        serde_json::from_str(lines[3]).unwrap();
    let edited = exported.replacen(
        lines[3],
        &lines[3].replacen("\"success\"", "\"failure\"", 1),
        1,
    );
    assert_ne!(edited, exported);
    std::fs::write(&file, &edited).unwrap();
    let (code, _, stderr) = verify_file(&file);
    assert_eq!(code, Some(1));
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("broken at entry {}", victim.seq)),
        "{stderr}"
    );

    // An entry altered in the store, even sealed again with the right key, is named too.
    let page = app.store.audit_page(None, usize::MAX).unwrap();
    let middle = page.entries[page.entries.len() / 2].0;
    app.store
        .tamper_with_audit_entry(middle, |e| e.outcome = Outcome::Denied)
        .await
        .unwrap();
    let shown = verify(&app, &ada).await;
    assert!(
        shown.starts_with(&format!("The audit log is broken at entry {middle}:")),
        "{shown}"
    );
    let check = app.store.verify_audit().unwrap();
    assert_eq!(check.broken.unwrap().seq, middle);
    let verified: Vec<_> = app
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::AuditVerified)
        .collect();
    assert_eq!(verified.len(), 2);
    assert!(verified.iter().any(|e| e.outcome == Outcome::Failure));
}
