"""A running project: sessions, plans, steps, documents, signatures, changes, integrity."""
