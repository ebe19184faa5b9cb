//! Synthetic demo data for trying the product: four accounts and cases whose assessments follow
//! plausible trajectories (slow progress, setbacks, some re-entries). Reproducible from a seed.
//! Nothing here resembles a real person: codes are random and attributes are drawn from the lists.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use time::{Date, Duration, OffsetDateTime};

use crate::domain::UserId;
use crate::domain::assessment::{
    ActionItem, ActionOwner, ActionStatus, Actor, Assessment, AssessmentId, ContextAnswers,
    Direction, FactorAnswer, LifecycleError, MAX_NOTE_CHARS, Note, Rating, ReEntry, ReviewDecision,
    Setting, Stage,
};
use crate::domain::case::{AgeBand, ClosingReason, Consent, Gender, Region, Route, Site};
use crate::domain::{
    AuditAction, AuditEvent, Case, CaseAttributes, CaseCode, CaseStatus, Choice, Month, Outcome,
    Password, Role, User, Username,
};
use crate::instrument::{FactorRole, Instrument};
use crate::store::{Store, StoreError};

/// Why demo data could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the data directory already holds data; demo data goes only into a new, empty directory"
    )]
    NotEmpty,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
    /// The synthetic data broke a rule of the assessment lifecycle (a bug in the generator).
    #[error("{0}")]
    Lifecycle(#[from] LifecycleError),
}

/// The accounts created, with their one-time passwords.
pub struct DemoAccounts {
    /// Username, role and password of each account.
    pub accounts: Vec<(String, Role, String)>,
    /// How many assessments were written.
    pub assessments: usize,
}

/// Notes that read like real ones and carry nothing identifying.
const NOTES: [&str; 8] = [
    "meets her counsellor twice a week",
    "attends the language course regularly",
    "worried about debts from the journey",
    "keeps in touch with another woman from the shelter",
    "asked for help to find training",
    "sleeps badly, follow up with the health service",
    "talked about her children for the first time",
    "does not want contact with the family for now",
];

fn pick<C: Choice>(rng: &mut StdRng) -> C {
    C::ALL[rng.random_range(0..C::ALL.len())]
}

fn stage_for(progress: f64) -> Stage {
    match progress {
        p if p < 0.2 => Stage::Precontemplation,
        p if p < 0.4 => Stage::Contemplation,
        p if p < 0.55 => Stage::Preparation,
        p if p < 0.75 => Stage::Action,
        _ => Stage::Maintenance,
    }
}

fn rating(rng: &mut StdRng, level: f64) -> Option<Rating> {
    if rng.random_bool(0.08) {
        return None; // not assessed
    }
    let value = (level * 3.0 + rng.random_range(-0.8..0.8))
        .round()
        .clamp(0.0, 3.0) as u8;
    Rating::try_from(value).ok()
}

fn password(rng: &mut StdRng) -> Result<Password, DemoError> {
    let mut bytes = [0u8; 12];
    rng.fill_bytes(&mut bytes);
    Password::parse(hex::encode(bytes)).map_err(|e| DemoError::Other(e.to_string()))
}

fn month_of(date: Date) -> Result<Month, DemoError> {
    Month::parse(&format!("{:04}-{:02}", date.year(), u8::from(date.month())))
        .map_err(|e| DemoError::Other(e.to_string()))
}

