//! The integration tests: one binary, a real server on port 0 with a temp data dir per test.

mod access;
mod accounts;
mod assessments;
mod browser;
mod cases;
mod cli;
mod csrf;
mod dashboard;
mod demo;
mod durability;
mod exports;
mod helpers;
mod instrument;
mod review;
mod sessions;
mod sign_in;
mod summaries;
mod web_basics;
