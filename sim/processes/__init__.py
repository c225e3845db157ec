"""The model's processes, one ODD sub-model per module, as functions over arrays."""
