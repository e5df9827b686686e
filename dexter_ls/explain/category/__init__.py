"""Error categories: `classify` decides from per-tool code tables (`tools`, `python`, `js`,
`native`) and then conservative message patterns (`patterns`)."""
