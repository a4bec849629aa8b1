"""Change control: what effective change requests do to the contract's requirements and figures."""
