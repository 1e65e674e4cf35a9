//! Measuring the screener and the masker on labelled sets (CSV): screening recall and precision,
//! masking recall and precision per kind. Used by the `measure` example and the regression test.
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Kind, Screener, personal};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ScreeningScore {
    pub disclosures: usize,
    pub others: usize,
    pub caught: usize,
    pub false_alarms: usize,
    /// Texts of the disclosures missed.
    pub missed: Vec<String>,
    pub false_alarm_texts: Vec<String>,
}

impl ScreeningScore {
    pub fn recall(&self) -> f64 {
        self.caught as f64 / self.disclosures.max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        self.caught as f64 / (self.caught + self.false_alarms).max(1) as f64
    }
}

/// Reads `id,text,label` rows (label 1 = disclosure) and screens each text.
pub fn screening(screener: &Screener, csv_text: &str) -> Result<ScreeningScore, String> {
    #[derive(Deserialize)]
    struct Row {
        text: String,
        label: u8,
    }
    let mut s = ScreeningScore::default();
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, row) in rd.deserialize::<Row>().enumerate() {
        let row = row.map_err(|e| format!("row {}: {e}", i + 2))?;
        let flagged = screener.screen(&row.text).flagged;
        if row.label == 1 {
            s.disclosures += 1;
            if flagged {
                s.caught += 1;
            } else {
                s.missed.push(row.text);
            }
        } else {
            s.others += 1;
            if flagged {
                s.false_alarms += 1;
                s.false_alarm_texts.push(row.text);
            }
        }
    }
    Ok(s)
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct KindScore {
    pub gold: usize,
    pub found: usize,
    pub predicted: usize,
    pub correct_predictions: usize,
    pub missed: Vec<String>,
    /// Predicted spans that match no gold span of their kind.
    pub wrong: Vec<String>,
}

impl KindScore {
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.gold.max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        self.correct_predictions as f64 / self.predicted.max(1) as f64
    }
}

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Reads `id,text,spans` rows (spans as JSON, character offsets) and masks each text. A gold
/// span is found when a predicted span of the same kind covers at least half of it; a predicted
/// span is correct when it covers at least half of a gold span of its kind.
pub fn masking(csv_text: &str) -> Result<BTreeMap<Kind, KindScore>, String> {
    #[derive(Deserialize)]
    struct Row {
        text: String,
        spans: String,
    }
    let mut scores: BTreeMap<Kind, KindScore> = BTreeMap::new();
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, row) in rd.deserialize::<Row>().enumerate() {
        let row = row.map_err(|e| format!("row {}: {e}", i + 2))?;
        let gold: Vec<GoldSpan> =
            serde_json::from_str(&row.spans).map_err(|e| format!("row {}: spans: {e}", i + 2))?;
        let predicted = personal::find(&row.text);
        let chars: Vec<char> = row.text.chars().collect();
        for g in &gold {
            let Some(kind) = Kind::parse(&g.kind) else {
                return Err(format!("row {}: unknown type {}", i + 2, g.kind));
            };
            let e = scores.entry(kind).or_default();
            e.gold += 1;
            let len = g.end.saturating_sub(g.start).max(1);
            if predicted
                .iter()
                .any(|p| p.kind == kind && 2 * overlap((p.start, p.end), (g.start, g.end)) >= len)
            {
                e.found += 1;
            } else {
                let s: String = chars[g.start.min(chars.len())..g.end.min(chars.len())]
                    .iter()
                    .collect();
                e.missed.push(format!("{s}  <-  {}", row.text));
            }
        }
        for p in &predicted {
            let e = scores.entry(p.kind).or_default();
            e.predicted += 1;
            if gold.iter().any(|g| {
                Kind::parse(&g.kind) == Some(p.kind)
                    && 2 * overlap((p.start, p.end), (g.start, g.end))
                        >= g.end.saturating_sub(g.start).max(1)
            }) {
                e.correct_predictions += 1;
            } else {
                let s: String = chars[p.start.min(chars.len())..p.end.min(chars.len())]
                    .iter()
                    .collect();
                e.wrong.push(format!("{s}  <-  {}", row.text));
            }
        }
    }
    Ok(scores)
}
