//! Lists what the masker finds in the `text` column of CSV files, one find a line, to read for
//! false finds on answers that hold little personal data (the screening tuning sets):
//!
//! cargo run --release -p heard-safeguard --example finds -- safeguard/data/disclosure-tune.csv
use std::process::ExitCode;

fn main() -> ExitCode {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            return ExitCode::from(1);
        };
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let Ok(headers) = rd.headers().cloned() else {
            return ExitCode::from(1);
        };
        let Some(col) = headers.iter().position(|h| h == "text") else {
            eprintln!("{path}: no text column");
            return ExitCode::from(1);
        };
        for row in rd.records().flatten() {
            let Some(t) = row.get(col) else { continue };
            let chars: Vec<char> = t.chars().collect();
            for s in safeguard::personal::find(t) {
                let found: String = chars[s.start..s.end].iter().collect();
                println!("{}\t{found}\t{t}", s.kind.as_str());
            }
        }
    }
    ExitCode::SUCCESS
}
