import sys

from kupon_desktop.cli import main

sys.exit(main())
