"""`python -m sessionnotes`: the same as the `sessionnotes` command."""

import sys

from .cli import main

sys.exit(main())
