-- Starting dexter-ls and attaching it to buffers: vim.lsp.start on 0.8+, start_client +
-- buf_attach_client (settings pushed from on_init) on 0.7.
local compat = require("dexter.compat")

local M = {}
M.name = "dexter"

local state = { config = nil, by_root = {} } -- by_root: 0.7 only, root dir -> client id

local function exists(path)
  return compat.uv.fs_stat(path) ~= nil
end

--- The nearest folder above `path` holding one of `markers`; else the file's folder.
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local start = dir
  while true do
    for _, marker in ipairs(markers) do
      if exists(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local function wanted(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return false
  end
  if vim.api.nvim_buf_get_name(bufnr) == "" or vim.bo[bufnr].filetype == "" then
    return false
  end
  local filetypes = state.config.filetypes
  return filetypes == nil or vim.tbl_contains(filetypes, vim.bo[bufnr].filetype)
end

function M.capabilities()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.experimental = capabilities.experimental or {}
  -- Dexter renders explanations itself (the float): the server shows nothing extra.
  capabilities.experimental.dexterExplanationView = true
  return capabilities
end

local function client_config(root)
  local config = state.config
  local explain = require("dexter.explain")
  return {
    name = M.name,
    cmd = config.cmd,
    cmd_env = config.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
    init_options = config.settings,
    settings = { dexter = config.settings },
    capabilities = M.capabilities(),
    handlers = explain.handlers(),
    -- Neovim runs client-side command handlers instead of sending workspace/executeCommand:
    -- this one opens the float, then sends the request itself.
    commands = { ["dexter.explain"] = explain.command_handler },
    on_init = function(client)
      if not compat.has("0.8") then -- 0.7 neither pulls nor pushes settings
        compat.notify(client, "workspace/didChangeConfiguration", { settings = { dexter = config.settings } })
      end
    end,
    on_attach = function(client, bufnr)
      require("dexter.forward").attached(client, bufnr)
      require("dexter.statusline").refresh(client, bufnr)
      if config.on_attach then
        config.on_attach(client, bufnr)
      end
    end,
  }
end

--- Start (or reuse) the server for this buffer's project and attach it. Returns the client id.
function M.attach(bufnr)
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not wanted(bufnr) then
    return nil
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), state.config.root_markers)
  if compat.has("0.8") then
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = state.by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or compat.is_stopped(client) then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      return nil
    end
    state.by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

function M.setup(config)
  state.config = config
  local group = vim.api.nvim_create_augroup("dexter_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do -- buffers opened before setup()
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach(bufnr)
    end
  end
end

function M.config()
  return state.config
end

--- The Dexter client attached to `bufnr` (the current buffer when nil), or nil.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return compat.clients(bufnr, M.name)[1]
end

return M
