//! The `--model FILE` argument of the screening examples: a candidate learned model to use in
//! place of the bundled one, taken out of the arguments.
use intake::protect::Protector;

/// Removes `--model FILE` from `args` and returns both screening layers with that model, or
/// with the bundled one when it is not given.
pub fn protector(args: &mut Vec<String>) -> anyhow::Result<Protector> {
    let model = match args.iter().position(|a| a == "--model") {
        Some(i) if i + 1 < args.len() => {
            let path = args.remove(i + 1);
            args.remove(i);
            let json = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("reading the model {path}: {e}"))?;
            Some(safeguard::learned::LearnedModel::from_json(&json)?)
        }
        Some(_) => anyhow::bail!("--model takes a file"),
        None => None,
    };
    Ok(match model {
        Some(m) => Protector::with_model(safeguard::Screener::builtin(), m)?,
        None => Protector::new(safeguard::Screener::builtin())?,
    })
}
