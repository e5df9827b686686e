-- Cases for the package's own logic in a real editor: option merging, finding the fix,
-- converting columns, and what the forwarder sends (debounced, changed buffers only,
-- never Dexter's own namespace).
local E = require("dexter_test.editor")
local H = require("dexter_test.harness")
local compat = require("dexter.compat")
local forward = require("dexter.forward")

local U = {}

local function eq(actual, expected, what)
  H.check(vim.deep_equal(actual, expected),
    what .. ": expected " .. vim.inspect(expected) .. ", got " .. vim.inspect(actual))
end

function U.units()
  local config = require("dexter.config")
  local merged = config.resolve({ cmd = { "/opt/dexter-ls" }, float = { focus = false },
                                  settings = { model = "ollama/qwen2.5-coder:7b" } })
  eq(merged.cmd, { "/opt/dexter-ls" }, "a list option replaces the default")
  eq({ merged.float.focus, merged.float.border }, { false, "rounded" }, "tables merge key by key")
  eq(merged.settings, { model = "ollama/qwen2.5-coder:7b" }, "settings are taken as given")
  eq(merged.forward.debounce_ms, 300, "untouched defaults stay")
  H.check(not pcall(config.resolve, { scope = "forever" }), "a bad scope is refused")
  H.check(not pcall(config.resolve, { cmd = "dexter-ls" }), "cmd must be a list")

  local fix = require("dexter.fix")
  eq(fix.extract("Why.\n\n**Fix**\n```python\nprint(name)\n```\n"), "print(name)",
    "the block after a line about the fix")
  eq(fix.extract("**Where**\n```python\n 3 | x = 1\n>4 | print(y)\n```\nTry:\n```python\ny = 2\n```"),
    "y = 2", "the source excerpt is not the fix")
  eq(fix.extract("**How to fix it**\n- Add the import.\n- Fix the spelling.\n\nMore."),
    "Add the import.\nFix the spelling.", "the list under 'How to fix it'")
  eq(fix.extract("Just words."), "Just words.", "else the whole answer")

  local buf = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "naïve = 😀 + x" })
  local item = { lnum = 0, col = 14, end_lnum = 0, end_col = 17, severity = 1, message = "m",
                 source = "s", code = "E1" } -- "+ x": bytes 14-17 (ï is 2 bytes, 😀 is 4)
  local utf16 = forward.to_lsp(buf, item, "utf-16")
  eq(utf16.range, { start = { line = 0, character = 11 }, ["end"] = { line = 0, character = 14 } },
    "byte columns become UTF-16 columns")
  eq(forward.to_lsp(buf, item, "utf-8").range.start.character, 14, "utf-8 keeps bytes")
  eq(forward.to_lsp(buf, item, "utf-32").range.start.character, 10, "utf-32 counts characters")
  eq({ utf16.severity, utf16.source, utf16.code, utf16.message }, { 1, "s", "E1", "m" }, "fields")
  local lsp_item = { lnum = 0, col = 0, message = "x", user_data = { lsp = {
    range = { start = { line = 0, character = 1 }, ["end"] = { line = 0, character = 2 } },
    message = "from a server", data = { fixable = true } } } }
  eq(forward.to_lsp(buf, lsp_item, "utf-16").data, { fixable = true },
    "another server's diagnostic is forwarded as that server sent it")
  -- :DexterExplain's choice: the diagnostic under the cursor, else ask
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "abcdefghij", "", "xyz" })
  local ns = vim.api.nvim_create_namespace("made_up_linter")
  vim.diagnostic.set(ns, buf, {
    { lnum = 0, col = 0, end_col = 3, message = "first", severity = 1 },
    { lnum = 0, col = 2, end_col = 8, message = "second", severity = 2 },
    { lnum = 2, col = 0, end_col = 3, message = "third", severity = 1 },
  })
  local commands = require("dexter.commands")
  local function choice_at(row, col)
    local asked, chosen = nil, nil
    local seen = H.stub_select(function(items)
      asked = vim.tbl_map(function(d) return d.message end, items)
      return items[#items]
    end)
    vim.api.nvim_win_set_cursor(0, { row, col })
    commands.pick_diagnostic(buf, function(d) chosen = d.message end)
    return chosen, asked, seen
  end
  local chosen, asked = choice_at(1, 0)
  eq({ chosen, asked }, { "first" }, "the one diagnostic under the cursor, without asking")
  chosen, asked = choice_at(1, 2)
  eq({ chosen, asked }, { "second", { "first", "second" } }, "two under the cursor: ask")
  chosen, asked = choice_at(2, 0)
  eq({ chosen, asked }, { "third", { "first", "second", "third" } }, "none on the line: ask")
  H.out("units: ok")
end

--- What the forwarder sends, counted by wrapping its notify.
function U.forward(cfg)
  local sends = {}
  local notify = compat.notify
  compat.notify = function(client, method, params)
    if method == forward.method then
      table.insert(sends, { uri = params.uri, count = #params.diagnostics,
                            text = vim.json.encode(params.diagnostics) })
    end
    return notify(client, method, params)
  end
  local buf, client = E.start(cfg)
  local other = vim.fn.fnamemodify(cfg.file, ":h") .. "/other.py"
  vim.fn.writefile({ "x = 1" }, other)
  vim.cmd("split " .. vim.fn.fnameescape(other))
  local other_buf = vim.api.nvim_get_current_buf()
  H.wait(10000, function() return require("dexter.lsp").client(other_buf) end, "a second buffer")
  H.wait(5000, function() return forward.sent(other_buf, client.id) end, "the first (empty) send")
  local before = #sends

  local own = next(compat.client_namespaces(client.id))
  vim.diagnostic.set(own, buf, { { lnum = 0, col = 0, message = "dexter-own", severity = 1 } })
  for i = 1, 5 do -- a linter re-publishing quickly: one send after the debounce
    E.other_tool(buf, { { lnum = 3, col = 10, end_col = 24, severity = 1, source = "lint",
                          message = "burst " .. i } })
  end
  E.wait_forwarded(buf, client, "burst 5")
  local after_burst = vim.list_slice(sends, before + 1)
  eq(#after_burst, 1, "five quick changes are sent once")
  H.check(after_burst[1].uri == vim.uri_from_bufnr(buf), "only the changed buffer is sent")
  H.check(not after_burst[1].text:find("dexter-own", 1, true), "Dexter's own namespace is not sent")

  -- The same set again on this buffer and a new one on the other, in one debounce window:
  -- the flush that sends the other buffer's would have sent this one's too.
  E.other_tool(buf, { { lnum = 3, col = 10, end_col = 24, severity = 1, source = "lint",
                        message = "burst 5" } })
  E.other_tool(other_buf, { { lnum = 0, col = 0, end_col = 1, severity = 2, source = "lint",
                              message = "in the other file" } })
  E.wait_forwarded(other_buf, client, "in the other file")
  eq(#sends, before + 2, "an unchanged set is not sent again")
  H.check(sends[#sends].uri == vim.uri_from_bufnr(other_buf), "the other buffer's change is sent")

  vim.diagnostic.reset(vim.api.nvim_create_namespace("made_up_linter"), buf)
  H.wait(5000, function() return #sends == before + 3 end, "the cleared set")
  eq(sends[#sends].count, 0, "clearing sends an empty list")
  H.out("forward: ok")
end

return U
