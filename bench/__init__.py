"""docflow's benchmark suite: ``python -m bench`` (``--quick`` for CI).

Each section measures one promise of the product against a floor or a competitor on this
machine, in the same run, and reports the ratio against its target:

- ``floor``: the requirement memo rendered by a bare script on the raw libraries vs docflow;
- ``startup``: ``status``, ``log`` and ``--help`` as whole processes vs ``import click``;
- ``advance``: ``docflow advance`` emitting the requirement memo, whole process;
- ``batch``: ``render --all`` with one and with several workers, vs LibreOffice;
- ``scale``: ``status`` and ``projects`` on a store of 5,000 projects vs a store of one.
"""
