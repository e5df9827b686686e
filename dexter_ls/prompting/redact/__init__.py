"""Secret redaction before a remote call: `engine` applies the `rules` that find secrets and
the `names` that mark a value as one."""
