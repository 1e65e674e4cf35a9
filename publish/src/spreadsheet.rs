//! The spreadsheet export (rust_xlsxwriter): a summary sheet with the headline figures and the
//! method, a sheet per choice question with counts and percentages overall and by each
//! breakdown, a themes sheet, and in a row-level export the responses. Suppressed counts are the text `c`; every text
//! cell is written as a string (never a formula) and made safe as in the CSV.
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::numbers::thousands;
use crate::summary::{Crosstab, Figure, SUPPRESSED, Summary};
use crate::{Cell, Coarsening, ExportError, make_safe};

struct Styles {
    title: Format,
    bold: Format,
    /// Counts stay numbers, for sums and charts; the format only shows them grouped (557,077).
    count: Format,
    percent: Format,
    wrap: Format,
}

fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(row, col, make_safe(s).as_ref())?;
    Ok(())
}

fn bold(ws: &mut Worksheet, st: &Styles, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, make_safe(s).as_ref(), &st.bold)?;
    Ok(())
}

fn figure(ws: &mut Worksheet, st: &Styles, row: u32, col: u16, f: Figure) -> Result<(), XlsxError> {
    match f.shown() {
        Some(n) => ws.write_number_with_format(row, col, n as f64, &st.count)?,
        None => ws.write_string(row, col, SUPPRESSED)?,
    };
    Ok(())
}

fn pct(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    col: u16,
    p: Option<f64>,
) -> Result<(), XlsxError> {
    if let Some(p) = p {
        ws.write_number_with_format(row, col, p, &st.percent)?;
    }
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Question".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name))
        || name.eq_ignore_ascii_case("History")
    {
        let suffix = format!(" ({n})");
        name = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Writes the spreadsheet: [`XlsxWriter::new`] the summary sheets, [`XlsxWriter::row`] each row
/// of a row-level export's Responses sheet (kept in a temporary file, not in memory, so any
/// number fit), [`XlsxWriter::finish`] the file.
pub struct XlsxWriter {
    wb: Workbook,
    /// The Responses sheet's index, in a row-level export.
    responses: Option<usize>,
    next_row: u32,
}

impl XlsxWriter {
    /// The summary sheets; in a row-level export (`rows`: what k-anonymity changed and the
    /// columns) the row-level note and the Responses sheet's header too.
    pub fn new(
        s: &Summary,
        rows: Option<(&Coarsening, &[String])>,
    ) -> Result<XlsxWriter, ExportError> {
        let (wb, responses) = sheets(s, rows)?;
        Ok(XlsxWriter {
            wb,
            responses,
            next_row: 1,
        })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        let Some(index) = self.responses else {
            return Err(ExportError::NoRows);
        };
        let ws = self.wb.worksheet_from_index(index)?;
        let r = self.next_row;
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => {
                    ws.write_number(r, c as u16, *n as f64)?;
                }
                Cell::Text(s) => text(ws, r, c as u16, s)?,
            }
        }
        self.next_row += 1;
        Ok(())
    }

    pub fn finish(mut self, out: impl std::io::Write + Send) -> Result<(), ExportError> {
        self.wb.save_to_writer(out)?;
        Ok(())
    }
}

fn sheets(
    s: &Summary,
    rows: Option<(&Coarsening, &[String])>,
) -> Result<(Workbook, Option<usize>), ExportError> {
    let st = Styles {
        title: Format::new().set_bold().set_font_size(14),
        bold: Format::new().set_bold(),
        count: Format::new().set_num_format("#,##0"),
        percent: Format::new().set_num_format("0.0"),
        wrap: Format::new().set_text_wrap(),
    };
    let mut wb = Workbook::new();
    let mut taken = Vec::new();

    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("Summary", &mut taken))?;
    summary_sheet(ws, &st, s, rows.map(|(c, _)| c))?;

    for q in &s.questions {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&q.id, &mut taken))?;
        ws.set_column_width(0, 32)?;
        ws.write_string_with_format(0, 0, make_safe(&q.text).as_ref(), &st.title)?;
        let mut row = 1;
        if q.several {
            text(
                ws,
                row,
                0,
                "Respondents could choose several answers; percentages add up to more than 100.",
            )?;
            row += 1;
        }
        text(ws, row, 0, &key(s.threshold))?;
        row += 2;
        bold(ws, &st, row, 0, "Overall")?;
        bold(ws, &st, row, 1, "Count")?;
        bold(ws, &st, row, 2, "%")?;
        row += 1;
        for c in &q.choices {
            text(ws, row, 0, &c.label)?;
            figure(ws, &st, row, 1, c.n)?;
            pct(ws, &st, row, 2, c.percent)?;
            row += 1;
        }
        bold(ws, &st, row, 0, "Answered")?;
        figure(ws, &st, row, 1, q.answered)?;
        row += 2;
        for b in &q.breakdowns {
            row = crosstab(ws, &st, row, b)? + 1;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("Themes", &mut taken))?;
    themes_sheet(ws, &st, s)?;

    let Some((_, headers)) = rows else {
        return Ok((wb, None));
    };
    // Row by row to a temporary file: the responses are never all in memory.
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet_name("Responses", &mut taken))?;
    ws.set_freeze_panes(1, 0)?;
    for (c, h) in headers.iter().enumerate() {
        bold(ws, &st, 0, c as u16, h)?;
    }
    // Each sheet took a name: the last named is this one.
    Ok((wb, Some(taken.len() - 1)))
}

