-- The :Dexter* user commands.
local compat = require("dexter.compat")
local float = require("dexter.float")
local forward = require("dexter.forward")
local lsp = require("dexter.lsp")

local M = {}

-- Dexter's client in the current buffer, and the buffer; nil (with a warning) when none.
local function attached()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = lsp.client(bufnr)
  if not client then
    vim.notify("Dexter is not attached to this buffer", vim.log.levels.WARN)
  end
  return client, bufnr
end

--- workspace/executeCommand with a callback on success; errors are shown.
function M.execute(client, bufnr, command, arguments, on_result)
  compat.request(client, "workspace/executeCommand", { command = command, arguments = arguments },
    function(err, result)
      if err then
        vim.notify("Dexter: " .. tostring(err.message or err), vim.log.levels.ERROR)
        return
      end
      on_result(result)
    end, bufnr)
end

local function label(item)
  local where = string.format("%d:%d", item.lnum + 1, item.col + 1)
  local source = item.source and (item.source .. ": ") or ""
  return string.format("%s %s%s", where, source, (item.message:gsub("\n.*", "")))
end

--- The diagnostic under the cursor (any namespace); asks when several or none are there.
function M.pick_diagnostic(bufnr, on_choice)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local lnum, col = cursor[1] - 1, cursor[2]
  local on_line = vim.diagnostic.get(bufnr, { lnum = lnum })
  local under = vim.tbl_filter(function(d)
    local last = (d.end_lnum or d.lnum) > lnum and math.huge or (d.end_col or d.col)
    return d.col <= col and col <= math.max(last, d.col)
  end, on_line)
  local choices = #under > 0 and under or (#on_line > 0 and on_line or vim.diagnostic.get(bufnr))
  if #choices == 0 then
    vim.notify("Dexter: no diagnostic in this buffer", vim.log.levels.INFO)
    return
  end
  if #choices == 1 then
    return on_choice(choices[1])
  end
  vim.ui.select(choices, { prompt = "Explain which diagnostic?", format_item = label },
    function(choice)
      if choice then
        on_choice(choice)
      end
    end)
end

local function target_for(client, bufnr, item)
  return { uri = vim.uri_from_bufnr(bufnr),
           diagnostic = forward.to_lsp(bufnr, item, client.offset_encoding or "utf-16") }
end

function M.explain(model)
  local client, bufnr = attached()
  if not client then
    return
  end
  M.pick_diagnostic(bufnr, function(item)
    local options = (model and model ~= "") and { model = model } or nil
    require("dexter.explain").run(client, bufnr, target_for(client, bufnr, item), options)
  end)
end

local function scope_args(bufnr)
  local scope = lsp.config().scope
  return scope == nil and vim.NIL or scope, { uri = vim.uri_from_bufnr(bufnr) }
end

local function model_label(model)
  local parts = { model.id, "[" .. tostring(model.status) .. "]" }
  if model.family ~= nil and model.family ~= vim.NIL then
    table.insert(parts, model.family)
  end
  if model.parameterSize ~= nil and model.parameterSize ~= vim.NIL then
    table.insert(parts, model.parameterSize)
  end
  return table.concat(parts, "  ")
end
M.model_label = model_label

local CLEAR = { id = vim.NIL, status = "use the settings again", clear = true }

function M.select_model(model)
  local client, bufnr = attached()
  if not client then
    return
  end
  local function choose(id)
    local scope, where = scope_args(bufnr)
    M.execute(client, bufnr, "dexter.selectModel", { id, scope, where }, function(result)
      local chosen = result.model ~= vim.NIL and result.model or "(settings)"
      vim.notify(string.format("Dexter: model %s for the %s", chosen, result.scope))
      require("dexter.statusline").refresh(client, bufnr)
    end)
  end
  if model and model ~= "" then
    return choose(model)
  end
  M.execute(client, bufnr, "dexter.listModels", {}, function(result)
    local items = vim.list_extend({}, result.models or {})
    table.insert(items, CLEAR)
    vim.ui.select(items, {
      prompt = "Dexter model",
      format_item = function(item)
        return item.clear and "(clear the choice: " .. item.status .. ")" or model_label(item)
      end,
    }, function(choice)
      if choice then
        choose(choice.id)
      end
    end)
  end)
end

function M.fallback_chain(ids, clear)
  local client, bufnr = attached()
  if not client then
    return
  end
  local function set(chain)
    local scope, where = scope_args(bufnr)
    M.execute(client, bufnr, "dexter.setFallbackChain", { chain, scope, where }, function(result)
      vim.notify("Dexter: chain " .. table.concat(result.chain or {}, " → "))
      require("dexter.statusline").refresh(client, bufnr)
    end)
  end
  if clear then
    return set(vim.NIL)
  end
  if #ids > 0 then
    return set(ids)
  end
  M.execute(client, bufnr, "dexter.getPreferences", { { uri = vim.uri_from_bufnr(bufnr) } },
    function(prefs)
      vim.ui.input({ prompt = "Fallback chain (model ids, space separated): ",
                     default = table.concat(prefs.fallbackChain or {}, " ") }, function(input)
        if input then
          set(vim.split(vim.trim(input), "%s+", { trimempty = true }))
        end
      end)
    end)
