"""Read models: what status, documents and diagrams show of a project, as typed views whose
``to_dict()`` is the JSON the command line prints."""
