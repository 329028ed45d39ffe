"""Template tags of the therapist workspace."""
