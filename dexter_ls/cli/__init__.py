"""The `dexter` command (`main`) and `dexter-ls` (`serve`): one module per subcommand."""
