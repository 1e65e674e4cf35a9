//! Short lists of words that decide what a word next to them is: never a name, a particle
//! inside one, a street or place after one, a title before one, or words said of a person.

/// Whether `w` (lower case) is in [`NOT_NAMES`]: looked up for nearly every word of an answer,
/// where going through the list was a seventh of masking.
pub(super) fn not_name(w: &str) -> bool {
    static SET: std::sync::LazyLock<foldhash::HashSet<&str>> =
        std::sync::LazyLock::new(|| NOT_NAMES.iter().copied().collect());
    SET.contains(w)
}

/// Words that are never a name, or part of one, here (pronouns, family words, services).
const NOT_NAMES: &[&str] = &[
    "i",
    "the",
    "a",
    "an",
    "my",
    "me",
    "he",
    "she",
    "they",
    "we",
    "it",
    "you",
    "him",
    "her",
    "them",
    "us",
    "and",
    "but",
    "so",
    "if",
    "when",
    "because",
    "social",
    "worker",
    "mum",
    "mam",
    "mom",
    "dad",
    "nan",
    "christmas",
    "easter",
    "eid",
    "ramadan",
    "diwali",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "england",
    "london",
    "google",
    "youtube",
    "childline",
    "ofsted",
    "nhs",
    "camhs",
    "english",
    "maths",
    "science",
    "year",
    "school",
    "college",
    "is",
    "was",
    "be",
    "to",
    "of",
    "in",
    "at",
    "on",
    "for",
    "not",
    "no",
    "yes",
    "ok",
    "okay",
    "lol",
    "omg",
    "idk",
    "tbh",
    "ngl",
    // What young people write online, capitalised at a sentence's start ("Wtf is this",
    // "Haha yes"): no names.
    "wtf",
    "lmao",
    "lmfao",
    "rofl",
    "haha",
    "hahaha",
    "hahah",
    "ahaha",
    "hehe",
    "hehehe",
    "lolol",
    "omfg",
    "omds",
    "smh",
    "tbf",
    "ikr",
    "ffs",
    "bruh",
    "innit",
    "wagwan",
    "wallahi",
    "wallah",
    "deffo",
    "defo",
    "probs",
    "obvs",
    "awks",
    "hmu",
    "god",
    "allah",
    "jesus",
    "mr",
    "mrs",
    "miss",
    "ms",
    "dr",
    "foster",
    "care",
    "carer",
    "carers",
    "home",
    "house",
    "review",
    "team",
    "council",
    "court",
    "judge",
    "police",
    "staff",
    "manager",
    "keyworker",
    "keyworkers",
    "caseworker",
    "careworker",
    "youthworker",
    "sw",
    "senco",
    "iro",
    "pa",
    "cin",
    "cla",
    "lac",
    "tiktok",
    "snapchat",
    "instagram",
    "insta",
    "whatsapp",
    "facebook",
    "xbox",
    "playstation",
    "fortnite",
    "roblox",
    "minecraft",
    "netflix",
    "discord",
    "iphone",
    "samsung",
    "nike",
    "primark",
    "tesco",
    "mcdonalds",
    "kfc",
    "uk",
    "usa",
    "hi",
    "hello",
    "dear",
    "thanks",
    "please",
    "sorry",
    "love",
    "from",
    "with",
    "what",
    "why",
    "who",
    "how",
    "where",
    "this",
    "that",
    "there",
    "then",
    "also",
    "just",
    "very",
    "really",
    "sometimes",
    "everyone",
    "nobody",
];

/// Particles inside a name ("Ludwig van Beethoven", "Abdullah bin Ahmed", "Maria de la Cruz").
pub(super) const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "dos", "das", "del", "al",
    "el", "bin", "ibn", "bint", "abu", "ben",
];

