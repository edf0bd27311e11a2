"""rckg's graph core, in stages along the data's way: sources → builder → store → views → export.

- `sources`: reading a source folder (texts, fact sheets, entities), strict YAML, sentences,
  numbers, drafting new fact sheets and agreement between sources. Imports nothing of rckg but
  `config` and `errors`.
- `store`: where the graph lives and how it is asked: the embedded Oxigraph store, remote SPARQL
  stores, the query pool and its workers, the SPARQL guard and result writers.
- `builder`: sources → checked, SHACL-validated RDF in the store (ontology, entailments, checks,
  the build cache). Imports `sources`, `store` and `views` (it saves the projection it builds).
- `views`: what the API and exports read: the networkx projection, lookups and search.
- `export`: one module per file format, written from the views.

`config` (settings from the environment), `errors` and `vocabulary` (namespaces and terms)
sit beside the stages and import nothing of rckg.
A stage imports only stages below it; the contracts in pyproject.toml (`lint-imports`) hold the
code to this, and nothing in `graph` imports `api` or the command line.
"""
