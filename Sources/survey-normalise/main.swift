// Stage executable: see SurveyCLI.
import SurveyCLI

NormaliseCommand.main()
