//! The table model shared by every report.

use super::MarkupStyle;

/// Horizontal alignment of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Align {
    /// Text: left-aligned (the default).
    #[default]
    Left,
    /// Numbers: right-aligned.
    Right,
}

/// A table: headers, rows of cells (strings, already formatted) and the
/// alignment of each column. Rows shorter than the header are padded with
/// empty cells when rendered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Alignment per column (missing entries: [`Align::Left`]).
    pub align: Vec<Align>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers, all columns left-aligned, no rows.
    pub fn new<I, S>(headers: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            align: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Sets the alignment of the columns, in order.
    pub fn align(mut self, align: impl IntoIterator<Item = Align>) -> Table {
        self.align = align.into_iter().collect();
        self
    }

    /// Appends a row.
    pub fn push_row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Number of columns (the longest of header and rows).
    pub fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.headers.len()))
            .max()
            .unwrap_or(0)
    }

    /// Alignment of column `i`.
    pub fn align_of(&self, i: usize) -> Align {
        self.align.get(i).copied().unwrap_or_default()
    }

    /// Display width of each column (characters, not bytes).
    pub fn widths(&self) -> Vec<usize> {
        let mut w = vec![0; self.columns()];
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, c) in row.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        w
    }

    /// Renders the table in a markup style.
    pub fn render(&self, style: MarkupStyle) -> String {
        style.render(self)
    }
}
