"""Models of this app (issue 5)."""
