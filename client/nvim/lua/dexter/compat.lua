-- What differs between Neovim 0.7.2 and 0.12: one place, so the other modules stay plain.
local M = {}

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end
M.has = has

M.uv = vim.uv or vim.loop

--- Lists are replaced, not merged, when options are merged over the defaults.
function M.islist(value)
  if type(value) ~= "table" then
    return false
  end
  if vim.islist then
    return vim.islist(value)
  end
  return vim.tbl_islist(value)
end

-- From 0.11 on, client methods are called with `:` (the `.` form is deprecated).
function M.request(client, method, params, handler, bufnr)
  if has("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

function M.request_sync(client, method, params, timeout_ms, bufnr)
  if has("0.11") then
    return client:request_sync(method, params, timeout_ms, bufnr)
  end
  return client.request_sync(method, params, timeout_ms, bufnr)
end

function M.notify(client, method, params)
  if has("0.11") then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

function M.cancel_request(client, request_id)
  if has("0.11") then
    return client:cancel_request(request_id)
  end
  return client.cancel_request(request_id)
end

function M.is_stopped(client)
  if has("0.11") then
    return client:is_stopped()
  end
  return client.is_stopped()
end

--- The Dexter clients attached to `bufnr` (every buffer when nil).
function M.clients(bufnr, name)
  local found = {}
  if vim.lsp.get_clients then
    found = vim.lsp.get_clients({ bufnr = bufnr, name = name })
  elseif bufnr ~= nil then
    for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if client.name == name then
        table.insert(found, client)
      end
    end
  else
    for _, client in pairs(vim.lsp.get_active_clients()) do
      if client.name == name then
        table.insert(found, client)
      end
    end
  end
  return found
end

--- The namespaces a client's own diagnostics live in (push and, from 0.10, pull).
function M.client_namespaces(client_id)
  local namespaces = {}
  if has("0.10") then
    namespaces[vim.lsp.diagnostic.get_namespace(client_id, false)] = true
    namespaces[vim.lsp.diagnostic.get_namespace(client_id, true)] = true
  else
    namespaces[vim.lsp.diagnostic.get_namespace(client_id)] = true
  end
  return namespaces
end

--- A byte column of `line` as a column in `encoding` ("utf-8", "utf-16" or "utf-32").
function M.column(line, byte_col, encoding)
  byte_col = math.max(0, math.min(byte_col, #line))
  if encoding == "utf-8" then
    return byte_col
  end
  local ok, result = pcall(function()
    if has("0.11") then
      return vim.str_utfindex(line, encoding == "utf-32" and "utf-32" or "utf-16", byte_col, false)
    end
    local utf32, utf16 = vim.str_utfindex(line, byte_col)
    return encoding == "utf-32" and utf32 or utf16
  end)
  return ok and result or byte_col
end

--- Everything Neovim printed (:messages), for error reports.
function M.messages()
  if vim.api.nvim_exec2 then
    return vim.api.nvim_exec2("messages", { output = true }).output
  end
  return vim.api.nvim_exec("messages", true)
end

function M.health()
  local health = vim.health or require("health")
  return {
    start = health.start or health.report_start,
    ok = health.ok or health.report_ok,
    warn = health.warn or health.report_warn,
    error = health.error or health.report_error,
    info = health.info or health.report_info,
  }
end

return M
