//! k-anonymity for row-level exports: the breakdown cells (version, each breakdown such as age band,
//! care setting or region, and channel) of responses whose combination is shared by fewer than the
//! threshold are blanked, rarest value first, until every combination left is shared by at least
//! the threshold. Nothing but those cells changes.
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use engine::Survey;
use serde::Serialize;

use crate::labels::breakdowns;
use crate::responses::{CHANNEL_COLUMN, VERSION_COLUMN};
use crate::{Cell, ResponseTable};

/// One thing a row says about who answered: the version, a breakdown, or the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// As the method note names it: `version`, `care_setting`, `channel`.
    pub name: String,
    /// Its columns in the table: a multiple-choice breakdown has one per option, and a breakdown
    /// asked by a different question in each version has each question's.
    pub columns: Vec<usize>,
}

/// The attributes of a table with `columns` (each question's, by id): the version, the survey's
/// breakdowns, the channel.
pub fn attributes(survey: &Survey, columns: &BTreeMap<String, Vec<usize>>) -> Vec<Attribute> {
    let of = |question: &str| columns.get(question).cloned().unwrap_or_default();
    let mut out = vec![Attribute {
        name: "version".into(),
        columns: vec![VERSION_COLUMN],
    }];
    for b in breakdowns(survey) {
        out.push(Attribute {
            name: b.name.clone(),
            columns: b.questions.iter().flat_map(|q| of(q)).collect(),
        });
    }
    out.push(Attribute {
        name: "channel".into(),
        columns: vec![CHANNEL_COLUMN],
    });
    out.retain(|a| !a.columns.is_empty());
    out
}

/// What coarsening changed, for the method note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coarsening {
    pub threshold: i64,
    /// The attributes whose combinations were protected.
    pub attributes: Vec<String>,
    /// Rows with at least one cell blanked.
    pub rows_changed: usize,
    /// Cells blanked (a cell that was already empty is not counted).
    pub cells_changed: usize,
    /// Fewer rows than the threshold in all: no combination could be shared by enough, so every
    /// attribute of every row was blanked.
    pub too_few_rows: bool,
}

impl Coarsening {
    /// The method note's sentence.
    pub fn explanation(&self) -> String {
        let names = self.attributes.join(", ");
        let mut s = format!(
            "Rows are row-level data for analysis under the review's data agreement. So that no \
             row stands out, every combination of {names} is shared by at least {t} rows: where \
             fewer shared one, the rarest of those values was blanked, again until none was too \
             rare (a blank counts as a value of its own, so a blank may also mean \"not \
             given\"). {rows} rows were changed, {cells} cells blanked; no other cell was changed.",
            t = self.threshold,
            rows = self.rows_changed,
            cells = self.cells_changed,
        );
        if self.too_few_rows {
            s.push_str(&format!(
                " There are fewer than {} rows in all, so these were blanked in every row.",
                self.threshold
            ));
        }
        s
    }
}

/// Blanks breakdown cells of `table` until every combination of the `attributes`' values is
/// shared by at least `threshold` rows (or, with fewer rows than that in all, every one is
/// blank). Deterministic: the same table gives the same result.
pub fn k_anonymise(
    table: &mut ResponseTable,
    attributes: &[Attribute],
    threshold: i64,
) -> Coarsening {
    let mut counter = Anonymiser::new(attributes.to_vec(), threshold);
    for row in &table.rows {
        counter.count(row);
    }
    let plan = counter.finish();
    for (i, row) in table.rows.iter_mut().enumerate() {
        plan.apply(i, row);
    }
    plan.coarsening
}

/// [`k_anonymise`] for rows that are streamed: each row's attribute values are counted
/// ([`Anonymiser::count`], a few small numbers a row, not the row), the coarsening worked out
/// ([`Anonymiser::finish`]), then each row is coarsened as it is written ([`Plan::apply`]), in the
/// same order.
pub struct Anonymiser {
    attributes: Vec<Attribute>,
    threshold: i64,
    /// Per attribute: its cells' values -> id (from 1; all empty is [`BLANK`]).
    ids: Vec<HashMap<Vec<Cell>, u32>>,
    /// Per attribute: value id -> how many of its cells are not empty.
    filled: Vec<HashMap<u32, usize>>,
    values: Vec<Vec<u32>>,
}

impl Anonymiser {
    pub fn new(attributes: Vec<Attribute>, threshold: i64) -> Anonymiser {
        let n = attributes.len();
        Anonymiser {
            attributes,
            threshold,
            ids: vec![HashMap::new(); n],
            filled: vec![HashMap::new(); n],
            values: Vec::new(),
        }
    }

