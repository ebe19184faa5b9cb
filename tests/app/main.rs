//! The integration tests: one binary, a real server on port 0 with a temp data dir per test.

mod access;
mod accounts;
mod architecture;
mod assessments;
mod backups;
mod browser;
mod cases;
mod cli;
mod csrf;
mod dashboard;
mod demo;
mod durability;
mod erasure;
mod exports;
mod faults;
mod form;
mod helpers;
mod instrument;
mod load;
mod protection;
mod review;
mod round_trip;
mod sessions;
mod sign_in;
mod summaries;
mod web_basics;
