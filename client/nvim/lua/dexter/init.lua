-- Dexter LS for Neovim: require("dexter").setup({ ... }). Nothing runs at require time.
local M = {}

--- Start dexter-ls for matching buffers, forward diagnostics, create the commands.
--- `opts` are merged over require("dexter.config").defaults (lists replace).
function M.setup(opts)
  local config = require("dexter.config").resolve(opts)
  M.config = config
  if config.forward.enabled then -- before attaching: on_attach forwards what buffers hold
    require("dexter.forward").setup(config)
  end
  require("dexter.lsp").setup(config)
  if config.commands then
    require("dexter.commands").setup()
  end
  return M
end

--- Statusline component: "Dexter: <model>" where Dexter is attached, else "".
function M.statusline()
  return require("dexter.statusline").component()
end

--- Explain the diagnostic under the cursor (as :DexterExplain [model]).
function M.explain(model)
  require("dexter.commands").explain(model)
end

return M
