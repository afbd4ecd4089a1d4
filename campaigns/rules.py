"""Permissions for plans (filled in below)."""