fn key(threshold: i64) -> String {
    format!(
        "{SUPPRESSED} = fewer than {}, or hidden so that a small count cannot be worked out; not published.",
        thousands(threshold)
    )
}

/// Writes a breakdown table from `row`; returns the row after it.
fn crosstab(ws: &mut Worksheet, st: &Styles, mut row: u32, b: &Crosstab) -> Result<u32, XlsxError> {
    bold(ws, st, row, 0, &format!("By {}", b.title.to_lowercase()))?;
    for (i, g) in b.groups.iter().enumerate() {
        let c = 1 + 2 * i as u16;
        bold(ws, st, row, c, &g.label)?;
        bold(ws, st, row, c + 1, "%")?;
    }
    let tc = 1 + 2 * b.groups.len() as u16;
    bold(ws, st, row, tc, "All")?;
    bold(ws, st, row, tc + 1, "%")?;
    row += 1;
    for r in &b.rows {
        text(ws, row, 0, &r.label)?;
        for (i, (f, p)) in r.cells.iter().zip(&r.percents).enumerate() {
            let c = 1 + 2 * i as u16;
            figure(ws, st, row, c, *f)?;
            pct(ws, st, row, c + 1, *p)?;
        }
        figure(ws, st, row, tc, r.total)?;
        pct(ws, st, row, tc + 1, r.percent)?;
        row += 1;
    }
    bold(ws, st, row, 0, "Answered")?;
    for (i, f) in b.totals.iter().enumerate() {
        figure(ws, st, row, 1 + 2 * i as u16, *f)?;
    }
    figure(ws, st, row, tc, b.total)?;
    Ok(row + 1)
}

fn summary_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    s: &Summary,
    coarsening: Option<&Coarsening>,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 10)?;
    ws.write_string_with_format(0, 0, make_safe(&s.survey.title).as_ref(), &st.title)?;
    let mut row = 2;
    for (k, v) in [
        ("Survey", s.survey.id.clone()),
        ("Open", format!("{} to {}", s.survey.opens, s.survey.closes)),
        (
            "Responses sent",
            match (&s.responses.first_day, &s.responses.last_day) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                _ => "none yet".into(),
            },
        ),
        ("Exported", s.exported_at.clone()),
        ("Software", s.software.clone()),
    ] {
        bold(ws, st, row, 0, k)?;
        text(ws, row, 1, &v)?;
        row += 1;
    }
    row += 1;
    bold(ws, st, row, 0, "Responses")?;
    figure(ws, st, row, 1, s.responses.total)?;
    row += 2;
    for (title, groups) in [
        ("By version", &s.responses.by_version),
        ("By channel", &s.responses.by_channel),
    ] {
        bold(ws, st, row, 0, title)?;
        bold(ws, st, row, 1, "Count")?;
        bold(ws, st, row, 2, "%")?;
        row += 1;
        for g in groups {
            text(ws, row, 0, &g.label)?;
            figure(ws, st, row, 1, g.n)?;
            pct(ws, st, row, 2, g.percent)?;
            row += 1;
        }
        row += 1;
    }
    bold(ws, st, row, 0, "Small numbers")?;
    row += 1;
    ws.set_column_width(3, 60)?;
    ws.write_string_with_format(
        row,
        0,
        make_safe(&s.suppression.explanation).as_ref(),
        &st.wrap,
    )?;
    row += 2;
    if let Some(coarsening) = coarsening {
        bold(ws, st, row, 0, "Row-level data (the Responses sheet)")?;
        row += 1;
        ws.write_string_with_format(
            row,
            0,
            make_safe(&coarsening.explanation()).as_ref(),
            &st.wrap,
        )?;
        row += 2;
    }
    bold(ws, st, row, 0, "How themes were made")?;
    row += 1;
    for f in &s.free_text {
        text(ws, row, 0, &f.text)?;
        let how = match &f.run {
            Some(r) => format!(
                "{}; k = {}{}; seed {}; {} answers; run finished {}. Analysts' corrections (names, merges, splits, moves) are applied on top.",
                r.software,
                r.k.map_or("?".to_string(), |k| k.to_string()),
                r.k_choice
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                r.seed,
                thousands(r.answers),
                r.finished_at.as_deref().unwrap_or("?"),
            ),
            None => "No themes have been made for this question yet.".into(),
        };
        text(ws, row, 1, &how)?;
        row += 1;
    }
    text(ws, row + 1, 0, &key(s.threshold))?;
    Ok(())
}

