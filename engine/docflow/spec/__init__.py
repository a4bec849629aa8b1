"""What a workflow or a project is: frozen pydantic models, their loader and their checks."""
