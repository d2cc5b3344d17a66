"""Renderers: a result object in, text (or a PNG) out. They format; they never compute."""
