import SurveyCLI

IngestCommand.main()
