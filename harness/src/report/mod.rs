//! Rendering results: one table model, one markup renderer, exporters.
//!
//! Modelled on hyperfine's `src/export/`:
//! * [`Table`] is headers + rows + per-column [`Align`]ment; anyone who wants
//!   a table (show, export, compare, suite reports) builds one;
//! * [`Markup`] is the one renderer, with a style per markup language
//!   ([`MarkupStyle::Plain`] for terminals, Markdown, AsciiDoc, Org);
//! * [`Exporter`] turns a whole results file into bytes: JSON and CSV rows
//!   ([`ResultRow`]) and every markup style ([`ExportFormat`]).
//!
//! ```
//! use pqbench::report::{Align, MarkupStyle, Table};
//! let mut t = Table::new(["benchmark", "p50"]).align([Align::Left, Align::Right]);
//! t.push_row(["hash/sha256.digest/rustcrypto/1KiB", "2.91 µs"]);
//! assert!(t.render(MarkupStyle::Markdown).contains("|---"));
//! ```

#[cfg(feature = "full")]
pub mod anchors;
#[cfg(feature = "full")]
mod bmf;
#[cfg(feature = "full")]
mod ci_common;
#[cfg(feature = "full")]
mod export;
mod format;
#[cfg(feature = "full")]
mod gab;
#[cfg(feature = "full")]
mod gbench;
mod markup;
#[cfg(feature = "full")]
pub mod pqm4;
#[cfg(feature = "full")]
pub mod pqm4_memory;
#[cfg(feature = "full")]
pub mod publish;
mod rows;
mod runtimes;
#[cfg(feature = "full")]
pub mod suite;
mod table;

#[cfg(feature = "full")]
pub use export::{ExportFormat, Exporter};
pub use format::{format_rate, format_value};
pub use markup::{Markup, MarkupStyle};
pub use rows::{ResultRow, environment_lines, results_table};
pub use runtimes::runtime_lines;
pub use table::{Align, Table};
