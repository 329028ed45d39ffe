"""Practices: guided exercises, coached messages to a partner, replies and a practice log."""
