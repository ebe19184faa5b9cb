//! PDF summaries, parsed back with lopdf: content, the client copy's omissions, non-ASCII text,
//! page boxes, margins, embedded font subsets, metadata, access rules and the audit trail.

use exit_factors::domain::assessment::MAX_NOTE_CHARS;
use exit_factors::domain::{AuditAction, CaseCode, Role};
use exit_factors::instrument::Instrument;
use lopdf::{Document, Object};
use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app};

/// Creates a case for `client` and stores the four sample assessments on it, with notes of
/// `note_len` characters (on every factor when `everywhere`). Returns the case and the last id.
pub async fn case_with_history(
    app: &TestApp,
    client: &reqwest::Client,
    note_len: usize,
    everywhere: bool,
) -> (String, String) {
    let case = app.new_case(client).await;
    let code = CaseCode::parse(&case).unwrap();
    let owner = app.store.case(&code).unwrap().unwrap().created_by;
    let instrument = Instrument::bundled().unwrap();
    let mut last = String::new();
    for sample in exit_factors::pdf::sample::history(&instrument, note_len, everywhere) {
        let id = app.store.new_assessment_id().unwrap();
        let assessment = sample.imported(id, code.clone(), owner);
        app.store.insert_assessment(&assessment).await.unwrap();
        last = id.to_string();
    }
    (case, last)
}

async fn download(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    query: &str,
) -> reqwest::Response {
    app.get(client, &format!("/assessments/{id}/summary?{query}"))
        .await
}

pub fn text_of(pdf: &Document) -> String {
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A PDF text string: UTF-16BE with a byte-order mark, or single-byte text.
fn pdf_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn media_boxes(pdf: &Document) -> Vec<Vec<f32>> {
    pdf.get_pages()
        .values()
        .map(|id| {
            let page = pdf.get_dictionary(*id).unwrap();
            page.get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32))
                .collect()
        })
        .collect()
}

/// Where every text operation starts: (page, x, y) in PDF points from the bottom left.
fn text_starts(pdf: &Document) -> Vec<(u32, f32, f32)> {
    let mut starts = Vec::new();
    for (number, id) in pdf.get_pages() {
        let content = pdf.get_and_decode_page_content(id).unwrap();
        for op in content.operations {
            if op.operator == "Td" {
                let n: Vec<f32> = op
                    .operands
                    .iter()
                    .map(|o| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32))
                    .collect();
                starts.push((number, n[0], n[1]));
            }
        }
    }
    starts
}

/// (BaseFont name, length of the embedded font program) of every font.
fn fonts(pdf: &Document) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for object in pdf.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name =
            String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).into_owned();
        let file = dict
            .get(b"FontFile2")
            .and_then(Object::as_reference)
            .expect("an embedded TrueType program");
        let stream = pdf.get_object(file).unwrap().as_stream().unwrap();
        let len = stream
            .decompressed_content()
            .map(|c| c.len())
            .unwrap_or(stream.content.len());
        out.push((name, len));
    }
    out
}

#[actix_web::test]
async fn the_full_summary_names_the_case_and_every_factor_and_is_a_small_attachment() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let (case, id) = case_with_history(&app, &client, 160, false).await;
    let res = download(&app, &client, &id, "variant=full").await;
    assert_eq!(res.status(), StatusCode::OK);
    let header = |n: &str| res.headers()[n].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("cache-control"), "no-store");
    let shown = CaseCode::parse(&case).unwrap().to_string();
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{shown}_2025-10-11.pdf\"")
    );
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.len() < 100 * 1024, "{} bytes", bytes.len());

    let pdf = Document::load_mem(&bytes).unwrap();
    let text = text_of(&pdf);
    assert!(text.contains(&shown), "case code");
    let instrument = Instrument::bundled().unwrap();
    for (_, factor) in instrument.factors() {
        assert!(
            text.contains(&factor.title),
            "missing factor title {:?}",
            factor.title
        );
    }
    for heading in [
        "To strengthen",
        "To limit",
        "Assess with care",
        "Action plan",
        "Confidential",
        "Page 1 of",
        "Ferrari",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    assert!(
        text.contains("meets her counsellor") || text.contains("Meets her counsellor"),
        "notes are in the full summary"
    );

    let info_ref = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info_ref).unwrap();
    let title = pdf_string(info.get(b"Title").unwrap().as_str().unwrap());
    assert_eq!(title, format!("Case summary {shown}"));
    let created = pdf_string(info.get(b"CreationDate").unwrap().as_str().unwrap());
    assert!(created.starts_with("D:20"), "creation date {created}");
    assert!(!created.starts_with("D:1970"));

    let audit = app.audit().await;
    let event = audit
        .iter()
        .find(|e| e.action == AuditAction::SummaryDownloaded)
        .expect("audited");
    assert!(event.target.as_deref().unwrap().contains("full"));
}

