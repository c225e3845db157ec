"""The model core: the Mesa model, its agents, streams and run record."""
