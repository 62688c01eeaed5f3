import Testing
@testable import Optimize
