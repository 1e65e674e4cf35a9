//! Small-number suppression. A count below the threshold could point to a child, so it is hidden
//! (primary suppression). Where published figures add up (the cells of a line and its total), a
//! single hidden figure could be worked out by subtraction, so a second figure in that line is
//! hidden too (secondary suppression), repeated until every line with a hidden figure has at
//! least two. This is the usual rule of thumb for tables like ours, not an optimal pattern: it
//! can hide more than strictly needed, never less along any one line.

/// Whether a figure is published, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Shown,
    /// Below the threshold.
    Primary,
    /// Could have been worked out from the others and a total.
    Secondary,
}

impl Mark {
    pub fn hidden(self) -> bool {
        self != Mark::Shown
    }
}

/// A relation between figures: the `parts` add up to `total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// Marks each of `values`: below `threshold` is primary; then, for every sum with exactly one
/// hidden figure, the smallest shown part (or the total, if no part is shown) is hidden too.
pub fn suppress(values: &[i64], sums: &[Sum], threshold: i64) -> Vec<Mark> {
    suppress_fixed(values, sums, threshold, &vec![None; values.len()])
}

/// As [`suppress`], where some figures' marks are already decided (`Some`), because they are
/// published, or hidden, in another table: those keep their mark and are never picked.
pub fn suppress_fixed(
    values: &[i64],
    sums: &[Sum],
    threshold: i64,
    fixed: &[Option<Mark>],
) -> Vec<Mark> {
    let free = |i: usize| fixed.get(i).is_none_or(Option::is_none);
    let mut marks: Vec<Mark> = values
        .iter()
        .enumerate()
        .map(|(i, &n)| match fixed.get(i).copied().flatten() {
            Some(m) => m,
            None if n < threshold => Mark::Primary,
            None => Mark::Shown,
        })
        .collect();
    // Each pass hides at least one more figure or stops, so this ends within values.len() passes.
    loop {
        let mut changed = false;
        for sum in sums {
            let members = sum.parts.iter().chain(std::iter::once(&sum.total));
            let hidden = members.clone().filter(|&&i| marks[i].hidden()).count();
            // With the total published, the hidden parts add up to what the shown ones leave:
            // when that is nothing, every hidden part is known to be zero.
            let hidden_parts: Vec<usize> = sum
                .parts
                .iter()
                .copied()
                .filter(|&i| marks[i].hidden())
                .collect();
            let zeros_given_away = !marks[sum.total].hidden()
                && !hidden_parts.is_empty()
                && hidden_parts.iter().map(|&i| values[i]).sum::<i64>() == 0;
            if hidden != 1 && !zeros_given_away {
                continue;
            }
            let shown_parts = || {
                sum.parts
                    .iter()
                    .copied()
                    .filter(|&i| !marks[i].hidden() && free(i))
            };
            let pick = shown_parts()
                .filter(|&i| values[i] > 0)
                .min_by_key(|&i| (values[i], i))
                .or_else(|| shown_parts().min_by_key(|&i| (values[i], i)))
                .or_else(|| (!marks[sum.total].hidden() && free(sum.total)).then_some(sum.total));
            if let Some(i) = pick {
                marks[i] = Mark::Secondary;
                changed = true;
            }
        }
        if !changed {
            return marks;
        }
    }
}

/// A table of counts: rows (say, the choices of a question) by columns (say, care settings), with
/// a total per row, per column and in all. Rows always add up to their totals; columns do when
/// each respondent counts in exactly one row (single choice), not when they may pick several.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub cells: Vec<Vec<i64>>,
    pub row_totals: Vec<i64>,
    pub col_totals: Vec<i64>,
    pub total: i64,
    pub columns_add_up: bool,
}

/// The marks of a [`Table`], in its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMarks {
    pub cells: Vec<Vec<Mark>>,
    pub row_totals: Vec<Mark>,
    pub col_totals: Vec<Mark>,
    pub total: Mark,
}

impl Table {
    pub fn suppress(&self, threshold: i64) -> TableMarks {
        self.suppress_with(threshold, None)
    }

    /// As [`Table::suppress`], with the row totals and the grand total marked already (they are
    /// the overall figures, decided in their own line before any breakdown).
    pub fn suppress_fixed(&self, threshold: i64, row_totals: &[Mark], total: Mark) -> TableMarks {
        self.suppress_with(threshold, Some((row_totals, total)))
    }

