import PolytokenCLI

Polytoken.main()
