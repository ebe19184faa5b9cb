//! One resource per path, so that every path answers the way HTTP says: `HEAD` wherever `GET`
//! works (actix sends the headers without the body), and any other method gets 405 with an
//! `Allow` header that lists what the path takes.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::header::ALLOW;
use actix_web::{FromRequest, Handler, HttpResponse, Resource, Responder, guard, web};

/// A path and the handlers it takes.
pub struct Page {
    resource: Resource,
    allow: Vec<&'static str>,
}

/// Starts the resource for `path`.
pub fn page(path: &str) -> Page {
    Page {
        resource: web::resource(path),
        allow: Vec::new(),
    }
}

impl Page {
    /// `handler` answers GET, and HEAD.
    pub fn get<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        );
        self.allow.extend(["GET", "HEAD"]);
        self
    }

    /// `handler` answers POST.
    pub fn post<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::post().to(handler));
        self.allow.push("POST");
        self
    }
}

impl HttpServiceFactory for Page {
    fn register(self, config: &mut AppService) {
        let allow = self.allow.join(", ");
        self.resource
            .default_service(web::to(move || {
                let allow = allow.clone();
                async move {
                    HttpResponse::MethodNotAllowed()
                        .insert_header((ALLOW, allow))
                        .finish()
                }
            }))
            .register(config);
    }
}
