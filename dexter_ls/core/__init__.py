"""The ground layer: value types and contracts several layers share. Imports nothing of ours.

`subject` (the diagnostic to explain and its context), `languages`, `model_info`,
`provider` (chat request, stream chunks, the Provider protocol, the error taxonomy),
`usage_record` (one attempt as telemetry stores it), `tool_families` (which tool reported a
diagnostic; shared by the offline catalog and the category classifier).
"""
