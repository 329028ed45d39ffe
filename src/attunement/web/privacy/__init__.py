"""Privacy: what a person shares with whom, their data to take away, sessions, and leaving."""