fn themes_sheet(ws: &mut Worksheet, st: &Styles, s: &Summary) -> Result<(), XlsxError> {
    for (c, (h, w)) in [
        ("Question", 30),
        ("Theme", 30),
        ("Answers", 10),
        ("%", 8),
        ("Words", 30),
        ("Quote 1", 50),
        ("Quote 2", 50),
        ("Quote 3", 50),
    ]
    .iter()
    .enumerate()
    {
        bold(ws, st, 0, c as u16, h)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let mut row = 1;
    for f in &s.free_text {
        for t in &f.themes {
            text(ws, row, 0, &f.text)?;
            text(ws, row, 1, &t.label)?;
            figure(ws, st, row, 2, t.size)?;
            pct(ws, st, row, 3, t.percent)?;
            text(ws, row, 4, &t.terms.join(", "))?;
            for (i, q) in t.quotes.iter().enumerate() {
                text(ws, row, 5 + i as u16, q)?;
            }
            row += 1;
        }
        text(ws, row, 0, &f.text)?;
        text(ws, row, 1, "Not in any theme")?;
        figure(ws, st, row, 2, f.unthemed)?;
        row += 1;
        text(ws, row, 0, &f.text)?;
        bold(ws, st, row, 1, "All answers")?;
        figure(ws, st, row, 2, f.answers)?;
        row += 2;
    }
    text(ws, row, 0, &key(s.threshold))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::XlsxWriter;

    #[test]
    fn counts_stay_numbers_shown_with_thousands_separators() {
        let mut bytes = Vec::new();
        XlsxWriter::new(&crate::summary::large_for_tests(), None)
            .expect("the sheets")
            .finish(&mut bytes)
            .expect("the file");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a spreadsheet");
        // (sheet, the row's label, the column of the count, the count as a number)
        for (sheet, label, col, n) in [
            ("Summary", "Responses", 1, 557_077.0),
            ("Summary", "Paper", 1, 7_077.0),
            ("setting", "Foster care", 1, 345_678.0),
            ("setting", "Answered", 1, 557_077.0),
            ("setting", "Residential care", 3, 1_399.0),
            ("Themes", "Not in any theme", 2, 288_889.0),
        ] {
            let values = book.worksheet_range(sheet).expect(sheet);
            let styles = book.worksheet_style(sheet).expect(sheet);
            let label_col = if sheet == "Themes" { 1 } else { 0 };
            let row = (0..=values.end().expect("cells").0)
                .find(|&r| {
                    values.get_value((r, label_col)) == Some(&Data::String(label.into()))
                        && values.get_value((r, col)) == Some(&Data::Float(n))
                })
                .unwrap_or_else(|| panic!("{sheet}: {label} with the number {n}"));
            let format = styles
                .get((row, col))
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.as_str());
            assert_eq!(format, Some("#,##0"), "{sheet}: {label}");
            // A percentage beside a count keeps its own format.
            if let Some(Data::Float(_)) = values.get_value((row, col + 1)) {
                let format = styles
                    .get((row, col + 1))
                    .and_then(|s| s.number_format.as_ref())
                    .map(|f| f.format_code.as_str());
                assert_eq!(format, Some("0.0"), "{sheet}: {label} %");
            }
        }
    }
}
