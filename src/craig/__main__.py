import sys

from craig.cli import main

sys.exit(main())
