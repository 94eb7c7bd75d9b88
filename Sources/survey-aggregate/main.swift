// Stage executable: see SurveyCLI.
import SurveyCLI

AggregateCommand.main()
