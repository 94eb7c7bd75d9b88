import Testing

@Suite struct RunPipelineTests {
  @Test func placeholder() {}
}
