"""Template tags of the journal app."""
