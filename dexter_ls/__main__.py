from dexter_ls.cli import serve_main

serve_main()
