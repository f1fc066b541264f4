"""The analyses: one family of functions per module."""
