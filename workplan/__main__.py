from workplan.cli.main import main

main()
