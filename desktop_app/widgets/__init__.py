"""Widgets shared by the panels: the pixel grid, the drawing canvas, concept boxes."""
