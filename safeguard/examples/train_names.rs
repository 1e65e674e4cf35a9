//! Trains names' second look (`data/names/second-look.bin`) on the Broad Twitter Corpus.
//!
//! ```sh
//! cargo run --release -p heard-safeguard --example train_names -- BTC_DIR safeguard/data/names/second-look.bin
//! ```
//!
//! BTC_DIR holds the corpus's CoNLL files (GateNLP/broad_twitter_corpus @0c45ef7, CC BY 4.0):
//! sections a, b, e, f, g and h are read; a word is a name where a person (`B-PER`, `I-PER`) is.
//! A logistic regression over the hashed features of `safeguard::personal`'s second look,
//! trained with AdaGrad, names weighted three to one (a name is one word in twenty), eight
//! passes in a seeded order: the same files give the same weights.
use std::process::ExitCode;

use safeguard::personal::{SECOND_LOOK_BUCKETS, second_look_examples};

const SECTIONS: &[&str] = &["a", "b", "e", "f", "g", "h"];
const PASSES: usize = 8;
const RATE: f32 = 0.1;
const NAME_WEIGHT: f32 = 3.0;
const L2: f32 = 1e-6;

/// The texts of one CoNLL file, each with its people as byte ranges: the tokens joined by
/// single spaces.
fn read_conll(conll: &str) -> Vec<(String, Vec<(usize, usize)>)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut names: Vec<(usize, usize)> = Vec::new();
    let mut open = false;
    let mut flush = |text: &mut String, names: &mut Vec<(usize, usize)>, open: &mut bool| {
        if !text.is_empty() {
            out.push((std::mem::take(text), std::mem::take(names)));
        }
        *open = false;
    };
    for line in conll.lines() {
        let mut cols = line.split(['\t', ' ']).filter(|c| !c.is_empty());
        let (Some(word), Some(tag)) = (cols.next(), cols.next()) else {
            flush(&mut text, &mut names, &mut open);
            continue;
        };
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        match tag {
            "B-PER" => {
                names.push((start, text.len()));
                open = true;
            }
            "I-PER" if open => {
                if let Some(last) = names.last_mut() {
                    last.1 = text.len();
                }
            }
            "I-PER" => {
                names.push((start, text.len()));
                open = true;
            }
            _ => open = false,
        }
    }
    flush(&mut text, &mut names, &mut open);
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out_path] = args.as_slice() else {
        eprintln!("usage: train_names BTC_DIR OUT.bin");
        return ExitCode::from(2);
    };
    let mut examples: Vec<(Vec<u32>, bool)> = Vec::new();
    for s in SECTIONS {
        let path = format!("{dir}/{s}.conll");
        let conll = match std::fs::read_to_string(&path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cannot read {path}: {e}; BTC_DIR should hold the corpus's .conll files");
                return ExitCode::from(1);
            }
        };
        for (text, names) in read_conll(&conll) {
            examples.extend(second_look_examples(&text, &names));
        }
    }
    let names = examples.iter().filter(|e| e.1).count();
    eprintln!("{} words, {names} in names", examples.len());
    let mut w = vec![0f32; SECOND_LOOK_BUCKETS];
    let mut g = vec![1e-8f32; SECOND_LOOK_BUCKETS];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    // xorshift64*, seeded: a fixed order, so the weights can be made again exactly.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for _ in 0..PASSES {
        for i in (1..order.len()).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let (features, is_name) = &examples[k];
            let z: f32 = features.iter().map(|&f| w[f as usize]).sum();
            let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
            let y = if *is_name { 1.0 } else { 0.0 };
            let grad = (p - y) * if *is_name { NAME_WEIGHT } else { 1.0 };
            for &f in features {
                let f = f as usize;
                let gg = grad + L2 * w[f];
                g[f] += gg * gg;
                w[f] -= RATE * gg / g[f].sqrt();
            }
        }
    }
    let bytes: Vec<u8> = w.iter().flat_map(|x| x.to_le_bytes()).collect();
    if let Err(e) = std::fs::write(out_path, bytes) {
        eprintln!("cannot write {out_path}: {e}");
        return ExitCode::from(1);
    }
    eprintln!("wrote {out_path}");
    ExitCode::SUCCESS
}
