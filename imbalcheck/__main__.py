"""``python -m imbalcheck`` runs the command line."""

from .cli import main

main()
