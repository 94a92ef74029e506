"""Start the desktop app: ``python main.py [PROJECT.db] [--open ID ...] [--reviewer NAME]``."""

import gc
import sys

if __name__ == "__main__":
    # No garbage collection while starting: what the start makes lives as long as the app, and the
    # collector passed ~70 times over it before the first frame. ui.app.main turns it on (frozen)
    # after the first frame.
    gc.disable()
    # What every start compiles the same way (PySide6's embedded support modules, the regexes) comes
    # from the last start's cache (startcache.py); what this start adds is kept once the window is built.
    import startcache

    cache = startcache.install()
    # The core first, before PySide6: once PySide6 is imported it reads the source of every module
    # imported after it (shibokensupport's __feature__ check), which costs ~0.1 s for the core alone.
    import annotator.project  # noqa: F401
    from ui.app import main

    sys.exit(main(sys.argv[1:], built=cache.close))
