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
    // Romanian is for the client copy: the words of the PDFs.
    let pdf = |lang: &str| {
        let text = std::fs::read_to_string(root.join("src/i18n").join(lang).join("pdf.ftl"));
        exit_factors::i18n::ids_of(&text.unwrap())
    };
    assert_eq!(ids(&root.join("src/i18n/ro")), pdf("en"), "ro");
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
    // Text in `<code>` is commands and codes, the same in every language.
    let mut text: String = doc
        .select(&body)
        .flat_map(|b| b.descendants())
        .filter_map(|node| {
            let text = node.value().as_text()?;
            let in_code = node
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "code"));
            (!in_code).then(|| text.to_string())
        })
        .collect::<Vec<_>>()
        .join(" ");
    // Marked messages, with the isolated values inside them (which may be marked messages too).
    let mut depth = 0usize;
    text = text
        .chars()
        .filter_map(|c| match c {
            '⟦' => {
                depth += 1;
                None
            }
            '⟧' => {
                depth = depth.saturating_sub(1);
                Some(' ')
            }
            _ if depth > 0 => None,
            '\u{2068}' | '\u{2069}' => Some(' '),
            c => Some(c),
        })
        .collect();
    for d in data {
        text = text.replace(d, " ");
    }
    text.split_whitespace()
        .filter(|w| {
            !w.chars()
                .all(|c| c.is_ascii_digit() || "-:()/.,·—–;%+".contains(c))
        })
        .filter(|w| *w != "UTC")
        // Case codes are data.
        .filter(|w| exit_factors::domain::CaseCode::parse(w).is_err() || w.len() != 11)
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

/// What a page may show outside the markers: data, not words of the interface.
fn data_of_checklist() -> Vec<String> {
    let instrument = exit_factors::instrument::Instrument::bundled().unwrap();
    let mut data = vec![
        instrument.source.clone(),
        instrument.id.clone(),
        "exit-factors".to_owned(),
    ];
    if let Some(link) = &instrument.source_link {
        data.push(link.clone());
    }
    for study in &instrument.studies {
        data.extend([
            study.authors.clone(),
            study.title.clone(),
            study.key.clone(),
            study.short.clone(),
        ]);
        data.extend(study.also_cited_as.iter().map(|v| format!("“{v}”")));
    }
    // Longest first, so that a short key does not cut a longer title into pieces.
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    data
}

