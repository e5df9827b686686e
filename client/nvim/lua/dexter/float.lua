-- The explanation window: a floating Markdown buffer that fills in as text arrives.
-- Line 1 is a status line ("**Dexter** · explaining …"); the answer follows.
-- `q` closes it (cancelling a running request), `y` yanks the fix.
local M = {}

local View = {}
View.__index = View

local current = nil -- one explanation window at a time

local function split(text)
  return vim.split(text, "\n", { plain = true })
end

local function size(lines, options)
  local width = 20
  for _, line in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(line))
  end
  width = math.min(width + 1, options.max_width, vim.o.columns - 4)
  local height = 0
  for _, line in ipairs(lines) do
    height = height + math.max(1, math.ceil(vim.fn.strdisplaywidth(line) / width))
  end
  height = math.max(1, math.min(height, options.max_height, vim.o.lines - 4))
  return width, height
end

--- Open a window; `opts.on_close` runs once when it closes (by `q` or any other way).
function M.open(options, opts)
  if current then
    current:close()
  end
  local self = setmetatable({ options = options, status = opts.status or "", text = "",
                              on_close = opts.on_close, closed = false,
                              finished = opts.finished or false }, View)
  self.buf = vim.api.nvim_create_buf(false, true)
  vim.bo[self.buf].bufhidden = "wipe"
  vim.bo[self.buf].filetype = "markdown"
  local lines = self:lines()
  local width, height = size(lines, options)
  self.win = vim.api.nvim_open_win(self.buf, options.focus, {
    relative = "cursor", row = 1, col = 0, width = width, height = height,
    style = "minimal", border = options.border,
  })
  vim.wo[self.win].wrap = true
  vim.wo[self.win].linebreak = true
  vim.wo[self.win].conceallevel = 2
  self:render()
  local function map(lhs, fn, desc)
    vim.keymap.set("n", lhs, fn, { buffer = self.buf, nowait = true, silent = true, desc = desc })
  end
  map("q", function() self:close() end, "Close the Dexter explanation")
  map("y", function() self:yank() end, "Yank the fix from the Dexter explanation")
  vim.api.nvim_create_autocmd("WinClosed", {
    pattern = tostring(self.win),
    once = true,
    callback = function() self:closed_by_editor() end,
  })
  current = self
  return self
end

function View:lines()
  local lines = { "**Dexter** · " .. self.status, "" }
  vim.list_extend(lines, split(self.text))
  return lines
end

function View:valid()
  return not self.closed and vim.api.nvim_win_is_valid(self.win)
end

function View:render()
  if not self:valid() then
    return
  end
  local lines = self:lines()
  vim.bo[self.buf].modifiable = true
  vim.api.nvim_buf_set_lines(self.buf, 0, -1, false, lines)
  vim.bo[self.buf].modifiable = false
  local width, height = size(lines, self.options)
  vim.api.nvim_win_set_config(self.win, { width = width, height = height })
end

function View:set_status(status)
  self.status = status
  self:render()
end

--- Append a delta of the answer as it streams.
function View:append(text)
  self.text = self.text .. text
  self:render()
end

function View:set_text(text)
  self.text = text
  self:render()
end

function View:yank()
  local fix = require("dexter.fix").extract(self.text)
  vim.fn.setreg(self.options.yank_register, fix)
  vim.notify("Dexter: yanked the fix (" .. #split(fix) .. " lines)", vim.log.levels.INFO)
end

function View:closed_by_editor()
  if self.closed then
    return
  end
  self.closed = true
  if current == self then
    current = nil
  end
  if self.on_close then
    self.on_close()
  end
end

function View:close()
  local win = self.win
  self:closed_by_editor()
  if vim.api.nvim_win_is_valid(win) then
    vim.api.nvim_win_close(win, true)
  end
end

--- The open explanation window, if any (tests and the commands use it).
function M.current()
  return current
end

return M
