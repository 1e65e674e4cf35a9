//! Screening recall and precision, and masking recall and precision per kind, on labelled sets
//! (any number of masking sets, each scored on its own):
//!
//! cargo run --release -p heard-safeguard --example measure -- \
//!     safeguard/data/disclosure-test.csv safeguard/data/masking-test.csv \
//!     safeguard/data/eval/eval-phonenumbers-babel.csv safeguard/data/eval/eval-fakerjs.csv
use std::process::ExitCode;

use safeguard::Screener;
use safeguard::measure::{masking, screening};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let files: Vec<&String> = args.iter().filter(|a| *a != "-v").collect();
    let Some((disclosures, mask_sets)) = files.split_first() else {
        eprintln!("usage: measure [-v] DISCLOSURES.csv [MASKING.csv ...]");
        return ExitCode::from(2);
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let run = || -> Result<(), String> {
        let started = std::time::Instant::now();
        let screener = Screener::builtin();
        let s = screening(&screener, &read(disclosures)?)?;
        println!(
            "Screening {}: {} disclosures, {} not; recall {:.3}, precision {:.3} ({} missed, {} false alarms) in {:?}",
            disclosures,
            s.disclosures,
            s.others,
            s.recall(),
            s.precision(),
            s.missed.len(),
            s.false_alarms,
            started.elapsed()
        );
        // Like the masking sets', a test set's misses stay unread: listed for tuning sets only.
        if verbose && disclosures.contains("-tune") {
            for m in &s.missed {
                println!("  missed: {m}");
            }
            for f in &s.false_alarm_texts {
                let words: Vec<String> = screener
                    .screen(f)
                    .indicators
                    .iter()
                    .map(|i| format!("{} ({})", i.words, i.phrase))
                    .collect();
                println!("  false alarm: {f}  <-  {}", words.join("; "));
            }
        }
        for masks in mask_sets {
            mask_set(masks, &read(masks)?, verbose)?;
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Scores one masking set. Misses and false finds are listed (`-v`) for tuning sets only: the
/// test and evaluation sets stay unread.
fn mask_set(masks: &str, csv_text: &str, verbose: bool) -> Result<(), String> {
    let verbose = verbose && masks.contains("-tune");
    {
        let rows = csv_text.lines().count().saturating_sub(1).max(1);
        // The word lists load on the first answer masked; time that apart.
        let started = std::time::Instant::now();
        safeguard::mask("warm up: I live at 12 Main Street, call Aisha on 07700 900123 by 3 May");
        let loading = started.elapsed();
        let started = std::time::Instant::now();
        let m = masking(csv_text)?;
        let took = started.elapsed();
        println!(
            "Masking {masks} ({took:?}, {:.1} us an answer; lists loaded in {loading:?}):",
            took.as_secs_f64() * 1e6 / rows as f64
        );
        println!(
            "  {:<9} {:>5} {:>7} {:>9}",
            "type", "gold", "recall", "precision"
        );
        let (mut gold, mut found) = (0, 0);
        for (kind, k) in &m {
            gold += k.gold;
            found += k.found;
            println!(
                "  {:<9} {:>5} {:>7.3} {:>9.3}",
                kind.as_str(),
                k.gold,
                k.recall(),
                k.precision()
            );
            if verbose {
                for x in &k.missed {
                    println!("    missed: {x}");
                }
                for x in &k.wrong {
                    println!("    wrong: {x}");
                }
            }
        }
        println!(
            "  all       {gold:>5} {:>7.3}",
            found as f64 / gold.max(1) as f64
        );
        Ok(())
    }
}
