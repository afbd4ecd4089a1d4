"""Factories of the registrations app."""