#[actix_web::test]
async fn the_client_copy_leaves_out_notes_and_directions() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let (_, id) = case_with_history(&app, &client, 160, false).await;
    let bytes = download(&app, &client, &id, "variant=client")
        .await
        .bytes()
        .await
        .unwrap();
    let text = text_of(&Document::load_mem(&bytes).unwrap());
    assert!(text.contains("Your copy"));
    assert!(!text.to_lowercase().contains("counsellor"), "no note text");
    assert!(!text.contains("Direction"), "no direction column");
    assert!(
        !text.contains(", both"),
        "no direction of controversial factors"
    );
    assert!(
        !text.contains("Not reviewed yet") && !text.contains("Status:"),
        "no supervisor review section"
    );
    assert!(
        text.contains("Things to build up"),
        "plain-language headings"
    );
}

#[actix_web::test]
async fn non_ascii_text_extracts_as_written() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let res = app
        .post_form(
            &admin,
            "/admin/settings",
            "/admin/settings",
            &[
                ("organisation", "Associazione Città Łódź Núñez"),
                ("paper", "a4"),
                ("counted", "reviewed"),
                ("k", "5"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let (_, id) = case_with_history(&app, &client, 160, false).await;
    let bytes = download(&app, &client, &id, "variant=full")
        .await
        .bytes()
        .await
        .unwrap();
    let text = text_of(&Document::load_mem(&bytes).unwrap());
    assert!(
        text.contains("Associazione Città Łódź Núñez"),
        "organisation name"
    );
    assert!(text.contains("Città di arrivo"), "accented note text");
    assert!(
        text.contains("Łódź e di Núñez"),
        "Polish and Spanish letters"
    );
}

#[actix_web::test]
async fn the_longest_notes_take_more_pages_and_no_text_leaves_the_margins_on_a4_or_letter() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let (_, short) = case_with_history(&app, &client, 40, false).await;
    let (_, long) = case_with_history(&app, &client, MAX_NOTE_CHARS, true).await;
    let short_pdf = Document::load_mem(
        &download(&app, &client, &short, "variant=full")
            .await
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    for paper in ["a4", "letter"] {
        let bytes = download(&app, &client, &long, &format!("variant=full&paper={paper}"))
            .await
            .bytes()
            .await
            .unwrap();
        let pdf = Document::load_mem(&bytes).unwrap();
        assert!(
            pdf.get_pages().len() > short_pdf.get_pages().len(),
            "{paper}: more pages"
        );
        let (w, h) = if paper == "a4" {
            (595.276, 841.89)
        } else {
            (612.0, 792.0)
        };
        for mb in media_boxes(&pdf) {
            assert_eq!(mb.len(), 4);
            assert!(
                (mb[2] - w).abs() < 0.5 && (mb[3] - h).abs() < 0.5,
                "{paper}: page box {mb:?}"
            );
        }
        // Every page the factor tables continue on starts again with their header row.
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        for &page in &pages[1..pages.len() - 1] {
            let text = pdf.extract_text(&[page]).unwrap();
            assert!(
                text.contains("What to do") && text.contains("Note"),
                "{paper} page {page} lacks the table header"
            );
        }
        let margin = 48.0;
        let starts = text_starts(&pdf);
        assert!(starts.len() > 300);
        for (page, x, y) in starts {
            assert!(
                x >= margin - 0.01 && x <= w - margin,
                "{paper} page {page}: text starts at x={x}"
            );
            assert!(
                y >= margin - 0.01 && y <= h - margin,
                "{paper} page {page}: text starts at y={y}"
            );
        }
    }
}

#[actix_web::test]
async fn fonts_are_embedded_as_subsets() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("olga", Role::Operator).await;
    let (_, id) = case_with_history(&app, &client, 160, false).await;
    let pdf = Document::load_mem(
        &download(&app, &client, &id, "variant=full")
            .await
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let fonts = fonts(&pdf);
    assert_eq!(fonts.len(), 2, "regular and bold: {fonts:?}");
    for (name, len) in fonts {
        let (tag, rest) = name.split_once('+').expect("a subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{name}"
        );
        assert!(rest.contains("DejaVu"), "{name}");
        assert!(
            len < 150_000,
            "{name}: {len} bytes is not a subset (the full font is ~700 KB)"
        );
    }
}

#[actix_web::test]
async fn summaries_follow_the_case_access_rules() {
    let app = spawn_app().await;
    let (anna, _) = app.signed_in("anna", Role::Operator).await;
    let (bea, _) = app.signed_in("bea", Role::Operator).await;
    let (sue, _) = app.signed_in("sue", Role::Supervisor).await;
    let (_, id) = case_with_history(&app, &anna, 40, false).await;
    assert_eq!(
        download(&app, &bea, &id, "variant=full").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, &bea, &id, "variant=client").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, &sue, &id, "variant=full").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        download(&app, &anna, &id, "variant=poster").await.status(),
        StatusCode::BAD_REQUEST
    );
    let bea_id = app.user_id("bea");
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == AuditAction::CaseAccessDenied && e.actor == Some(bea_id))
    );
    let downloads = app
        .audit()
        .await
        .iter()
        .filter(|e| e.action == AuditAction::SummaryDownloaded)
        .count();
    assert_eq!(
        downloads, 1,
        "only the delivered summary is recorded as a download"
    );

    let case = app.new_case(&anna).await;
    let draft = app.start_assessment(&anna, &case).await;
    assert_eq!(
        download(&app, &anna, &draft, "variant=full").await.status(),
        StatusCode::NOT_FOUND,
        "no summary of a draft"
    );
}
