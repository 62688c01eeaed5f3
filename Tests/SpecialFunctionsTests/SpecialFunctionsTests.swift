import Testing
@testable import SpecialFunctions
