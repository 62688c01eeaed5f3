import Churn
import CustomerData
import Foundation
import Store

/// Inputs of one next-best-action run.
public struct ActionRunOptions: Sendable {
    public var scoresPath: String
    public var scoresFormat: TableFormat?
    public var customersPath: String?
    /// How the customer tables (`customersPath`, a response model's `data:`) are written: delimiter,
    /// decimal comma, thousands separator, currency, encoding.
    public var customersFormat = TableTextFormat()
    public var customerIDColumn: String
    public var catalog: ActionCatalog
    public var asOf: CalendarDay
    /// Default: the catalog's `campaign`, else `actions-<as-of>`.
    public var campaignID: String?
    /// Do-not-contact entries besides those in the store.
    public var optOuts: [OptOut]
    public var unseenLevels: UnseenLevelPolicy

    public init(scoresPath: String, scoresFormat: TableFormat? = nil, customersPath: String? = nil, customerIDColumn: String = "customer_id",
                catalog: ActionCatalog, asOf: CalendarDay, campaignID: String? = nil, optOuts: [OptOut] = [],
                unseenLevels: UnseenLevelPolicy = .error) {
        self.scoresPath = scoresPath
        self.scoresFormat = scoresFormat
        self.customersPath = customersPath
        self.customerIDColumn = customerIDColumn
        self.catalog = catalog
        self.asOf = asOf
        self.campaignID = campaignID
        self.optOuts = optOuts
        self.unseenLevels = unseenLevels
    }

    public var effectiveCampaignID: String { campaignID ?? catalog.campaignID ?? "actions-\(asOf)" }
}

/// The next-best-action run: reads scores (and customers), checks every rule, reads the contact
/// state, prices each eligible (customer, action), arbitrates under the limits and marks the
/// control groups. Everything is checked before anything is computed.
public enum ActionPlanner {
    /// Columns the reasons quote when the score table has them.
    static let reasonColumns = ["churn_probability", "clv", "value_segment"]

    public static func plan(_ options: ActionRunOptions, store: (any ContactHistoryReading)?) throws -> ActionPlan {
        let catalog = options.catalog
        guard catalog.actions.count <= 64 else {
            throw CatalogError(file: catalog.path, problem: "the catalog has \(catalog.actions.count) actions; at most 64 are supported",
                               remedy: "split the catalog into campaigns")
        }
        // 1. Syntax of every rule, and the columns they need, before any row is read.
        var parsed: [(eligible: Expression, value: Expression)] = []
        for action in catalog.actions {
            parsed.append((try ExpressionParser.parse(action.eligible, action: action.name, field: "eligible"),
                           try ExpressionParser.parse(action.value, action: action.name, field: "value")))
        }
        let needed = Set(parsed.flatMap { $0.eligible.columns + $0.value.columns })
        var available = Set(try CustomerColumns.header(path: options.scoresPath, format: options.scoresFormat))
        let customers = try options.customersPath.map { try CustomerTable(path: $0, format: options.customersFormat) }
        if let customers { available.formUnion(customers.columnNames) }
        for (k, action) in catalog.actions.enumerated() {
            try CompiledRule.checkColumns(parsed[k].eligible, source: action.eligible, action: action.name, field: "eligible", available: available)
            try CompiledRule.checkColumns(parsed[k].value, source: action.value, action: action.name, field: "value", available: available)
        }
        // 2. Read the columns and type-check every rule.
        let data = try CustomerColumns(scoresPath: options.scoresPath, scoresFormat: options.scoresFormat, customers: customers,
                                       customerIDColumn: options.customerIDColumn, wanted: needed.union(reasonColumns))
        var rules: [(eligible: CompiledRule, value: CompiledRule)] = []
        for (k, action) in catalog.actions.enumerated() {
            rules.append((try CompiledRule(parsed[k].eligible, source: action.eligible, action: action.name, field: "eligible", table: data.table, expected: .boolean),
                          try CompiledRule(parsed[k].value, source: action.value, action: action.name, field: "value", table: data.table, expected: .number)))
        }
        let responses = try ResponseEstimates(actions: catalog.actions, ids: data.ids, index: data.index, customersPath: options.customersPath,
                                              customers: customers, format: options.customersFormat,
                                              unseenLevels: options.unseenLevels, catalogPath: catalog.path)
        let campaignID = options.effectiveCampaignID
        let state = try ContactState(store: store, optOuts: options.optOuts, policy: catalog.contactPolicy, actions: catalog.actions,
                                     index: data.index, asOf: options.asOf, campaignID: campaignID)
        // 3. Price every eligible, allowed (customer, action).
        let n = data.ids.count, m = catalog.actions.count
        let (eligible, values) = evaluate(rules, over: data.table)
        var stats = catalog.actions.map { ActionPlan.ActionStats(name: $0.name) }
        var exclusions = ActionPlan.Exclusions()
        var problem = AssignmentProblem(actionCount: m, limits: limits(for: catalog))
        var candidates: [(action: Int, value: Double)] = []
        for i in 0..<n {
            candidates.removeAll(keepingCapacity: true)
            var anyEligible = false
            for a in 0..<m where eligible[a][i] {
                anyEligible = true
                stats[a].eligible += 1
                let bit = UInt64(1) << UInt64(a)
                if state.customerBlock[i] != .none { stats[a].blocked += 1; continue }
                if state.optOutMask[i] & bit != 0 { stats[a].blocked += 1; exclusions.optOutPairs += 1; continue }
                if state.repeatOfferMask[i] & bit != 0 { stats[a].blocked += 1; exclusions.repeatOfferPairs += 1; continue }
                let p = responses.probability[a][i], v = values[a][i]
                guard p.isFinite, v.isFinite else { stats[a].unscored += 1; continue }
                let net = p * v - catalog.actions[a].cost
                if net > 0 { stats[a].positive += 1; candidates.append((a, net)) }
            }
            if anyEligible {
                switch state.customerBlock[i] {
                case .coolDown: exclusions.coolDownCustomers += 1
                case .maxContacts: exclusions.maxContactsCustomers += 1
                case .none: break
                }
            }
            problem.appendCustomer(candidates, slots: state.slots(i, maxActions: catalog.maxActionsPerCustomer, policy: catalog.contactPolicy))
        }
        // 4. Arbitrate, then hold out the control groups among the chosen.
        let assignment = LagrangianArbitration.solve(problem)
        let ids = data.ids
        let chosen = CustomerChunks.map(n) { range -> [ActionRow] in
            var part: [ActionRow] = []
            for i in range {
                for k in problem.offsets[i]..<problem.offsets[i + 1] where assignment.taken[k] {
                    let a = Int(problem.candidateActions[k]), action = catalog.actions[a]
                    let p = responses.probability[a][i], v = values[a][i]
                    let control = ControlGroup.isControl(customerID: ids[i], action: action.name, campaignID: campaignID, share: action.controlShare)
                    part.append(ActionRow(customer: i, action: a, expectedValue: p * v - action.cost, probability: p, value: v, control: control))
                }
            }
            return part
        }
        var rows = Array(chosen.joined())
        for row in rows {
            let action = catalog.actions[row.action]
            stats[row.action].chosen += 1
            if row.control { stats[row.action].control += 1 } else {
                // Totals of the cents the list writes, so they add up to its cells.
                stats[row.action].expectedValue += ActionPlan.cents(row.expectedValue)
                stats[row.action].cost += ActionPlan.cents(action.cost)
            }
        }
        rows.sort {
            $0.expectedValue != $1.expectedValue ? $0.expectedValue > $1.expectedValue
                : $0.customer != $1.customer ? ids[$0.customer] < ids[$1.customer] : $0.action < $1.action
        }
        exclusions.historyRowsRead = state.historyRowsRead
        return ActionPlan(catalog: catalog, campaignID: campaignID, asOf: options.asOf, ids: ids, table: data.table, rows: rows,
                          responseLabels: responses.label, assignment: assignment, limits: problem.limits, actionStats: stats,
                          exclusions: exclusions, missingFromCustomers: options.customersPath == nil ? 0 : data.missingFromCustomers)
    }

