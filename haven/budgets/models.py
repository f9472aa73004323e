"""Models of this app (issue 4)."""
