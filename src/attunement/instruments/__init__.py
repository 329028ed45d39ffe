"""Instruments as data: the model, the loader, the shipped library and scoring."""
