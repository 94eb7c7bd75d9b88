// Stage executable: see SurveyCLI.
