"""Stage 2, store: where the graph is kept and how it is asked. The embedded Oxigraph store
(`embedded`), remote SPARQL stores (`remote*`), the query pool and its worker processes, the SPARQL
guard and the result writers, behind one `backend.Executor`. May import: `graph.config`,
`graph.errors`."""
