//! Reading answers from a CSV file for the text commands: RFC 4180 (quoted commas and newlines),
//! UTF-8 with or without a byte-order mark. A thin front: the commands hand the texts to the
//! same libraries the workspace uses.
use std::path::Path;

use anyhow::{Context, bail};

/// Answers read from a CSV file: an id and a text per row, in file order.
pub struct Answers {
    pub ids: Vec<String>,
    pub texts: Vec<String>,
}

impl Answers {
    /// Each row's id with `f` of its text, in file order.
    pub fn each<T>(&self, mut f: impl FnMut(&str) -> T) -> Vec<(&str, T)> {
        self.ids
            .iter()
            .zip(&self.texts)
            .map(|(id, text)| (id.as_str(), f(text)))
            .collect()
    }
}

/// Reads `text_column` (and `id_column`, if given; otherwise each row's number, from 1).
pub fn read(path: &Path, text_column: &str, id_column: Option<&str>) -> anyhow::Result<Answers> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let headers = reader
        .headers()
        .with_context(|| format!("{}: the first row should be column names", path.display()))?
        .clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let Some(text_at) = find(text_column) else {
        bail!(
            "{}: no column named `{text_column}`; the columns are: {}. Use --text-column NAME",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let id_at = match id_column {
        Some(name) => Some(find(name).with_context(|| {
            format!(
                "{}: no column named `{name}`; the columns are: {}. Use --id-column NAME",
                path.display(),
                headers.iter().collect::<Vec<_>>().join(", ")
            )
        })?),
        None => None,
    };
    let mut out = Answers {
        ids: Vec::new(),
        texts: Vec::new(),
    };
    for (n, record) in reader.byte_records().enumerate() {
        let record = record
            .with_context(|| format!("{}: row {} cannot be read as CSV", path.display(), n + 2))?;
        // Invalid UTF-8 in one answer should not stop a whole file: it is read with
        // replacement characters, which the analysis treats as non-words.
        let field =
            |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned();
        out.texts.push(field(text_at));
        out.ids.push(match id_at {
            Some(i) => field(i),
            None => (n + 1).to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_newlines_bom_and_missing_ids() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("a.csv");
        std::fs::write(
            &p,
            "\u{feff}text,category\n\"one, two\nthree\",x\nplain,y\n",
        )
        .expect("write");
        let a = read(&p, "text", None).expect("reads");
        assert_eq!(a.texts, vec!["one, two\nthree", "plain"]);
        assert_eq!(a.ids, vec!["1", "2"]);
        assert!(read(&p, "body", None).is_err());
        assert!(read(&p, "text", Some("id")).is_err());
    }
}
