"""`python -m kim_desk` and the frozen app's entry point."""

import sys

from kim_desk.commands import main

if __name__ == "__main__":
    sys.exit(main())
