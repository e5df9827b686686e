-- "The fix" in an explanation, for `y` in the float: the code block that follows a line
-- about fixing ("fix", "instead", "corrected", "change it to"); else the first code block
-- that is not the numbered source excerpt; else the "How to fix it" list; else everything.
local M = {}

local FIX_WORDS = { "fix", "instead", "corrected", "change it to", "should be", "replace" }

local function mentions_fix(line)
  local lower = line:lower()
  for _, word in ipairs(FIX_WORDS) do
    if lower:find(word, 1, true) then
      return true
    end
  end
  return false
end

--- Fenced code blocks: { lines = {...}, before = "the last non-empty line before it" }.
function M.blocks(markdown)
  local blocks, current, before = {}, nil, ""
  for line in (markdown .. "\n"):gmatch("(.-)\r?\n") do
    if current then
      if line:match("^%s*```") then
        table.insert(blocks, current)
        current = nil
      else
        table.insert(current.lines, line)
      end
    elseif line:match("^%s*```") then
      current = { lines = {}, before = before }
    elseif line:match("%S") then
      before = line
    end
  end
  return blocks
end

local function is_excerpt(block) -- Dexter's "Where" block: " 3 | code", ">4 | code"
  for _, line in ipairs(block.lines) do
    if line:match("%S") and not line:match("^%s*>?%s*%d+ |") then
      return false
    end
  end
  return #block.lines > 0
end

local function fix_list(markdown)
  local lines, inside = {}, false
  for line in (markdown .. "\n"):gmatch("(.-)\r?\n") do
    if inside then
      if line:match("^%s*[-*] ") then
        table.insert(lines, (line:gsub("^%s*[-*] ", "")))
      elseif #lines > 0 and not line:match("%S") then
        break
      end
    elseif line:lower():match("how to fix") then
      inside = true
    end
  end
  return #lines > 0 and table.concat(lines, "\n") or nil
end

function M.extract(markdown)
  local blocks = M.blocks(markdown)
  for _, block in ipairs(blocks) do
    if not is_excerpt(block) and mentions_fix(block.before) then
      return table.concat(block.lines, "\n")
    end
  end
  for _, block in ipairs(blocks) do
    if not is_excerpt(block) then
      return table.concat(block.lines, "\n")
    end
  end
  return fix_list(markdown) or markdown
end

return M
