import sys

from drift_checks.cli import main

sys.exit(main())
