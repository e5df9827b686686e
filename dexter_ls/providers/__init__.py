"""Provider adapters behind `core.provider.Provider`: ollama, openai, anthropic, builtin.

Registering them from settings happens in `dexter_ls.assemble`.
"""
