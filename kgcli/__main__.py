import sys

from kgcli.main import main

sys.exit(main())
