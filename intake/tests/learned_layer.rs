//! The learned screening layer with the phrase layer: what each decides, and the held-out
//! regression guard (the own test set, never trained on) for the two together.
use intake::protect::Protector;
use safeguard::verdict::Trigger;

fn both() -> Protector {
    Protector::new(safeguard::Screener::builtin()).expect("the learned layer loads")
}

#[test]
fn the_bundled_model_reads_the_bundled_encoder() {
    let p = both();
    let m = p.model().expect("a learned model");
    assert_eq!(m.encoder_sha256, encoder::WEIGHTS_SHA256);
    assert_eq!(m.weights.len(), encoder::DIMENSIONS);
    assert_eq!(m.word_weights.len(), safeguard::learned::WORD_BUCKETS);
    assert!(m.veto_at <= m.confirm_at && m.confirm_at <= m.flag_at && m.flag_at < 1.0);
    assert!(
        m.training.iter().any(|s| s.disclosures > 0) && m.training.iter().any(|s| s.ordinary > 0)
    );
}

#[test]
fn disclosures_in_words_no_phrase_lists_are_flagged_by_the_learned_layer() {
    let p = both();
    let phrases = Protector::phrases_only(safeguard::Screener::builtin());
    for text in [
        "every night i lie awake wishing i could just stop existing",
        "my carer grabbed my throat last night",
    ] {
        assert!(!phrases.screen(text).flagged, "no phrase lists {text:?}");
        let v = p.screen(text);
        assert!(v.flagged, "{text:?}: {v:?}");
        assert_eq!(v.trigger, Some(Trigger::Learned), "{text:?}");
    }
}

#[test]
fn one_everyday_word_in_an_ordinary_answer_is_not_flagged() {
    let p = both();
    let phrases = Protector::phrases_only(safeguard::Screener::builtin());
    for text in [
        "the youth club needs more space for football",
        "it would be good to get a better deal on bus passes",
        "my tablet is too slow for homework",
    ] {
        assert!(
            phrases.screen(text).flagged,
            "a weak phrase matches {text:?}"
        );
        let v = p.screen(text);
        assert!(!v.flagged, "{text:?}: {v:?}");
        assert!(v.score.is_some_and(|s| s < 0.5));
    }
}

#[test]
fn firm_phrases_and_the_leads_own_always_flag() {
    let p = both();
    let v = p.screen("my step dad hits me when he has been drinking");
    assert!(v.flagged);
    assert!(matches!(
        v.trigger,
        Some(Trigger::Phrase | Trigger::PhraseConfirmed)
    ));
    let own = safeguard::Screener::with_extra(
        "[[category]]\nname = \"county lines\"\nphrases = [\"go country\"]",
    )
    .expect("the lead's file");
    let lead = Protector::new(own).expect("the learned layer loads");
    let v = lead.screen("they make me go country at weekends");
    assert_eq!(v.trigger, Some(Trigger::OwnPhrase));
    assert!(v.score.is_some(), "the score is kept for the queue");
}

#[test]
fn without_the_learned_layer_every_phrase_flags() {
    let p = Protector::phrases_only(safeguard::Screener::builtin());
    let v = p.screen("the youth club needs more space for football");
    assert_eq!(v.trigger, Some(Trigger::PhraseUnweighed));
    assert_eq!(v.score, None);
    assert!(!p.screen("i like my school").flagged);
}

/// The held-out guard: `disclosure-test.csv` was written here but never trained on (the model's
/// training sources are listed in the model file). Measured when the model was trained: recall
/// 0.971, 47.3% of its deliberately close non-disclosures flagged (0.974 with session 11's phrases).
#[test]
fn held_out_test_set_recall_stays_at_least_095() {
    let (texts, labels) = read("disclosure-test.csv");
    let p = both();
    assert!(p.model().is_some_and(|m| {
        m.training
            .iter()
            .all(|s| !s.name.contains("disclosure-test"))
    }));
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let verdicts = p.screen_all(&refs, true);
    let pos = labels.iter().filter(|l| **l).count();
    let found = verdicts
        .iter()
        .zip(&labels)
        .filter(|(v, l)| **l && v.flagged)
        .count();
    let false_alarms = verdicts
        .iter()
        .zip(&labels)
        .filter(|(v, l)| !**l && v.flagged)
        .count();
    let recall = found as f64 / pos as f64;
    let flagged = false_alarms as f64 / (labels.len() - pos) as f64;
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(flagged <= 0.5, "non-disclosures flagged {flagged:.3}");
}

/// The other held-out guard, for false alarms in the product's own domain: the half of
/// `ordinary-consultation.csv` not trained on (ordinary answers to a care consultation's
/// questions, written here). Session 11's model, which had never seen such answers, flagged 12.2%
/// of them with the phrases; the model trained with the other half, 1.3%.
#[test]
fn ordinary_answers_about_care_are_rarely_flagged() {
    let (texts, labels) = read("ordinary-consultation.csv");
    assert!(labels.iter().all(|l| !l) && texts.len() == 450);
    let (trained, _) = read("ordinary-consultation-train.csv");
    assert!(
        texts.iter().all(|t| !trained.contains(t)),
        "the halves share no answer"
    );
    let p = both();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let flagged = p
        .screen_all(&refs, true)
        .iter()
        .filter(|v| v.flagged)
        .count();
    let share = flagged as f64 / texts.len() as f64;
    assert!(share <= 0.03, "{flagged} of {} flagged", texts.len());
}

/// A labelled set of `safeguard/data`: its texts and whether each discloses.
fn read(name: &str) -> (Vec<String>, Vec<bool>) {
    let path = format!("{}/../safeguard/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).expect("the labelled set");
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for r in reader.records() {
        let r = r.expect("a row");
        texts.push(r[1].to_string());
        labels.push(&r[2] == "1");
    }
    (texts, labels)
}
