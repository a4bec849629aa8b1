"""Records kept along the way, beside the phase documents: meetings and their minutes, action
items, objections and deemed confirmation (视为确认), progress reports and the client
satisfaction survey.

Every record lives in the project's hash-chained event log, written by the command that made
it (``meeting.recorded``, ``document.objected``, ``report.issued``...): each is an immutable
fact, later facts supersede earlier ones (a revised meeting, a new report version), and
``docflow verify`` covers them with the rest of the chain. :mod:`docflow.records.journal`
reads them back; the documents issued about them (minutes, reports, the survey) are ordinary
documents, numbered, signed and re-rendered like any other.
"""
