//! The pages, one folder or file per feature. Handlers parse the request, call one domain or store
//! function, and render.

mod account;
mod admin;
pub mod assessments;
mod assets;
pub mod cases;
mod dashboard;
mod health;
mod home;
mod instrument;
mod review;
mod setup;
mod sign_in;

use actix_web::web;

use crate::error::AppError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/static/{file}", web::get().to(assets::asset))
        .route("/sign-in", web::get().to(sign_in::form))
        .route("/sign-in", web::post().to(sign_in::submit))
        .route("/sign-out", web::post().to(sign_in::sign_out))
        .route("/setup/{token}", web::get().to(setup::form))
        .route("/setup/{token}", web::post().to(setup::submit))
        .route("/", web::get().to(home::home))
        .route("/instrument", web::get().to(instrument::guide))
        .route("/review", web::get().to(review::queue))
        .route("/dashboard", web::get().to(dashboard::page))
        .route("/dashboard.csv", web::get().to(dashboard::csv))
        .route("/dashboard.pdf", web::get().to(dashboard::pdf))
        .route("/account", web::get().to(account::page))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .configure(cases::configure)
        .configure(assessments::configure)
        .configure(admin::configure);
}

/// Anything without a route.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
