"""``python -m docflow`` runs the command line."""

from docflow.cli import main

if __name__ == "__main__":
    main()
