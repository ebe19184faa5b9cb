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

/// Registers the admin routes, under one static prefix (and one `{id}` segment for accounts).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .service(
                web::scope("/users")
                    .service(page("").get(users::list).post(users::create))
                    .service(page("/new").get(users::new_form))
                    .service(
                        web::scope("/{id}")
                            .service(page("/disable").post(users::disable))
                            .service(page("/enable").post(users::enable))
                            .service(page("/two-step/reset").post(users::reset_two_step))
                            .service(page("/password").get(users::reset_form).post(users::reset)),
                    ),
            )
            .service(page("/audit").get(audit::page))
            .service(page("/audit/verify").post(audit::verify))
            .service(page("/audit/export.jsonl").get(audit::export))
            .service(page("/export/research.csv").get(export::research))
            .service(page("/export/research-wide.csv").get(export::research_wide))
            .service(page("/settings").get(settings::show).post(settings::save))
            .service(page("/backups").get(backups::page).post(backups::make))
            .service(page("/backups/{file}").get(backups::download))
            .service(page("/erase").get(erase::show).post(erase::erase))
            .service(page("/retention").post(settings::run_retention)),
    );
}
