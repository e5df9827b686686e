-- A statusline component: the model Dexter asks first for the current buffer.
-- `require("dexter").statusline()` returns "" when Dexter is not attached.
local compat = require("dexter.compat")

local M = {}

local models = {} -- client id -> model id shown (from dexter.getPreferences)

--- Ask the server again (after attaching, selecting a model, changing the chain).
function M.refresh(client, bufnr)
  compat.request(client, "workspace/executeCommand", {
    command = "dexter.getPreferences",
    arguments = { { uri = vim.uri_from_bufnr(bufnr) } },
  }, function(err, prefs)
    if err or type(prefs) ~= "table" then
      return
    end
    local model = prefs.model
    if model == nil or model == vim.NIL then
      model = (prefs.candidates or {})[1] or "builtin/reference"
    end
    models[client.id] = model
    pcall(vim.cmd, "redrawstatus")
  end, bufnr)
end

function M.model(client_id)
  return models[client_id]
end

function M.component()
  local client = require("dexter.lsp").client(0)
  if not client then
    return ""
  end
  local prefix = require("dexter.lsp").config().statusline.prefix
  return prefix .. (models[client.id] or "…")
end

return M
