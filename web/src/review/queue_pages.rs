//! Pages of the safeguarding queue: which page was asked for, how many there are, and the
//! links between them, with the status filter kept.
use minijinja::context;

/// Flags on one page of the queue.
pub(super) const PER_PAGE: i64 = 50;

/// The furthest page that can be asked for: its offset still fits in an `i64`.
const MAX_PAGE: i64 = i64::MAX / PER_PAGE;

/// What a status may hold unescaped in a link: letters, digits and `-._~`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The page asked for, before the total is known: none, or words, is the first; below 1 is 1;
/// digits too many to read are as far as it goes (the last page, once the total is known).
pub(super) fn asked_page(raw: Option<&str>) -> i64 {
    let raw = raw.unwrap_or("").trim();
    match raw.parse::<i64>() {
        Ok(n) => n.clamp(1, MAX_PAGE),
        Err(_) if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => MAX_PAGE,
        Err(_) => 1,
    }
}

/// How many pages `total` flags fill (one, even when there are none).
pub(super) fn page_count(total: i64) -> i64 {
    ((total + PER_PAGE - 1) / PER_PAGE).max(1)
}

/// The query string of the queue's page `page` of `status`, `?` and all (the first page has no
/// number). Templates put it after the literal path: minijinja would escape a path's slashes.
pub(super) fn queue_query(status: Option<&str>, page: i64) -> String {
    let mut query = Vec::new();
    if let Some(s) = status {
        query.push(format!(
            "status={}",
            percent_encoding::utf8_percent_encode(s, QUERY_VALUE)
        ));
    }
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    }
}

/// The pages the pager names: the first, the last, and two either side of this one, with `None`
/// where numbers are left out.
fn page_numbers(page: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in [1, page - 2, page - 1, page, page + 1, page + 2, pages] {
        if n <= last || n < 1 || n > pages {
            continue;
        }
        if n > last + 1 {
            out.push(None);
        }
        out.push(Some(n));
        last = n;
    }
    out
}

