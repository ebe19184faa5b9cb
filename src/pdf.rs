//! PDF case summaries: vector pages built with printpdf, DejaVu Sans (embedded as subsets), text
//! wrapped by `layout`, pages flowed by `canvas`, content in `summary`.

pub mod canvas;
pub mod layout;
pub mod report;
pub mod sample;
pub mod summary;

pub use canvas::{Paper, PdfError, TextRun};
pub use summary::{ReviewInfo, SummaryInput, Variant, render_summary};
