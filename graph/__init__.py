"""rckg's graph core: seeds → validated RDF → store, and the views built on it."""
