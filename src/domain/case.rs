//! Cases: a random code and coarse attributes, never a name. Each attribute is a closed list with a
//! "not recorded" answer, except consent to aggregate reporting, which must be answered.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::UserId;
use crate::choice;

/// Crockford's base32 alphabet: no I, L, O or U, so codes survive being read aloud or handwritten.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A case's public identifier: 8 random Crockford base32 characters (40 bits) and a check character
/// (Luhn mod 32, which catches every single mistyped character and most swaps of neighbours).
/// Shown as `K7QM-3XDA-5`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseCode(String);

/// Why a typed case code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseCodeError {
    #[error("a case code has 9 characters, like K7QM-3XDA-5")]
    Length,
    #[error("a case code uses only the letters and digits printed on the case")]
    Characters,
    #[error("this case code has a typo: check each character")]
    Checksum,
}

fn value_of(c: u8) -> Option<usize> {
    let c = match c.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        other => other,
    };
    ALPHABET.iter().position(|&a| a == c)
}

/// Luhn mod N over base-32 digits.
fn check_char(digits: &[usize]) -> u8 {
    let mut sum = 0;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = if i % 2 == 0 { d * 2 } else { d };
        v = v / 32 + v % 32;
        sum += v;
    }
    ALPHABET[(32 - sum % 32) % 32]
}

impl CaseCode {
    /// A new random code.
    pub fn generate() -> Self {
        Self::generate_with(&mut rand::rng())
    }

    /// A new code drawn from `rng` (seeded for reproducible demo data).
    pub fn generate_with(rng: &mut impl Rng) -> Self {
        let digits: Vec<usize> = (0..8).map(|_| rng.random_range(0..32)).collect();
        let mut code: String = digits.iter().map(|&d| ALPHABET[d] as char).collect();
        code.push(check_char(&digits) as char);
        Self(code)
    }

    /// Reads a code typed by a person: case, dashes and spaces do not matter, O/I/L read as 0/1/1.
    pub fn parse(raw: &str) -> Result<Self, CaseCodeError> {
        let chars: Vec<u8> = raw.bytes().filter(|b| !matches!(b, b'-' | b' ')).collect();
        if chars.len() != 9 {
            return Err(CaseCodeError::Length);
        }
        let values = chars
            .iter()
            .map(|&c| value_of(c))
            .collect::<Option<Vec<usize>>>()
            .ok_or(CaseCodeError::Characters)?;
        if check_char(&values[..8]) != ALPHABET[values[8]] {
            return Err(CaseCodeError::Checksum);
        }
        Ok(Self(values.iter().map(|&v| ALPHABET[v] as char).collect()))
    }

    /// The canonical form without dashes, for keys and URLs.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as a number (five bits a character, 45 in all) that sorts as the code does: a
    /// key of eight bytes where hundreds of thousands are kept in memory.
    pub fn packed(&self) -> u64 {
        // Every character of a parsed or generated code is in the alphabet.
        pack_code(&self.0).unwrap_or(0)
    }
}

/// A code's canonical text (9 characters of the alphabet, upper case, no dashes) as a number,
/// five bits a character; None for any other text. `unpack_code` gives the text back.
pub fn pack_code(text: &str) -> Option<u64> {
    if text.len() != 9 {
        return None;
    }
    text.bytes().try_fold(0u64, |n, c| {
        let v = ALPHABET.iter().position(|&a| a == c)?;
        Some(n << 5 | v as u64)
    })
}