/// One synthetic case and its assessments, following a plausible trajectory.
fn synthetic_case(
    rng: &mut StdRng,
    instrument: &Instrument,
    owner: UserId,
    reviewer: Option<UserId>,
    now: OffsetDateTime,
    next_id: &mut dyn FnMut() -> Result<AssessmentId, DemoError>,
) -> Result<(Case, Vec<Assessment>), DemoError> {
    let today = now.date();
    let start = today - Duration::days(rng.random_range(120..900));
    let code = CaseCode::generate_with(rng);
    let assessments_n = rng.random_range(1..=5usize);
    let mut progress: f64 = rng.random_range(0.05..0.4);
    let mut date = start + Duration::days(rng.random_range(7..40));
    let mut last_reentry = false;
    let mut records = Vec::new();
    for _ in 0..assessments_n {
        if date > today {
            break;
        }
        let reentry = !records.is_empty() && rng.random_bool(0.15);
        if reentry {
            progress = (progress - rng.random_range(0.2..0.4)).max(0.0);
        }
        let id = next_id()?;
        let mut answers = BTreeMap::new();
        for (_, factor) in instrument.factors() {
            let level = match factor.role {
                FactorRole::Facilitating => progress,
                FactorRole::Hindering => 1.0 - progress,
                FactorRole::Controversial => rng.random_range(0.0..1.0),
            };
            let r = rating(rng, level);
            let direction = (factor.role == FactorRole::Controversial
                && r.is_some_and(|r| r.get() > 0))
            .then(|| pick::<Direction>(rng));
            let note = if rng.random_bool(0.1) {
                Note::parse(NOTES[rng.random_range(0..NOTES.len())], MAX_NOTE_CHARS)
                    .ok()
                    .flatten()
            } else {
                None
            };
            answers.insert(
                factor.id.clone(),
                FactorAnswer {
                    rating: r,
                    direction,
                    note,
                    priority: false,
                },
            );
        }
        // The two weakest resources become priorities with an action each.
        let mut weakest: Vec<_> = instrument
            .factors()
            .filter(|(_, f)| f.role == FactorRole::Facilitating)
            .filter_map(|(_, f)| {
                answers
                    .get(&f.id)
                    .and_then(|a| a.rating)
                    .map(|r| (r, f.id.clone()))
            })
            .collect();
        weakest.sort();
        let mut actions = Vec::new();
        for (_, factor) in weakest.into_iter().take(2) {
            if let Some(answer) = answers.get_mut(&factor) {
                answer.priority = true;
            }
            let action = Note::parse(
                "agree first steps with her at the next meeting",
                MAX_NOTE_CHARS,
            )
            .ok()
            .flatten()
            .ok_or_else(|| DemoError::Other("demo action text".into()))?;
            actions.push(ActionItem {
                factor,
                action,
                owner: pick::<ActionOwner>(rng),
                target: month_of(date + Duration::days(60))?,
                status: pick::<ActionStatus>(rng),
            });
        }
        let at = date.midnight().assume_utc();
        let context = ContextAnswers {
            date,
            stage: Some(if reentry {
                Stage::Reentry
            } else {
                stage_for(progress)
            }),
            reentry: Some(if records.is_empty() {
                ReEntry::Unknown
            } else if reentry {
                ReEntry::Yes
            } else {
                ReEntry::No
            }),
            setting: Some(pick::<Setting>(rng)),
        };
        let operator = Actor::operator(owner);
        let submitted = Assessment::filled_in(
            id,
            code.clone(),
            instrument,
            operator,
            at,
            context,
            answers,
            actions,
        )?;
        // Most demo assessments have been through review, so the dashboard has figures.
        let record = match reviewer {
            Some(id) if rng.random_bool(0.8) => {
                let supervisor = Actor {
                    id,
                    role: Role::Supervisor,
                };
                submitted
                    .review(ReviewDecision::Reviewed(None), supervisor, at)?
                    .into_assessment()
            }
            _ => submitted,
        };
        records.push(record);
        last_reentry = reentry;
        progress = (progress + rng.random_range(0.02..0.2)).min(1.0);
        date += Duration::days(rng.random_range(45..120));
    }
    let status = if rng.random_bool(0.15) {
        let reason = if last_reentry {
            ClosingReason::ReEntered
        } else {
            pick::<ClosingReason>(rng)
        };
        CaseStatus::Closed { reason, at: now }
    } else {
        CaseStatus::Open
    };
    let case = Case {
        code,
        created_by: owner,
        created_at: start.midnight().assume_utc(),
        attributes: CaseAttributes {
            age_band: pick::<AgeBand>(rng),
            gender: if rng.random_bool(0.9) {
                Gender::Woman
            } else {
                pick::<Gender>(rng)
            },
            region: pick::<Region>(rng),
            site: pick::<Site>(rng),
            route: pick::<Route>(rng),
            programme_start: Some(month_of(start)?),
            consent: if rng.random_bool(0.85) {
                Consent::Yes
            } else {
                Consent::No
            },
        },
        status,
        shared_with: Vec::new(),
    };
    Ok((case, records))
}

