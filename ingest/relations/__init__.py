"""Learned relation extraction: candidate (head, tail) actor pairs per sentence, their features, and the
linear models, trained on the dev gold, that decide which pairs are allegations or government actions.

The rule extractors (`ingest/allegations.py`, `ingest/actions.py`) propose; their proposals are one
feature among many, so the models can both confirm and overrule them and find pairs they miss.
"""