/// The text `pack_code` made `packed` from.
pub fn unpack_code(packed: u64) -> String {
    (0..9)
        .rev()
        .map(|i| char::from(ALPHABET[((packed >> (5 * i)) & 31) as usize]))
        .collect()
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl TryFrom<String> for CaseCode {
    type Error = CaseCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseCode> for String {
    fn from(value: CaseCode) -> Self {
        value.0
    }
}

choice! {
    /// Age band at the time the case was opened.
    pub enum AgeBand {
        Under18 = ("under_18", "Under 18"),
        From18To24 = ("18_24", "18–24"),
        From25To34 = ("25_34", "25–34"),
        From35To49 = ("35_49", "35–49"),
        From50 = ("50_plus", "50 or older"),
        NotRecorded = ("not_recorded", "Not recorded"),
    }
}

choice! {
    /// Gender.
    pub enum Gender {
        Woman = ("woman", "Woman"),
        Man = ("man", "Man"),
        TransOrNonBinary = ("trans_nonbinary", "Trans or non-binary"),
        NotRecorded = ("not_recorded", "Not recorded"),
    }
}

choice! {
    /// Region of origin, coarse on purpose.
    pub enum Region {
        ThisCountry = ("this_country", "This country"),
        EuropeEu = ("europe_eu", "European Union"),
        EuropeOther = ("europe_other", "Rest of Europe"),
        NorthAfrica = ("north_africa", "North Africa"),
        WestAfrica = ("west_africa", "West Africa"),
        RestOfAfrica = ("rest_of_africa", "Rest of Africa"),
        MiddleEast = ("middle_east", "Middle East"),
        CentralAsia = ("central_asia", "Central Asia"),
        SouthAsia = ("south_asia", "South Asia"),
        EastAsiaPacific = ("east_asia_pacific", "East Asia and Pacific"),
        LatinAmerica = ("latin_america", "Latin America and the Caribbean"),
        NorthAmerica = ("north_america", "North America"),
        NotRecorded = ("not_recorded", "Not recorded"),
    }
}

choice! {
    /// Where the exploitation mainly took place.
    pub enum Site {
        Brothel = ("indoor_brothel", "Indoor: brothel"),
        Apartment = ("indoor_apartment", "Indoor: apartment"),
        Club = ("indoor_club", "Indoor: club or bar"),
        Massage = ("indoor_massage", "Indoor: massage parlour"),
        Street = ("street", "Street"),
        Online = ("online", "Online"),
        Mixed = ("mixed", "Mixed"),
        NotRecorded = ("not_recorded", "Not recorded"),
    }
}

choice! {
    /// Whether trafficking crossed a border.
    pub enum Route {
        National = ("national", "National"),
        Transnational = ("transnational", "Transnational"),
        NotRecorded = ("not_recorded", "Not recorded"),
    }
}

choice! {
    /// Consent to be counted in anonymous aggregate reports.
    pub enum Consent {
        Yes = ("yes", "Yes"),
        No = ("no", "No"),
    }
}

choice! {
    /// Why a case was closed.
    pub enum ClosingReason {
        LeftProgramme = ("left_programme", "Left the programme"),
        ReEntered = ("reentered", "Re-entered exploitation"),
        LostContact = ("lost_contact", "Lost contact"),
        MovedAway = ("moved_away", "Moved away"),
        Other = ("other", "Other"),
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: u16,
    month: u8,
}

/// A month that is not `YYYY-MM` or is out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("enter a month as YYYY-MM, for example 2024-03")]
pub struct MonthError;

impl Month {
    /// Parses `YYYY-MM` (years 2000 to 2100).
    pub fn parse(raw: &str) -> Result<Self, MonthError> {
        let (y, m) = raw.trim().split_once('-').ok_or(MonthError)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(MonthError);
        }
        let year: u16 = y.parse().map_err(|_| MonthError)?;
        let month: u8 = m.parse().map_err(|_| MonthError)?;
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(MonthError);
        }
        Ok(Self { year, month })
    }

    /// The month containing `at`.
    pub fn of(at: OffsetDateTime) -> Self {
        Self {
            year: at.year().clamp(0, 9999) as u16,
            month: u8::from(at.month()),
        }
    }
}

impl Month {
    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The month of the year.
    pub fn month(self) -> time::Month {
        time::Month::try_from(self.month).unwrap_or(time::Month::January)
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        // Cannot fail: the year is within 0–9999 and the month within 1–12.
        Date::from_calendar_date(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    /// The month after it.
    pub fn next(self) -> Self {
        if self.month >= 12 {
            Self {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Month> for String {
    fn from(value: Month) -> Self {
        value.to_string()
    }
}

/// The coarse facts recorded about a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseAttributes {
    pub age_band: AgeBand,
    pub gender: Gender,
    pub region: Region,
    pub site: Site,
    pub route: Route,
    /// Month the programme started, if recorded.
    pub programme_start: Option<Month>,
    pub consent: Consent,
}

/// Open, or closed with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed {
        reason: ClosingReason,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub code: CaseCode,
    pub created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub attributes: CaseAttributes,
    pub status: CaseStatus,
    /// Operators besides the creator who may work on the case.
    pub shared_with: Vec<UserId>,
}

impl Case {
    /// Whether `user` (an operator) may open this case. Supervisors and admins may open every case.
    pub fn is_operator_allowed(&self, user: UserId) -> bool {
        self.created_by == user || self.shared_with.contains(&user)
    }
}

/// The message ids of the answer lists the case pages show so far (each must be in every
/// language): the case form's and the stage of change.
pub fn form_choice_ids() -> Vec<&'static str> {
    fn ids<C: super::Choice>() -> impl Iterator<Item = &'static str> {
        C::ALL.iter().map(|c| c.message_id())
    }
    ids::<AgeBand>()
        .chain(ids::<Gender>())
        .chain(ids::<Region>())
        .chain(ids::<Site>())
        .chain(ids::<Route>())
        .chain(ids::<Consent>())
        .chain(ids::<super::assessment::Stage>())
        .chain(ids::<super::assessment::Direction>())
        .chain(ids::<super::assessment::ReEntry>())
        .chain(ids::<super::assessment::Setting>())
        .chain(ids::<super::assessment::ActionOwner>())
        .chain(ids::<super::assessment::ActionStatus>())
        .chain(ids::<ClosingReason>())
        .chain(ids::<super::erasure::ErasureReason>())
        .chain(ids::<super::two_step::TwoStepPolicy>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Choice;

    #[test]
    fn generated_codes_parse_back_in_any_typed_form() {
        for _ in 0..200 {
            let code = CaseCode::generate();
            assert_eq!(code.as_str().len(), 9);
            let shown = code.to_string();
            assert_eq!(shown.len(), 11);
            assert_eq!(CaseCode::parse(&shown).as_ref(), Ok(&code));
            assert_eq!(CaseCode::parse(&shown.to_lowercase()).as_ref(), Ok(&code));
            assert_eq!(
                CaseCode::parse(&shown.replace('-', " ")).as_ref(),
                Ok(&code)
            );
        }
    }

    #[test]
    fn a_single_mistyped_character_is_caught() {
        let code = CaseCode::generate();
        let chars: Vec<u8> = code.as_str().bytes().collect();
        for i in 0..9 {
            for &replacement in ALPHABET {
                if replacement == chars[i] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[i] = replacement;
                let typo = String::from_utf8(typo).unwrap();
                assert!(
                    CaseCode::parse(&typo).is_err(),
                    "{typo} accepted for {code}"
                );
            }
        }
    }

    #[test]
    fn confusable_letters_read_as_digits() {
        let code = CaseCode::generate();
        let typed = code.as_str().replace('0', "O").replace('1', "l");
        assert_eq!(CaseCode::parse(&typed), Ok(code));
    }

    #[test]
    fn malformed_codes_are_refused_with_a_reason() {
        assert_eq!(CaseCode::parse("K7QM"), Err(CaseCodeError::Length));
        assert_eq!(
            CaseCode::parse("K7QM-3XDA-U"),
            Err(CaseCodeError::Characters)
        );
    }

    #[test]
    fn months_are_yyyy_mm() {
        assert_eq!(
            Month::parse("2024-03").map(|m| m.to_string()),
            Ok("2024-03".to_owned())
        );
        assert!(Month::parse("2024-13").is_err());
        assert!(Month::parse("24-03").is_err());
        assert!(Month::parse("1990-03").is_err());
        assert!(Month::parse("2024-3").is_err());
    }

    #[test]
    fn a_month_knows_its_first_day_and_the_month_after() {
        let dec = Month::parse("2024-12").unwrap();
        assert_eq!(dec.first_day().to_string(), "2024-12-01");
        assert_eq!(dec.next().to_string(), "2025-01");
        assert_eq!(
            Month::parse("2025-02").unwrap().next().to_string(),
            "2025-03"
        );
    }

    #[test]
    fn packed_codes_are_distinct_and_sort_as_the_codes_do() {
        let mut codes: Vec<CaseCode> = (0..2000).map(|_| CaseCode::generate()).collect();
        codes.sort();
        codes.dedup();
        let packed: Vec<u64> = codes.iter().map(CaseCode::packed).collect();
        assert!(
            packed.windows(2).all(|w| w[0] < w[1]),
            "same order, no two alike"
        );
        assert!(packed.iter().all(|p| *p < 1 << 45));
        for code in &codes {
            assert_eq!(unpack_code(code.packed()), code.as_str());
        }
        assert_eq!(pack_code("K7QM-3XDA"), None, "dashes are not canonical");
        assert_eq!(pack_code("k7qm3xda5"), None, "nor is lower case");
        assert_eq!(pack_code(""), None);
    }

    #[test]
    fn choices_round_trip_through_their_ids() {
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::from_id(band.id()), Some(*band));
        }
        assert_eq!(Consent::from_id("maybe"), None);
    }
}