end

local function show(status, lines)
  local view = float.open(lsp.config().float, { status = status, finished = true })
  view:set_text(table.concat(lines, "\n"))
  return view
end

local function text(value)
  return (value == nil or value == vim.NIL) and "–" or tostring(value)
end

function M.models()
  local client, bufnr = attached()
  if not client then
    return
  end
  M.execute(client, bufnr, "dexter.listModels", {}, function(result)
    local lines = { "Chain: " .. table.concat(result.chain or {}, " → "), "" }
    for _, model in ipairs(result.models or {}) do
      local detail = text(model.statusDetail) ~= "" and (" — " .. text(model.statusDetail)) or ""
      table.insert(lines, "- " .. model_label(model) .. detail)
    end
    show("models", lines)
  end)
end

function M.compare(models)
  local client, bufnr = attached()
  if not client then
    return
  end
  M.pick_diagnostic(bufnr, function(item)
    local target = target_for(client, bufnr, item)
    local function run(ids)
      local view = float.open(lsp.config().float,
        { status = "comparing " .. table.concat(ids, ", ") .. " …" })
      M.execute(client, bufnr, "dexter.compareModels", { target, ids }, function(result)
        local lines = {}
        for _, entry in ipairs(result.results or {}) do
          table.insert(lines, string.format("## %s · %s ms", entry.model, text(entry.latencyMs)))
          table.insert(lines, "")
          table.insert(lines, entry.error ~= vim.NIL and entry.error ~= nil
            and ("**failed:** " .. tostring(entry.error)) or tostring(entry.markdown))
          table.insert(lines, "")
        end
        view.finished = true
        view:set_status("comparison")
        view:set_text(table.concat(lines, "\n"))
      end)
    end
    if #models > 0 then
      return run(models)
    end
    M.execute(client, bufnr, "dexter.getPreferences", { { uri = target.uri } }, function(prefs)
      run(prefs.candidates or {})
    end)
  end)
end

function M.stats(window)
  local client, bufnr = attached()
  if not client then
    return
  end
  local args = (window and window ~= "") and { { window = window } } or {}
  M.execute(client, bufnr, "dexter.modelStats", args, function(result)
    local lines = { string.format("%d explanations in the last %s", result.requests or 0,
                                  text(result.window)), "",
                    "| model | requests | ok | failed | p50 ms | p95 ms | tokens in/out | cost $ |",
                    "|---|---|---|---|---|---|---|---|" }
    for _, m in ipairs(result.models or {}) do
      table.insert(lines, string.format("| %s | %d | %d | %d | %s | %s | %s/%s | %s |", m.model,
        m.requests, m.successes, m.failures, text(m.latencyMs.p50), text(m.latencyMs.p95),
        text(m.tokens.input), text(m.tokens.output), text(m.costUsd)))
    end
    show("stats", lines)
  end)
end

local function model_ids(arg_lead)
  local client = lsp.client(0)
  if not client then
    return {}
  end
  local response = compat.request_sync(client, "workspace/executeCommand",
    { command = "dexter.listModels", arguments = {} }, 1000, 0)
  local ids = {}
  for _, model in ipairs(response and response.result and response.result.models or {}) do
    if vim.startswith(model.id, arg_lead) then
      table.insert(ids, model.id)
    end
  end
  return ids
end

function M.setup()
  local function create(name, fn, opts)
    vim.api.nvim_create_user_command(name, fn, opts)
  end
  create("DexterExplain", function(args) M.explain(args.args) end,
    { nargs = "?", complete = model_ids, desc = "Explain the diagnostic under the cursor" })
  create("DexterSelectModel", function(args) M.select_model(args.args) end,
    { nargs = "?", complete = model_ids, desc = "Choose the model Dexter asks first" })
  create("DexterFallbackChain", function(args) M.fallback_chain(args.fargs, args.bang) end,
    { nargs = "*", bang = true, complete = model_ids,
      desc = "Set the models tried next (! clears the choice)" })
  create("DexterModels", function() M.models() end, { desc = "List Dexter's models" })
  create("DexterCompare", function(args) M.compare(args.fargs) end,
    { nargs = "*", complete = model_ids, desc = "Compare models on the diagnostic under the cursor" })
  create("DexterStats", function(args) M.stats(args.args) end,
    { nargs = "?", complete = function() return { "1h", "24h", "7d", "all" } end,
      desc = "Per-model requests, latency, tokens, cost" })
end

return M
