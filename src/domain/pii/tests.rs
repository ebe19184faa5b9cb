//! The guard's behaviour on notes as workers write them: what must be caught, what must pass.

use super::*;

/// The guard with its patterns compiled (they do, as the first test shows).
pub(super) fn find_identifying(text: &str) -> Option<PiiMatch> {
    super::find_identifying(text).unwrap()
}

pub(super) fn find_all(text: &str) -> Vec<PiiMatch> {
    super::find_all(text).unwrap()
}

/// Asserts that the first finding in `text` has `kind` and is exactly
/// `fragment`.
/// Every detail found in `text`, as (kind, fragment), in order.
pub(super) fn kinds_found(text: &str) -> Vec<(PiiKind, String)> {
    find_all(text)
        .into_iter()
        .map(|m| (m.kind, m.fragment))
        .collect()
}

pub(super) fn assert_caught(text: &str, kind: PiiKind, fragment: &str) {
    let expected = PiiMatch {
        kind,
        fragment: fragment.to_string(),
    };
    assert_eq!(find_identifying(text), Some(expected), "in text: {text:?}");
}

pub(super) fn assert_all_caught(cases: &[(&str, &str)], kind: PiiKind) {
    for (text, fragment) in cases {
        assert_caught(text, kind, fragment);
    }
}

pub(super) fn assert_all_pass(notes: &[&str]) {
    let flagged: Vec<String> = notes
        .iter()
        .filter_map(|n| find_identifying(n).map(|m| format!("{n:?} -> {m:?}")))
        .collect();
    assert!(
        flagged.is_empty(),
        "wrongly flagged:\n{}",
        flagged.join("\n")
    );
}

#[test]
fn every_pattern_compiles_and_one_that_does_not_is_named() {
    assert_eq!(ready(), Ok(()));
    let broken = super::compile("BROKEN_EXAMPLE", "(unclosed").unwrap_err();
    let message = broken.to_string();
    assert!(message.contains("BROKEN_EXAMPLE"), "{message}");
    assert!(message.starts_with("the check for identifying details cannot run"));
}

#[test]
fn email_addresses_are_caught_in_english_italian_and_spanish_notes() {
    assert_all_caught(
        &[
            (
                "write to maria.rossi88@gmail.com for news",
                "maria.rossi88@gmail.com",
            ),
            ("la sua email è giulia_b@libero.it.", "giulia_b@libero.it"),
            (
                "su correo es ana.lopez@hotmail.es, escribir",
                "ana.lopez@hotmail.es",
            ),
            (
                "contact: J.Smith+shelter@example.co.uk",
                "J.Smith+shelter@example.co.uk",
            ),
        ],
        PiiKind::Email,
    );
}

#[test]
fn obfuscated_email_addresses_are_caught() {
    assert_all_caught(
        &[
            (
                "her mail is maria at gmail dot com",
                "maria at gmail dot com",
            ),
            (
                "scrivere a giulia[at]yahoo[dot]it",
                "giulia[at]yahoo[dot]it",
            ),
            ("correo: ana (at) hotmail.es", "ana (at) hotmail.es"),
        ],
        PiiKind::Email,
    );
}

#[test]
fn phone_numbers_are_caught_in_international_and_local_formats() {
    assert_all_caught(
        &[
            ("call her on +39 333 1234567 after 6pm", "+39 333 1234567"),
            ("móvil +34 612 34 56 78", "+34 612 34 56 78"),
            ("office +44 20 7946 0958.", "+44 20 7946 0958"),
            ("from abroad 0044 20 7946 0958", "0044 20 7946 0958"),
            ("UK mobile +44 (0) 7700 900123", "+44 (0) 7700 900123"),
            ("her number is 333-123-4567", "333-123-4567"),
            ("cell 333.123.4567", "333.123.4567"),
            ("tel. casa 06 1234 5678", "06 1234 5678"),
            ("US number (555) 123-4567", "(555) 123-4567"),
            ("su móvil es 612 34 56 78", "612 34 56 78"),
            ("numero 0612345678", "0612345678"),
            ("cellulare 3331234567", "3331234567"),
            ("French number 06 12 34 56 78", "06 12 34 56 78"),
            ("Tel: 020 7946 0958", "020 7946 0958"),
            ("ring 07700 900123", "07700 900123"),
            ("teléfono: 612345678", "612345678"),
        ],
        PiiKind::Phone,
    );
}

