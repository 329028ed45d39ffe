"""The vault: encryption keys, sealed records and key rotation."""
