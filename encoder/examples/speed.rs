//! Times the batched encoder beside the source crate's one-text-at-a-time encoder, on the same texts in one run.
//!
//! `cargo run --release -p heard-encoder --example speed -- FILE.csv` (texts in the `text`
//! column, or the first). Both run on every core, each thread in a one-thread Candle pool, so
//! the only difference is batching.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: speed FILE.csv (texts in the `text` column, or the first)")?;
    let mut reader = csv::Reader::from_path(&path)?;
    let column = reader
        .headers()?
        .iter()
        .position(|h| h == "text")
        .unwrap_or(0);
    let mut texts = Vec::new();
    for row in reader.records() {
        let row = row?;
        let text = row.get(column).unwrap_or("").trim().to_lowercase();
        if !text.is_empty() {
            texts.push(text);
        }
    }
    texts.sort();
    texts.dedup();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    println!("{} different texts from {path}", refs.len());

    let ours = encoder::Encoder::load()?;
    let theirs = pocket_encoder::Encoder::new()?;
    let _ = ours.embed(&refs[..refs.len().min(8)], &|_, _| {})?;

    let started = Instant::now();
    let batched = ours.embed(&refs, &|_, _| {})?;
    let batched_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let single = one_at_a_time(&theirs, &refs)?;
    let single_secs = started.elapsed().as_secs_f64();

    let furthest = batched
        .iter()
        .zip(&single)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    println!("batched (heard-encoder):            {batched_secs:8.2} s");
    println!("one at a time (pocket-encoder 0.1.2): {single_secs:8.2} s");
    println!(
        "ratio {:.2}x the time; largest coordinate difference {furthest:.1e}",
        batched_secs / single_secs
    );
    Ok(())
}

/// The way Heard encoded before batching: chunks of 64 handed to one thread per core.
fn one_at_a_time(
    encoder: &pocket_encoder::Encoder,
    texts: &[&str],
) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    type Slot = Mutex<Option<Result<Vec<Vec<f32>>, pocket_encoder::Error>>>;
    let chunks: Vec<&[&str]> = texts.chunks(64).collect();
    let next = AtomicUsize::new(0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let results: Vec<Slot> = chunks.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(c) else { break };
                    let vectors = match &pool {
                        Ok(pool) => pool.install(|| encoder.embed(chunk)),
                        Err(_) => encoder.embed(chunk),
                    };
                    if let Ok(mut slot) = results[c].lock() {
                        *slot = Some(vectors);
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(texts.len() * encoder::DIMENSIONS);
    for slot in results {
        match slot.into_inner() {
            Ok(Some(Ok(vectors))) => out.extend(vectors.concat()),
            Ok(Some(Err(e))) => return Err(e.into()),
            _ => return Err("an encoding thread failed".into()),
        }
    }
    Ok(out)
}
