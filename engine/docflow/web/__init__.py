"""The signing portal and the PM dashboard: a Starlette application over ``docflow.api``.

Nothing here imports at ``docflow`` start-up: ``docflow serve`` loads Starlette, uvicorn and
the portal's routes when it runs. See :mod:`docflow.web.app`.
"""