#[test]
fn ibans_with_a_valid_checksum_are_caught() {
    assert_all_caught(
        &[
            (
                "salary paid to IT60 X054 2811 1010 0000 0123 456 every month",
                "IT60 X054 2811 1010 0000 0123 456",
            ),
            (
                "IBAN: IT60X0542811101000000123456.",
                "IT60X0542811101000000123456",
            ),
            (
                "cuenta ES91 2100 0418 4502 0005 1332 del banco",
                "ES91 2100 0418 4502 0005 1332",
            ),
            (
                "account GB29 NWBK 6016 1331 9268 19",
                "GB29 NWBK 6016 1331 9268 19",
            ),
        ],
        PiiKind::Iban,
    );
}

#[test]
fn iban_shaped_text_with_a_wrong_checksum_is_not_an_iban() {
    for text in [
        "IT61 X054 2811 1010 0000 0123 456",
        "ES92 2100 0418 4502 0005 1332",
    ] {
        assert!(
            find_all(text).iter().all(|m| m.kind != PiiKind::Iban),
            "{text:?} -> {:?}",
            find_all(text)
        );
    }
}

#[test]
fn card_numbers_passing_luhn_are_caught() {
    assert_all_caught(
        &[
            (
                "paid with 4111 1111 1111 1111 yesterday",
                "4111 1111 1111 1111",
            ),
            ("carta 5500-0000-0000-0004", "5500-0000-0000-0004"),
            ("tarjeta 4111111111111111", "4111111111111111"),
            ("amex 3782 822463 10005", "3782 822463 10005"),
        ],
        PiiKind::CardNumber,
    );
}

#[test]
fn card_shaped_numbers_failing_luhn_pass() {
    assert_all_pass(&[
        "reference 4111 1111 1111 1112",
        "ticket 1234 5678 9012 3456 7",
    ]);
}

#[test]
fn document_numbers_are_caught_by_their_shape() {
    assert_all_caught(
        &[
            ("codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S"),
            ("CF: rssmra85t10a562s", "rssmra85t10a562s"),
            ("su DNI es 12345678Z", "12345678Z"),
            ("tiene el 12345678-z", "12345678-z"),
            ("NIE X1234567L en trámite", "X1234567L"),
            ("passport YA1234567 kept by the madam", "YA1234567"),
            ("passaporto AA 1234567 scaduto", "AA 1234567"),
            ("her old code was AB12345CD", "AB12345CD"),
        ],
        PiiKind::DocumentNumber,
    );
}

#[test]
fn document_numbers_are_caught_after_document_keywords() {
    assert_all_caught(
        &[
            ("passport no. 987654321", "987654321"),
            ("passport number: B1234567", "B1234567"),
            ("carta d'identità CA12345", "CA12345"),
            ("permesso di soggiorno n. I0123456", "I0123456"),
            ("pasaporte número P123456", "P123456"),
            ("documento de identidad 1234567", "1234567"),
            ("ID: 12345", "12345"),
            ("document number K-9876543", "K-9876543"),
            ("pratica n. 123456 aperta", "123456"),
        ],
        PiiKind::DocumentNumber,
    );
}

#[test]
fn full_dates_near_birth_words_are_caught() {
    assert_all_caught(
        &[
            ("born on 12/03/1990 in Benin City", "12/03/1990"),
            ("DOB: 1990-03-12", "1990-03-12"),
            ("d.o.b. 12.03.1990", "12.03.1990"),
            ("her birthday is March 12, 1990", "March 12, 1990"),
            ("12 March 1990 (date of birth)", "12 March 1990"),
            ("nata il 12 marzo 1990 a Lagos", "12 marzo 1990"),
            ("data di nascita: 12-03-1990", "12-03-1990"),
            ("è nata il 1° maggio 1992", "1° maggio 1992"),
            ("nacida el 12 de marzo de 1990", "12 de marzo de 1990"),
            ("fecha de nacimiento 12/03/90", "12/03/90"),
            ("gave birth on 03.04.2024 to a girl", "03.04.2024"),
            ("FDN: 12/03/1990", "12/03/1990"),
            (
                "nacida el 3 de junio del 1995 en Benin",
                "3 de junio del 1995",
            ),
        ],
        PiiKind::BirthDate,
    );
}

#[test]
fn dates_without_birth_context_and_birth_years_pass() {
    assert_all_pass(&[
        "next appointment on 12/03/2025",
        "born in 1990",
        "nata nel 1990, arrivata in Italia nel 2016",
        "nacida en 1988",
        "el 12 de marzo de 2024 tuvo cita con la abogada",
        "born in 1995. Next review on 12/03/2025 with the team",
        "arrived on 12 March 2019",
        "Born in Lagos, arrived in Italy on 12/03/2015",
        "date of birth unknown, entered the shelter on 12/03/2024",
        "meeting on 12 March 2024, she turned 30 on 3 March",
    ]);
}