/// Synthetic cases in memory (for benchmarks): ids count up from 1, owners are taken in turn.
pub fn generate(
    instrument: &Instrument,
    cases: usize,
    seed: u64,
    now: OffsetDateTime,
    owners: &[UserId],
    reviewer: Option<UserId>,
) -> Result<Vec<(Case, Vec<Assessment>)>, DemoError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut id = 0u64;
    let mut next_id = || {
        id += 1;
        Ok(AssessmentId::new(id))
    };
    (0..cases)
        .map(|i| {
            let owner = owners
                .get(i % owners.len().max(1))
                .copied()
                .unwrap_or(UserId::new(1));
            synthetic_case(&mut rng, instrument, owner, reviewer, now, &mut next_id)
        })
        .collect()
}

/// Fills an empty store with demo accounts and `cases` synthetic cases.
pub async fn fill(
    store: &Store,
    instrument: &Instrument,
    cases: usize,
    seed: u64,
    now: OffsetDateTime,
) -> Result<DemoAccounts, DemoError> {
    if !store.is_empty()? {
        return Err(DemoError::NotEmpty);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    store.mark_demo().await?;
    // The demo's writes keep their aggregate rows on disk, so the server starts from them.
    store.keep_aggregate_rows_for(instrument);
    store.prepare_aggregate_rows().await?;

    let mut accounts = Vec::new();
    let mut operators: Vec<User> = Vec::new();
    let mut reviewer = None;
    for (name, role) in [
        ("demo-admin", Role::Admin),
        ("demo-supervisor", Role::Supervisor),
        ("demo-operator1", Role::Operator),
        ("demo-operator2", Role::Operator),
    ] {
        let pw = password(&mut rng)?;
        let hash = crate::auth::password::hash_blocking(&pw)
            .map_err(|e| DemoError::Other(e.to_string()))?;
        let username = Username::parse(name).map_err(|e| DemoError::Other(e.to_string()))?;
        let user = store
            .create_user(username, role, hash, now, move |user| {
                AuditEvent::new(now, None, AuditAction::UserCreated, Outcome::Success)
                    .on(format!("{} (demo)", user.id))
            })
            .await?;
        match role {
            Role::Operator => operators.push(user),
            Role::Supervisor => reviewer = Some(user.id),
            Role::Admin => {}
        }
        accounts.push((name.to_owned(), role, pw.expose().to_owned()));
    }

    // Cases are written many at a time, so that one group commit makes a whole chunk durable.
    let mut left = cases;
    let mut assessments = 0;
    while left > 0 {
        let chunk = left.min(256);
        left -= chunk;
        let mut generated = Vec::with_capacity(chunk);
        for _ in 0..chunk {
            let owner = operators[rng.random_range(0..operators.len())].id;
            let mut next_id = || Ok(store.new_assessment_id()?);
            generated.push(synthetic_case(
                &mut rng,
                instrument,
                owner,
                reviewer,
                now,
                &mut next_id,
            )?);
        }
        let writes = generated.iter().map(|(case, records)| async move {
            let created = AuditEvent::new(
                now,
                Some(case.created_by),
                AuditAction::CaseCreated,
                Outcome::Success,
            )
            .on(case.code.as_str());
            match store.create_case(case, created).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => return Ok(0), // a code drawn twice: skip it
                Err(e) => return Err(e),
            }
            for record in records {
                store.insert_assessment(record).await?;
            }
            Ok(records.len())
        });
        for written in futures_util::future::join_all(writes).await {
            assessments += written?;
        }
    }
    let event = AuditEvent::new(now, None, AuditAction::DemoDataCreated, Outcome::Success)
        .on(format!("{cases} cases"));
    store.append_audit(&event).await?;
    Ok(DemoAccounts {
        accounts,
        assessments,
    })
}
