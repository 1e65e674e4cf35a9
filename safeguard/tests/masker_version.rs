//! `MASKER_VERSION` moves whenever what the masker finds does: a fingerprint of the masked text
//! of every labelled set in `data/` is recorded beside each version in `data/masker-versions.txt`.
//! Stores compare the version with the one their masked copies were made with, and make them
//! again when it is newer; a masker that changed without a new version would leave them as they
//! were.
use safeguard::personal::{MASKER_VERSION, mask};

/// FNV-1a, 64 bits: a fingerprint that is the same on every machine and Rust release.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

fn fingerprint() -> u64 {
    let root = format!("{}/data", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = ["", "/eval"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(format!("{root}{dir}")).expect("data folder"))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".csv")
                && (name.starts_with("masking-")
                    || name.starts_with("eval-")
                    || name.starts_with("disclosure-")
                    || name.starts_with("ordinary-"))
        })
        .collect();
    files.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for path in files {
        let mut reader = csv::Reader::from_path(&path).expect("csv");
        let column = reader
            .headers()
            .expect("header")
            .iter()
            .position(|h| h == "text")
            .expect("a text column");
        for row in reader.records() {
            let row = row.expect("row");
            fnv(&mut hash, mask(&row[column]).masked.as_bytes());
            fnv(&mut hash, b"\n");
        }
    }
    hash
}

#[test]
fn the_masker_version_moves_with_what_it_finds() {
    let path = format!("{}/data/masker-versions.txt", env!("CARGO_MANIFEST_DIR"));
    let recorded: Vec<(u32, String)> = std::fs::read_to_string(&path)
        .expect("masker-versions.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (v, h) = l.split_once(' ').expect("`VERSION FINGERPRINT`");
            (v.parse().expect("a version number"), h.trim().to_string())
        })
        .collect();
    assert!(
        recorded.windows(2).all(|w| w[0].0 < w[1].0),
        "versions in {path} must rise, each with one fingerprint"
    );
    let now = format!("{:016x}", fingerprint());
    let last = recorded.last().expect("a version");
    assert!(
        last.0 == MASKER_VERSION && last.1 == now,
        "the masker finds something other than version {} did (fingerprint {now}, recorded {}): \
         raise MASKER_VERSION in safeguard/src/personal/mod.rs to {} and add the line `{} {now}` \
         to {path}, so stores mask their answers again",
        last.0,
        last.1,
        last.0 + 1,
        last.0 + 1,
    );
}
