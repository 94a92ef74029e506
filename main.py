"""Start the desktop app: ``python main.py [PROJECT.db] [--open ID ...] [--reviewer NAME]``."""

import sys

if __name__ == "__main__":
    from ui.app import main

    sys.exit(main(sys.argv[1:]))
