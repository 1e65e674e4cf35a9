//! Prints each row's verdict (flagged, trigger, learned score) under the bundled learned model or
//! a candidate, so a retrained model can be read answer by answer before it replaces the bundled
//! one (`heard screen` does the same for the bundled model only).
//!
//! cargo run --release -p heard-intake --example screen_rows -- [--model MODEL.json] FILE.csv

#[path = "shared/model_arg.rs"]
mod model_arg;

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let both = model_arg::protector(&mut args)?;
    let [file] = args.as_slice() else {
        anyhow::bail!("usage: screen_rows [--model MODEL.json] FILE.csv (with a text column)");
    };
    let mut reader = csv::Reader::from_path(file)?;
    let headers = reader.headers()?.clone();
    let text = headers
        .iter()
        .position(|h| h == "text")
        .ok_or_else(|| anyhow::anyhow!("{file} has no text column"))?;
    let label = headers.iter().position(|h| h == "label");
    println!("label\tflagged\ttrigger\tscore\ttext");
    for r in reader.records() {
        let r = r?;
        let t = r.get(text).unwrap_or("");
        let v = both.screen(t);
        println!(
            "{}\t{}\t{}\t{}\t{t}",
            label.and_then(|l| r.get(l)).unwrap_or("-"),
            u8::from(v.flagged),
            v.trigger.map_or("-", |x| x.as_str()),
            v.score.map_or("-".into(), |s| format!("{s:.3}")),
        );
    }
    Ok(())
}
