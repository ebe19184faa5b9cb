//! Administration: accounts and the audit log. Every handler here takes `RequireAdmin`.

mod audit;
mod export;
mod settings;
mod users;

use actix_web::web;

/// Registers the admin routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users::list))
        .route("/admin/users", web::post().to(users::create))
        .route("/admin/users/new", web::get().to(users::new_form))
        .route("/admin/users/{id}/disable", web::post().to(users::disable))
        .route("/admin/users/{id}/enable", web::post().to(users::enable))
        .route(
            "/admin/users/{id}/password",
            web::get().to(users::reset_form),
        )
        .route("/admin/users/{id}/password", web::post().to(users::reset))
        .route("/admin/audit", web::get().to(audit::page))
        .route(
            "/admin/export/research.csv",
            web::get().to(export::research),
        )
        .route("/admin/settings", web::get().to(settings::show))
        .route("/admin/settings", web::post().to(settings::save));
}