    /// Every action's eligibility and value over all customers, the rules spread over the cores.
    static func evaluate(_ rules: [(eligible: CompiledRule, value: CompiledRule)], over table: RuleTable) -> (eligible: [[Bool]], values: [[Double]]) {
        var eligible = [[Bool]](repeating: [], count: rules.count)
        var values = [[Double]](repeating: [], count: rules.count)
        eligible.withUnsafeMutableBufferPointer { e in
            values.withUnsafeMutableBufferPointer { v in
                DispatchQueue.concurrentPerform(iterations: 2 * rules.count) { j in
                    if j < rules.count { e[j] = rules[j].eligible.booleans(over: table) } else { v[j - rules.count] = rules[j - rules.count].value.numbers(over: table) }
                }
            }
        }
        return (eligible, values)
    }

    /// The catalog's limits: contact and money budgets per action, the money budget over all
    /// actions, and each channel's capacity.
    static func limits(for catalog: ActionCatalog) -> [ResourceLimit] {
        let actions = catalog.actions
        var limits: [ResourceLimit] = []
        for (a, action) in actions.enumerated() {
            if let budget = action.budget {
                limits.append(ResourceLimit(name: "\(action.name) budget (contacts)", kind: .actionBudget, capacity: Double(budget),
                                            usage: actions.indices.map { $0 == a ? 1 : 0 }))
            }
            if let amount = action.budgetAmount {
                limits.append(ResourceLimit(name: "\(action.name) budget (\(catalog.currency))", kind: .actionBudgetAmount, capacity: amount,
                                            usage: actions.indices.map { $0 == a ? action.cost : 0 }))
            }
        }
        if let amount = catalog.budgetAmount {
            limits.append(ResourceLimit(name: "total budget (\(catalog.currency))", kind: .budgetAmount, capacity: amount, usage: actions.map(\.cost)))
        }
        for (channel, capacity) in catalog.contactPolicy.channelCapacity.sorted(by: { $0.key < $1.key }) {
            limits.append(ResourceLimit(name: "\(channel) capacity (contacts)", kind: .channelCapacity, capacity: Double(capacity),
                                        usage: actions.map { $0.channel == channel ? 1 : 0 }))
        }
        return limits
    }
}
