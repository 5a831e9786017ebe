"""The six panels, one per module."""
