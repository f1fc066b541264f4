"""``python -m negotiate`` runs the command line."""

import sys

from negotiate.cli import main

sys.exit(main())
