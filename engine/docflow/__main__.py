"""``python -m docflow`` runs the command line as the program."""

from docflow.cli import run

if __name__ == "__main__":
    run()
