//! Social media handles and game names: "@name" anywhere, and the name after a platform or game
//! ("my snap is jaydenxo", "roblox username coolkid123", "discord wolf#1234").
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, names, re, schools};

struct Patterns {
    at: Regex,
    cued: Regex,
    more_words: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    at: re(r"(?:^|[\s(\[,;:])(@[A-Za-z0-9_.]{2,30})"),
    // A platform or game (group 1), the words people put between it and the name ("is", "its",
    // "im", "username": group 2), a colon or "=" (group 3), then the name (group 4).
    cued: re(
        r"(?i)\b(snap(?:chat)?|insta(?:gram)?|ig|tiktok|tik tok|twitter|discord|facebook|fb|x|youtube|yt|twitch|kik|telegram|whatsapp|username|user name|handle|gamertag|psn|xbox|roblox|fortnite|minecraft|steam|ign)\b((?:\s+(?:is|its|it's|it’s|im|i'm|i’m|name|handle|username|user|account|id|tag|gamertag|=|-))*)\s*([:=\-]?)\s*@?([A-Za-z0-9_][A-Za-z0-9_.]{1,29}(?:#[0-9]{4})?)",
    ),
    // The rest of a gamertag with spaces in it ("Dark Knight 77"): capitalised words and numbers.
    more_words: re(r"^(?:[ ](?:[A-Z][A-Za-z]+|[0-9]{1,4})(?-u:\b)){1,3}"),
});

/// Platforms, and words for a player's name, after which the name may have spaces in it (Xbox
/// gamertags do; Roblox display names may; "my username is Dark Knight 77").
const SPACED: &[&str] = &[
    "gamertag",
    "psn",
    "xbox",
    "roblox",
    "fortnite",
    "minecraft",
    "steam",
    "ign",
    "username",
    "user name",
];

/// Words that are never a handle, whatever comes before them.
const NOT_HANDLES: &[&str] = &["i", "the", "a", "my", "is", "was", "name", "and"];

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    if text.contains('@') {
        for c in p.at.captures_iter(text) {
            if let Some(m) = c.get(1) {
                out.push((m.start(), m.end(), Kind::Handle));
            }
        }
    }
    for c in p.cued.captures_iter(text) {
        let (Some(platform), Some(between), Some(colon), Some(m)) =
            (c.get(1), c.get(2), c.get(3), c.get(4))
        else {
            continue;
        };
        let name = m.as_str().trim_end_matches('.');
        let lower = name.to_lowercase();
        if name.len() < 3 || NOT_HANDLES.contains(&lower.as_str()) {
            continue;
        }
        // A name with a digit, "_", "." or a Discord number is a handle after the platform alone
        // ("snap jadexo22"); one of letters only must be said to be one ("my tiktok is
        // jaydendances", "insta: jaydenxo") and be no everyday word ("my snap is private").
        let marked = name.contains(|c: char| c.is_ascii_digit() || matches!(c, '_' | '.' | '#'));
        let said = !between.as_str().trim().is_empty() || !colon.as_str().is_empty();
        // "my gamertag is Dark Knight 77", "on fortnite im Silent Storm": a game's name said,
        // in capitals, with more capitalised words or a number after it (not in an answer
        // written in Title Case, where capitals say nothing).
        if said
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && SPACED.contains(&platform.as_str().to_lowercase().as_str())
            && let Some(more) = p.more_words.find(&text[m.start() + name.len()..])
            && !schools::in_title_case(text)
        {
            out.push((m.start(), m.start() + name.len() + more.end(), Kind::Handle));
            continue;
        }
        if marked || said && !names::everyday_word(&lower) {
            out.push((m.start(), m.start() + name.len(), Kind::Handle));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|(s, e, _)| &text[*s..*e]).collect()
    }

    #[test]
    fn a_handle_is_found_after_a_platform_or_game_however_it_is_said() {
        assert_eq!(handles("add me on snap its jaydenxo"), ["jaydenxo"]);
        assert_eq!(handles("my snap is jadexo22"), ["jadexo22"]);
        assert_eq!(handles("my tiktok is jaydendances"), ["jaydendances"]);
        assert_eq!(
            handles("add me on insta its jayden.official"),
            ["jayden.official"]
        );
        assert_eq!(handles("on roblox im CoolKid123"), ["CoolKid123"]);
        assert_eq!(handles("discord wolf#1234"), ["wolf#1234"]);
        assert_eq!(handles("insta: jaydenxo"), ["jaydenxo"]);
        assert_eq!(handles("follow @jay.d now"), ["@jay.d"]);
        // A gamertag with spaces.
        assert_eq!(
            handles("my xbox gamertag is Dark Knight 77"),
            ["Dark Knight 77"]
        );
        assert_eq!(handles("on fortnite im Silent Storm"), ["Silent Storm"]);
        assert_eq!(handles("my psn is Rapid Fox 9 if u want"), ["Rapid Fox 9"]);
    }

    #[test]
    fn a_platform_named_in_passing_masks_nothing() {
        for t in [
            "my snap is private",
            "i have snapchat and tiktok",
            "message me on whatsapp",
            "ig its fine",
            "ig nah",
            "my instagram is down again",
            "youtube is fun",
            "i play roblox and minecraft with my brother",
            "fortnite is my favourite game",
            "I thought it was supposed to be instantaneous.",
            "the xbox.com store",
            "my xbox is broken again",
            "My Xbox Is Broken Again Since Last Week",
        ] {
            assert!(handles(t).is_empty(), "{t}: {:?}", handles(t));
        }
    }
}
