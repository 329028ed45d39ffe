"""Management commands of the therapist workspace."""
