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
  local chain = config.settings.fallbackChain or {}
  health.info(string.format("settings: model %s, fallback chain %s",
    tostring(config.settings.model or "(none)"), #chain > 0 and table.concat(chain, ", ") or "(none)"))
  -- :checkhealth runs in a buffer of its own: report every running Dexter client.
  local clients = compat.clients(nil, lsp.name)
  if #clients == 0 then
    health.warn("dexter-ls is not running: open a file (setup() attaches to file buffers)")
    return
  end
  for _, running in ipairs(clients) do
    local buffers = vim.tbl_count(running.attached_buffers or {})
    health.ok(string.format("dexter-ls running (client %d, root %s, %d buffer(s) attached)",
      running.id, tostring(running.config.root_dir), buffers))
  end
  local client = clients[1]
  local response = compat.request_sync(client, "workspace/executeCommand",
    { command = "dexter.listModels", arguments = {} }, 5000)
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