#[test]
fn street_addresses_are_caught_in_english_italian_and_spanish() {
    assert_all_caught(
        &[
            (
                "she lives at 12 Baker Street with a friend",
                "12 Baker Street",
            ),
            ("moved to 221B Baker St. last week", "221B Baker St"),
            ("Flat 3, 45 High Road", "Flat 3, 45 High Road"),
            ("abita in Via Roma 12 con la sorella", "Via Roma 12"),
            ("ospite in via Garibaldi, 5", "via Garibaldi, 5"),
            ("Corso Italia 33", "Corso Italia 33"),
            ("appuntamento in Piazza Duomo 1", "Piazza Duomo 1"),
            ("Viale Monza 100, Milano", "Viale Monza 100"),
            ("abita in via dei Mille 7/B", "via dei Mille 7/B"),
            ("vive en Calle Mayor 5, 3º", "Calle Mayor 5"),
            ("piso en C/ Alcalá 23", "C/ Alcalá 23"),
            (
                "Avenida de la Constitución 12",
                "Avenida de la Constitución 12",
            ),
            ("Plaza Mayor 3", "Plaza Mayor 3"),
            ("Paseo de Gracia 45, Barcelona", "Paseo de Gracia 45"),
            ("Address: 10 Downing Street, London", "10 Downing Street"),
            ("Calle de Alcalá, 23, 2º izq.", "Calle de Alcalá, 23"),
            ("mi dirección es Av. de América 15", "Av. de América 15"),
            ("vive in Largo Augusto 3", "Largo Augusto 3"),
        ],
        PiiKind::StreetAddress,
    );
}

#[test]
fn street_words_without_a_number_pass() {
    assert_all_pass(&[
        "she lives near the station",
        "works on the street",
        "contacted via phone",
        "contacted via WhatsApp 3 times",
        "ha parlato via telefono 2 volte",
        "lavorava in strada da 2 anni",
        "vive in via Roma",
        "vivió en la calle Mayor 5 años",
        "had 2 Family Court hearings",
        "corso di italiano 2024",
        "Piazza con 3 amiche",
        "tiene plaza de acogida 3 meses",
        "mail c/o Caritas 12",
        "Worked at a massage parlour on Main St for 6 months",
        "Lavorava sulla strada statale 106 di notte",
    ]);
}

#[test]
fn web_addresses_are_caught() {
    assert_all_caught(
        &[
            (
                "profile at https://example.com/profile?id=1.",
                "https://example.com/profile?id=1",
            ),
            (
                "annuncio su www.escort-ads.it/maria",
                "www.escort-ads.it/maria",
            ),
            ("see example.com/path for the ad", "example.com/path"),
            ("canale t.me/mariaxx", "t.me/mariaxx"),
            ("enlace http://bit.ly/abc123", "http://bit.ly/abc123"),
            ("photos on onlyfans.com/maria", "onlyfans.com/maria"),
        ],
        PiiKind::Url,
    );
}

#[test]
fn social_handles_are_caught() {
    assert_all_caught(
        &[
            ("follow her @maria_88 on insta", "@maria_88"),
            ("instagram: maria_88", "maria_88"),
            ("fb: maria.rossi.90", "maria.rossi.90"),
            ("telegram @x", "@x"),
            ("tiktok user x", "x"),
            ("su TikTok come giulia.b92", "giulia.b92"),
            ("su Instagram è @giulia", "@giulia"),
            ("su usuario de instagram es ana_lopez", "ana_lopez"),
        ],
        PiiKind::SocialHandle,
    );
}

