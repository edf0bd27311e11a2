"""Exports of the graph: one module per format family (RDF dumps here; Gephi formats later)."""