    /// Counts the next row.
    pub fn count(&mut self, row: &[Cell]) {
        let values = self
            .attributes
            .iter()
            .zip(self.ids.iter_mut().zip(self.filled.iter_mut()))
            .map(|(a, (ids, filled))| {
                let cells: Vec<Cell> = a
                    .columns
                    .iter()
                    .filter_map(|&c| row.get(c))
                    .cloned()
                    .collect();
                let full = cells.iter().filter(|c| **c != Cell::Empty).count();
                if full == 0 {
                    return BLANK;
                }
                let next = ids.len() as u32 + 1;
                let id = *ids.entry(cells).or_insert(next);
                filled.insert(id, full);
                id
            })
            .collect();
        self.values.push(values);
    }

    /// Works out which cells of which rows to blank.
    pub fn finish(self) -> Plan {
        let k = usize::try_from(self.threshold).unwrap_or(0).max(1);
        let mut values = self.values.clone();
        let too_few_rows = coarsen(&mut values, k);
        let (mut rows_changed, mut cells_changed) = (0, 0);
        for (before, after) in self.values.iter().zip(&values) {
            let mut changed = false;
            for (a, (b, v)) in before.iter().zip(after).enumerate() {
                if *b != BLANK && *v == BLANK {
                    cells_changed += self.filled[a].get(b).copied().unwrap_or(0);
                    changed = true;
                }
            }
            rows_changed += changed as usize;
        }
        Plan {
            coarsening: Coarsening {
                threshold: self.threshold,
                attributes: self.attributes.iter().map(|a| a.name.clone()).collect(),
                rows_changed,
                cells_changed,
                too_few_rows: too_few_rows && !values.is_empty(),
            },
            attributes: self.attributes,
            values,
        }
    }
}

/// Which cells of each row k-anonymity blanks, and what that changed in all.
pub struct Plan {
    pub coarsening: Coarsening,
    attributes: Vec<Attribute>,
    values: Vec<Vec<u32>>,
}

impl Plan {
    /// Coarsens `row`, the `index`th counted (from 0).
    pub fn apply(&self, index: usize, row: &mut [Cell]) {
        let Some(values) = self.values.get(index) else {
            return;
        };
        for (a, v) in self.attributes.iter().zip(values) {
            if *v != BLANK {
                continue;
            }
            for &c in &a.columns {
                if let Some(cell) = row.get_mut(c) {
                    *cell = Cell::Empty;
                }
            }
        }
    }
}

/// The value id of an attribute whose cells are all empty.
const BLANK: u32 = 0;

/// How many rows share each combination.
fn group_sizes(values: &[Vec<u32>]) -> HashMap<&[u32], usize> {
    let mut sizes: HashMap<&[u32], usize> = HashMap::new();
    for v in values {
        *sizes.entry(v.as_slice()).or_default() += 1;
    }
    sizes
}

/// Blanks values until every combination is shared by at least `k` rows. Returns true when
/// there are fewer than `k` rows, so that cannot be done and every value is blanked instead.
fn coarsen(values: &mut [Vec<u32>], k: usize) -> bool {
    if values.len() < k {
        for v in values.iter_mut() {
            v.fill(BLANK);
        }
        return true;
    }
    let attrs = values.first().map_or(0, Vec::len);
    // Each round blanks one value in every row whose combination is too rare. Rows in large
    // enough groups never change, so a group that is large enough stays so, and each round
    // takes a value from each rare row: at most one round per attribute.
    loop {
        let sizes = group_sizes(values);
        let rare: Vec<usize> = (0..values.len())
            .filter(|&r| sizes[values[r].as_slice()] < k)
            .collect();
        let mut frequency: Vec<HashMap<u32, usize>> = vec![HashMap::new(); attrs];
        for v in values.iter() {
            for (a, id) in v.iter().enumerate() {
                *frequency[a].entry(*id).or_default() += 1;
            }
        }
        let mut blanked = false;
        for &r in &rare {
            // The rarest value says most about who this is; on a tie the later attribute goes
            // first, so the version (listed first) is kept longest.
            let rarest = (0..attrs)
                .filter(|&a| values[r][a] != BLANK)
                .min_by_key(|&a| (frequency[a][&values[r][a]], Reverse(a)));
            if let Some(a) = rarest {
                values[r][a] = BLANK;
                blanked = true;
            }
        }
        if !blanked {
            break;
        }
    }
    fill_blank_group(values, k);
    false
}

