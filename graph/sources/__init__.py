"""Stage 1, sources: a source folder read into a `Corpus` (texts, sentences, fact sheets,
entities), strict YAML with file:line errors, figures in text, drafts of new fact sheets and the
agreement between sources. May import: `graph.config`, `graph.errors`."""
