"""Factories of the scoring app."""
