-- The headless cases; DEXTER_NVIM_CASE names one, DEXTER_NVIM_CONFIG the JSON pytest wrote
-- ({cmd, env, settings, file, ...}). Each waits on state and fails with the editor's messages.
local E = require("dexter_test.editor")
local H = require("dexter_test.harness")
local float = require("dexter.float")
local lsp = require("dexter.lsp")

local C = {}
local ERROR = vim.diagnostic.severity.ERROR

function C.reference(cfg)
  local buf, client = E.start(cfg)
  E.other_tool(buf)
  E.wait_forwarded(buf, client, "reportUndefinedVariable")
  local text = E.hover(client, buf, 3, 12)
  H.check(text:find("Dexter", 1, true) and text:find("offline reference", 1, true),
    "hover on the forwarded diagnostic shows Dexter's reference, got: " .. text)
  H.out("hover: ok")

  local seen = H.stub_select(function(items, format)
    for _, item in ipairs(items) do
      if tostring(format(item)):find("Dexter: explain", 1, true) then
        return item
      end
    end
  end)
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.lsp.buf.code_action()
  H.wait(10000, function()
    return seen.labels or table.concat(H.notes, "\n"):find("No code actions", 1, true)
  end, "the code-action menu")
  H.check(seen.labels ~= nil, "no code action was offered for the forwarded diagnostic")
  local listed = table.concat(seen.labels, "\n")
  local ours = vim.tbl_filter(function(label)
    return tostring(label):find("Dexter: explain reportUndefinedVariable", 1, true) ~= nil
  end, seen.labels)
  H.check(#ours == 1, "the Dexter action is listed once, got:\n" .. listed)
  H.out("action listed: ok")

  local status, answer = E.wait_answer(15000, "the explanation in the float")
  H.check(status:find("builtin/reference", 1, true), "answered by builtin/reference: " .. status)
  H.check(answer:find("What it means", 1, true) and answer:find("undefined_name", 1, true),
    "the reference's answer is shown: " .. answer)
  H.check(vim.api.nvim_get_current_win() == float.current().win, "the float has the focus")
  H.out("float: ok")

  vim.fn.setreg('"', "")
  E.press("y")
  local yanked = vim.fn.getreg('"')
  H.check(yanked ~= "" and #yanked < #answer, "y yanks the fix, got: " .. yanked)
  E.press("q")
  H.check(float.current() == nil, "q closes the float")
  H.out("keys: ok")
end

function C.stream(cfg)
  local buf, client = E.start(cfg)
  local ids = {} -- the `id` of each chunk, as the server sent it
  local on_chunk = client.handlers["dexter/explanationChunk"]
  client.handlers["dexter/explanationChunk"] = function(err, params, ctx, config)
    table.insert(ids, params.id == nil and "(none)" or params.id)
    return on_chunk(err, params, ctx, config)
  end
  local progress = {} -- "$/progress" messages for the explanation's workDoneToken
  local on_progress = client.handlers["$/progress"]
  client.handlers["$/progress"] = function(err, params, ctx, config)
    if params.token == "dexter-nvim-1" and type(params.value) == "table" then
      table.insert(progress, params.value.kind .. ": " .. tostring(params.value.message))
    end
    return on_progress(err, params, ctx, config)
  end
  E.other_tool(buf)
  E.wait_forwarded(buf, client, "reportUndefinedVariable")
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.cmd("DexterExplain")
  local partial = nil -- the float while the answer streamed in
  H.wait(15000, function()
    local view = float.current()
    if view and not view.finished and view.text ~= "" then
      partial = partial or H.float_text()
    end
    return view and view.finished
  end, "the streamed answer of " .. cfg.model)
  H.check(float.current().status:find(cfg.model, 1, true), "the model answered: "
    .. float.current().status)
  H.check(partial ~= nil, "chunks were shown while the answer streamed")
  local first, last = vim.trim(cfg.first_token), vim.trim(cfg.last_token)
  H.check(partial:find(first, 1, true), "the first chunk is visible: " .. tostring(partial))
  H.check(not partial:find(last, 1, true), "partial text came before the end: " .. partial)
  local text = float.current().text
  H.check(text:find(first, 1, true) and text:find(vim.trim(cfg.second_token), 1, true)
    and text:find(last, 1, true), "the whole answer: " .. text)
  H.out("stream: ok")
  if cfg.check_id then -- the server echoes the id given in the options argument
    local run_id = "nvim-1"
    H.check(#ids > 0 and #vim.tbl_filter(function(id) return id ~= run_id end, ids) == 0,
      "every chunk carries the request's id " .. run_id .. ": " .. table.concat(ids, ", "))
    H.out("chunk ids: ok")
    local reported = table.concat(progress, "\n")
    H.check(reported:find("begin: ", 1, true) and reported:find(cfg.model, 1, true),
      "work-done progress on the request's token names the model asked:\n" .. reported)
    H.out("progress: ok")
  end
end

function C.select(cfg)
  local buf, client = E.start(cfg)
  H.check(lsp.client(buf) == client and require("dexter").statusline() ~= "", "statusline set")
  H.poll(10000, 100, function() -- discovery runs in the background after start-up
    local listed = H.execute(client, "dexter.listModels", {}, buf)
    return vim.tbl_contains(vim.tbl_map(function(m) return m.id end, listed.models), cfg.model)
  end, "the server to discover " .. cfg.model)
  local seen = H.stub_select(function(items, format)
    for _, item in ipairs(items) do
      if tostring(format(item)):find(cfg.model, 1, true) then
        return item
      end
    end
  end)
  vim.cmd("DexterSelectModel")
  H.wait(10000, function() return seen.labels end, "the model menu")
  local listed = table.concat(seen.labels, "\n")
  H.wait(10000, function() return require("dexter").statusline() == "Dexter: " .. cfg.model end,
    "the statusline to show " .. cfg.model .. " after choosing it from:\n" .. listed)
  H.check(listed:find(cfg.model .. "  [available]", 1, true), "models listed with status:\n" .. listed)
  local prefs = H.execute(client, "dexter.getPreferences", { { uri = vim.uri_from_bufnr(buf) } }, buf)
  H.check(prefs.model == cfg.model, "the server uses the choice: " .. vim.inspect(prefs))
  E.other_tool(buf)
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.cmd("DexterExplain")
  local status = E.wait_answer(15000, "the answer of the chosen model")
  H.check(status:find(cfg.model, 1, true), "the chosen model answered: " .. status)
  H.out("select: ok")
end

function C.dead(cfg)
  local buf, client = E.start(cfg)
  local items = {}
  for i, name in ipairs({ "first_missing", "second_missing", "third_missing" }) do
    table.insert(items, { lnum = i - 1, col = 0, end_lnum = i - 1, end_col = 3, severity = ERROR,
      source = "ruff", code = "F821", message = "Undefined name `" .. name .. "`" })
  end
  E.other_tool(buf, items)
  E.wait_forwarded(buf, client, "third_missing")
  for i = 1, 3 do
    vim.api.nvim_set_current_win(vim.fn.win_getid(1))
    vim.api.nvim_win_set_cursor(0, { i, 1 })
    local started = H.ms()
    vim.cmd("DexterExplain")
    local status, text = E.wait_answer(cfg.budget_ms, "explanation " .. i .. " with a dead model")
    local took = H.ms() - started
    H.out(string.format("dead model, explanation %d: %.0f ms (%s)", i, took, status))
    H.check(status:find("builtin/reference", 1, true), "the reference answered: " .. status)
    H.check(text:find(cfg.dead_model, 1, true), "the answer says why the model did not: " .. text)
    float.current():close()
  end
end

--- `q` while the answer streams: the request is cancelled up to the model's connection
--- (pytest writes `cfg.marker` when the fake provider sees its client go).
function C.cancel(cfg)
  local buf, client = E.start(cfg)
  E.other_tool(buf)
  E.wait_forwarded(buf, client, "reportUndefinedVariable")
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.cmd("DexterExplain")
  H.wait(15000, function()
    local view = float.current()
    return view and not view.finished and view.text:find(vim.trim(cfg.first_token), 1, true)
  end, "the first chunk")
  local compat = require("dexter.compat")
  local cancel, cancelled = compat.cancel_request, nil
  compat.cancel_request = function(c, id)
    cancelled = id
    return cancel(c, id)
  end
  local started = H.ms()
  E.press("q")
  H.check(float.current() == nil, "q closes the float")
  H.check(type(cancelled) == "number", "q sends $/cancelRequest for the running explanation")
  H.out("cancel sent: ok")
  H.wait(cfg.budget_ms, function() return require("dexter.compat").uv.fs_stat(cfg.marker) ~= nil end,
    "the model's HTTP connection to close after q (cancellation reaching the model)")
  H.out(string.format("cancel: ok (%.0f ms)", H.ms() - started))
end

--- Wait for a float whose status is `status` and return its text.
local function wait_float(status, what)
  H.wait(15000, function()
    local view = float.current()
    return view and view.finished and view.status == status
  end, what)
  return float.current().text
end

function C.commands(cfg)
  local buf, client = E.start(cfg)
  H.poll(10000, 100, function()
    local listed = H.execute(client, "dexter.listModels", {}, buf)
    return vim.tbl_contains(vim.tbl_map(function(m) return m.id end, listed.models), cfg.models[1])
  end, "the server to discover " .. cfg.models[1])

  vim.cmd("DexterFallbackChain " .. table.concat(cfg.models, " "))
  H.poll(10000, 100, function()
    local prefs = H.execute(client, "dexter.getPreferences", { { uri = vim.uri_from_bufnr(buf) } }, buf)
    return vim.deep_equal(prefs.fallbackChain, cfg.models)
  end, ":DexterFallbackChain to reach the server")
  H.out("fallback chain: ok")

  vim.cmd("DexterModels")
  local text = wait_float("models", "the :DexterModels window")
  H.check(text:find("Chain: " .. table.concat(cfg.models, " → "), 1, true)
    and text:find(cfg.models[1] .. "  [available]", 1, true), ":DexterModels lists them: " .. text)
  float.current():close()
  H.out("models: ok")

  E.other_tool(buf)
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.cmd("DexterCompare " .. cfg.models[1] .. " builtin/reference")
  text = wait_float("comparison", "the :DexterCompare window")
  H.check(text:find("## " .. cfg.models[1], 1, true) and text:find("## builtin/reference", 1, true)
    and text:find("What it means", 1, true), ":DexterCompare shows both answers: " .. text)
  float.current():close()
  H.out("compare: ok")

  vim.cmd("DexterStats 1h")
  text = wait_float("stats", "the :DexterStats window")
  H.check(text:find("| " .. cfg.models[1] .. " | 1 | 1 | 0 |", 1, true),
    ":DexterStats counts the comparison's request: " .. text)
  float.current():close()
  H.out("stats: ok")

  vim.cmd("checkhealth dexter")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  H.check(report:find("dexter-ls running (client", 1, true)
    and report:find(cfg.models[1], 1, true), ":checkhealth dexter reports: " .. report)
  H.out("health: ok")
end

--- A README config pasted as is (the file `cfg.snippet`). kind "lazy": a lazy.nvim spec,
--- loaded as lazy.nvim does (its `dir` on the runtimepath, `require(main).setup(opts)`).
function C.readme(cfg)
  local shown = {} -- what the server said with window/showMessage (shown as usual too)
  local show_message = vim.lsp.handlers["window/showMessage"]
  vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
    table.insert(shown, result and result.message or "")
    return show_message(err, result, ctx, config)
  end
  if cfg.kind == "lazy" then
    local spec = dofile(cfg.snippet)
    vim.opt.runtimepath:append(spec.dir)
    require(spec.main).setup(spec.opts)
  else
    vim.cmd("source " .. vim.fn.fnameescape(cfg.snippet))
  end
  vim.cmd("edit " .. vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  H.wait(30000, function() return lsp.client(buf) ~= nil end, "the README config to attach dexter")
  local client = lsp.client(buf)
  local prefs
  H.poll(15000, 100, function()
    prefs = H.execute(client, "dexter.getPreferences", { { uri = vim.uri_from_bufnr(buf) } }, buf)
    return prefs.model == cfg.expect_model and vim.tbl_contains(prefs.candidates, cfg.expect_fallback)
  end, "the README's settings to reach the server")
  H.out("settings: " .. table.concat(prefs.candidates, " "))
  E.other_tool(buf)
  if cfg.expect == "hover" then -- the config forwards other tools' diagnostics
    H.poll(10000, 100, function()
      return E.hover(client, buf, 3, 12):find("Dexter", 1, true)
    end, "hover on another tool's diagnostic (forwarded by the README's config)")
    H.out("forwarded: ok")
  elseif cfg.expect == "action" then -- Neovim 0.7 sends every namespace's diagnostics
    local seen = H.stub_select(function() return nil end)
    vim.api.nvim_win_set_cursor(0, { 4, 12 })
    vim.lsp.buf.code_action()
    H.wait(10000, function() return seen.labels end, "the code-action menu")
    H.check(table.concat(seen.labels, "\n"):find("Dexter: explain", 1, true),
      "the Dexter action on another tool's diagnostic: " .. table.concat(seen.labels, "\n"))
    H.out("action: ok")
  end
  if cfg.show then
    C.readme_answer_shown(shown)
  end
end

--- Without the package the server shows the answer itself (dexter.explain.show "auto"):
--- a Markdown file beside the code where the client supports window/showDocument (0.8+),
--- else a message pointing to hover (0.7).
function C.readme_answer_shown(shown)
  local seen = H.stub_select(function(items, format)
    for _, item in ipairs(items) do
      if tostring(format(item)):find("Dexter: explain", 1, true) then
        return item
      end
    end
  end)
  local code_win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_cursor(0, { 4, 12 })
  vim.lsp.buf.code_action()
  H.wait(10000, function()
    return seen.labels or table.concat(H.notes, "\n"):find("No code actions", 1, true)
  end, "the code-action menu")
  H.check(seen.labels ~= nil, "the Dexter action is offered for the forwarded diagnostic")
  if vim.fn.has("nvim-0.8") == 1 then
    H.wait(15000, function()
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        local buf = vim.api.nvim_win_get_buf(win)
        if vim.api.nvim_buf_get_name(buf):match("%.md$") then
          local answer = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
          return answer:find("What it means", 1, true)
        end
      end
    end, "a window showing the explanation (window/showDocument)")
    H.check(vim.api.nvim_get_current_win() == code_win, "the code keeps the focus")
  else
    H.wait(15000, function()
      return table.concat(shown, "\n"):find("hover", 1, true)
    end, "window/showMessage with the first paragraph and a pointer to hover")
  end
  H.out("shown: ok")
end

return C
