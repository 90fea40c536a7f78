from bptutor.cli.app import main

main()
