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
mod references;
pub(crate) mod resource;
mod review;
mod setup;
mod sign_in;

use resource::page;

use actix_web::web;

use crate::error::AppError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/healthz").get(health::healthz))
        // Patterns with a variable segment sit in a scope with a fixed prefix, so that routing
        // a request elsewhere compares prefixes rather than running their patterns.
        .service(web::scope("/static").service(page("/{file}").get(assets::asset)))
        .service(page("/sign-in").get(sign_in::form).post(sign_in::submit))
        .service(
            page("/sign-in/code")
                .get(sign_in::code_form)
                .post(sign_in::code_submit),
        )
        .service(page("/sign-out").post(sign_in::sign_out))
        .service(
            web::scope("/setup").service(page("/{token}").get(setup::form).post(setup::submit)),
        )
        .service(page("/").get(home::home))
        .service(page("/instrument").get(instrument::guide))
        .service(page("/references").get(references::page))
        .service(page("/review").get(review::queue))
        .service(page("/dashboard").get(dashboard::page))
        .service(page("/dashboard.csv").get(dashboard::csv))
        .service(page("/dashboard.pdf").get(dashboard::pdf))
        .service(page("/account").get(account::page))
        .service(page("/account/password").post(account::change_password))
        .service(page("/account/language").post(account::set_language))
        .service(page("/account/sessions/end-others").post(account::end_others))
        .service(page("/account/two-step").get(account::two_step_page))
        .service(page("/account/two-step/start").post(account::start_two_step))
        .service(page("/account/two-step/confirm").post(account::confirm_two_step))
        .configure(cases::configure)
        .configure(assessments::configure)
        .configure(admin::configure);
}

/// Anything without a route.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