/// What the template needs to say where page `page_no` (of `total` flags of `status`, `shown`
/// of them on it) is and to link to the others.
pub(super) fn paging(
    status: Option<&str>,
    page_no: i64,
    total: i64,
    shown: usize,
) -> minijinja::Value {
    let pages = page_count(total);
    let first = (page_no - 1) * PER_PAGE + 1;
    let at = |n: i64| queue_query(status, n);
    let numbers: Vec<_> = page_numbers(page_no, pages)
        .into_iter()
        .map(|n| match n {
            Some(n) => context! { gap => false, n => n, query => at(n), current => n == page_no },
            None => context! { gap => true },
        })
        .collect();
    context! {
        status => status,
        total => total,
        first => first,
        last => first + shown as i64 - 1,
        page => page_no,
        pages => pages,
        numbers => numbers,
        previous => at(page_no - 1),
        next => at(page_no + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_asked_for_is_read_leniently() {
        assert_eq!(asked_page(None), 1);
        for junk in ["", "abc", "1.5", "-", "+", "0x10", "½", "1e3"] {
            assert_eq!(asked_page(Some(junk)), 1, "{junk:?}");
        }
        assert_eq!(asked_page(Some("-3")), 1);
        assert_eq!(asked_page(Some("0")), 1);
        assert_eq!(asked_page(Some(" 7 ")), 7);
        assert_eq!(asked_page(Some("99999999999999999999")), MAX_PAGE);
        assert_eq!(asked_page(Some(&i64::MAX.to_string())), MAX_PAGE);
        assert!((MAX_PAGE - 1).checked_mul(PER_PAGE).is_some());
    }

    #[test]
    fn pages_are_counted_and_named_around_the_current_one() {
        assert_eq!([0, 1, 50, 51, 100, 101].map(page_count), [1, 1, 1, 2, 2, 3]);
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
        assert_eq!(
            page_numbers(1, 9),
            vec![Some(1), Some(2), Some(3), None, Some(9)]
        );
        assert_eq!(
            page_numbers(5, 9),
            vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(9)
            ]
        );
        assert_eq!(
            page_numbers(4, 6),
            (1..=6).map(Some).collect::<Vec<_>>(),
            "no gap for one page left out"
        );
        assert_eq!(
            page_numbers(9, 9),
            vec![Some(1), None, Some(7), Some(8), Some(9)]
        );
    }

    #[test]
    fn links_keep_the_filter_encoded() {
        assert_eq!(queue_query(None, 1), "");
        assert_eq!(queue_query(None, 3), "?page=3");
        assert_eq!(
            queue_query(Some("no_further_action"), 2),
            "?status=no_further_action&page=2"
        );
        assert_eq!(
            queue_query(Some("a b&c=d/é"), 1),
            "?status=a%20b%26c%3Dd%2F%C3%A9"
        );
    }
}

#[cfg(test)]
mod page_tests {
    use minijinja::context;

    use super::*;

    fn queue_page(page_no: i64, total: i64, status: Option<&str>) -> String {
        let first = (page_no - 1) * PER_PAGE + 1;
        let on_page = (total - first + 1).clamp(0, PER_PAGE);
        let chrome = context! {
            surveys => Vec::<(String, String)>::new(), user => "sal", role => "safeguarding",
            csrf => "token", can_themes => false, can_safeguarding => true, can_audit => false,
            can_export => false, can_import => false,
        };
        let flags: Vec<_> = (0..on_page)
            .map(|i| {
                context! {
                    id => first + i, flagged_at => "2026-05-01", status => "new",
                    status_title => "New", survey => "s", channel => "Online survey",
                    question => "Q", categories => "c", trigger => "t",
                    pieces => vec![context! { text => "words", marked => false }],
                }
            })
            .collect();
        crate::templates::render(
            "review/queue.html",
            context! {
                chrome => chrome, flags => flags, counts => Vec::<()>::new(),
                ..paging(status, page_no, total, flags.len())
            },
        )
        .expect("the queue")
    }

    #[test]
    fn the_pager_reads_with_separators_and_links_with_plain_numbers() {
        let page = queue_page(21, 12_345, Some("new"));
        for shown in [
            "Showing 1,001–1,050 of 12,345 (page 21 of 247).",
            "<ol class=\"flags\" start=\"1001\">",
            "<nav aria-label=\"Pages of the safeguarding queue\"",
            "href=\"/admin/safeguarding?status=new&amp;page=20\" rel=\"prev\"",
            "href=\"/admin/safeguarding?status=new&amp;page=22\" rel=\"next\"",
            "href=\"/admin/safeguarding?status=new\"><span class=\"visually-hidden\">Page </span>1</a>",
            "href=\"/admin/safeguarding?status=new&amp;page=21\" aria-current=\"page\"><span class=\"visually-hidden\">Page </span>21</a>",
            "href=\"/admin/safeguarding?status=new&amp;page=247\"><span class=\"visually-hidden\">Page </span>247</a>",
        ] {
            assert!(page.contains(shown), "{shown} in {page}");
        }
        assert_eq!(page.matches("aria-current=\"page\"><span").count(), 1);

        // The first page: no way back; the last: no way on; one page: no pager at all.
        let page = queue_page(1, 51, None);
        assert!(page.contains("Showing 1–50 of 51 (page 1 of 2)."), "{page}");
        assert!(
            !page.contains("rel=\"prev\"")
                && page.contains("href=\"/admin/safeguarding?page=2\" rel=\"next\""),
            "{page}"
        );
        let page = queue_page(2, 51, None);
        assert!(page.contains("Showing 51 of 51 (page 2 of 2)."), "{page}");
        assert!(
            page.contains("href=\"/admin/safeguarding\" rel=\"prev\"")
                && !page.contains("rel=\"next\""),
            "{page}"
        );
        let page = queue_page(1, 50, None);
        assert!(page.contains("Showing 1–50 of 50."), "{page}");
        assert!(!page.contains("<nav aria-label=\"Pages"), "{page}");
        let page = queue_page(1, 0, None);
        assert!(
            page.contains("Nothing here.") && !page.contains("Showing"),
            "{page}"
        );
    }
}
