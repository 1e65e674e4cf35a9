//! Regression guards on the held-out labelled sets in `data/` (never tuned on): masking recall
//! per kind at the goals of the issue, and screening recall no lower than measured.
use safeguard::measure::{masking, screening};
use safeguard::{Kind, Screener};

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("data file")
}

#[test]
fn masking_recall_meets_the_goals_on_the_test_set() {
    let scores = masking(&data("masking-test.csv")).expect("reads");
    for kind in Kind::ALL {
        let k = scores.get(&kind).expect("every kind is in the test set");
        assert!(k.gold >= 35, "{kind:?}: {} examples", k.gold);
        let goal = match kind {
            Kind::Phone | Kind::Email | Kind::Url | Kind::Postcode => 0.95,
            _ => 0.8,
        };
        assert!(
            k.recall() >= goal,
            "{kind:?} recall {:.3} below {goal}: {:#?}",
            k.recall(),
            k.missed
        );
    }
}

#[test]
fn screening_recall_holds_on_the_test_set() {
    let s = screening(&Screener::builtin(), &data("disclosure-test.csv")).expect("reads");
    assert!(s.disclosures >= 300 && s.others >= 300);
    // The goal is 0.95; this guards what has been reached (see the README).
    assert!(
        s.recall() >= FLOOR,
        "recall {:.3}: missed {:#?}",
        s.recall(),
        s.missed
    );
}

const FLOOR: f64 = 0.92;
