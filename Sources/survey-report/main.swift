// Stage executable: see SurveyCLI.
import SurveyCLI

ReportCommand.main()
