-- :checkhealth dexter
local compat = require("dexter.compat")

local M = {}

function M.check()
  local health = compat.health()
  health.start("dexter")
  if compat.has("0.7") then
    health.ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor))
  else
    health.error("Neovim 0.7 or newer is needed")
  end
  local lsp = require("dexter.lsp")
  local config = lsp.config()
  if not config then
    health.error("require('dexter').setup() has not been called")
    return
  end
  local exe = config.cmd[1]
  if vim.fn.executable(exe) == 1 then
    health.ok(string.format("server: %s (%s)", exe, vim.fn.exepath(exe)))
  else
    health.error(string.format("server %s not found", exe),
      { "pip install dexter-ls, or set cmd = { '/path/to/dexter-ls' } in setup()" })
  end
  local model = config.settings.model
  health.info("settings: model " .. tostring(model or "(none)") .. ", fallback chain "
    .. table.concat(config.settings.fallbackChain or {}, ", "))
  local client = lsp.client(0)
  if not client then
    health.warn("Dexter is not attached to the current buffer")
    return
  end
  health.ok("attached to the current buffer (client " .. client.id .. ")")
  local response = compat.request_sync(client, "workspace/executeCommand",
    { command = "dexter.listModels", arguments = {} }, 5000, 0)
  if not response or response.err or not response.result then
    health.warn("dexter.listModels did not answer: "
      .. tostring(response and response.err and response.err.message or "timeout"))
    return
  end
  for _, model_info in ipairs(response.result.models or {}) do
    local line = require("dexter.commands").model_label(model_info)
    if model_info.status == "available" then
      health.ok(line)
    else
      local detail = model_info.statusDetail
      health.warn(line .. ((detail and detail ~= vim.NIL and detail ~= "") and (": " .. detail) or ""))
    end
  end
  health.info("chain: " .. table.concat(response.result.chain or {}, " → "))
end

return M
