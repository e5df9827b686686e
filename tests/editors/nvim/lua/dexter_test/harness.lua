-- Helpers for the headless cases: wait on state, report, fail with the editor's messages.
local compat = require("dexter.compat")

local H = { notes = {}, started = require("dexter.compat").uv.hrtime() }

function H.out(text)
  io.stdout:write(text .. "\n")
end

--- Record what the package tells the user (checked by the cases, printed on failure).
vim.notify = function(message, level)
  table.insert(H.notes, string.format("[%s] %s", tostring(level), tostring(message)))
end

local function float_text()
  local view = require("dexter.float").current()
  if not view or not vim.api.nvim_buf_is_valid(view.buf) then
    return "(no float)"
  end
  return table.concat(vim.api.nvim_buf_get_lines(view.buf, 0, -1, false), "\n")
end
H.float_text = float_text

function H.fail(message)
  H.out("FAIL: " .. message)
  H.out("--- notifications:\n" .. table.concat(H.notes, "\n"))
  H.out("--- float:\n" .. float_text())
  local ok, messages = pcall(compat.messages)
  H.out("--- messages:\n" .. (ok and messages or "?"))
  io.stdout:flush()
  vim.cmd("cquit 1")
end

function H.check(condition, message)
  if not condition then
    H.fail(message)
  end
end

--- Wait until `condition()` is true; fail naming `what` after `timeout_ms`.
function H.wait(timeout_ms, condition, what)
  local ok = vim.wait(timeout_ms, function()
    local good, result = pcall(condition)
    return good and result
  end, 10)
  if not ok then
    H.fail("timed out after " .. timeout_ms .. " ms waiting for " .. what)
  end
end

function H.config()
  local path = assert(os.getenv("DEXTER_NVIM_CONFIG"), "DEXTER_NVIM_CONFIG is not set")
  return vim.json.decode(table.concat(vim.fn.readfile(path), "\n"))
end

function H.ms()
  return (require("dexter.compat").uv.hrtime() - H.started) / 1e6
end

--- Send a request to the Dexter client and wait for its answer.
function H.request(client, method, params, bufnr, timeout_ms)
  local done, answer, error = false, nil, nil
  compat.request(client, method, params, function(err, result)
    done, answer, error = true, result, err
  end, bufnr)
  H.wait(timeout_ms or 10000, function() return done end, method)
  return answer, error
end

function H.execute(client, command, arguments, bufnr)
  local result, err = H.request(client, "workspace/executeCommand",
    { command = command, arguments = arguments }, bufnr)
  H.check(err == nil, command .. " failed: " .. vim.inspect(err))
  return result
end

--- Stub vim.ui.select: `pick(items, format)` returns the item to choose; records the labels.
function H.stub_select(pick)
  local seen = { labels = nil }
  vim.ui.select = function(items, opts, on_choice)
    local format = opts.format_item or tostring
    seen.labels = vim.tbl_map(function(item) return format(item) end, items)
    seen.items = items
    on_choice(pick(items, format))
  end
  return seen
end

--- Call `fn` until it returns true (it may send requests); fail naming `what` after
--- `timeout_ms`. Between calls the editor runs its event loop for `every_ms`.
function H.poll(timeout_ms, every_ms, fn, what)
  local deadline = H.ms() + timeout_ms
  while not fn() do
    if H.ms() > deadline then
      H.fail("timed out after " .. timeout_ms .. " ms waiting for " .. what)
    end
    vim.wait(every_ms)
  end
end

--- Run `fn` and exit 0, or report the error with the editor's messages and exit 1.
function H.run(fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    H.fail("error: " .. tostring(err))
  end
  if compat.has("0.11") then -- the package calls nothing deprecated
    vim.cmd("checkhealth vim.deprecated")
    local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    H.check(not report:find("client/nvim/lua/dexter/", 1, true),
      "the package uses deprecated Neovim API:\n" .. report)
  end
  H.out("PASS")
  io.stdout:flush()
  vim.cmd("qall!")
end

--- The entry point: run the case named by DEXTER_NVIM_CASE.
function H.main()
  local name = os.getenv("DEXTER_NVIM_CASE")
  local loaded, cases = pcall(function()
    return vim.tbl_extend("error", require("dexter_test.cases"), require("dexter_test.units"))
  end)
  if not loaded then
    H.fail("the cases did not load: " .. tostring(cases))
  end
  local case = cases[name]
  if not case then
    H.fail("no case named " .. tostring(name))
  end
  H.run(function() case(H.config()) end)
end

return H
