import sys

from wfs_reports.cli import main

sys.exit(main())
