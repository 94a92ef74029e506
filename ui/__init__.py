"""The desktop app. The only package that imports Qt; it calls the core and never writes SQL."""
