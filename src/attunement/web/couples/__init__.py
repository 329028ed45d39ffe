"""Couples: pairing by invitation, what each partner shares, and unpairing."""
