"""`python -m dexter_ls.cli`: the `dexter` command."""

import sys

from dexter_ls.cli.main import main

sys.exit(main())
