import sys

from storeops.cli import main

sys.exit(main())
