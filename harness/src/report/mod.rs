//! Rendering results as tables (terminal, Markdown, CSV, JSON).
