"""Qt item models for lists and tables that grow (entries, search results, sessions,
check-ins)."""
