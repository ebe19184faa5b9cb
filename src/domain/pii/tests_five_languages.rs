//! French and Romanian formats, the ways of dodging the guard in the five languages (English,
//! Italian, Spanish, French, Romanian), and what must still pass: hotlines, amounts, ages, times,
//! appointment dates, article numbers of the law, counts and years.

use super::PiiKind;
use super::tests::{assert_all_caught, assert_all_pass, kinds_found};

#[test]
fn french_phone_numbers_are_caught() {
    assert_all_caught(
        &[
            ("son portable 06 12 34 56 78", "06 12 34 56 78"),
            ("tél. 06.12.34.56.78 le soir", "06.12.34.56.78"),
            ("joignable au +33 6 12 34 56 78", "+33 6 12 34 56 78"),
            ("depuis l'Italie 0033 6 12 34 56 78", "0033 6 12 34 56 78"),
            ("fixe 01-42-68-53-00", "01-42-68-53-00"),
            ("portable 0612345678", "0612345678"),
        ],
        PiiKind::Phone,
    );
}

#[test]
fn romanian_phone_numbers_are_caught() {
    assert_all_caught(
        &[
            ("telefonul ei 0721 234 567", "0721 234 567"),
            ("sună la +40 721 234 567 seara", "+40 721 234 567"),
            ("din Italia 0040 721 234 567", "0040 721 234 567"),
            ("fix 021 123 4567", "021 123 4567"),
            ("mobil 0721234567", "0721234567"),
            ("nr. 0745-123-456", "0745-123-456"),
        ],
        PiiKind::Phone,
    );
}

#[test]
fn phone_numbers_split_into_pairs_or_single_digits_are_caught() {
    assert_all_caught(
        &[
            ("scrivimi al 34 71 23 45 67", "34 71 23 45 67"),
            ("3 4 7 1 2 3 4 5 6 7 è il suo", "3 4 7 1 2 3 4 5 6 7"),
            ("su móvil 6 1 2 9 8 4 5 7 3", "6 1 2 9 8 4 5 7 3"),
            ("0 7 2 1 2 3 4 5 6 7", "0 7 2 1 2 3 4 5 6 7"),
            ("07 21 23 45 67", "07 21 23 45 67"),
            ("0.6.1.2.3.4.5.6.7.8", "0.6.1.2.3.4.5.6.7.8"),
            // Not a whole national number, but after a phone word.
            ("tel. 45 71 23 45 67", "45 71 23 45 67"),
            ("numéro : 1 2 5 4 3 8 7 6", "1 2 5 4 3 8 7 6"),
        ],
        PiiKind::Phone,
    );
}

#[test]
fn phone_numbers_spelled_in_words_are_caught_in_five_languages() {
    assert_all_caught(
        &[
            (
                "il numero è tre quattro sette uno due tre quattro cinque sei sette",
                "tre quattro sette uno due tre quattro cinque sei sette",
            ),
            (
                "appelle-la au six un deux trois quatre cinq six sept huit",
                "six un deux trois quatre cinq six sept huit",
            ),
            (
                "zéro six, douze… non: zéro six un deux neuf huit sept six cinq",
                "zéro six un deux neuf huit sept six cinq",
            ),
            (
                "llamar al cero seis cuatro siete dos uno nueve ocho cero",
                "cero seis cuatro siete dos uno nueve ocho cero",
            ),
            (
                "sună la zero șapte doi unu doi trei patru cinci șase șapte",
                "zero șapte doi unu doi trei patru cinci șase șapte",
            ),
            (
                "suna la zero sapte doua unu noua opt trei",
                "zero sapte doua unu noua opt trei",
            ),
            (
                "her number is zero seven two one, two three four, five six seven",
                "zero seven two one, two three four, five six seven",
            ),
            (
                "whatsapp tre quattro sette 123 4567",
                "tre quattro sette 123 4567",
            ),
            (
                "Zero-Seven-Seven-Zero-Nine-Zero-Zero-One-Two-Three",
                "Zero-Seven-Seven-Zero-Nine-Zero-Zero-One-Two-Three",
            ),
            (
                "zero seven seven double zero nine zero one two three",
                "zero seven seven double zero nine zero one two three",
            ),
            (
                "tre quattro sette, doppio zero, uno due tre",
                "tre quattro sette, doppio zero, uno due tre",
            ),
            // Read out in pairs, the French way, and with two-digit words elsewhere.
            (
                "son numéro : zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
                "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
            ),
            (
                "zéro sept quatre-vingt-douze vingt et un quarante-cinq soixante-sept",
                "zéro sept quatre-vingt-douze vingt et un quarante-cinq soixante-sept",
            ),
            (
                "tre quattro sette, dodici, trentaquattro, ventuno, novantotto",
                "tre quattro sette, dodici, trentaquattro, ventuno, novantotto",
            ),
            (
                "seis doce treinta y cuatro cincuenta y seis veintidós",
                "seis doce treinta y cuatro cincuenta y seis veintidós",
            ),
            (
                "zero șapte doi unu, douăzeci și trei, patruzeci și cinci, șaizeci și șapte",
                "zero șapte doi unu, douăzeci și trei, patruzeci și cinci, șaizeci și șapte",
            ),
            (
                "seven seven double zero, ninety-one, twenty-three, forty-five",
                "seven seven double zero, ninety-one, twenty-three, forty-five",
            ),
        ],
        PiiKind::Phone,
    );
}

