"""Factories of the campaigns app."""
