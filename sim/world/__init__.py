"""The world: the province graph, staging areas and generated maps."""