#[test]
fn e_mail_addresses_written_out_are_caught_in_five_languages() {
    assert_all_caught(
        &[
            (
                "her mail is maria dot rossi at gmail dot com",
                "maria dot rossi at gmail dot com",
            ),
            ("write to maria at gmail.com", "maria at gmail.com"),
            ("maria(at)gmail(dot)com", "maria(at)gmail(dot)com"),
            ("maria [at] gmail [dot] com", "maria [at] gmail [dot] com"),
            (
                "scrivere a maria chiocciola gmail punto it",
                "maria chiocciola gmail punto it",
            ),
            (
                "maria.rossi chiocciola libero punto it",
                "maria.rossi chiocciola libero punto it",
            ),
            (
                "su correo: maria arroba gmail punto com",
                "maria arroba gmail punto com",
            ),
            (
                "écrire à marie arobase gmail point fr",
                "marie arobase gmail point fr",
            ),
            (
                "marie point dupont arobase orange point fr",
                "marie point dupont arobase orange point fr",
            ),
            (
                "adresa: maria a rond yahoo punct ro",
                "maria a rond yahoo punct ro",
            ),
            ("scrie-i la maria arond yahoo.com", "maria arond yahoo.com"),
            ("contact maria at gmail, not by phone", "maria at gmail"),
            ("ana arroba hotmail", "ana arroba hotmail"),
            ("maria88 AT Yahoo DOT it", "maria88 AT Yahoo DOT it"),
            ("maria @ gmail.com", "maria @ gmail.com"),
            ("maria @ gmail . com", "maria @ gmail . com"),
        ],
        PiiKind::Email,
    );
}

#[test]
fn ordinary_sentences_with_at_or_dot_words_pass() {
    assert_all_pass(&[
        "met at the station",
        "she is at home",
        "she is at home. It was late",
        "we met at the office at 10",
        "her account at gmail was closed",
        "she worked at Yahoo for a year",
        "she is at gmail",
        "rendez-vous à la gare",
        "elle est à la maison",
        "l'ho vista alla stazione",
        "la stazione centrale",
        "a che punto siamo con la pratica",
        "faire le point sur la situation",
        "el punto de encuentro es la plaza",
        "punctul de lucru al asociației",
        "ne-am întâlnit la gară",
        "dot points: housing, work",
    ]);
}

#[test]
fn french_street_addresses_are_caught() {
    assert_all_caught(
        &[
            (
                "elle habite 12 rue de la Paix avec sa sœur",
                "12 rue de la Paix",
            ),
            ("3 bis avenue Jean Jaurès", "3 bis avenue Jean Jaurès"),
            ("au boulevard Voltaire 45", "boulevard Voltaire 45"),
            ("45, boulevard Voltaire, Paris", "45, boulevard Voltaire"),
            ("8 chemin des Vignes", "8 chemin des Vignes"),
            ("5 impasse du Moulin", "5 impasse du Moulin"),
            ("7 allée des Tilleuls", "7 allée des Tilleuls"),
            ("2 place de la République", "2 place de la République"),
            ("14 quai de la Loire", "14 quai de la Loire"),
            ("12 rue de la paix", "12 rue de la paix"),
            ("10 bd Saint-Michel", "10 bd Saint-Michel"),
            ("21 rue d'Alésia", "21 rue d'Alésia"),
        ],
        PiiKind::StreetAddress,
    );
}

