//! Writes the sample case summary to a file, to look at: `cargo run --example sample_summary -- out.pdf [client] [letter]`.

use exit_factors::instrument::Instrument;
use exit_factors::pdf::{Paper, SummaryInput, Variant, render_summary, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).cloned().unwrap_or_else(|| "summary.pdf".into());
    let variant = if args.iter().any(|a| a == "client") {
        Variant::Client
    } else {
        Variant::Full
    };
    let paper = if args.iter().any(|a| a == "letter") {
        Paper::Letter
    } else {
        Paper::A4
    };
    let long = args.iter().any(|a| a == "long");
    let instrument = Instrument::bundled()?;
    let history = sample::history(&instrument, if long { 500 } else { 160 }, long);
    let code = sample::code();
    let input = SummaryInput {
        organisation: "Associazione Città Aperta",
        case_code: &code,
        instrument: &instrument,
        assessment: history.last().ok_or("no assessment")?,
        history: &history,
        generated_at: time::OffsetDateTime::now_utc(),
        review: None,
        lang: exit_factors::i18n::Lang::En,
    };
    let (bytes, _) = render_summary(&input, variant, paper)?;
    std::fs::write(&out, &bytes)?;
    println!("{out}: {} bytes", bytes.len());
    Ok(())
}
