"""Issuing documents: identities and numbers, render jobs and snapshots, recording rendered
versions in the store, and the files written into the workspace after a commit."""