    fn suppress_with(&self, threshold: i64, fixed_totals: Option<(&[Mark], Mark)>) -> TableMarks {
        let rows = self.cells.len();
        let cols = self.col_totals.len();
        // Flat layout: cells row by row, then row totals, column totals and the grand total.
        let cell = |r: usize, c: usize| r * cols + c;
        let row_total = |r: usize| rows * cols + r;
        let col_total = |c: usize| rows * cols + rows + c;
        let grand = rows * cols + rows + cols;
        let mut values: Vec<i64> = self.cells.iter().flatten().copied().collect();
        values.extend(&self.row_totals);
        values.extend(&self.col_totals);
        values.push(self.total);
        let mut sums = Vec::new();
        for r in 0..rows {
            sums.push(Sum {
                parts: (0..cols).map(|c| cell(r, c)).collect(),
                total: row_total(r),
            });
        }
        // Respondents are counted in one column each, so the column totals add up to the whole.
        sums.push(Sum {
            parts: (0..cols).map(col_total).collect(),
            total: grand,
        });
        if self.columns_add_up {
            for c in 0..cols {
                sums.push(Sum {
                    parts: (0..rows).map(|r| cell(r, c)).collect(),
                    total: col_total(c),
                });
            }
            sums.push(Sum {
                parts: (0..rows).map(row_total).collect(),
                total: grand,
            });
        }
        let mut fixed = vec![None; values.len()];
        if let Some((rows_fixed, total_fixed)) = fixed_totals {
            for (r, m) in rows_fixed.iter().enumerate().take(rows) {
                fixed[row_total(r)] = Some(*m);
            }
            fixed[grand] = Some(total_fixed);
        }
        let marks = suppress_fixed(&values, &sums, threshold, &fixed);
        TableMarks {
            cells: (0..rows)
                .map(|r| (0..cols).map(|c| marks[cell(r, c)]).collect())
                .collect(),
            row_totals: (0..rows).map(|r| marks[row_total(r)]).collect(),
            col_totals: (0..cols).map(|c| marks[col_total(c)]).collect(),
            total: marks[grand],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sum with a hidden member has at least two, so no hidden figure can be recovered by
    /// subtraction along one line.
    fn no_line_gives_one_away(sums: &[Sum], marks: &[Mark]) -> bool {
        sums.iter().all(|s| {
            let hidden = s
                .parts
                .iter()
                .chain(std::iter::once(&s.total))
                .filter(|&&i| marks[i].hidden())
                .count();
            hidden != 1
        })
    }

    #[test]
    fn counts_below_the_threshold_are_hidden() {
        let sums = [];
        let marks = suppress(&[0, 4, 5, 12], &sums, 5);
        assert_eq!(
            marks,
            vec![Mark::Primary, Mark::Primary, Mark::Shown, Mark::Shown]
        );
        // With a threshold of 1, only an empty cell is below it.
        assert_eq!(
            suppress(&[0, 1], &sums, 1),
            vec![Mark::Primary, Mark::Shown]
        );
    }

    #[test]
    fn a_lone_hidden_cell_takes_the_smallest_other_with_it() {
        // 3 + 9 + 20 = 32: the 3 alone could be worked out as 32 - 9 - 20.
        let sums = [Sum {
            parts: vec![0, 1, 2],
            total: 3,
        }];
        let marks = suppress(&[3, 9, 20, 32], &sums, 5);
        assert_eq!(
            marks,
            vec![Mark::Primary, Mark::Secondary, Mark::Shown, Mark::Shown]
        );
        assert!(no_line_gives_one_away(&sums, &marks));
        // Two small cells already protect each other.
        let marks = suppress(&[3, 2, 20, 25], &sums, 5);
        assert_eq!(marks[2], Mark::Shown);
        assert!(no_line_gives_one_away(&sums, &marks));
    }

    #[test]
    fn hidden_zeros_are_not_given_away_by_the_total() {
        // 9 + 6 = 15: the two hidden zeros would be known to be zero.
        let sums = [Sum {
            parts: vec![0, 1, 2, 3],
            total: 4,
        }];
        let marks = suppress(&[9, 0, 6, 0, 15], &sums, 5);
        assert_eq!(marks[1], Mark::Primary);
        assert_eq!(marks[3], Mark::Primary);
        assert_eq!(marks[2], Mark::Secondary, "the smallest non-zero part goes");
        assert_eq!(marks[0], Mark::Shown);
    }

    #[test]
    fn with_every_part_hidden_the_total_is_what_goes() {
        // One part, one total: 7 and 7. If the part is hidden, so is the total.
        let sums = [Sum {
            parts: vec![0],
            total: 1,
        }];
        assert_eq!(
            suppress(&[3, 3], &sums, 5),
            vec![Mark::Primary, Mark::Primary]
        );
        let sums = [Sum {
            parts: vec![0, 1],
            total: 2,
        }];
        // 2 + 0 = 2: all below the threshold.
        assert_eq!(suppress(&[2, 0, 2], &sums, 5), vec![Mark::Primary; 3]);
    }

    #[test]
    fn secondary_suppression_spreads_across_rows_and_columns() {
        // Care settings by choice, single choice so columns add up too.
        //            foster  home  kinship | total
        //   yes        30      3      12   |  45
        //   no         20      9      15   |  44
        //   total      50     12      27   |  89
        let t = Table {
            cells: vec![vec![30, 3, 12], vec![20, 9, 15]],
            row_totals: vec![45, 44],
            col_totals: vec![50, 12, 27],
            total: 89,
            columns_add_up: true,
        };
        let m = t.suppress(5);
        assert_eq!(m.cells[0][1], Mark::Primary);
        // The home column: 3 hidden, so 9 goes (12 - 9 would give it away).
        assert_eq!(m.cells[1][1], Mark::Secondary);
        // The yes row: 3 hidden with 30 and 12 shown, so 12 goes; then the kinship column.
        assert_eq!(m.cells[0][2], Mark::Secondary);
        assert_eq!(m.cells[1][2], Mark::Secondary);
        assert!(m.cells[1].iter().filter(|m| m.hidden()).count() >= 2);
        assert_eq!(m.total, Mark::Shown);
        // Check every line of the flat form.
        let rows: Vec<Vec<bool>> = m
            .cells
            .iter()
            .map(|r| r.iter().map(|x| x.hidden()).collect())
            .collect();
        for (r, row) in rows.iter().enumerate() {
            let hidden = row.iter().filter(|h| **h).count() + m.row_totals[r].hidden() as usize;
            assert_ne!(hidden, 1, "row {r}");
        }
        for c in 0..3 {
            let hidden = rows.iter().filter(|r| r[c]).count() + m.col_totals[c].hidden() as usize;
            assert_ne!(hidden, 1, "column {c}");
        }
    }

    #[test]
    fn totals_decided_elsewhere_keep_their_mark_and_are_never_picked() {
        // The overall line showed both choices (40 and 9) and the total (49): in the breakdown
        // they stay shown, so a lone small cell takes another cell, not a total.
        let t = Table {
            cells: vec![vec![38, 2], vec![5, 4]],
            row_totals: vec![40, 9],
            col_totals: vec![43, 6],
            total: 49,
            columns_add_up: true,
        };
        let m = t.suppress_fixed(5, &[Mark::Shown, Mark::Shown], Mark::Shown);
        assert_eq!(m.row_totals, vec![Mark::Shown, Mark::Shown]);
        assert_eq!(m.total, Mark::Shown);
        assert_eq!(m.cells[0][1], Mark::Primary);
        assert_eq!(m.cells[1][1], Mark::Primary);
        assert_eq!(m.cells[0][0], Mark::Secondary);
        assert_eq!(m.cells[1][0], Mark::Secondary);
    }

    #[test]
    fn columns_that_do_not_add_up_are_not_used_to_spread() {
        // Several choices each: a column's cells do not sum to its total, rows still do.
        let t = Table {
            cells: vec![vec![3, 40], vec![30, 41]],
            row_totals: vec![43, 71],
            col_totals: vec![31, 60],
            total: 91,
            columns_add_up: false,
        };
        let m = t.suppress(5);
        assert_eq!(m.cells[0], vec![Mark::Primary, Mark::Secondary]);
        assert_eq!(m.cells[1], vec![Mark::Shown, Mark::Shown]);
    }

    #[test]
    fn suppression_is_safe_on_many_random_tables() {
        // A small deterministic generator: no dependency for a test's randomness.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..500 {
            let rows = 1 + next(5) as usize;
            let cols = 1 + next(5) as usize;
            let cells: Vec<Vec<i64>> = (0..rows)
                .map(|_| (0..cols).map(|_| next(15) as i64).collect())
                .collect();
            let row_totals: Vec<i64> = cells.iter().map(|r| r.iter().sum()).collect();
            let col_totals: Vec<i64> = (0..cols)
                .map(|c| cells.iter().map(|r| r[c]).sum())
                .collect();
            let t = Table {
                total: row_totals.iter().sum(),
                cells,
                row_totals,
                col_totals,
                columns_add_up: true,
            };
            let m = t.suppress(5);
            for (r, row) in m.cells.iter().enumerate() {
                let hidden =
                    row.iter().filter(|x| x.hidden()).count() + m.row_totals[r].hidden() as usize;
                assert_ne!(hidden, 1, "{t:?}");
                let hidden_sum: i64 = row
                    .iter()
                    .zip(&t.cells[r])
                    .filter(|(m, _)| m.hidden())
                    .map(|(_, n)| n)
                    .sum();
                if !m.row_totals[r].hidden() && row.iter().any(|x| x.hidden()) {
                    assert!(hidden_sum > 0, "hidden zeros given away: {t:?}");
                }
                for (c, mark) in row.iter().enumerate() {
                    if t.cells[r][c] < 5 {
                        assert!(mark.hidden());
                    }
                }
            }
            for c in 0..cols {
                let hidden = m.cells.iter().filter(|r| r[c].hidden()).count()
                    + m.col_totals[c].hidden() as usize;
                assert_ne!(hidden, 1, "{t:?}");
            }
        }
    }
}
