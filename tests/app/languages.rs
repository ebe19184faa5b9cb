//! Languages: choosing one (the browser's before sign-in, the user's, the organisation's), the
//! message catalogue (every id used, none orphaned), and the pseudo-locale that shows any text on a
//! translated page that does not come from the catalogue.

use std::collections::BTreeSet;
use std::path::Path;

use exit_factors::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, select_attr, select_text, spawn_app, spawn_app_with};

/// A browser asking for `language`.
fn browser(language: &str) -> reqwest::Client {
    crate::helpers::client_sending("accept-language", language)
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = app.get(client, path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[actix_web::test]
async fn before_sign_in_the_browser_chooses_among_the_four_languages() {
    let app = spawn_app().await;
    for (asked, tag, heading) in [
        ("it-IT,it;q=0.9,en;q=0.8", "it", "Accedi"),
        ("es-ES", "es", "Iniciar sesión"),
        ("fr-CH, fr;q=0.9", "fr", "Se connecter"),
        ("de-DE, en;q=0.5", "en", "Sign in"),
        ("de-DE", "en", "Sign in"),
    ] {
        let html = page(&app, &browser(asked), "/sign-in").await;
        assert_eq!(
            select_attr(&html, "html", "lang").as_deref(),
            Some(tag),
            "{asked}"
        );
        assert_eq!(select_text(&html, "h1"), [heading], "{asked}");
    }
    // A refusal speaks the same language.
    let res = app
        .sign_in_password(&browser("it"), "nobody", "not a password at all")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(
        select_text(&html, ".sign-in-error")[0].starts_with("Il nome utente o la password"),
        "{html}"
    );
}

#[actix_web::test]
async fn the_users_choice_then_the_organisations_default_decide_after_sign_in() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("ada", Role::Admin).await;
    let res = app
        .post_form(
            &admin,
            "/admin/settings",
            "/admin/settings",
            &[("language", "fr")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Before sign-in, a browser that asks for none of them gets the organisation's.
    let html = page(&app, &browser("de"), "/sign-in").await;
    assert_eq!(select_attr(&html, "html", "lang").as_deref(), Some("fr"));

    // Signed in without a choice: the organisation's, whatever the browser asks.
    app.create_user("olga", Role::Operator).await;
    let olga = browser("es");
    assert_eq!(
        app.sign_in_as(&olga, "olga", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let html = page(&app, &olga, "/account").await;
    assert_eq!(select_attr(&html, "html", "lang").as_deref(), Some("fr"));
    assert_eq!(select_text(&html, "h1"), ["Votre compte"]);

    // Her own choice wins, on every page, and can go back to the organisation's.
    let res = app
        .post_form(
            &olga,
            "/account",
            "/account/language",
            &[("language", "it")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &olga, "/account?done=language").await;
    assert_eq!(select_attr(&html, "html", "lang").as_deref(), Some("it"));
    assert_eq!(
        select_text(&html, ".notice"),
        ["La lingua è stata salvata."]
    );
    assert_eq!(select_text(&html, "nav a[href='/cases']"), ["Casi"]);
    let cases = page(&app, &olga, "/cases").await;
    assert_eq!(select_attr(&cases, "html", "lang").as_deref(), Some("it"));
    app.post_form(&olga, "/account", "/account/language", &[("language", "")])
        .await;
    let html = page(&app, &olga, "/account").await;
    assert_eq!(select_attr(&html, "html", "lang").as_deref(), Some("fr"));
    // A language the form does not offer is refused.
    let res = app
        .post_forged(
            &olga,
            "/account",
            "/account/language",
            &[("language", "de")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn the_case_form_and_its_answers_and_errors_are_in_the_users_language() {
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let olga = app.client();
    app.sign_in_as(&olga, "olga", PASSWORD).await;
    app.post_form(
        &olga,
        "/account",
        "/account/language",
        &[("language", "es")],
    )
    .await;
    let html = page(&app, &olga, "/cases/new").await;
    assert_eq!(select_text(&html, "h1"), ["Caso nuevo"]);
    assert_eq!(
        select_text(&html, "label[for=age_band]"),
        ["Franja de edad"]
    );
    assert_eq!(
        select_text(&html, "#region option[value=latin_america]"),
        ["América Latina y el Caribe"]
    );
    // A form sent back shows its problems in Spanish too, values kept.
    let res = app
        .post_form(
            &olga,
            "/cases/new",
            "/cases",
            &[("programme_start", "marzo"), ("region", "west_africa")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        select_text(&html, "#programme_start-error")[0].contains("AAAA-MM"),
        "{html}"
    );
    assert_eq!(select_text(&html, ".error-summary h2"), ["Hay un problema"]);
    assert_eq!(
        select_attr(&html, "#region option[selected]", "value").as_deref(),
        Some("west_africa")
    );
    // Stored values stay ids, whatever the language.
    let res = app
        .post_form(&olga, "/cases/new", "/cases", &crate::helpers::CASE_FIELDS)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn plurals_follow_the_language() {
    let app = spawn_app().await;
    app.create_user("olga", Role::Operator).await;
    let (here, a, b) = (app.client(), app.client(), app.client());
    for c in [&here, &a, &b] {
        app.sign_in_as(c, "olga", PASSWORD).await;
    }
    app.post_form(
        &here,
        "/account",
        "/account/language",
        &[("language", "it")],
    )
    .await;
    let res = app
        .post_form(&here, "/account", "/account/sessions/end-others", &[])
        .await;
    assert_eq!(
        crate::helpers::location(&res),
        "/account?done=sessions&ended=2"
    );
    let html = page(&app, &here, "/account?done=sessions&ended=2").await;
    assert_eq!(
        select_text(&html, ".notice"),
        ["Sono state chiuse 2 altre sessioni."]
    );
    let html = page(&app, &here, "/account?done=sessions&ended=1").await;
    assert_eq!(
        select_text(&html, ".notice"),
        ["È stata chiusa 1 altra sessione."]
    );
}

/// The ids of every message file of a language.
fn ids(dir: &Path) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        all.extend(exit_factors::i18n::ids_of(&text));
    }
    all
}

/// Every file's text under `dir` with the extension `ext`.
fn sources(dir: &Path, ext: &str, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_message_exists_in_every_language_and_every_message_is_used() {
    exit_factors::i18n::ready().unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english = ids(&root.join("src/i18n/en"));
    for lang in ["it", "es", "fr"] {
        assert_eq!(ids(&root.join("src/i18n").join(lang)), english, "{lang}");
    }
    let mut code = String::new();
    sources(&root.join("src"), "rs", &mut code);
    sources(&root.join("templates"), "html", &mut code);
    // Answer lists name their messages by macro: `choice-<Enum>-<id>`.
    let generated = exit_factors::domain::case::form_choice_ids();
    let unused: Vec<&String> = english
        .iter()
        .filter(|id| !code.contains(&format!("\"{id}\"")))
        .filter(|id| !generated.contains(&id.as_str()))
        .collect();
    assert!(unused.is_empty(), "messages nobody uses: {unused:?}");
}

/// The visible text of a page outside the pseudo-locale's markers, less what is data: what is
/// left was not translated.
fn untranslated(html: &str, data: &[&str]) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").unwrap();
    let mut text: String = doc
        .select(&body)
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ");
    // Marked messages, with the isolated values inside them.
    while let (Some(start), Some(end)) = (text.find('⟦'), text.find('⟧')) {
        if end < start {
            break;
        }
        text.replace_range(start..end + '⟧'.len_utf8(), " ");
    }
    for d in data {
        text = text.replace(d, " ");
    }
    text.split_whitespace()
        .filter(|w| {
            !w.chars()
                .all(|c| c.is_ascii_digit() || "-:()/.,·".contains(c))
        })
        .filter(|w| *w != "UTC")
        .map(str::to_owned)
        .collect()
}

#[actix_web::test]
async fn translated_pages_in_the_pseudo_locale_show_no_text_outside_the_catalogue() {
    let app = spawn_app_with(|s| s.pseudo_locale = true).await;
    let pseudo = browser("en-x-pseudo");
    // The first-run page, before any account exists.
    let setup = app.setup_url.clone().expect("a setup link");
    let html = page(&app, &pseudo, setup.trim_start_matches(&app.address)).await;
    assert_eq!(untranslated(&html, &[]), Vec::<String>::new(), "setup");
    let html = page(&app, &pseudo, "/sign-in").await;
    assert_eq!(
        select_attr(&html, "html", "lang").as_deref(),
        Some("en-x-pseudo")
    );
    assert_eq!(untranslated(&html, &[]), Vec::<String>::new(), "sign-in");

    // A refused sign-in, the code page, the account page and setting up an app.
    let res = app
        .sign_in_password(&pseudo, "olga", "not a password at all")
        .await;
    let html = res.text().await.unwrap();
    assert_eq!(
        untranslated(&html, &["olga"]),
        Vec::<String>::new(),
        "refused"
    );

    app.create_user("olga", Role::Operator).await;
    app.sign_in_as(&pseudo, "olga", PASSWORD).await;
    for path in [
        "/",
        "/account",
        "/account/two-step",
        "/cases/new",
        "/cases",
        "/cases?q=XX",
    ] {
        let html = page(&app, &pseudo, path).await;
        assert_eq!(
            untranslated(
                &html,
                &["olga", "English", "Italiano", "Español", "Français"]
            ),
            Vec::<String>::new(),
            "{path}"
        );
    }
    let app_html = {
        app.post_form(&pseudo, "/account/two-step", "/account/two-step/start", &[])
            .await;
        page(&app, &pseudo, "/account/two-step").await
    };
    let secret = select_text(&app_html, ".secret-text code").pop().unwrap();
    assert_eq!(
        untranslated(&app_html, &["olga", &secret]),
        Vec::<String>::new(),
        "setting up"
    );
    assert!(
        select_attr(&app_html, ".qr-code svg", "aria-label")
            .unwrap()
            .starts_with('⟦')
    );
    let not_found = app
        .get(&pseudo, "/no/such/page")
        .await
        .text()
        .await
        .unwrap();
    let request_id = select_text(&not_found, ".request-id").pop().unwrap();
    assert_eq!(
        untranslated(&not_found, &["olga", &request_id]),
        Vec::<String>::new(),
        "error page"
    );
}
