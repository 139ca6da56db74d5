//! LaTeX output for papers: booktabs tables with uncertainties, a methods
//! paragraph, and a standalone document that compiles with `pdflatex` from
//! Debian's TeX Live (packages `booktabs`, `geometry`, `longtable`, all in
//! texlive-latex-base/-recommended).

use super::methods::Paragraph;
use super::numfmt::round_with_ci;
use super::stats::SeriesStats;
use crate::compare::Comparison;
use crate::report::{Align, Table};

/// Escapes text for LaTeX, mapping the few non-ASCII symbols pqbench
/// prints to their commands and dropping any other non-ASCII character.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            'µ' | 'μ' => out.push_str("$\\mu$"),
            '×' => out.push_str("$\\times$"),
            '–' | '—' => out.push_str("--"),
            '≈' => out.push_str("$\\approx$"),
            '±' => out.push_str("$\\pm$"),
            c if c.is_ascii() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// Any [`Table`] as a booktabs `longtable` (breaks across pages).
pub fn booktabs(t: &Table, caption: &str) -> String {
    let spec: String = (0..t.columns())
        .map(|i| {
            if t.align_of(i) == Align::Right {
                'r'
            } else {
                'l'
            }
        })
        .collect();
    let mut s = format!(
        "\\begin{{longtable}}{{{spec}}}\n\\caption{{{}}}\\\\\n\\toprule\n",
        escape(caption)
    );
    let head = t
        .headers
        .iter()
        .map(|h| escape(h))
        .collect::<Vec<_>>()
        .join(" & ");
    s.push_str(&format!("{head} \\\\\n\\midrule\n\\endhead\n"));
    for r in &t.rows {
        let mut cells: Vec<String> = r.iter().map(|c| escape(c)).collect();
        cells.resize(t.columns(), String::new());
        s.push_str(&cells.join(" & "));
        s.push_str(" \\\\\n");
    }
    s.push_str("\\bottomrule\n\\end{longtable}\n");
    s
}

/// The measurements as a booktabs table: median and its 95 % CI in math
/// mode with the digits the CI supports, unit in its own column.
pub fn results_table(stats: &[Vec<SeriesStats>]) -> String {
    let mut s = String::from(
        "\\begin{longtable}{lllrrl}\n\\caption{Medians with 95\\,\\% bootstrap confidence intervals; digits follow the interval.}\\\\\n\\toprule\nBenchmark & Target & Machine & Median & 95\\,\\% CI & Unit \\\\\n\\midrule\n\\endhead\n",
    );
    for s1 in stats.iter().flatten() {
        let (median, ci, unit) = match s1.median {
            Some(m) => {
                let r = round_with_ci(m, s1.ci.as_ref().ok().copied(), s1.unit);
                let ci = if r.lo.is_empty() {
                    "--".to_string()
                } else {
                    format!("$[{}, {}]$", r.lo, r.hi)
                };
                (format!("${}$", r.value), ci, escape(r.unit))
            }
            None => (escape(&s1.status), String::new(), String::new()),
        };
        s.push_str(&format!(
            "\\texttt{{{}}} & {} & {} & {median} & {ci} & {unit} \\\\\n",
            escape(&s1.id),
            escape(&s1.target),
            escape(&s1.machine),
        ));
    }
    s.push_str("\\bottomrule\n\\end{longtable}\n");
    s
}

/// The comparison as a booktabs table: percent change of the median ratio
/// with its CI, adjusted p-value, verdict.
pub fn comparison_table(c: &Comparison) -> String {
    let t = super::tables::comparison_table(c);
    booktabs(
        &t,
        "Changes new vs base (ratio of medians, 95 % CI), verdicts as pqbench compare",
    )
}

/// The methods as LaTeX paragraphs.
pub fn methods(paragraphs: &[Paragraph]) -> String {
    let mut s = String::new();
    for p in paragraphs {
        s.push_str(&format!("\\paragraph{{{}}}\n", escape(&p.heading)));
        s.push_str(
            &p.lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        s.push_str("\n\n");
    }
    s
}

/// A standalone document: methods, then the given table bodies.
pub fn standalone(title: &str, methods_tex: &str, tables: &[&str]) -> String {
    let mut s = String::from(
        "\\documentclass[10pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage[landscape,margin=1.5cm]{geometry}\n\\usepackage{booktabs}\n\\usepackage{longtable}\n",
    );
    s.push_str(&format!(
        "\\title{{{}}}\n\\date{{}}\n\\begin{{document}}\n\\maketitle\n\\section*{{Methods}}\n",
        escape(title)
    ));
    s.push_str(methods_tex);
    s.push_str("\\section*{Results}\n{\\scriptsize\n");
    for t in tables {
        s.push_str(t);
        s.push('\n');
    }
    s.push_str("}\n\\end{document}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials() {
        assert_eq!(
            escape("a_b & 5% µs ×2"),
            "a\\_b \\& 5\\% $\\mu$s $\\times$2"
        );
        assert_eq!(escape("ü"), "?");
    }
}
