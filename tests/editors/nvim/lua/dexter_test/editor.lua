-- Editor steps the cases share: start the package, add another tool's diagnostic, hover,
-- wait for the float, press keys.
local H = require("dexter_test.harness")
local float = require("dexter.float")
local forward = require("dexter.forward")
local lsp = require("dexter.lsp")
local statusline = require("dexter.statusline")

local E = {}
local ERROR = vim.diagnostic.severity.ERROR
E.ERROR = ERROR

--- setup() with the test's server, open the Python file, wait until the server answers.
function E.start(cfg, extra)
  require("dexter").setup(vim.tbl_extend("force", {
    cmd = cfg.cmd, cmd_env = cfg.env, settings = cfg.settings, forward = { debounce_ms = 50 },
  }, extra or {}))
  vim.cmd("edit " .. vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  H.wait(30000, function()
    local client = lsp.client(buf)
    return client and statusline.model(client.id) ~= nil
  end, "dexter-ls to attach and answer dexter.getPreferences")
  return buf, lsp.client(buf)
end

--- A diagnostic from another tool: a namespace of our own, not an LSP client's.
function E.other_tool(buf, items)
  local ns = vim.api.nvim_create_namespace("made_up_linter")
  vim.diagnostic.set(ns, buf, items or { {
    lnum = 3, col = 10, end_lnum = 3, end_col = 24, severity = ERROR, source = "Pylance",
    message = '"undefined_name" is not defined', code = "reportUndefinedVariable",
  } })
  return ns
end

function E.wait_forwarded(buf, client, needle)
  H.wait(5000, function()
    local sent = forward.sent(buf, client.id)
    return sent and sent:find(needle, 1, true)
  end, "dexter/didChangeDiagnostics with " .. needle)
end

function E.hover(client, buf, line, character)
  local result = H.request(client, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character },
  }, buf)
  return type(result) == "table" and result.contents and (result.contents.value or "") or ""
end

--- Wait for the float to show a finished answer; returns its status line and text.
function E.wait_answer(timeout_ms, what)
  H.wait(timeout_ms, function()
    local view = float.current()
    return view and view.finished
  end, what)
  local view = float.current()
  return view.status, view.text
end

function E.press(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "mx", false)
end

return E