#[test]
fn ordinary_notes_pass() {
    assert_all_pass(&[
        // From the brief.
        "meets her counsellor twice a week",
        "3 children",
        "since 2019",
        "2 children aged 4 and 7",
        "attends Italian course level A2",
        "worked on the street for 2 years",
        "moved to shelter in March 2024",
        "contacted via phone by the operator",
        "her mother lives in Lagos region",
        "rated 3/3 last time",
        "5 sessions out of 12 attended",
        "went from 2 to 3",
        "follow-up on 12/03/2025",
        "income about 400 euros a month",
        "took the 14:30 bus",
        "COVID19 vaccination done",
        "va al corso tre volte a settimana",
        "vive in comunità da 6 mesi",
        "tiene 2 hijos de 3 y 5 años",
        "trabajó en la calle durante un año",
        "room 12 of the shelter",
        "percentuale 45%",
        "phase 1 of 3",
        // More everyday notes.
        "she was 16 when she started working on the street",
        "debt of 30.000 euros to the madam",
        "debito di 10.000.000 naira con la famiglia",
        "group session 10.30-11.30 every Monday",
        "worked there 2019-2021",
        "level B1 reached, now B2 course",
        "3rd session, she talked about her 2nd child",
        "has an Instagram account but no contact with exploiters",
        "uses Facebook to talk to her sister",
        "sent an e-mail to the lawyer, waiting for the website update",
        "her passport was taken by the madam",
        "passport expired 2023",
        "ID card expired in 2023",
        "DNI en trámite",
        "permesso di soggiorno art. 18 richiesto",
        "documento scaduto nel 2022",
        "colloquio n. 3 con la psicologa",
        "called the numero verde 800 290 290 and the 1522",
        "score 12/20 on the wellbeing scale",
        "2 x 500 mg daily",
        "meeting @ 10 at the centre",
        "ha 23 anni e due figli",
        "cumple 30 años en marzo",
        "rent 450 euros, paid 3 times",
        "e.g. legal advice, housing, etc.",
        "gennaio 2024: ingresso in casa rifugio",
        "phone number not available yet",
        "via email and phone, 2 contacts this week",
        "contacted via Skype 2x a week",
        "she went home.It was late",
        "scores 10 12 14 16 18 over five weeks",
        "version 1.2.3.4.5.6.7.8 of the form",
        "she waited @home for the call",
        "Colloquio del 03/04/2024: la signora sta meglio. Prossimo incontro tra 2 settimane.",
        "Richiesto permesso di soggiorno per casi speciali (art. 18 D.Lgs. 286/98).",
        "Denuncia presentata il 15.01.2024 presso la Questura.",
        "Session 4/10: worked on anxiety; GAD-7 score 14, PHQ-9 score 11.",
        "Referred to the GP; appointment 10:15 on 02-05-2024.",
        "Cita con la abogada el 12 de mayo a las 10.30 h.",
        "Tiene 2 hijos de 6 y 9 años, habla con ellos por WhatsApp 2 veces por semana.",
        "Medication: sertraline 50mg once daily.",
        "Oggi 1h30 di colloquio, presente mediatrice culturale.",
        "Case ref 2024/0153 in the council system",
        "saldo 1.250,00 euro",
        "A1, A2, B1 levels; Q3 2024 review",
    ]);
}

#[test]
fn message_names_the_fragment_and_the_kind() {
    let m = PiiMatch {
        kind: PiiKind::Phone,
        fragment: "+39 333 123 4567".to_string(),
    };
    assert_eq!(
        m.message(),
        "“+39 333 123 4567” looks like a phone number. Remove it or describe it without identifying details."
    );
    let found = find_identifying("write to maria@example.com").map(|m| m.message());
    assert!(found.is_some_and(|msg| msg.contains("maria@example.com") && msg.contains("e-mail")));
}

#[test]
fn every_kind_has_a_description() {
    let kinds = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Iban,
        PiiKind::CardNumber,
        PiiKind::DocumentNumber,
        PiiKind::BirthDate,
        PiiKind::StreetAddress,
        PiiKind::Url,
        PiiKind::SocialHandle,
    ];
    for kind in kinds {
        assert!(kind.describe().starts_with('a'), "{kind:?}");
    }
    assert_eq!(PiiKind::Iban.describe(), "a bank account number (IBAN)");
}

#[test]
fn find_all_returns_two_different_details_in_order() {
    let kinds = kinds_found(
        "Call +39 333 1234567 or write to maria.r@example.com, she lives in Via Roma 12.",
    );
    assert_eq!(
        kinds,
        vec![
            (PiiKind::Phone, "+39 333 1234567".to_owned()),
            (PiiKind::Email, "maria.r@example.com".to_owned()),
            (PiiKind::StreetAddress, "Via Roma 12".to_owned()),
        ]
    );
}

#[test]
fn find_identifying_returns_the_first_detail_by_position() {
    let first = find_identifying("email maria@example.com, phone 333 1234567");
    assert_eq!(first.map(|m| m.kind), Some(PiiKind::Email));
    let first = find_identifying("phone 333 1234567, email maria@example.com");
    assert_eq!(first.map(|m| m.kind), Some(PiiKind::Phone));
}

#[test]
fn an_email_is_reported_once_not_also_as_a_web_address_or_handle() {
    let found = find_all("maria_88@gmail.com");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, PiiKind::Email);
}

#[test]
fn empty_and_plain_texts_have_no_findings() {
    assert!(find_all("").is_empty());
    assert!(find_identifying("   ").is_none());
    assert!(find_identifying("Niente da segnalare.").is_none());
}