#[test]
fn romanian_street_addresses_and_blocks_are_caught() {
    assert_all_caught(
        &[
            (
                "locuiește pe Strada Florilor nr. 12",
                "Strada Florilor nr. 12",
            ),
            ("str. Victoriei 5", "str. Victoriei 5"),
            ("Bulevardul Unirii nr 3", "Bulevardul Unirii nr 3"),
            ("bd. Magheru 28", "bd. Magheru 28"),
            ("Calea Victoriei 10", "Calea Victoriei 10"),
            ("Aleea Teilor 7", "Aleea Teilor 7"),
            ("Șoseaua Kiseleff nr. 12", "Șoseaua Kiseleff nr. 12"),
            ("str. florilor 12", "str. florilor 12"),
            ("stă în bl. 4 sc. B ap. 12", "bl. 4 sc. B ap. 12"),
            ("bloc A2, ap. 7", "bloc A2, ap. 7"),
            (
                "bl. M3, sc. 2, et. 4, ap. 61",
                "bl. M3, sc. 2, et. 4, ap. 61",
            ),
        ],
        PiiKind::StreetAddress,
    );
    let kinds = kinds_found("Strada Florilor nr. 12, bl. 4, sc. B, ap. 12");
    assert_eq!(
        kinds,
        vec![
            (PiiKind::StreetAddress, "Strada Florilor nr. 12".to_owned()),
            (PiiKind::StreetAddress, "bl. 4, sc. B, ap. 12".to_owned()),
        ]
    );
}

#[test]
fn french_and_romanian_street_words_without_a_house_number_pass() {
    assert_all_pass(&[
        "elle vit dans la rue depuis 3 ans",
        "elle a 2 cours de français par semaine",
        "3 places en foyer, 1 place disponible",
        "rue de la Paix",
        "a trăit pe stradă 3 ani",
        "a lucrat pe strada principală",
        "locuiește pe Strada Florilor",
        "the meeting took place Monday 3 March",
        "on the route 3 times",
        "2 routes possibles",
        "3 bd apartment near the station",
        "reached 1 impasse after another",
        "found 1 avenue of support",
        "a 12 square metres room",
        "the impasse lasted 3 weeks",
    ]);
}

#[test]
fn french_and_romanian_birth_dates_are_caught() {
    assert_all_caught(
        &[
            ("née le 3 mars 1990 à Lagos", "3 mars 1990"),
            ("né le 03/03/1990", "03/03/1990"),
            ("date de naissance : 12.05.1988", "12.05.1988"),
            ("née le 1er mai 1992", "1er mai 1992"),
            ("née le 14 février 1995", "14 février 1995"),
            ("născută pe 3 martie 1990", "3 martie 1990"),
            ("data nașterii: 03.03.1990", "03.03.1990"),
            ("data naşterii 3 iunie 1995", "3 iunie 1995"),
            ("nascuta la 12.05.1988", "12.05.1988"),
            ("născut pe 21 decembrie 1987", "21 decembrie 1987"),
            ("né(e) le 3 mars 1990", "3 mars 1990"),
            ("Popescu A., n. 3 martie 1990, Iași", "3 martie 1990"),
            ("n. 03.03.1990", "03.03.1990"),
        ],
        PiiKind::BirthDate,
    );
}

