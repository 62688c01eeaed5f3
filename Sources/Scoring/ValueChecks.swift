import CustomerData

/// Input checks shared by the value analytics: every array is one value per customer, finite, and
/// all arrays of a call have the same length. Errors are `InputError`s (exit code 2 in the CLI)
/// naming the quantity and the 1-based position of the customer in the scored order.
enum ValueChecks {
    /// Throws unless every value is finite (no NaN, no infinity).
    static func requireFinite(_ values: [Double], _ name: String) throws {
        guard let i = firstNonFinite(values) else { return }
        throw InputError(kind: .badSummaryValue, columnName: name, value: "\(values[i])",
                         problem: "\(name) of customer number \(i + 1) (in input order) is not a finite number",
                         remedy: "Fix or remove that customer's row; values must be finite numbers (no NaN or infinity)")
    }

    /// The index of the first NaN or infinity, if any. Blocks of values are tested without a branch
    /// (all exponent bits set: adding 1 to the exponent carries into the sign bit), which the
    /// compiler vectorises; only a block with a hit is searched value by value.
    static func firstNonFinite(_ values: [Double]) -> Int? {
        let exponent: UInt64 = 0x7FF0_0000_0000_0000, one: UInt64 = 1 << 52
        return values.withUnsafeBufferPointer { v in
            for start in stride(from: 0, to: v.count, by: 1_024) {
                let block = start..<min(start + 1_024, v.count)
                var carried: UInt64 = 0
                for i in block { carried |= (v[i].bitPattern & exponent) &+ one }
                if carried & (1 << 63) != 0 { return block.first { !v[$0].isFinite } }
            }
            return nil
        }
    }

    /// Throws unless there is at least one customer.
    static func requireCustomers(_ count: Int, _ what: String) throws {
        guard count == 0 else { return }
        throw InputError(kind: .noValidRows, problem: "no customers to compute \(what) for",
                         remedy: "Give a summary with at least one customer")
    }

    /// Throws unless `values` has `count` entries.
    static func requireLength(_ values: some Collection, _ count: Int, _ name: String) throws {
        guard values.count != count else { return }
        throw InputError(kind: .badOption, columnName: name,
                         problem: "\(name) has \(values.count) values for \(count) customers",
                         remedy: "Pass one \(name) value per customer, in the same order as the other columns")
    }
}
