from bptutor.cli import main

main()
