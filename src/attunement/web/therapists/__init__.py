"""The therapist workspace: cases, clients' consent, what therapists may read, and its audit."""