#[actix_web::test]
async fn every_page_of_the_operator_supervisor_and_admin_journeys_is_in_the_catalogue() {
    let app = spawn_app_with(|s| s.pseudo_locale = true).await;
    let pseudo = browser("en-x-pseudo");
    app.create_user("olga", Role::Operator).await;
    app.create_user("sam", Role::Supervisor).await;
    app.create_user("ada", Role::Admin).await;
    app.sign_in_as(&pseudo, "olga", PASSWORD).await;
    // Usernames, and the languages' names, which each language writes in itself.
    let mut data: Vec<String> = [
        "olga",
        "sam",
        "ada",
        "English",
        "Italiano",
        "Español",
        "Français",
        "Română",
    ]
    .map(str::to_owned)
    .to_vec();
    data.extend(data_of_checklist());
    let check = |html: &str, what: &str, extra: &[String]| {
        let mut all: Vec<&str> = data.iter().map(String::as_str).collect();
        all.extend(extra.iter().map(String::as_str));
        assert_eq!(untranslated(html, &all), Vec::<String>::new(), "{what}");
    };

    // The operator: a case, every step of an assessment (with a priority, so the plan has a
    // line), refused input on a step, submitting, the results and the case page.
    let case = app.new_case(&pseudo).await;
    let code = select_text(
        &page(&app, &pseudo, &format!("/cases/{case}")).await,
        "h1 .case-code",
    )
    .pop()
    .unwrap();
    let codes = vec![code.clone(), case.clone()];
    let id = app.start_assessment(&pseudo, &case).await;
    for (step, fields) in [
        (
            "context",
            vec![
                ("date", "2025-03-01"),
                ("stage", "preparation"),
                ("reentry", "no"),
                ("setting", "shelter"),
            ],
        ),
        (
            "individual",
            vec![
                ("ind.life_plans.rating", "1"),
                ("ind.life_plans.priority", "yes"),
            ],
        ),
        ("relational", vec![("rel.family.rating", "2")]),
        ("structural", vec![]),
    ] {
        let html = page(&app, &pseudo, &format!("/assessments/{id}/{step}")).await;
        check(&html, step, &codes);
        let res = app.save_step(&pseudo, &id, step, &fields, "continue").await;
        assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "{step}");
    }
    // rel.family is controversial and present without a direction: the submit page says so.
    let html = page(&app, &pseudo, &format!("/assessments/{id}/submit")).await;
    check(&html, "submit with a problem", &codes);
    let html = page(
        &app,
        &pseudo,
        &format!("/assessments/{id}/relational?check=true"),
    )
    .await;
    check(&html, "a step with the check's errors", &codes);
    let res = app
        .save_step(
            &pseudo,
            &id,
            "relational",
            &[
                ("rel.family.direction", "both"),
                ("rel.family.note", "call 06 12 34 56 78"),
            ],
            "continue",
        )
        .await;
    let html = res.text().await.unwrap();
    check(
        &html,
        "a refused note",
        &[
            code.clone(),
            "call 06 12 34 56 78".into(),
            "“06 12 34 56 78”".into(),
        ],
    );
    app.save_step(
        &pseudo,
        &id,
        "relational",
        &[("rel.family.direction", "both")],
        "continue",
    )
    .await;
    let html = page(&app, &pseudo, &format!("/assessments/{id}/review")).await;
    check(&html, "results and action plan", &codes);
    let res = app
        .save_step(
            &pseudo,
            &id,
            "review",
            &[
                ("ind-life_plans-action", "enrol in a language course"),
                ("ind-life_plans-owner", "case_worker"),
                ("ind-life_plans-target", "2025-06"),
            ],
            "continue",
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let res = app.submit(&pseudo, &id).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let typed = vec![code.clone(), "enrol in a language course".to_owned()];
    let html = page(&app, &pseudo, &format!("/assessments/{id}")).await;
    check(&html, "results", &typed);
    let html = page(&app, &pseudo, &format!("/cases/{case}?notice=submitted")).await;
    check(&html, "case page", &typed);
    for path in ["/instrument", "/references"] {
        check(&page(&app, &pseudo, path).await, path, &[]);
    }

    // The supervisor: the queue, an assessment to review, the dashboard with figures.
    app.insert_synthetic_cases(12, 7, "olga", Some("sam")).await;
    let supervisor = browser("en-x-pseudo");
    app.sign_in_as(&supervisor, "sam", PASSWORD).await;
    check(&page(&app, &supervisor, "/review").await, "queue", &[]);
    let html = page(&app, &supervisor, &format!("/assessments/{id}")).await;
    check(&html, "results to review", &typed);
    let res = app
        .post_form(
            &supervisor,
            &format!("/assessments/{id}"),
            &format!("/assessments/{id}/decision"),
            &[("decision", "return"), ("comment", "")],
        )
        .await;
    check(
        &res.text().await.unwrap(),
        "a return without a comment",
        &typed,
    );
    check(
        &page(&app, &supervisor, "/dashboard").await,
        "dashboard",
        &[],
    );
    let refused = app.get(&supervisor, "/dashboard?from=2099-13").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    check(
        &refused.text().await.unwrap(),
        "dashboard with a wrong month",
        &["2099-13".to_owned()],
    );

    // The administrator's pages.
    let admin = browser("en-x-pseudo");
    app.sign_in_as(&admin, "ada", PASSWORD).await;
    let olga = app.user_id("olga");
    for path in [
        "/admin/users".to_owned(),
        "/admin/users/new".to_owned(),
        format!("/admin/users/{olga}/password"),
        "/admin/settings".to_owned(),
        "/admin/backups".to_owned(),
        "/admin/erase".to_owned(),
    ] {
        check(&page(&app, &admin, &path).await, &path, &[]);
    }
    // The audit log shows records as they were written (actions, details): only its frame is
    // translated, so the check reads the page without the table.
    let audit = page(&app, &admin, "/admin/audit").await;
    let frame = audit
        .split("<table class=\"audit\">")
        .next()
        .unwrap()
        .to_owned();
    check(&frame, "audit log", &[]);
    let res = app
        .post_form(
            &admin,
            "/admin/erase",
            "/admin/erase",
            &[("code", "XXXX"), ("confirm", ""), ("reason", "")],
        )
        .await;
    check(
        &res.text().await.unwrap(),
        "a refused erasure",
        &["XXXX".to_owned()],
    );
}

