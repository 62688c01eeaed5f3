import Testing
@testable import CustomerData
