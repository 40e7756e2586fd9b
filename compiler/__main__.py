"""`python -m compiler` runs the coursec command line."""
from .cli import main

main()
