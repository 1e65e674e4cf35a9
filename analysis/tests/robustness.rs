//! No input makes the pipeline panic, and every answer gets exactly one assignment: property
//! tests over arbitrary text (any Unicode, control characters, emoji, mixed scripts), any k, and
//! the edge cases the issue names; with every answer encoded, and with a few encoded and the
//! rest placed by quick vectors.
use analysis::{K, Options, themes};
use proptest::prelude::*;

fn check(texts: &[String], k: K) {
    check_encoding(texts, k, Options::default().encode_limit);
    check_encoding(texts, k, 3);
}

fn check_encoding(texts: &[String], k: K, encode_limit: usize) {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let opts = Options {
        k,
        runs: 2,
        dims: 20,
        encode_limit,
        ..Options::default()
    };
    let set = themes(&refs, &opts, &mut |_| {}).expect("themes");
    assert_eq!(set.assignments.len(), texts.len());
    assert_eq!(set.themes.len(), set.k);
    let themed = set.assignments.iter().filter(|a| a.theme.is_some()).count();
    assert_eq!(themed + set.unthemed, texts.len());
    assert_eq!(set.themes.iter().map(|t| t.size).sum::<usize>(), themed);
    for a in &set.assignments {
        if let Some(t) = a.theme {
            assert!(t < set.k);
            let d = a.distance.expect("a themed answer has a distance");
            assert!(d.is_finite() && (0.0..=2.0).contains(&d), "{d}");
        }
    }
    for t in &set.themes {
        assert!(!t.label.is_empty());
        assert!(
            t.quotes
                .iter()
                .all(|&q| set.assignments[q].theme == Some(t.id))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(texts in proptest::collection::vec(".{0,80}", 0..40), k in 1usize..20) {
        check(&texts, K::Fixed(k));
    }

    #[test]
    fn wordy_text_with_any_k_never_panics(
        texts in proptest::collection::vec("(social|worker|foster|carer|home|move|school|friend|idk|😀| |\u{0}|\n){0,12}", 0..60),
        k in 1usize..80,
        auto in any::<bool>(),
    ) {
        check(&texts, if auto { K::Auto { min: 2, max: k.max(2) } } else { K::Fixed(k) });
    }
}

#[test]
fn the_edge_cases_named_in_the_issue() {
    check(&[], K::Fixed(5));
    check(
        &["only one answer about my social worker".into()],
        K::Fixed(5),
    );
    check(&vec!["all the same answer".to_string(); 100], K::Fixed(10));
    check(
        &vec!["all the same answer".to_string(); 100],
        K::Auto { min: 2, max: 10 },
    );
    let big = "my social worker changed again and again ".repeat(2_500); // ~100 KB
    check(
        &[
            big.clone(),
            big,
            "foster carers".into(),
            "foster carers help".into(),
        ],
        K::Fixed(3),
    );
    check(
        &[
            "Привет мир".into(),
            "你好世界".into(),
            "مرحبا".into(),
            "😀😀😀".into(),
            "\u{0}\u{7}\u{1b}[31m".into(),
            "".into(),
        ],
        K::Fixed(4),
    );
}
