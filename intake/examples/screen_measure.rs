//! Measures screening on labelled CSV files (`text`, `label`: 1 = discloses harm or risk):
//! Heard's two layers together, its phrases alone (every phrase flagging, as before the learned
//! layer), and a three-word keyword screen as the floor; recall, share of other answers flagged,
//! precision, and the wall time per answer of screening and masking together; then what
//! triggered the flags of each file (a phrase, a weak phrase confirmed, the learned layer alone).
//!
//! cargo run --release -p heard-intake --example screen_measure -- [--model MODEL.json] FILE.csv...
use std::collections::BTreeMap;
use std::time::Instant;

use engine::AnswerValue;
use engine::survey::Answers;
use intake::protect::Protector;

#[path = "shared/model_arg.rs"]
mod model_arg;

fn main() -> anyhow::Result<()> {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    let both = model_arg::protector(&mut files)?;
    if files.is_empty() {
        anyhow::bail!(
            "usage: screen_measure [--model MODEL.json] FILE.csv... (each with text and label columns)"
        );
    }
    let phrases = Protector::phrases_only(safeguard::Screener::builtin());
    println!(
        "| file | screen | disclosures | found | other answers | flagged | precision | ms per answer |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    // (file, trigger) -> disclosures and other answers it flagged; file -> its totals of each.
    let mut by_trigger: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for file in &files {
        let (texts, labels) = read(file)?;
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let started = Instant::now();
        let responses: Vec<Answers> = texts
            .iter()
            .map(|t| [("q".to_string(), AnswerValue::Text(t.clone()))].into())
            .collect();
        let protected = both.protect_many(&responses);
        let ms = started.elapsed().as_secs_f64() * 1000.0 / texts.len().max(1) as f64;
        // A flag set aside is in the queue's "Set aside" tab, not among the flagged: counted in
        // the trigger table, not in recall or the share flagged.
        let learned: Vec<bool> = protected
            .iter()
            .map(|p| p.flags.iter().any(|f| !f.set_aside))
            .collect();
        let name = file_name(file);
        for (p, &label) in protected.iter().zip(&labels) {
            let first = p.flags.iter().find(|f| !f.set_aside);
            if let Some(f) = first.or(p.flags.first()) {
                let counts = by_trigger
                    .entry((name.clone(), f.trigger.clone()))
                    .or_default();
                if label {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        let pos = labels.iter().filter(|&&l| l).count();
        totals.insert(name.clone(), (pos, labels.len() - pos));
        let started = Instant::now();
        let phrase: Vec<bool> = phrases
            .screen_all(&refs, true)
            .iter()
            .map(|v| v.flagged)
            .collect();
        let phrase_ms = started.elapsed().as_secs_f64() * 1000.0 / texts.len().max(1) as f64;
        let keyword: Vec<bool> = texts.iter().map(|t| keyword_floor(t)).collect();
        for (screen, flags, ms) in [
            ("Heard (phrases + learned)", &learned, Some(ms)),
            ("Heard phrases alone", &phrase, Some(phrase_ms)),
            ("keyword floor", &keyword, None),
        ] {
            row(&name, screen, &labels, flags, ms);
        }
    }
    println!(
        "\nWhat flagged each flagged answer, and the answers set aside (phrase_set_aside: in the queue's Set aside tab, not counted as flagged above); both layers, share of the file's disclosures / others:\n"
    );
    println!("| file | trigger | disclosures | others |");
    println!("|---|---|---|---|");
    for ((file, trigger), (tp, fp)) in &by_trigger {
        let (pos, neg) = totals[file];
        let share = |a: usize, b: usize| {
            if b == 0 {
                "–".to_string()
            } else {
                format!("{a} ({:.1}%)", 100.0 * a as f64 / b as f64)
            }
        };
        println!(
            "| {file} | {trigger} | {} | {} |",
            share(*tp, pos),
            share(*fp, neg)
        );
    }
    Ok(())
}

fn file_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map_or(file.to_string(), |s| s.to_string_lossy().into_owned())
}

fn read(file: &str) -> anyhow::Result<(Vec<String>, Vec<bool>)> {
    let mut reader = csv::Reader::from_path(file)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow::anyhow!("{file} has no {name} column"))
    };
    let (t, l) = (col("text")?, col("label")?);
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for r in reader.records() {
        let r = r?;
        texts.push(r.get(t).unwrap_or("").to_string());
        labels.push(r.get(l).map(str::trim) == Some("1"));
    }
    Ok((texts, labels))
}

/// The floor any screen must beat: "suicid" or "kill myself" anywhere, or the word "die".
fn keyword_floor(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("suicid")
        || lower.contains("kill myself")
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "die")
}

fn row(name: &str, screen: &str, labels: &[bool], flags: &[bool], ms: Option<f64>) {
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = labels.len() - pos;
    let tp = labels.iter().zip(flags).filter(|(l, f)| **l && **f).count();
    let fp = labels
        .iter()
        .zip(flags)
        .filter(|(l, f)| !**l && **f)
        .count();
    let share = |a: usize, b: usize| {
        if b == 0 {
            "–".to_string()
        } else {
            format!("{:.3}", a as f64 / b as f64)
        }
    };
    let precision = if pos == 0 || neg == 0 {
        "–".to_string()
    } else {
        share(tp, tp + fp)
    };
    println!(
        "| {name} | {screen} | {pos} | {} | {neg} | {} | {precision} | {} |",
        share(tp, pos),
        share(fp, neg),
        ms.map_or("–".into(), |m| format!("{m:.2}"))
    );
}
