"""Management commands of the core app: makemessages and compilemessages for the catalogue."""
