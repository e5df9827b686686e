-- The documented defaults and the merge of the user's options over them.
local compat = require("dexter.compat")

local M = {}

M.defaults = {
  -- How to start the server (stdio). `cmd_env` adds environment variables.
  cmd = { "dexter-ls" },
  cmd_env = nil,
  -- Filetypes to attach to; nil attaches to every buffer that holds a file and has a filetype.
  filetypes = nil,
  -- Files or folders marking a project root (searched upwards); else the file's folder.
  root_markers = { ".git", "pyproject.toml", "setup.py", "package.json", "Cargo.toml", "go.mod" },
  -- The `dexter` settings section, camelCase as in the README's settings table, e.g.
  -- { model = "ollama/qwen2.5-coder:7b", fallbackChain = { "openai/gpt-4o-mini" } }.
  settings = {},
  -- Forward other tools' diagnostics (every vim.diagnostic namespace but Dexter's own).
  forward = { enabled = true, debounce_ms = 300 },
  -- The explanation window: `q` closes it, `y` yanks the fix into `yank_register`.
  float = { border = "rounded", max_width = 90, max_height = 30, focus = true, yank_register = '"' },
  -- Scope given to :DexterSelectModel / :DexterFallbackChain: nil lets the server choose
  -- ("workspace" when a folder is open), or "session" / "workspace".
  scope = nil,
  statusline = { prefix = "Dexter: " },
  -- Create the :Dexter* commands.
  commands = true,
  -- Called as on_attach(client, bufnr) after Dexter attaches to a buffer.
  on_attach = nil,
}

--- `override` over `base`, key by key; lists and scalars replace.
local function merge(base, override)
  if override == nil then
    return vim.deepcopy(base)
  end
  local base_is_map = type(base) == "table" and next(base) ~= nil and not compat.islist(base)
  if not base_is_map or type(override) ~= "table" then
    return vim.deepcopy(override)
  end
  local out = vim.deepcopy(base)
  for key, value in pairs(override) do
    out[key] = merge(base[key], value)
  end
  return out
end
M.merge = merge

local function expect(name, value, kind, optional)
  if (value == nil and optional) or type(value) == kind then
    return
  end
  error(string.format("dexter: option %s must be a %s, got %s", name, kind, type(value)), 3)
end

function M.resolve(opts)
  expect("opts", opts, "table", true)
  local config = merge(M.defaults, opts or {})
  expect("cmd", config.cmd, "table")
  expect("settings", config.settings, "table")
  expect("filetypes", config.filetypes, "table", true)
  expect("root_markers", config.root_markers, "table")
  expect("on_attach", config.on_attach, "function", true)
  expect("forward.debounce_ms", config.forward.debounce_ms, "number")
  if config.scope ~= nil and config.scope ~= "session" and config.scope ~= "workspace" then
    error("dexter: option scope must be nil, 'session' or 'workspace'", 2)
  end
  return config
end

return M