/// Street words after a name make it a street's ("Wellington Street").
pub(super) const STREETS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "close",
    "drive",
    "crescent",
    "terrace",
    "grove",
    "gardens",
    "way",
    "place",
    "square",
    "mews",
    "walk",
    "row",
    "boulevard",
];
/// Words after a name that make it a place's, a school's or a club's ("Thorpe Park", "Hyde
/// United").
pub(super) const PLACES: &[&str] = &[
    "park",
    "manor",
    "woods",
    "wood",
    "hall",
    "house",
    "court",
    "estate",
    "towers",
    "centre",
    "center",
    "hospital",
    "station",
    "market",
    "mall",
    "library",
    "church",
    "mosque",
    "chapel",
    "cathedral",
    "academy",
    "school",
    "college",
    "university",
    "primary",
    "high",
    "pru",
    "nursery",
    "united",
    "city",
    "town",
    "rovers",
    "athletic",
    "wanderers",
    "albion",
    "county",
    "fc",
    "village",
    "green",
    "hill",
    "bridge",
    "beach",
    "castle",
    "zoo",
    "museum",
    "leisure",
    "stadium",
    "arena",
    "services",
    "council",
    "borough",
];

/// Titles before a surname or a name.
pub(super) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "miss", "dr", "mister", "sir", "madam", "prof", "sheikh", "imam",
    "pastor", "nurse", "auntie", "aunty", "aunt", "uncle", "nan", "nanna", "grandma", "grandad",
    "coach",
];
/// Titles kept inside the masked span ("[name]" for "Mr Patel"); family titles stay in view
/// ("auntie [name]").
pub(super) const FORMAL: &[&str] = &[
    "mr", "mrs", "ms", "mx", "miss", "dr", "mister", "sir", "madam", "prof", "sheikh", "imam",
    "pastor",
];
/// Titles that are also everyday words ("I miss Tsega" is fine, "I miss school" is not).
pub(super) const WEAK_TITLES: &[&str] = &["miss", "nurse", "coach", "sir", "madam"];

/// Words that often follow a name at the start of a sentence ("Imolo is my key worker").
pub(super) const AFTER_NAME: &[&str] = &[
    "is", "was", "said", "says", "and", "has", "had", "helped", "helps", "told", "tells", "asked",
    "gave", "came", "comes", "took", "lives", "lived", "will", "would", "can", "could", "does",
    "did", "never", "always", "doesnt", "didnt", "isnt", "wasnt", "from", "wants", "wanted",
    "knows", "knew", "looks", "looked", "makes", "made", "loves", "likes", "listens", "rang",
    "rings", "calls", "called", "texted", "visits", "visited", "went", "goes", "got", "gets",
    "family", "who", "are", "were", "or", "&",
];

