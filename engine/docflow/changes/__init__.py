"""Change control: requirement-set rules, the change ledger of a project, filing and deciding
change requests, the change annex, the hook that makes a change effective when its annex is
fully signed, the write-back into project.yaml, and what effective changes do to the
contract's figures."""
