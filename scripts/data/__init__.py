"""The data: reading the public datasets, building splits, labelling batches, agreement."""
