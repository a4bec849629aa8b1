"""The running project: its workspace on disk, the open session (store row, workflow spec and
project data), the plan of next steps with their blockers, and the state machine."""
