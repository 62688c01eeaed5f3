import CustomerData
import Foundation

/// Who brought in whom, from a `customer_id, referred_by` table: one link per referred customer.
///
/// Rules (each a clear error naming the line, because each would credit a CLV twice or to nobody):
/// - a blank `referred_by` means the customer was not referred;
/// - the same row repeated is one link (each referred customer is counted once);
/// - the same customer with two different referrers (or with a referrer and a blank) is an error
///   naming both lines;
/// - a self-referral is an error;
/// - a cycle (A referred by B, B referred by A, ...) is an error naming its customers: someone in
///   it must have come first.
/// Only direct referrals are credited (one level: a referrer is not credited for the customers
/// their referrals brought in).
public struct ReferralLinks: Sendable {
    /// Referred customers, their referrer, and the line of the table each link came from.
    public let referred: [String]
    public let referrers: [String]
    public let lines: [Int]
    /// Where the table came from, for error messages.
    public let source: String

    /// Reads the links from a table (CSV with a header; the columns named here).
    public init(table: CustomerTable, customerColumn: String = "customer_id", referrerColumn: String = "referred_by") throws {
        let ids: [String], by: [String]
        do {
            ids = try table.column(named: customerColumn)
            by = try table.column(named: referrerColumn)
        } catch {
            throw InputError(kind: .missingColumn, file: table.source, problem: "\(error)",
                             remedy: "The referral table needs the columns \(customerColumn) and \(referrerColumn)")
        }
        try self.init(pairs: Array(zip(ids, by)), lines: table.lineNumbers, source: table.source)
    }

    /// Builds the links from (customer, referrer) pairs; `lines[i]` is where pair i came from.
    public init(pairs: [(customer: String, referredBy: String)], lines: [Int]? = nil, source: String = "<memory>") throws {
        let lines = lines ?? pairs.indices.map { $0 + 2 }
        var seen = [String: (referrer: String, line: Int)]()
        var referred: [String] = [], referrers: [String] = [], linkLines: [Int] = []
        for (i, pair) in pairs.enumerated() {
            let customer = pair.customer.trimmingCharacters(in: .whitespaces)
            let referrer = pair.referredBy.trimmingCharacters(in: .whitespaces)
            let line = lines[i]
            guard !customer.isEmpty else {
                throw Self.error(source, line, .emptyCustomerID, "the customer id is blank", "Give the referred customer's id")
            }
            guard referrer != customer else {
                throw Self.error(source, line, .badSummaryValue, "customer \(customer) is listed as referring themselves",
                                 "Blank the referred_by cell or remove the line")
            }
            if let earlier = seen[customer] {
                guard earlier.referrer == referrer else {
                    throw Self.error(source, line, .duplicateCustomer,
                                     "customer \(customer) is referred by \"\(referrer)\" here but by \"\(earlier.referrer)\" on line \(earlier.line)",
                                     "Keep one referrer per customer")
                }
                continue
            }
            seen[customer] = (referrer, line)
            if !referrer.isEmpty {
                referred.append(customer)
                referrers.append(referrer)
                linkLines.append(line)
            }
        }
        self.referred = referred
        self.referrers = referrers
        self.lines = linkLines
        self.source = source
        try requireNoCycle()
    }

    public var count: Int { referred.count }

    /// Follows referrer chains; each customer has at most one referrer, so a chain either ends
    /// or returns to a customer of the current walk (a cycle). O(n) overall.
    private func requireNoCycle() throws {
        var parent = [String: Int]()
        for (k, customer) in referred.enumerated() { parent[customer] = k }
        var state = [String: Int]()  // 1 = on the current walk, 2 = finished
        for start in referred where state[start] == nil {
            var walk: [String] = []
            var node = start
            while state[node] == nil, let k = parent[node] {
                state[node] = 1
                walk.append(node)
                node = referrers[k]
                if state[node] == 1 {
                    let cycle = walk.drop { $0 != node } + [node]
                    throw Self.error(source, lines[parent[node]!], .badSummaryValue,
                                     "the referrals form a cycle: " + cycle.joined(separator: " referred by "),
                                     "Someone in the cycle came first; remove the link that points back")
                }
            }
            for w in walk { state[w] = 2 }
        }
    }

    private static func error(_ source: String, _ line: Int, _ kind: InputError.Kind, _ problem: String, _ remedy: String) -> InputError {
        InputError(kind: kind, file: source, line: line, problem: problem, remedy: remedy)
    }
}