/// Verbs after a lower-case listed name that is one letter from an everyday word, that make it
/// a person ("gaby gave", "conor hit me"); not "is", "has" or "and", which follow things too.
pub(super) const PERSON_ACTS: &[&str] = &[
    "said", "says", "told", "tells", "asked", "gave", "helped", "helps", "texted", "rang", "hit",
    "hits", "hurt", "hurts", "shouted", "shouts", "wants", "wanted", "knows", "knew", "loves",
    "likes", "lives", "lived", "came", "comes", "took", "went", "goes", "makes", "made", "visits",
    "visited", "calls", "called", "kicked", "punched", "touched", "grabbed", "slapped",
];
/// Words before a person ("i told cerys", "i live with bashir").
pub(super) const BEFORE_PERSON: &[&str] = &[
    "told", "tell", "asked", "ask", "miss", "visit", "visited", "met", "call", "ring", "texted",
];
/// Words before "with" or "and" that make the next word a person ("i live with bashir", "me and
/// yonas").
pub(super) const WITH_PERSON: &[&str] = &[
    "live", "lives", "living", "lived", "stay", "stays", "staying", "stayed", "me",
];
/// Words before a capitalised name that is also a word, mid-sentence, that make it a person
/// ("with Jade", "I miss Ruby", "we saw Grace").
pub(super) const WITH_PEOPLE: &[&str] = &[
    "with", "miss", "missed", "saw", "see", "seen", "seeing", "love", "loves", "told", "asked",
];
/// Listed names more often months, seasons or things than people ("in May with my carers", "I
/// love Summer", "on Sky with my dad", "the Kings", "the Angels"): never made a person by the
/// words around them. Each rule adds its own few below.
pub(super) const MOSTLY_THINGS: &[&str] = &[
    "may", "june", "april", "august", "summer", "autumn", "sky", "river", "storm", "star", "king",
    "chance", "justice", "art", "rain", "love", "said", "page", "lane", "angel", "hero",
    "princess",
];
/// Besides [`MOSTLY_THINGS`], names never made a person by `WITH_PEOPLE` or at a sentence's start:
/// colours, sizes, places and words for people ("with Black", "from India", "Nan said").
pub(super) const NOT_WITH_PEOPLE: &[&str] = &[
    "young", "black", "white", "green", "brown", "long", "small", "asia", "india", "nan", "gran",
    "guy",
];
/// Besides those, names that are also words too often something else in lower case to be made a
/// person by a word before them ("with rich people", "i miss max", "me and van").
pub(super) const NOT_LOWER_PEOPLE: &[&str] = &[
    "van", "ace", "bo", "mo", "don", "kit", "rue", "rich", "max", "miles", "cliff", "brook",
    "drew", "reign", "sage", "ray", "eve", "jean", "gene", "nick", "dean",
];
/// Words after a person told, met or lived with, in lower case ("i told grace about it", "me and
/// rose went", "i live with holly and her mum"): an everyday word followed by something else is
/// no person ("with rich people").
pub(super) const AFTER_PERSON: &[&str] = &[
    "about",
    "that",
    "to",
    "at",
    "on",
    "in",
    "for",
    "when",
    "because",
    "but",
    "so",
    "yesterday",
    "today",
    "everything",
    "again",
    "after",
    "before",
    "every",
    "all",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "then",
    "now",
    "went",
    "go",
    "goes",
];
/// Besides those, names that are also words often at a sentence's start as words ("Hope said
/// it all", "Will said" is rare): never made a person there by what follows.
pub(super) const NOT_AT_START: &[&str] = &[
    "hope", "will", "faith", "joy", "bill", "mark", "patience", "mercy",
];
/// Besides [`MOSTLY_THINGS`], listed names whose plural after "the" is more often a team or a
/// thing than a family ("the Rangers", "the Saints"); colours are not among them ("the Browns"
/// is a family).
pub(super) const NOT_FAMILIES: &[&str] = &[
    "ranger", "saint", "giant", "raider", "charger", "rocket", "sun", "moon", "diamond", "jewel",
    "pearl", "crystal",
];
/// Words before a thing's name, never a person's ("the Kenworth", "a Lamborghini"); not "that",
/// which starts what a person did as often ("that Aleksandr was listening to").
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "these", "those", "some", "any", "every", "each",
];
/// Words before a place's name: a name the list does not know after them is no person ("in
/// Compton", "near Troutdale").
pub(super) const IN_A_PLACE: &[&str] = &["in", "near", "around", "outside", "across", "towards"];
/// Words after a person at a sentence's start ("yonas said").
pub(super) const PERSON_DOES: &[&str] = &[
    "said", "says", "told", "asked", "helped", "helps", "lives", "lived", "family", "wants",
    "gave", "from",
];

/// Words that go on a sentence after a name and are names too ("amara may come", "ahmed also
/// said"): never taken as a lower-case surname.
pub(super) const GOES_ON: &[&str] = &[
    "may",
    "might",
    "must",
    "shall",
    "should",
    "also",
    "too",
    "just",
    "still",
    "really",
    "again",
    "today",
    "now",
    "then",
    "here",
    "there",
    "even",
    "only",
    "very",
    "not",
    "sometimes",
    "often",
];

/// The commonest Vietnamese family names, by the share of people who bear them, that English
/// does not use as words ("do" and "ho" are left out).
pub(super) const VIETNAMESE_FAMILIES: &[&str] = &[
    "nguyen", "nguyễn", "tran", "trần", "le", "lê", "pham", "phạm", "hoang", "hoàng", "huynh",
    "huỳnh", "phan", "vu", "vũ", "vo", "võ", "dang", "đặng", "bui", "bùi", "duong", "dương", "ngo",
    "ngô", "trinh", "trịnh", "dinh", "đinh", "truong", "trương", "luong", "lương",
];

/// Whether a listed name is more often a thing than a person, for a rule with its own `also`.
pub(super) fn mostly_a_thing(name: &str, also: &[&str]) -> bool {
    MOSTLY_THINGS.contains(&name) || also.contains(&name)
}
