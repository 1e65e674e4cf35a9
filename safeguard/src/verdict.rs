//! Whether an answer goes to the safeguarding queue, from what the phrase layer found and what the
//! learned layer scored, and what triggered it, so the lead sees why.
use serde::Serialize;

use crate::disclosure::{Indicator, Screening};
use crate::learned::LearnedModel;

/// What sent an answer to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A phrase of the safeguarding lead's own file: it flags whatever the learned layer says.
    OwnPhrase,
    /// A built-in phrase of two words or more, matched as written: enough on its own, unless the
    /// learned layer is all but sure the answer is ordinary (under the model's `veto_at`).
    Phrase,
    /// A weak built-in phrase (one everyday word, or a word one letter from a phrase's), and the
    /// learned layer agreed the answer reads like a disclosure.
    PhraseConfirmed,
    /// The learned layer alone: the answer reads like a disclosure, in words no phrase lists.
    Learned,
    /// A phrase, with no learned layer to weigh it (the encoder could not run): flagged, since
    /// missing a disclosure is worse than a false alarm.
    PhraseUnweighed,
    /// A firm built-in phrase in an answer the learned layer was all but sure is ordinary, or a
    /// doubtful one ([`crate::Indicator::doubtful`]) it did not confirm ([`Verdict::set_aside`]):
    /// not flagged, but stored in the queue as "set aside", where the lead can read it, so no
    /// answer with such a phrase goes unseen. Never a verdict's trigger.
    PhraseSetAside,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::OwnPhrase => "own_phrase",
            Trigger::Phrase => "phrase",
            Trigger::PhraseConfirmed => "phrase_confirmed",
            Trigger::Learned => "learned",
            Trigger::PhraseUnweighed => "phrase_unweighed",
            Trigger::PhraseSetAside => "phrase_set_aside",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        [
            Trigger::OwnPhrase,
            Trigger::Phrase,
            Trigger::PhraseConfirmed,
            Trigger::Learned,
            Trigger::PhraseUnweighed,
            Trigger::PhraseSetAside,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// The screening of one answer, both layers together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub flagged: bool,
    /// Why it was flagged (`None` when it was not).
    pub trigger: Option<Trigger>,
    /// The learned layer's score, 0 to 1 (`None` when it did not run).
    pub score: Option<f32>,
    pub indicators: Vec<Indicator>,
    /// A built-in phrase of two words or more matched, and was set aside because the learned
    /// layer scored the answer under the model's `veto_at` (so `flagged` is false): said, so a
    /// lead reading `heard screen` sees why an answer with "kill me" in it was not flagged.
    pub set_aside: bool,
}

/// What the phrases say before the learned layer reads an answer: a phrase of the lead's own
/// file (which flags whatever the score), or a firm built-in phrase (which flags unless the
/// score is under the model's `veto_at`).
pub fn firm_trigger(screening: &Screening) -> Option<Trigger> {
    if screening.indicators.iter().any(|i| i.own) {
        Some(Trigger::OwnPhrase)
    } else if screening.indicators.iter().any(|i| i.firm) {
        Some(Trigger::Phrase)
    } else {
        None
    }
}

