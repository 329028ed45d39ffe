"""Management commands of the vault."""
