//! Counts as people read them. `557077` is easily misread by a factor of ten; UK English groups
//! a whole number's digits in threes with commas from 1,000 up: `557,077`. One formatter for the
//! report here and the workspace's pages (as the templates' `count` filter), so they never
//! disagree. Only for what people read: the CSV and JSON keep plain numbers for the tools that
//! read them, and the spreadsheet keeps numbers, grouped by its own number format.
use minijinja::Value;

/// `n` with its digits grouped in threes: `557,077`, `-1,234`, `999`.
pub fn thousands(n: i64) -> String {
    grouped(&n.to_string())
}

/// The templates' `count` filter: any number grouped as [`thousands`] does (a fraction keeps its
/// decimals: `1,234.5`). Anything else passes through as it is, so a count already put into
/// words ("fewer than 5", "hidden") or left out can be filtered without a test in the template.
pub fn count_filter(value: Value) -> Value {
    if value.is_integer() {
        // Display, not a conversion to i64: integers past i64 (u64, i128) are grouped too.
        return Value::from(grouped(&value.to_string()));
    }
    if value.is_number() {
        // Rust's Display of a finite f64 never uses an exponent, so its digits can be grouped;
        // NaN and infinity have none to group.
        if let Some(f) = f64::try_from(value.clone()).ok().filter(|f| f.is_finite()) {
            return Value::from(grouped(&f.to_string()));
        }
    }
    value
}

/// Groups the whole part of a plain decimal number (`-`, digits, then any fraction).
fn grouped(plain: &str) -> String {
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let whole_len = unsigned
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(unsigned.len());
    let (whole, rest) = unsigned.split_at(whole_len);
    let mut out = String::with_capacity(plain.len() + whole_len / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole_len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_grouped_in_threes_from_a_thousand() {
        for (n, shown) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (12345, "12,345"),
            (557077, "557,077"),
            (1234567, "1,234,567"),
            (-7, "-7"),
            (-1000, "-1,000"),
            (-1234567, "-1,234,567"),
            (i64::MIN, "-9,223,372,036,854,775,808"),
        ] {
            assert_eq!(thousands(n), shown, "{n}");
        }
    }

    #[test]
    fn the_filter_groups_numbers_and_passes_anything_else_through() {
        let f = |v: Value| count_filter(v).to_string();
        assert_eq!(f(Value::from(557077)), "557,077");
        assert_eq!(f(Value::from(557077usize)), "557,077");
        assert_eq!(f(Value::from(-1234567i64)), "-1,234,567");
        assert_eq!(f(Value::from(u64::MAX)), "18,446,744,073,709,551,615");
        assert_eq!(f(Value::from(1234.5)), "1,234.5");
        assert_eq!(f(Value::from(-0.25)), "-0.25");
        assert_eq!(f(Value::from(1000.0)), "1,000");
        assert_eq!(f(Value::from(f64::NAN)), "NaN");
        assert_eq!(f(Value::from("fewer than 5")), "fewer than 5");
        assert_eq!(f(Value::from("1234")), "1234", "a string is not a count");
        assert_eq!(count_filter(Value::from(true)), Value::from(true));
        assert!(count_filter(Value::from(())).is_none());
    }
}