/// The `lang` options and the preselected one of the summary form on an assessment's page.
fn summary_languages(html: &str) -> (Vec<String>, Option<String>) {
    let doc = scraper::Html::parse_document(html);
    let options = scraper::Selector::parse("form[action$='/summary'] select option").unwrap();
    let name = select_attr(html, "form[action$='/summary'] select", "name");
    assert_eq!(name.as_deref(), Some("lang"), "the form's language field");
    let all = doc
        .select(&options)
        .filter_map(|o| o.value().attr("value").map(str::to_owned))
        .collect();
    let selected = doc
        .select(&options)
        .find(|o| o.value().attr("selected").is_some())
        .and_then(|o| o.value().attr("value").map(str::to_owned));
    (all, selected)
}

#[actix_web::test]
async fn an_italian_worker_prints_an_italian_full_summary_a_romanian_client_copy_and_an_italian_report()
 {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    app.post_form(
        &olga,
        "/account",
        "/account/language",
        &[("language", "it")],
    )
    .await;
    let (case, id) = crate::summaries::case_with_history(&app, &olga, 160, false).await;
    let html = page(&app, &olga, &format!("/assessments/{id}")).await;
    let (offered, selected) = summary_languages(&html);
    assert_eq!(offered, ["en", "it", "es", "fr", "ro"]);
    assert_eq!(
        selected.as_deref(),
        Some("it"),
        "the worker's language first"
    );
    let all = exit_factors::instrument::Instruments::bundled().unwrap();
    let pdf_text =
        |bytes: &[u8]| crate::summaries::text_of(&lopdf::Document::load_mem(bytes).unwrap());
    // The summary's text, and a check that it names every factor in the checklist of `lang`.
    let summary = async |query: &str| {
        let res = app
            .get(&olga, &format!("/assessments/{id}/summary?{query}"))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{query}");
        pdf_text(&res.bytes().await.unwrap())
    };
    let names_every_factor = |text: &str, lang: exit_factors::i18n::Lang| {
        for (_, factor) in all.active_in(lang).factors() {
            assert!(
                text.contains(&factor.title),
                "{:?} in the {} summary",
                factor.title,
                lang.tag()
            );
        }
    };

    let text = summary("variant=full&lang=it").await;
    names_every_factor(&text, exit_factors::i18n::Lang::It);
    for words in [
        "Riepilogo del caso",
        "Piano d'azione",
        "Riservato",
        "Città di arrivo",
    ] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    assert!(!text.contains("Action plan") && !text.contains("Confidential"));
    assert!(text.contains("11/10/2025"), "dates written day/month/year");

    let text = summary("variant=client&lang=ro").await;
    names_every_factor(&text, exit_factors::i18n::Lang::Ro);
    for words in ["Copia ta", "Confidențial", "Lucruri de construit"] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    for letter in ['ș', 'ț', 'ă', 'î', 'â'] {
        assert!(
            text.contains(letter),
            "{letter} extracted from the Romanian copy"
        );
    }
    assert!(
        !text.contains("Your copy") && !text.contains("Things to build up"),
        "no English left in the Romanian copy"
    );
    // A full summary is for the team: Romanian is offered for the client copy only.
    assert!(
        summary("variant=full&lang=ro")
            .await
            .contains("Riepilogo del caso")
    );
    let refused = app
        .get(
            &olga,
            &format!("/assessments/{id}/summary?variant=client&lang=de"),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let _ = case;

    // The dashboard report of an Italian supervisor.
    let (sam, _) = app.signed_in("sam", Role::Supervisor).await;
    app.insert_synthetic_cases(12, 3, "olga", Some("sam")).await;
    app.post_form(&sam, "/account", "/account/language", &[("language", "it")])
        .await;
    let html = page(&app, &sam, "/dashboard").await;
    let report = app.get(&sam, "/dashboard.pdf").await;
    assert_eq!(report.status(), StatusCode::OK);
    let text = pdf_text(&report.bytes().await.unwrap());
    assert!(text.contains("Risultati aggregati"), "{text}");
    for label in select_text(&html, "dl.headline dt") {
        assert!(text.contains(&label), "{label:?} in the Italian report");
    }
    for stage in ["Precontemplazione", "Preparazione", "Mantenimento"] {
        assert!(text.contains(stage), "{stage} in the Italian report");
    }
    assert!(text.contains("Pagina 1 di"), "{text}");
    // The CSV stays data: English ids and column names.
    let csv = app.get(&sam, "/dashboard.csv").await.text().await.unwrap();
    assert!(
        csv.starts_with("table,") || csv.contains("stage=preparation"),
        "{}",
        &csv[..200.min(csv.len())]
    );
    assert!(!csv.contains("Preparazione"));
}

/// The factor cards are mostly kept from earlier pages (`level::CardParts`): they must still be
/// in each reader's language, with this draft's answers ticked and nothing of another page's.
#[actix_web::test]
async fn kept_factor_cards_follow_the_readers_language_and_show_this_drafts_answers() {
    let app = spawn_app().await;
    let (olga, _) = app.signed_in("olga", Role::Operator).await;
    let case = app.new_case(&olga).await;
    let first = app.start_assessment(&olga, &case).await;
    let second = app
        .start_assessment(&olga, &app.new_case(&olga).await)
        .await;
    let instruments = exit_factors::instrument::Instruments::bundled().unwrap();
    let english = instruments.active_in(exit_factors::i18n::Lang::En);
    let italian = instruments.active_in(exit_factors::i18n::Lang::It);
    let titles = |i: &exit_factors::instrument::Instrument| -> Vec<String> {
        i.levels[0]
            .factors
            .iter()
            .map(|f| f.title.clone())
            .collect()
    };
    let card_titles = |html: &str| -> Vec<String> {
        let badges = select_text(html, ".factor-card h2 .badge");
        select_text(html, ".factor-card h2")
            .iter()
            .zip(&badges)
            .map(|(h2, badge)| h2.trim_end_matches(badge.as_str()).trim().to_owned())
            .collect()
    };
    let individual = |id: &str| format!("/assessments/{id}/individual");

    // The first draft gets answers on its first factor, through the form as rendered.
    let res = app
        .save_step(
            &olga,
            &first,
            "individual",
            &[
                ("ind.spirituality.rating", "2"),
                ("ind.spirituality.priority", "yes"),
                ("ind.spirituality.note", "goes to church on Sundays"),
            ],
            "draft",
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    for (language, instrument) in [("", &english), ("it", &italian), ("", &english)] {
        app.post_form(
            &olga,
            "/account",
            "/account/language",
            &[("language", language)],
        )
        .await;
        let answered = page(&app, &olga, &individual(&first)).await;
        let blank = page(&app, &olga, &individual(&second)).await;
        for html in [&answered, &blank] {
            assert_eq!(card_titles(html), titles(instrument), "{language}");
            // One rating ticked per factor, ids unique on the page.
            let cards = select_text(html, ".factor-card h2").len();
            assert_eq!(select_text(html, ".rating input[checked]").len(), cards);
            let ids = crate::helpers::select_attrs(html, "[id]", "id");
            let unique: BTreeSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "duplicate ids");
        }
        let ticked = |html: &str, id: &str| select_attr(html, &format!("#{id}"), "checked");
        assert!(ticked(&answered, "ind-spirituality-rating-2").is_some());
        assert!(ticked(&answered, "ind-spirituality-rating-na").is_none());
        assert!(ticked(&answered, "ind-spirituality-priority").is_some());
        assert_eq!(
            select_text(&answered, "#ind-spirituality-note"),
            ["goes to church on Sundays"]
        );
        // The other draft shows none of it.
        assert!(ticked(&blank, "ind-spirituality-rating-na").is_some());
        assert!(ticked(&blank, "ind-spirituality-rating-2").is_none());
        assert!(ticked(&blank, "ind-spirituality-priority").is_none());
        assert!(
            select_text(&blank, "#ind-spirituality-note")
                .concat()
                .is_empty()
        );
    }
}
