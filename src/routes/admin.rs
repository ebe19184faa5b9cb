//! Administration: accounts, the audit log, settings and backups. Every handler here takes
//! `RequireAdmin`.

mod audit;
pub mod backups;
mod erase;
mod export;
mod settings;
mod users;

use actix_web::web;

use super::resource::page;

/// Registers the admin routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/admin/users").get(users::list).post(users::create))
        .service(page("/admin/users/new").get(users::new_form))
        .service(page("/admin/users/{id}/disable").post(users::disable))
        .service(page("/admin/users/{id}/enable").post(users::enable))
        .service(page("/admin/users/{id}/two-step/reset").post(users::reset_two_step))
        .service(
            page("/admin/users/{id}/password")
                .get(users::reset_form)
                .post(users::reset),
        )
        .service(page("/admin/audit").get(audit::page))
        .service(page("/admin/audit/verify").post(audit::verify))
        .service(page("/admin/audit/export.jsonl").get(audit::export))
        .service(page("/admin/export/research.csv").get(export::research))
        .service(page("/admin/export/research-wide.csv").get(export::research_wide))
        .service(
            page("/admin/settings")
                .get(settings::show)
                .post(settings::save),
        )
        .service(
            page("/admin/backups")
                .get(backups::page)
                .post(backups::make),
        )
        .service(page("/admin/backups/{file}").get(backups::download))
        .service(page("/admin/erase").get(erase::show).post(erase::erase))
        .service(page("/admin/retention").post(settings::run_retention));
}
