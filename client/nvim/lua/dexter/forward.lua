-- Forwards other tools' diagnostics (every vim.diagnostic namespace except Dexter's own)
-- with the notification dexter/didChangeDiagnostics, debounced, for changed buffers only.
local compat = require("dexter.compat")

local M = {}
M.method = "dexter/didChangeDiagnostics"

local state = { config = nil, dirty = {}, sent = {}, timer = nil, group = nil }

--- A vim.diagnostic item as an LSP Diagnostic, columns in the client's `encoding`.
function M.to_lsp(bufnr, item, encoding)
  local original = item.user_data and item.user_data.lsp
  if type(original) == "table" and type(original.range) == "table" then
    return vim.deepcopy(original) -- another language server's own diagnostic
  end
  local function position(lnum, col)
    local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ""
    return { line = lnum, character = compat.column(line, col or 0, encoding) }
  end
  local diagnostic = {
    range = {
      start = position(item.lnum, item.col),
      ["end"] = position(item.end_lnum or item.lnum, item.end_col or item.col),
    },
    severity = item.severity,
    message = item.message,
    source = item.source,
    code = item.code,
  }
  return diagnostic
end

local function own_namespaces(bufnr)
  local skip = {}
  for _, client in ipairs(compat.clients(nil, "dexter")) do
    for namespace in pairs(compat.client_namespaces(client.id)) do
      skip[namespace] = true
    end
  end
  return skip, compat.clients(bufnr, "dexter")
end

--- What the clients attached to `bufnr` should know about it now.
function M.collect(bufnr, encoding)
  local skip = own_namespaces(bufnr)
  local out = {}
  for _, item in ipairs(vim.diagnostic.get(bufnr)) do
    if not skip[item.namespace] then
      table.insert(out, M.to_lsp(bufnr, item, encoding))
    end
  end
  return out
end

--- Send `bufnr`'s diagnostics to each attached Dexter client whose last copy differs.
function M.flush(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) then
    state.sent[bufnr] = nil
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  for _, client in ipairs(compat.clients(bufnr, "dexter")) do
    local diagnostics = M.collect(bufnr, client.offset_encoding or "utf-16")
    local encoded = vim.json.encode(diagnostics)
    state.sent[bufnr] = state.sent[bufnr] or {}
    if state.sent[bufnr][client.id] ~= encoded then
      state.sent[bufnr][client.id] = encoded
      compat.notify(client, M.method, {
        uri = uri,
        diagnostics = diagnostics, -- an empty Lua table is sent as [] (clears the set)
      })
    end
  end
end

local function flush_dirty()
  local dirty = state.dirty
  state.dirty = {}
  for bufnr in pairs(dirty) do
    M.flush(bufnr)
  end
end

local function schedule()
  if not state.timer then
    state.timer = compat.uv.new_timer()
  end
  state.timer:stop()
  state.timer:start(state.config.forward.debounce_ms, 0, vim.schedule_wrap(flush_dirty))
end

function M.setup(config)
  state.config = config
  state.group = vim.api.nvim_create_augroup("dexter_forward", { clear = true })
  vim.api.nvim_create_autocmd("DiagnosticChanged", {
    group = state.group,
    callback = function(args)
      state.dirty[args.buf] = true
      schedule()
    end,
  })
  vim.api.nvim_create_autocmd({ "BufWipeout" }, {
    group = state.group,
    callback = function(args)
      state.sent[args.buf] = nil
      state.dirty[args.buf] = nil
    end,
  })
end

--- The JSON last sent for `bufnr` to `client_id` (nil before the first send).
function M.sent(bufnr, client_id)
  return state.sent[bufnr] and state.sent[bufnr][client_id]
end

--- A newly attached buffer: forward what it already has.
function M.attached(client, bufnr)
  if not state.config or not state.config.forward.enabled then
    return
  end
  if state.sent[bufnr] then
    state.sent[bufnr][client.id] = nil
  end
  state.dirty[bufnr] = true
  schedule()
end

return M
