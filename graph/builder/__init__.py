"""Stage 4, builder: a corpus turned into checked RDF in the store. Ontology and vocabulary terms,
corpus checks, RDF writing, SHACL validation, the per-source build cache and the build pipeline
(`pipeline.build`). May import: `graph.views`, `graph.store`, `graph.sources`, `graph.config`,
`graph.errors`."""
