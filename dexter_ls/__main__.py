from dexter_ls.cli.serve import serve_main

serve_main()
