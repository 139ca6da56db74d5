//! The self-contained HTML page: inline CSS and SVG, no script, no external
//! URL, readable from `file://`.

use super::methods::Paragraph;
use crate::report::{Align, Table};
use std::fmt::Write as _;

/// A figure: its file stem (`figures/<stem>.svg`), kind, caption and SVG.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Unique file stem.
    pub stem: String,
    /// `percentile`, `ecdf`, `forest` or `hardware`.
    pub kind: &'static str,
    /// Caption text.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

/// The SVG namespace declaration: standalone files need it, inline SVG in
/// HTML does not, and without it the page holds no URL at all.
const SVG_NS: &str = " xmlns=\"http://www.w3.org/2000/svg\"";

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}\
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;font-family:monospace}\
table{border-collapse:collapse;font-size:.82em;margin:.8em 0;display:block;overflow-x:auto}\
th,td{padding:.25em .6em;border-bottom:1px solid #e4e4e4;white-space:nowrap}th{border-bottom:2px solid #888;text-align:left}\
td.r{text-align:right;font-variant-numeric:tabular-nums}tr.published td{color:#555;font-style:italic}\
figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.85em;color:#444}\
.pair{display:flex;flex-wrap:wrap;gap:.5em}.pair figure{flex:1 1 480px}\
.improved{color:#008c46}.regressed{color:#c81e1e}.unchanged{color:#6e6e6e}.inconclusive{color:#b07800}\
nav ul{columns:2;font-size:.9em}.note{font-size:.9em;color:#555}";

/// A table as HTML; rows whose `source_col` starts with `published` get
/// the `published` class, cells of `verdict_col` their verdict's class.
pub fn table(t: &Table, source_col: Option<usize>, verdict_col: Option<usize>) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for h in &t.headers {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        let published = source_col
            .and_then(|c| r.get(c))
            .is_some_and(|v| v.starts_with("published"));
        s.push_str(if published {
            "<tr class=\"published\">"
        } else {
            "<tr>"
        });
        for (i, c) in r.iter().enumerate() {
            let mut class = Vec::new();
            if t.align_of(i) == Align::Right {
                class.push("r".to_string());
            }
            if verdict_col == Some(i) {
                class.push(c.clone());
            }
            if class.is_empty() {
                let _ = write!(s, "<td>{}</td>", esc(c));
            } else {
                let _ = write!(s, "<td class=\"{}\">{}</td>", esc(&class.join(" ")), esc(c));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A figure inline, with a link to its standalone SVG.
pub fn figure(f: &Figure) -> String {
    format!(
        "<figure class=\"pq-figure\" id=\"fig-{stem}\" data-kind=\"{kind}\" data-file=\"figures/{stem}.svg\">\n{svg}\n<figcaption>{cap} (<a href=\"figures/{stem}.svg\">SVG</a>)</figcaption>\n</figure>\n",
        stem = esc(&f.stem),
        kind = f.kind,
        svg = f.svg.trim().replacen(SVG_NS, "", 1),
        cap = esc(&f.caption),
    )
}

/// Methods paragraphs as HTML.
pub fn methods(paragraphs: &[Paragraph]) -> String {
    let mut s = String::new();
    for p in paragraphs {
        let _ = writeln!(s, "<h3>{}</h3>\n<ul>", esc(&p.heading));
        for l in &p.lines {
            let _ = writeln!(s, "<li>{}</li>", esc(l));
        }
        s.push_str("</ul>\n");
    }
    s
}

/// A section of the page: anchor id, heading and body HTML.
pub struct Section {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Body.
    pub body: String,
}

/// The whole page.
pub fn page(title: &str, intro: &str, sections: &[Section]) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"note\">{intro}</p>\n<nav><ul>\n",
        t = esc(title),
        intro = esc(intro),
    );
    for sec in sections {
        let _ = writeln!(
            s,
            "<li><a href=\"#{}\">{}</a></li>",
            esc(&sec.id),
            esc(&sec.title)
        );
    }
    s.push_str("</ul></nav>\n");
    for sec in sections {
        let _ = write!(
            s,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            esc(&sec.id),
            esc(&sec.title),
            sec.body
        );
    }
    s.push_str("</body>\n</html>\n");
    s
}
