"""The use cases: one module per command family, each taking an open project and returning a
typed result. :mod:`docflow.api` is their public face; the command line calls that."""
