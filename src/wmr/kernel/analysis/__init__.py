"""Indicators computed from the tidy tables: what chapters call instead of wrangling data themselves."""
