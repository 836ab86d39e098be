"""The Python side's unit tests. A run that has not ended after four minutes prints every
thread's stack and exits, so that a stuck test (ctest gives the suite five) says where it is."""

import faulthandler

faulthandler.dump_traceback_later(240, exit=True)
