"""Stage 3, views: what readers of the graph see. The networkx projection of facts and entities
(`projection`), lookups of ties, paths and evidence (`lookups`) and name search (`search`).
May import: `graph.store`, `graph.sources`, `graph.config`, `graph.errors`."""
