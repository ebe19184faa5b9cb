//! `GET/POST /admin/backups` and `GET /admin/backups/{file}`: the last backup's time, size and
//! outcome, the backups kept, "Back up now", and downloads. Making and downloading are audited.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::RequireAdmin;
use crate::backup::service::{BackupFile, LastBackup, NotMade};
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::i18n::{Lang, t, t_with};
use crate::routes::cases::audit_download;
use crate::state::AppState;
use crate::web::{PageContext, render, see_other};

#[derive(Template)]
#[template(path = "admin/backups.html")]
struct BackupsPage {
    ctx: PageContext,
    /// Where, how often, how many, what key; None when backups are off.
    config: Option<(String, String, usize, String)>,
    last: Option<LastBackup>,
    files: Vec<BackupFile>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct BackupsQuery {
    notice: Option<String>,
}

/// Bytes as people read them.
pub fn size(bytes: &u64) -> String {
    match *bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} bytes"),
    }
}

/// `GET /admin/backups`.
pub async fn page(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    query: web::Query<BackupsQuery>,
) -> Result<HttpResponse, AppError> {
    let backups = &state.backups;
    let config = backups.config().map(|c| {
        (
            c.dir.display().to_string(),
            interval(current.lang, c.every),
            c.keep,
            t(current.lang, c.key.message_id()),
        )
    });
    let notice = match query.notice.as_deref() {
        Some("made") => Some("backups-notice-made"),
        Some("failed") => Some("backups-notice-failed"),
        Some("busy") => Some("backups-notice-busy"),
        _ => None,
    };
    let files = backups.files().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "listing the backup directory failed");
        Vec::new()
    });
    render(
        StatusCode::OK,
        &BackupsPage {
            ctx: PageContext::signed_in(&current, "/admin/backups"),
            config,
            last: backups.last(),
            files,
            notice,
        },
    )
}

/// `POST /admin/backups`: "Back up now".
pub async fn make(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let notice = match state
        .backups
        .make_audited(&state.store, Some(current.user.id))
        .await
    {
        Ok(_) => "made",
        Err(NotMade::Off) => return Err(AppError::NotFound),
        Err(NotMade::Busy) => "busy",
        Err(NotMade::Failed(_)) => "failed",
    };
    Ok(see_other(&format!("/admin/backups?notice={notice}")))
}

/// `GET /admin/backups/{file}`: one of the kept backups, as it is (encrypted).
pub async fn download(
    RequireAdmin(current): RequireAdmin,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let path = state.backups.path_of(&name).ok_or(AppError::NotFound)?;
    let file = std::fs::File::open(&path).map_err(AppError::internal)?;
    audit_download(&state, &current, AuditAction::BackupDownloaded, &name).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/octet-stream"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .streaming(chunks(file)))
}

/// A file read in 64 KiB chunks off the worker threads: a large backup never sits in memory.
fn chunks(
    file: std::fs::File,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = web::block(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((buf, file))
        })
        .await;
        match read {
            Ok(Ok((buf, _))) if buf.is_empty() => None,
            Ok(Ok((buf, file))) => Some((Ok(web::Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
            Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
        }
    })
}

/// How often backups are made, in `lang`: "1 day", "6 hours", "30 minutes".
fn interval(lang: Lang, every: std::time::Duration) -> String {
    let minutes = usize::try_from(every.as_secs() / 60).unwrap_or(usize::MAX);
    let (id, n) = if minutes > 0 && minutes % (24 * 60) == 0 {
        ("duration-days", minutes / (24 * 60))
    } else if minutes > 0 && minutes % 60 == 0 {
        ("duration-hours", minutes / 60)
    } else {
        ("duration-minutes", minutes.max(1))
    };
    t_with(lang, id, &[("count", n.into())])
}
