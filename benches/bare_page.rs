//! The yardstick of `benches/lean.py`: a bare actix-web handler that serves the bytes of a file
//! (a checklist page the script saved from the real server) with the same worker count, so that
//! the real server's requests per second can be put beside what actix itself does on this machine.
//!
//! Usage: `bare_page <file> <address>` (built with `cargo build --release --example bare_page`).

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: bare_page <file> <address>");
        std::process::exit(2);
    };
    let body = web::Bytes::from(std::fs::read(file)?);
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(body)
            }
        }))
    })
    .bind(addr)?
    .run()
    .await
}