/// Decides from the phrase layer's `screening` and, when the encoder could run, the learned
/// layer's score (the highest of the answer's pieces) under `model`'s thresholds. Without a
/// score every phrase flags: missing a disclosure is worse than a false alarm.
pub fn decide(screening: Screening, learned: Option<(f32, &LearnedModel)>) -> Verdict {
    let own = screening.indicators.iter().any(|i| i.own);
    let phrase = !screening.indicators.is_empty();
    let trigger = match learned {
        _ if own => Some(Trigger::OwnPhrase),
        None if phrase => Some(Trigger::PhraseUnweighed),
        None => None,
        Some((s, m)) if firm_trigger(&screening).is_some() && s >= m.veto_at => {
            Some(Trigger::Phrase)
        }
        Some((s, m)) if phrase && s >= m.confirm_at => Some(Trigger::PhraseConfirmed),
        Some((s, m)) if s >= m.flag_at => Some(Trigger::Learned),
        Some(_) => None,
    };
    // A firm phrase the learned layer is all but sure of, or a doubtful one it does not
    // confirm: not flagged, but where a person still reads it.
    let doubtful = screening.indicators.iter().any(|i| i.doubtful);
    let set_aside = !own
        && learned.is_some_and(|(s, m)| {
            firm_trigger(&screening).is_some() && s < m.veto_at || doubtful && trigger.is_none()
        });
    Verdict {
        flagged: trigger.is_some(),
        trigger,
        score: learned.map(|(s, _)| s),
        indicators: screening.indicators,
        set_aside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Screener;

    fn model() -> LearnedModel {
        LearnedModel::from_json(
            r#"{"encoder_sha256":"x","weights":[1.0],"bias":0.0,"flag_at":0.9,
                "confirm_at":0.5,"veto_at":0.02,"chosen":"","training":[]}"#,
        )
        .expect("model")
    }

    fn verdict(screener: &Screener, text: &str, score: Option<f32>) -> Verdict {
        let m = model();
        decide(screener.screen(text), score.map(|s| (s, &m)))
    }

    #[test]
    fn each_layer_flags_as_its_thresholds_say() {
        let s = Screener::builtin();
        // A firm phrase flags unless the learned layer is all but sure the answer is ordinary.
        let v = verdict(&s, "he hits me", Some(0.02));
        assert_eq!(v.trigger, Some(Trigger::Phrase));
        assert!(!v.set_aside);
        let v = verdict(&s, "he hits me", Some(0.019));
        assert_eq!(
            (v.flagged, v.score, v.set_aside),
            (false, Some(0.019), true)
        );
        // A weak phrase the learned layer does not confirm is not "set aside": it never flags alone.
        assert!(!verdict(&s, "a knife", Some(0.001)).set_aside);
        assert!(!v.indicators.is_empty(), "what the phrases found is kept");
        // One everyday word needs the learned layer's agreement.
        assert_eq!(verdict(&s, "a knife", Some(0.49)).trigger, None);
        assert_eq!(
            verdict(&s, "a knife", Some(0.5)).trigger,
            Some(Trigger::PhraseConfirmed)
        );
        // A word one letter from a phrase's is weak too.
        assert!(!verdict(&s, "the rapid bus", Some(0.1)).flagged);
        // The learned layer alone, at its own threshold.
        assert_eq!(verdict(&s, "i like school", Some(0.89)).trigger, None);
        let v = verdict(&s, "i like school", Some(0.9));
        assert_eq!((v.trigger, v.score), (Some(Trigger::Learned), Some(0.9)));
        // Without the learned layer, any phrase flags.
        assert_eq!(
            verdict(&s, "a knife", None).trigger,
            Some(Trigger::PhraseUnweighed)
        );
        assert!(!verdict(&s, "i like school", None).flagged);
    }

    #[test]
    fn a_doubtful_phrase_is_confirmed_or_set_aside_never_dropped() {
        let s = Screener::builtin();
        // "send me money" is in the built-in file's weak list: bank customers write it too.
        let v = verdict(&s, "please send me money today", Some(0.1));
        assert_eq!((v.flagged, v.set_aside), (false, true));
        assert_eq!(firm_trigger(&s.screen("send me money")), None);
        let v = verdict(&s, "please send me money today", Some(0.5));
        assert_eq!(
            (v.trigger, v.set_aside),
            (Some(Trigger::PhraseConfirmed), false)
        );
        // Without the learned layer it flags, as every phrase does.
        assert!(verdict(&s, "send me money", None).flagged);
    }

    #[test]
    fn the_leads_own_phrases_flag_whatever_the_score() {
        let s = Screener::with_extra("[[category]]\nname = \"x\"\nphrases = [\"blue van\"]")
            .expect("file");
        let v = verdict(&s, "the blue van", Some(0.0));
        assert_eq!(v.trigger, Some(Trigger::OwnPhrase));
    }

    #[test]
    fn triggers_read_back_from_their_names() {
        for t in [
            Trigger::OwnPhrase,
            Trigger::Phrase,
            Trigger::PhraseConfirmed,
            Trigger::Learned,
            Trigger::PhraseUnweighed,
        ] {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
        assert_eq!(Trigger::parse("nonsense"), None);
    }
}
