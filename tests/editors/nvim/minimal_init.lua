-- A clean Neovim for the headless tests: only the Dexter package from this repository.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*)/")
local repo = vim.fn.fnamemodify(here, ":p:h:h:h:h")
vim.opt.runtimepath:prepend(repo .. "/client/nvim")
vim.opt.runtimepath:prepend(here)
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.opt.more = false
vim.cmd("filetype on")