#[test]
fn birth_dates_in_words_are_caught_in_five_languages() {
    assert_all_caught(
        &[
            (
                "born on the third of March nineteen ninety",
                "third of March nineteen ninety",
            ),
            (
                "born March the third, nineteen ninety-two",
                "March the third, nineteen ninety-two",
            ),
            (
                "born on the twenty-first of June two thousand and one",
                "twenty-first of June two thousand and one",
            ),
            (
                "born on 3rd March nineteen ninety",
                "3rd March nineteen ninety",
            ),
            (
                "nata il tre marzo millenovecentonovanta",
                "tre marzo millenovecentonovanta",
            ),
            (
                "nata il primo maggio millenovecentonovantadue",
                "primo maggio millenovecentonovantadue",
            ),
            ("nata il ventitré aprile 1994", "ventitré aprile 1994"),
            (
                "nata il trentuno dicembre millenovecentottantanove",
                "trentuno dicembre millenovecentottantanove",
            ),
            (
                "nata il 3 marzo millenovecentotto",
                "3 marzo millenovecentotto",
            ),
            (
                "nacida el tres de marzo de mil novecientos noventa",
                "tres de marzo de mil novecientos noventa",
            ),
            (
                "nacida el primero de mayo de mil novecientos noventa y dos",
                "primero de mayo de mil novecientos noventa y dos",
            ),
            (
                "née le trois mars mille neuf cent quatre-vingt-dix",
                "trois mars mille neuf cent quatre-vingt-dix",
            ),
            ("née le 3 mars deux mille deux", "3 mars deux mille deux"),
            (
                "né le vingt et un juin mil neuf cent quatre-vingt-huit",
                "vingt et un juin mil neuf cent quatre-vingt-huit",
            ),
            (
                "născută pe trei martie o mie nouă sute nouăzeci",
                "trei martie o mie nouă sute nouăzeci",
            ),
            (
                "nascuta pe douazeci si doi mai o mie noua sute optzeci si cinci",
                "douazeci si doi mai o mie noua sute optzeci si cinci",
            ),
            ("născută pe întâi iunie 1995", "întâi iunie 1995"),
        ],
        PiiKind::BirthDate,
    );
}

#[test]
fn romanian_cnp_and_french_insee_numbers_are_caught() {
    assert_all_caught(
        &[
            // Validated: found without a keyword.
            ("a dat 2900303401238 la înregistrare", "2900303401238"),
            ("CNP 1900101123457", "1900101123457"),
            ("6010215404562", "6010215404562"),
            (
                "numéro 2 84 12 75 123 456 87 sur la carte",
                "2 84 12 75 123 456 87",
            ),
            ("elle a donné 284127512345687 au guichet", "284127512345687"),
            ("Corse : 1 85 05 2A 123 456 33", "1 85 05 2A 123 456 33"),
            // After the keyword, the right length is enough.
            ("CNP: 1234567890123", "1234567890123"),
            ("cod numeric personal 2900303401239", "2900303401239"),
            ("NIR : 2 84 12 75 123 456", "2 84 12 75 123 456"),
            (
                "numéro de sécurité sociale 1 90 03 75 001 002 99",
                "1 90 03 75 001 002 99",
            ),
            // Other documents, French and Romanian.
            ("buletin seria RX nr. 123456", "seria RX nr. 123456"),
            ("CI seria XT 654321", "seria XT 654321"),
            ("pașaport nr. 051234567", "051234567"),
            ("passeport n° 12AB34567", "12AB34567"),
            ("titre de séjour numéro 7501234567", "7501234567"),
        ],
        PiiKind::DocumentNumber,
    );
}

#[test]
fn public_hotlines_pass() {
    assert_all_pass(&[
        "call 1522 for help",
        "called the numero verde 800 290 290",
        "appelez le 119 ou le 3919",
        "116 006 aide aux victimes",
        "elle a appelé le 17",
        "composer le 017",
        "numéro vert 0 800 05 95 95",
        "numéro vert 0805 02 11 00",
        "linia TIP 0800 500 333",
        "sună la 112",
        "llamó al 016",
        "116 000 per i minori scomparsi",
    ]);
}

#[test]
fn amounts_ages_and_times_pass() {
    assert_all_pass(&[
        // Amounts.
        "debt of 1.250 €",
        "€ 3 400 to the madam",
        "€ 3 400 000",
        "a primit 2 500 lei",
        "1,234.56 euros paid",
        "datorie de 12 500 000 lei",
        "datorie de 12 500 000 de lei",
        "una deuda de 30 000 000 de nairas",
        "salaire de 1 800 euros par mois",
        "owes 45 000 euros",
        "deuda de 30 000 000 naira",
        // Ages.
        "she is 23",
        "ha 19 anni",
        "tiene 30 años",
        "elle a 25 ans",
        "are 22 de ani",
        // Times.
        "at 14:30",
        "alle 9.30",
        "à 18h30",
        "la ora 14:30",
        "de 9h à 12h30",
    ]);
}

