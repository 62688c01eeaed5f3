import Testing
@testable import Reports
@Test func placeholderCompiles() { #expect(NumberFormat.integer(1234) == "1,234") }