/// After the rounds, only the all-blank combination can be too small. Whole rows are blanked to
/// join it: one at a time from the largest group that can spare one (the last row of it),
/// otherwise a whole group, the smallest, until it is large enough.
fn fill_blank_group(values: &mut [Vec<u32>], k: usize) {
    loop {
        let blank_rows = values
            .iter()
            .filter(|v| v.iter().all(|x| *x == BLANK))
            .count();
        if blank_rows == 0 || blank_rows >= k {
            return;
        }
        // Groups other than the blank one, by their rows in order (deterministic).
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&[u32], usize> = HashMap::new();
        for (r, v) in values.iter().enumerate() {
            if v.iter().all(|x| *x == BLANK) {
                continue;
            }
            let g = *index.entry(v.as_slice()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(r);
        }
        let spare = groups
            .iter()
            .filter(|g| g.len() > k)
            .max_by_key(|g| (g.len(), Reverse(g[0])));
        let take: Vec<usize> = match spare {
            Some(g) => g.last().copied().into_iter().collect(),
            None => match groups.iter().min_by_key(|g| (g.len(), g[0])) {
                Some(g) => g.clone(),
                // Unreachable with at least k rows: the blank group alone would be too small.
                None => return,
            },
        };
        for r in take {
            values[r].fill(BLANK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    /// A table of `response, version, setting, region, channel, better`, the middle four the
    /// attributes.
    fn table(rows: &[[&str; 4]]) -> (ResponseTable, Vec<Attribute>) {
        let headers: Vec<String> = ["response", "version", "setting", "region", "channel"]
            .into_iter()
            .chain(["better"])
            .map(String::from)
            .collect();
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut row = vec![Cell::Number(i as i64 + 1)];
                row.extend(r.iter().map(|s| text(s)));
                row.push(Cell::Text(format!("answer {i}")));
                row
            })
            .collect();
        let attributes = ["version", "setting", "region", "channel"]
            .iter()
            .enumerate()
            .map(|(i, n)| Attribute {
                name: n.to_string(),
                columns: vec![i + 1],
            })
            .collect();
        let table = ResponseTable {
            headers,
            rows,
            columns: BTreeMap::new(),
        };
        (table, attributes)
    }

    fn combination_sizes(t: &ResponseTable, attributes: &[Attribute]) -> Vec<usize> {
        let keys: Vec<Vec<&Cell>> = t
            .rows
            .iter()
            .map(|r| {
                attributes
                    .iter()
                    .flat_map(|a| a.columns.iter().map(|&c| &r[c]))
                    .collect()
            })
            .collect();
        keys.iter()
            .map(|k| keys.iter().filter(|o| *o == k).count())
            .collect()
    }

    fn count_changed(a: &ResponseTable, b: &ResponseTable) -> usize {
        a.rows
            .iter()
            .zip(&b.rows)
            .map(|(x, y)| x.iter().zip(y).filter(|(p, q)| p != q).count())
            .sum()
    }

    #[test]
    fn the_rarest_value_goes_first_and_the_row_joins_a_group() {
        let mut rows = vec![["young", "foster", "north", "web"]; 4];
        rows.extend(vec![["young", "foster", "south", ""]; 3]);
        rows.push(["young", "foster", "south", "paper"]);
        let (mut t, attrs) = table(&rows);
        let before = t.clone();
        let c = k_anonymise(&mut t, &attrs, 3);
        // The paper row is alone; paper (1) is rarer than south (4), foster and young (8).
        // Without it, the row is one of the three "young, foster, south" rows with no channel.
        assert_eq!(t.rows[..7], before.rows[..7]);
        let mut expected = before.rows[7].clone();
        expected[4] = Cell::Empty;
        assert_eq!(t.rows[7], expected);
        assert_eq!((c.rows_changed, c.cells_changed), (1, 1));
        assert!(combination_sizes(&t, &attrs).iter().all(|n| *n >= 3));
        assert_eq!(c.attributes, ["version", "setting", "region", "channel"]);
        assert!(
            c.explanation()
                .contains("1 rows were changed, 1 cells blanked")
        );
    }

    #[test]
    fn a_row_unlike_any_other_ends_blank_with_rows_a_large_group_can_spare() {
        let mut rows = vec![["young", "foster", "north", "web"]; 10];
        rows.push(["adult", "kinship", "south", "paper"]);
        let (mut t, attrs) = table(&rows);
        let before = t.clone();
        let c = k_anonymise(&mut t, &attrs, 5);
        // Every value of the last row is rare, so all go; a blank row alone is still one of
        // one, so the last four of the large group are blanked with it (it keeps six).
        assert_eq!(t.rows[..6], before.rows[..6]);
        for r in &t.rows[6..] {
            assert!(r[1..5].iter().all(|c| *c == Cell::Empty), "{r:?}");
        }
        assert_eq!((c.rows_changed, c.cells_changed), (5, 20));
        assert_eq!(c.cells_changed, count_changed(&before, &t));
        assert!(combination_sizes(&t, &attrs).iter().all(|n| *n >= 5));
    }

    #[test]
    fn fewer_rows_than_the_threshold_blanks_every_attribute() {
        let (mut t, attrs) = table(&[["young", "foster", "north", "web"]; 3]);
        let c = k_anonymise(&mut t, &attrs, 5);
        assert!(c.too_few_rows);
        assert_eq!(c.rows_changed, 3);
        assert_eq!(c.cells_changed, 12);
        for r in &t.rows {
            assert_eq!(
                r[1..5],
                [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]
            );
            assert!(matches!(&r[5], Cell::Text(s) if s.starts_with("answer")));
        }
        assert!(c.explanation().contains("fewer than 5 rows in all"));
    }

    #[test]
    fn a_threshold_of_one_changes_nothing() {
        let (mut t, attrs) = table(&[
            ["young", "foster", "north", "web"],
            ["adult", "kinship", "south", "paper"],
        ]);
        let before = t.clone();
        let c = k_anonymise(&mut t, &attrs, 1);
        assert_eq!(t, before);
        assert_eq!((c.rows_changed, c.cells_changed), (0, 0));
        assert!(
            c.explanation()
                .contains("0 rows were changed, 0 cells blanked")
        );
    }

    #[test]
    fn a_blank_group_too_small_is_joined_by_rows_that_can_be_spared() {
        // Two rows unlike any other, and two groups: one of 4 that can spare a row, one of 3.
        let mut rows = vec![["young", "foster", "north", "web"]; 4];
        rows.extend(vec![["adult", "kinship", "south", "web"]; 3]);
        rows.push(["adult", "residential", "east", "email"]);
        rows.push(["young", "residential", "west", "paper"]);
        let (mut t, attrs) = table(&rows);
        let c = k_anonymise(&mut t, &attrs, 3);
        assert!(
            combination_sizes(&t, &attrs).iter().all(|n| *n >= 3),
            "{t:?}"
        );
        assert_eq!(
            t.rows[4..7],
            table(&rows).0.rows[4..7],
            "the group of 3 is kept"
        );
        assert_eq!(c.rows_changed, 3, "the two rare rows and one spared: {c:?}");
    }

    /// A small deterministic generator: no dependency for a test's randomness.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, m: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % m
        }
    }

    #[test]
    fn no_rare_combination_survives_many_random_tables_and_only_breakdown_cells_change() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let values = [
            &["young", "adult", "parent"][..],
            &["foster", "kinship", "residential", "secure", ""][..],
            &["north", "south", "east", "west", "london", ""][..],
            &["web", "paper", "event", "email"][..],
        ];
        for round in 0..600 {
            let n = rng.below(60) as usize;
            // Skewed: most rows common values, some rare, so every path is taken.
            let rows: Vec<[&str; 4]> = (0..n)
                .map(|_| {
                    std::array::from_fn(|a| {
                        let vs = values[a];
                        let i = if rng.below(3) == 0 {
                            rng.below(vs.len() as u64)
                        } else {
                            0
                        };
                        vs[i as usize]
                    })
                })
                .collect();
            let threshold = 1 + rng.below(8) as i64;
            let (mut t, attrs) = table(&rows);
            let before = t.clone();
            let c = k_anonymise(&mut t, &attrs, threshold);
            let mut again = before.clone();
            assert_eq!(
                k_anonymise(&mut again, &attrs, threshold),
                c,
                "deterministic"
            );
            assert_eq!(again, t, "deterministic");
            let sizes = combination_sizes(&t, &attrs);
            if n as i64 >= threshold {
                assert!(
                    sizes.iter().all(|s| *s as i64 >= threshold),
                    "round {round}, threshold {threshold}: {sizes:?}"
                );
                assert!(!c.too_few_rows);
            } else {
                for r in &t.rows {
                    assert!(r[1..5].iter().all(|c| *c == Cell::Empty));
                }
            }
            let mut rows_changed = 0;
            for (x, y) in before.rows.iter().zip(&t.rows) {
                assert_eq!(x.len(), y.len());
                for (col, (p, q)) in x.iter().zip(y).enumerate() {
                    if p != q {
                        assert!((1..=4).contains(&col), "only breakdown cells change");
                        assert_eq!(*q, Cell::Empty, "changed cells are blanked");
                    }
                }
                rows_changed += (x != y) as usize;
            }
            assert_eq!(c.rows_changed, rows_changed);
            assert_eq!(c.cells_changed, count_changed(&before, &t));
            assert_eq!(t.headers, before.headers);
        }
    }
}