#[test]
fn appointment_dates_pass_in_five_languages() {
    assert_all_pass(&[
        "appointment on 12/03/2026",
        "rendez-vous le 5 mars 2026",
        "rendez-vous le cinq mars deux mille vingt-six",
        "programare pe 3 martie 2026",
        "programare pe trei martie două mii douăzeci și șase",
        "cita el 4 de abril",
        "appuntamento il 3 marzo 2026",
        "née en 1990, arrivée en France le 3 mars 2016",
        "née au Nigeria, rendez-vous le 3 mars 2026",
        "născută în 1995",
        "data nașterii necunoscută, sosită pe 3 martie 2020",
        "born in nineteen ninety",
        "nata nel millenovecentonovanta",
        // Italian "né … né" (neither … nor) is not French "né le" (born on).
        "non si è presentata né il 3 marzo 2024 né il 5 aprile 2024",
        // "n." is a birth word only right before a date.
        "colloquio n. 3 del 12 marzo 2024",
        "Legea nr. 678/2001, n. 3 din 12 martie 2024",
    ]);
}

#[test]
fn article_numbers_of_the_law_pass() {
    assert_all_pass(&[
        "art. 18 d.lgs. 286/1998",
        "article L316-1 du CESEDA",
        "art. 59 bis LOEX",
        "Legea 678/2001 art. 22",
        "art. 225-4-1 du Code pénal",
        "art. 177 bis del Código Penal",
        "Directive 2011/36/EU",
        "articolul 210 Cod penal",
        "art. 601 c.p.",
        "Legea nr. 678/2001",
        "Loi n° 2016-444 du 13 avril 2016",
        "Décret n° 2007-1352 du 13 septembre 2007",
        "OUG nr. 105/2001 privind frontiera",
        "Real Decreto nº 557/2011",
        "decreto legislativo n. 24 del 4 marzo 2014",
        "Ordonnance de protection du 3 mars 2024, article 515-9 du Code civil.",
    ]);
}

#[test]
fn counts_years_and_everyday_notes_pass_in_five_languages() {
    assert_all_pass(&[
        "3 children",
        "since 2019",
        "from 2015 to 2018",
        "in 1990 she moved",
        "elle a 3 enfants",
        "are 2 copii de 4 și 7 ani",
        "Entretien du 12/03/2024 : elle va mieux.",
        "Întâlnire pe 3 martie 2024 la ora 10:00.",
        "Suivi : 2 rendez-vous par mois.",
        "Appel au 3919 le 5 mars.",
        "A lucrat în stradă 3 ani, din 2015 până în 2018.",
        "Orele 10-12 la centru, 2 ședințe pe săptămână.",
        "one two three four five six seven",
        "uno, due, tre, quattro, cinque, sei, sette, otto",
        "she has two or three children",
        "six, sept ou huit personnes",
        "scores 1 2 3 4 5 6 7 8 on the scale",
        "PHQ-9 items: 1 2 0 3 1 2 1 0 2",
        "Rosenberg: 3 2 3 3 2 1 3 2 3 3",
        "Reference 2024 03 12 17 45",
        "entretien le 3 12 2024 à 10h",
        "she studied at Oxford",
        "she lived at Gmail headquarters",
        "scores 30 32 34 36 38 over five weeks",
        "a stat în blocul 4 ani",
        "CNP în curs de emitere",
        "numéro de sécurité sociale en cours",
        "dos o tres veces por semana",
        "tra venti e trenta anni, due o tre figli",
        "entre vingt et trente ans, deux ou trois enfants",
        "twenty or thirty women, two or three of them minors",
        "ten, twenty, thirty, forty, fifty, sixty",
        "între douăzeci și treizeci de ani",
    ]);
}

#[test]
fn a_file_number_that_starts_with_a_year_is_a_document_number_not_a_phone() {
    assert_all_caught(
        &[
            ("Le dossier n° 2024-00123 est en cours.", "2024-00123"),
            ("pratica n. 2023-004567", "2023-004567"),
        ],
        PiiKind::DocumentNumber,
    );
}

#[test]
fn digits_that_read_as_a_date_are_a_phone_number_after_a_phone_word() {
    assert_all_caught(
        &[
            ("cell 347 12 12 1990", "347 12 12 1990"),
            ("her phone: 06 12 03 1990", "06 12 03 1990"),
        ],
        PiiKind::Phone,
    );
}
