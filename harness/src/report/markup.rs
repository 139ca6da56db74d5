//! The one markup renderer: a [`Markup`] style says how a row and the
//! header divider look; [`Markup::render`] does the rest (padding,
//! alignment) for every style.

use super::{Align, Table};

/// How one markup language draws a table.
pub trait Markup {
    /// Text before a row's first cell.
    fn row_start(&self) -> &'static str;
    /// Text between two cells.
    fn separator(&self) -> &'static str;
    /// Text after a row's last cell.
    fn row_end(&self) -> &'static str;
    /// The line under the header, for columns of `widths` and alignments
    /// `align`; `None` for no line.
    fn divider(&self, widths: &[usize], align: &[Align]) -> Option<String>;
    /// Lines before the table (e.g. AsciiDoc's `|===`).
    fn prologue(&self) -> Option<&'static str> {
        None
    }
    /// Lines after the table.
    fn epilogue(&self) -> Option<&'static str> {
        None
    }
    /// Escapes a cell's text.
    fn escape(&self, cell: &str) -> String {
        cell.to_string()
    }

    /// Renders `table`: header, divider, rows, each cell padded to its
    /// column's width and aligned.
    fn render(&self, table: &Table) -> String {
        let n = table.columns();
        let escaped = |row: &Vec<String>| -> Vec<String> {
            (0..n)
                .map(|i| self.escape(row.get(i).map(String::as_str).unwrap_or("")))
                .collect()
        };
        let header = escaped(&table.headers);
        let rows: Vec<Vec<String>> = table.rows.iter().map(escaped).collect();
        let mut widths = vec![0usize; n];
        for row in std::iter::once(&header).chain(&rows) {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let aligns: Vec<Align> = (0..n).map(|i| table.align_of(i)).collect();
        let line = |row: &[String]| -> String {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = widths[i].saturating_sub(c.chars().count());
                    match aligns[i] {
                        Align::Left => format!("{c}{}", " ".repeat(pad)),
                        Align::Right => format!("{}{c}", " ".repeat(pad)),
                    }
                })
                .collect();
            format!(
                "{}{}{}",
                self.row_start(),
                cells.join(self.separator()),
                self.row_end()
            )
            .trim_end()
            .to_string()
        };
        let mut out = String::new();
        if let Some(p) = self.prologue() {
            out.push_str(p);
            out.push('\n');
        }
        out.push_str(&line(&header));
        out.push('\n');
        if let Some(d) = self.divider(&widths, &aligns) {
            out.push_str(&d);
            out.push('\n');
        }
        for row in &rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        if let Some(e) = self.epilogue() {
            out.push_str(e);
            out.push('\n');
        }
        out
    }
}

/// The markup languages pqbench renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkupStyle {
    /// Aligned columns for a terminal.
    Plain,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// AsciiDoc.
    AsciiDoc,
    /// Emacs Org mode.
    Org,
}

impl MarkupStyle {
    /// Renders `table` in this style.
    pub fn render(self, table: &Table) -> String {
        match self {
            MarkupStyle::Plain => Markup::render(&Plain, table),
            MarkupStyle::Markdown => Markup::render(&Markdown, table),
            MarkupStyle::AsciiDoc => Markup::render(&AsciiDoc, table),
            MarkupStyle::Org => Markup::render(&Org, table),
        }
    }
}

struct Plain;
struct Markdown;
struct AsciiDoc;
struct Org;

impl Markup for Plain {
    fn row_start(&self) -> &'static str {
        ""
    }
    fn separator(&self) -> &'static str {
        "  "
    }
    fn row_end(&self) -> &'static str {
        ""
    }
    fn divider(&self, widths: &[usize], _: &[Align]) -> Option<String> {
        let parts: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        Some(parts.join("  "))
    }
}

impl Markup for Markdown {
    fn row_start(&self) -> &'static str {
        "| "
    }
    fn separator(&self) -> &'static str {
        " | "
    }
    fn row_end(&self) -> &'static str {
        " |"
    }
    fn divider(&self, widths: &[usize], align: &[Align]) -> Option<String> {
        let parts: Vec<String> = widths
            .iter()
            .zip(align)
            .map(|(w, a)| {
                let dashes = "-".repeat((*w).max(3));
                match a {
                    Align::Left => format!("{dashes}-"),
                    Align::Right => format!("{dashes}:"),
                }
            })
            .collect();
        Some(format!("|-{}|", parts.join("|-")))
    }
    fn escape(&self, cell: &str) -> String {
        cell.replace('|', "\\|")
    }
}

impl Markup for AsciiDoc {
    fn row_start(&self) -> &'static str {
        "| "
    }
    fn separator(&self) -> &'static str {
        " | "
    }
    fn row_end(&self) -> &'static str {
        ""
    }
    fn divider(&self, _: &[usize], _: &[Align]) -> Option<String> {
        Some(String::new())
    }
    fn prologue(&self) -> Option<&'static str> {
        Some("[options=\"header\"]\n|===")
    }
    fn epilogue(&self) -> Option<&'static str> {
        Some("|===")
    }
    fn escape(&self, cell: &str) -> String {
        cell.replace('|', "\\|")
    }
}

impl Markup for Org {
    fn row_start(&self) -> &'static str {
        "| "
    }
    fn separator(&self) -> &'static str {
        " | "
    }
    fn row_end(&self) -> &'static str {
        " |"
    }
    fn divider(&self, widths: &[usize], _: &[Align]) -> Option<String> {
        let parts: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
        Some(format!("|{}|", parts.join("+")))
    }
    fn escape(&self, cell: &str) -> String {
        cell.replace('|', "\\vert{}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(["name", "value"]).align([Align::Left, Align::Right]);
        t.push_row(["a|b", "1"]);
        t.push_row(["long name", "12345"]);
        t
    }

    #[test]
    fn markdown() {
        let s = table().render(MarkupStyle::Markdown);
        assert_eq!(
            s,
            "| name      | value |\n\
             |-----------|------:|\n\
             | a\\|b      |     1 |\n\
             | long name | 12345 |\n"
        );
    }

    #[test]
    fn plain_aligns_columns() {
        let s = table().render(MarkupStyle::Plain);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "name       value");
        assert_eq!(lines[1], "---------  -----");
        assert_eq!(lines[3], "long name  12345");
    }

    #[test]
    fn asciidoc_and_org() {
        let a = table().render(MarkupStyle::AsciiDoc);
        assert!(a.starts_with("[options=\"header\"]\n|===\n| name"));
        assert!(a.ends_with("|===\n"));
        let o = table().render(MarkupStyle::Org);
        assert!(o.contains("|-----------+-------|"), "{o}");
    }

    #[test]
    fn short_rows_are_padded() {
        let mut t = Table::new(["a", "b", "c"]);
        t.push_row(["x"]);
        assert_eq!(
            t.render(MarkupStyle::Markdown).lines().nth(2),
            Some("| x |   |   |")
        );
    }
}
