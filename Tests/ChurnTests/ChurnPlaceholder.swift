import Testing
@testable import Churn
