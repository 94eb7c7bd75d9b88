// The run bookkeeping executable: see SurveyCLI.
import SurveyCLI

RunCommand.main()
