-- Running dexter.explain: the client-side command handler Neovim calls for the code action,
-- the request, and the notifications that fill the float (chunks, progress).
local compat = require("dexter.compat")
local float = require("dexter.float")

local M = {}
M.chunk_method = "dexter/explanationChunk"

local runs = {} -- id -> run; a run is one explanation request and its window
local counter = 0

local function same_range(a, b)
  return type(a) == "table" and type(b) == "table"
    and vim.deep_equal(a.start, b.start) and vim.deep_equal(a["end"], b["end"])
end

--- The run a chunk belongs to: by the `id` the server echoes, else by uri and range.
local function run_for(params, client_id)
  if params.id ~= nil and runs[params.id] then
    return runs[params.id]
  end
  for _, run in pairs(runs) do
    if not run.done and run.client_id == client_id and run.uri == params.uri
        and same_range(run.range, params.range) then
      return run
    end
  end
  return nil
end

local function describe(result)
  local parts = { "`" .. tostring(result.model) .. "`" }
  if result.cached then
    table.insert(parts, "cached")
  elseif type(result.latencyMs) == "number" then
    table.insert(parts, string.format("%.0f ms", result.latencyMs))
  end
  if result.incomplete then
    table.insert(parts, "incomplete")
  end
  if result.requestedModel and result.requestedModel ~= result.model then
    table.insert(parts, "fallback from `" .. tostring(result.requestedModel) .. "`")
  end
  return table.concat(parts, " · ")
end

local function finish(run, err, result)
  run.done = true
  run.view.finished = true -- the answer (or the error) is final
  runs[run.id] = nil
  if err then
    run.view:set_status("failed")
    run.view:set_text("Dexter could not explain this: " .. tostring(err.message or err))
    return
  end
  if type(result) ~= "table" then
    run.view:set_status("no answer")
    run.view:set_text("The server sent no explanation.")
    return
  end
  run.result = result
  run.view:set_status(describe(result))
  run.view:set_text(result.markdown or "")
end

--- Explain `target` ({uri, diagnostic}) with `client`; options: {model?}. Returns the run.
function M.run(client, bufnr, target, options)
  counter = counter + 1
  local id = "nvim-" .. counter
  local run = { id = id, client_id = client.id, uri = target.uri,
                range = target.diagnostic and target.diagnostic.range, done = false }
  local config = require("dexter.lsp").config()
  run.view = float.open(config.float, {
    status = "explaining …",
    on_close = function()
      if not run.done and run.request_id then -- closing the window cancels the request
        run.done = true
        runs[id] = nil
        compat.cancel_request(client, run.request_id)
      end
    end,
  })
  runs[id] = run
  local opts = vim.tbl_extend("force", options or {}, { id = id })
  local params = { command = "dexter.explain", arguments = { target, opts },
                   workDoneToken = "dexter-" .. id }
  local ok, request_id = compat.request(client, "workspace/executeCommand", params,
    function(err, result)
      if runs[id] == run then
        finish(run, err, result)
      end
    end, bufnr)
  if not ok then
    finish(run, { message = "the server is not running" })
  end
  run.request_id = request_id
  return run
end

--- Neovim calls this for the code action's command instead of sending it to the server.
function M.command_handler(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local target = command.arguments and command.arguments[1]
  if not client or type(target) ~= "table" then
    vim.notify("Dexter: nothing to explain", vim.log.levels.WARN)
    return
  end
  M.run(client, ctx.bufnr, target, command.arguments[2])
end

local function on_chunk(_, params, ctx)
  if type(params) ~= "table" or type(params.text) ~= "string" then
    return
  end
  local run = run_for(params, ctx.client_id)
  if not run or not run.view:valid() then
    return
  end
  if run.model ~= params.model then -- a fallback starts its answer afresh
    run.model = params.model
    run.view:set_text("")
  end
  run.view.status = "streaming from `" .. tostring(params.model) .. "` …"
  run.view:append(params.text)
end

local function on_progress(err, params, ctx, config)
  local token = type(params) == "table" and params.token
  local id = type(token) == "string" and token:match("^dexter%-(.+)$")
  local run = id and runs[id]
  if run and run.view:valid() and type(params.value) == "table" then
    local value = params.value
    local message = value.message or value.title
    if message and value.kind ~= "end" then
      run.view:set_status(message)
    end
  end
  local default = vim.lsp.handlers["$/progress"]
  if default then
    return default(err, params, ctx, config)
  end
end

--- The handlers given to the client (its config.handlers).
function M.handlers()
  return { [M.chunk_method] = on_chunk, ["$/progress"] = on_progress }
end

function M.pending()
  return runs
end

return M
