//! exit-factors: an evidence-based checklist of the factors that help or hinder a woman's exit from
//! sex trafficking, with anonymous case assessments, supervisor review and printable summaries.
//!
//! The crate is a library with a thin binary (`main.rs`). `startup` builds the HTTP application,
//! `routes` holds the pages by feature, `domain` the rules, `store` the durable sled store,
//! `instrument` the checklist content. See `ARCHITECTURE.md` for the map.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod configuration;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod instrument;
pub mod memory;
pub mod pdf;
pub mod retention;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;
