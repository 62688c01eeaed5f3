import Foundation
import Yams

/// The action catalog (`examples/actions.yaml`): the actions on offer and the contact policy.
/// Read with Yams and checked field by field; any problem is a `CatalogError` naming the file,
/// line and action, raised before anything is computed.
///
///     campaign: winter-2026          # optional; default actions-<as-of>
///     currency: EUR                  # optional, for reasons
///     budget-amount: 20000           # optional money budget over all actions
///     max-actions-per-customer: 2    # optional; default 1 (never the same action twice)
///     actions:
///       - name: retention-call
///         type: retention            # retention | upsell | cross-sell
///         channel: phone
///         cost: 6.50
///         budget: 500                # contacts per run (optional)
///         budget-amount: 3000        # money per run (optional)
///         control-share: 0.10
///         eligible: "churn_probability > 0.4 and clv > 200"
///         response: { rate: 0.25 }   # or { model: m.json } or { uplift-model: u.json, treatment: "Mens E-Mail" }
///                                    # (models: add data: t.csv to score them on another table than --customers)
///         value: "clv * 0.8"
///     contact-policy:
///       max-contacts: 2 per 30 days
///       cool-down: 14 days
///       repeat-offer: 90 days
///       channels: { phone: { capacity: 300 } }
public struct ActionCatalog: Sendable, Equatable {
    public var actions: [ActionDefinition]
    public var contactPolicy: ContactPolicy
    public var campaignID: String?
    public var currency: String
    /// Money budget over all actions per run.
    public var budgetAmount: Double?
    /// At most this many (distinct) actions per customer per run; the contact cap still applies.
    public var maxActionsPerCustomer: Int
    /// The file it was read from (messages, relative model paths).
    public var path: String

    public init(actions: [ActionDefinition], contactPolicy: ContactPolicy = ContactPolicy(), campaignID: String? = nil,
                currency: String = "EUR", budgetAmount: Double? = nil, maxActionsPerCustomer: Int = 1, path: String = "catalog") {
        self.actions = actions
        self.contactPolicy = contactPolicy
        self.campaignID = campaignID
        self.currency = currency
        self.budgetAmount = budgetAmount
        self.maxActionsPerCustomer = maxActionsPerCustomer
        self.path = path
    }

    /// Reads and checks the catalog at `path`; model files must exist (relative paths are taken
    /// from the working directory, else from the catalog's folder).
    public static func load(path: String) throws -> ActionCatalog {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CatalogError(file: path, problem: "cannot read the catalog (\(error.localizedDescription))",
                               remedy: "give the path of a YAML action catalog, e.g. examples/actions.yaml")
        }
        var catalog = try parse(yaml: text, path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for k in catalog.actions.indices {
            catalog.actions[k].response = try resolveModelPath(catalog.actions[k], folder: folder, catalog: path)
        }
        return catalog
    }

    private static func resolveModelPath(_ action: ActionDefinition, folder: URL, catalog: String) throws -> ResponseSpec {
        func resolve(_ p: String, _ what: String) throws -> String {
            if FileManager.default.fileExists(atPath: p) { return p }
            let beside = folder.appendingPathComponent(p).path
            if !p.hasPrefix("/"), FileManager.default.fileExists(atPath: beside) { return beside }
            throw CatalogError(file: catalog, line: action.line, action: action.name, problem: "the \(what) \(p) does not exist",
                               remedy: "create it first (klant fit propensity / klant fit uplift for models) or fix the path (relative to the working directory or the catalog)")
        }
        switch action.response {
        case .rate: return action.response
        case .propensityModel(let p, let d):
            return .propensityModel(path: try resolve(p, "response model file"), data: try d.map { try resolve($0, "response data file") })
        case .upliftModel(let p, let t, let d):
            return .upliftModel(path: try resolve(p, "response model file"), treatment: t, data: try d.map { try resolve($0, "response data file") })
        }
    }

    /// Parses catalog text (no file checks).
    public static func parse(yaml text: String, path: String = "catalog") throws -> ActionCatalog {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw CatalogError(file: path, problem: "not valid YAML: \(error)", remedy: "fix the YAML syntax (indentation, quotes, colons)")
        }
        guard let root, let top = root.mapping else {
            throw CatalogError(file: path, line: root?.mark?.line, problem: "the catalog is not a mapping with an actions list",
                               remedy: "start the file with actions: and a list of actions")
        }
        let reader = NodeReader(file: path)
        try reader.allowOnly(top, ["actions", "contact-policy", "campaign", "currency", "budget-amount", "max-actions-per-customer"], action: nil)
        guard let list = root["actions"]?.sequence, !list.isEmpty else {
            throw CatalogError(file: path, line: root.mark?.line, problem: "the catalog has no actions", remedy: "list at least one action under actions:")
        }
        var actions: [ActionDefinition] = []
        for node in list {
            let action = try reader.action(node)
            if let first = actions.first(where: { $0.name == action.name }) {
                throw CatalogError(file: path, line: action.line, action: action.name,
                                   problem: "the name is used twice (first at line \(first.line))", remedy: "give every action its own name")
            }
            actions.append(action)
        }
        let policy = try root["contact-policy"].map { try reader.policy($0) } ?? ContactPolicy()
        let budgetAmount = try root["budget-amount"].map { try reader.nonNegative($0, "budget-amount", action: nil) }
        let maxActions = try root["max-actions-per-customer"].map { try reader.actionsPerCustomer($0, actionCount: actions.count) } ?? 1
        return ActionCatalog(actions: actions, contactPolicy: policy, campaignID: try root["campaign"].map { try reader.text($0, "campaign", action: nil) },
                             currency: try root["currency"].map { try reader.text($0, "currency", action: nil) } ?? "EUR",
                             budgetAmount: budgetAmount, maxActionsPerCustomer: maxActions, path: path)
    }
}

/// Field-by-field reading of the catalog's YAML nodes with located errors.
private struct NodeReader {
    let file: String

    func fail(_ node: Node?, _ action: String?, _ problem: String, _ remedy: String) -> CatalogError {
        CatalogError(file: file, line: node?.mark?.line, action: action, problem: problem, remedy: remedy)
    }

    func allowOnly(_ mapping: Node.Mapping, _ keys: [String], action: String?) throws {
        for (key, _) in mapping {
            guard let k = key.string, keys.contains(k) else {
                throw fail(key, action, "unknown key \(key.string ?? "?")", "the keys here are \(keys.joined(separator: ", "))")
            }
        }
    }

    func text(_ node: Node, _ field: String, action: String?) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail(node, action, "\(field) must be a text", "write \(field): value") }
        return s
    }

    func number(_ node: Node, _ field: String, action: String?) throws -> Double {
        guard let s = node.scalar?.string, let x = Double(s), x.isFinite else {
            throw fail(node, action, "\(field) must be a number, not \(node.scalar?.string ?? "a list or mapping")", "write e.g. \(field): 6.50")
        }
        return x
    }

    func nonNegative(_ node: Node, _ field: String, action: String?) throws -> Double {
        let x = try number(node, field, action: action)
        guard x >= 0 else { throw fail(node, action, "\(field) is negative (\(node.scalar?.string ?? ""))", "give \(field) as zero or more") }
        return x
    }

    func count(_ node: Node, _ field: String, action: String?) throws -> Int {
        let x = try nonNegative(node, field, action: action)
        guard x == x.rounded(), x < 1e15 else { throw fail(node, action, "\(field) must be a whole number", "write e.g. \(field): 500") }
        return Int(x)
    }

    /// `max-actions-per-customer`: a whole number from 1 up to the number of actions (each action at most once).
    func actionsPerCustomer(_ node: Node, actionCount: Int) throws -> Int {
        let field = "max-actions-per-customer"
        guard let s = node.scalar?.string, let x = Double(s), x == x.rounded(), x >= 1, x <= Double(min(actionCount, 64)) else {
            throw fail(node, nil, "\(field) must be a whole number from 1 to \(min(actionCount, 64)) (the number of actions), not \(node.scalar?.string ?? "a list or mapping")",
                       "write e.g. \(field): 2 (a customer never gets the same action twice in a run)")
        }
        return Int(x)
    }

    func action(_ node: Node) throws -> ActionDefinition {
        guard let mapping = node.mapping else { throw fail(node, nil, "an action must be a mapping with name, type, channel, ...", "see examples/actions.yaml") }
        let line = node.mark?.line ?? 0
        guard let nameNode = node["name"] else { throw fail(node, nil, "the action has no name", "give it name: ...") }
        let name = try text(nameNode, "name", action: nil)
        try allowOnly(mapping, ["name", "type", "channel", "cost", "budget", "budget-amount", "control-share", "eligible", "response", "value"], action: name)
        func required(_ key: String) throws -> Node {
            guard let v = node[key] else { throw fail(node, name, "the action has no \(key)", "add \(key): to the action") }
            return v
        }
        let typeText = try text(try required("type"), "type", action: name)
        guard let type = ActionType(rawValue: typeText) else {
            throw fail(node["type"], name, "unknown type \(typeText)", "use one of \(ActionType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let share = try node["control-share"].map { try number($0, "control-share", action: name) } ?? 0
        guard share >= 0, share < 1 else {
            throw fail(node["control-share"], name, "control-share \(share) is outside [0, 1)", "give the held-out share as a number from 0 up to (not including) 1, e.g. 0.10")
        }
        let eligible = try node["eligible"].map { try text($0, "eligible", action: name) } ?? "true"
        return ActionDefinition(
            name: name, type: type, channel: try text(try required("channel"), "channel", action: name),
            cost: try nonNegative(try required("cost"), "cost", action: name),
            budget: try node["budget"].map { try count($0, "budget", action: name) },
            budgetAmount: try node["budget-amount"].map { try nonNegative($0, "budget-amount", action: name) },
            controlShare: share, eligible: eligible, response: try response(try required("response"), action: name),
            value: try text(try required("value"), "value", action: name), line: line)
    }

    func response(_ node: Node, action: String) throws -> ResponseSpec {
        guard let mapping = node.mapping else {
            throw fail(node, action, "response must be a mapping", "write response: { rate: 0.25 } or { model: m.json } or { uplift-model: u.json, treatment: T }")
        }
        try allowOnly(mapping, ["rate", "model", "uplift-model", "treatment", "data"], action: action)
        let data = try node["data"].map { try text($0, "data", action: action) }
        if let r = node["rate"] {
            let rate = try number(r, "rate", action: action)
            guard rate >= 0, rate <= 1 else { throw fail(r, action, "rate \(rate) is not a probability", "give a rate from 0 to 1") }
            return .rate(rate)
        }
        if let m = node["model"] { return .propensityModel(path: try text(m, "model", action: action), data: data) }
        if let u = node["uplift-model"] {
            guard let t = node["treatment"] else {
                throw fail(node, action, "an uplift model needs the treatment this action is", "add treatment: (a treatment value the model was fitted with)")
            }
            return .upliftModel(path: try text(u, "uplift-model", action: action), treatment: try text(t, "treatment", action: action), data: data)
        }
        throw fail(node, action, "response has no rate, model or uplift-model", "write response: { rate: 0.25 } or { model: m.json }")
    }

    func policy(_ node: Node) throws -> ContactPolicy {
        guard let mapping = node.mapping else { throw fail(node, nil, "contact-policy must be a mapping", "see examples/actions.yaml") }
        try allowOnly(mapping, ["max-contacts", "cool-down", "repeat-offer", "channels"], action: nil)
        var policy = ContactPolicy()
        if let m = node["max-contacts"] {
            let words = (m.scalar?.string ?? "").split(separator: " ")
            guard words.count == 4, words[1] == "per", words[3] == "days" || words[3] == "day",
                  let count = Int(words[0]), let days = Int(words[2]), count >= 0, days > 0 else {
                throw fail(m, nil, "max-contacts must read like '2 per 30 days'", "write max-contacts: N per D days")
            }
            policy.maxContacts = (count, days)
        }
        policy.coolDownDays = try node["cool-down"].map { try days($0, "cool-down") }
        policy.repeatOfferDays = try node["repeat-offer"].map { try days($0, "repeat-offer") }
        if let channels = node["channels"] {
            guard let list = channels.mapping else { throw fail(channels, nil, "channels must map channel names to { capacity: N }", "write channels: { phone: { capacity: 300 } }") }
            for (key, value) in list {
                let channel = try text(key, "channel", action: nil)
                guard let inner = value.mapping, let cap = value["capacity"] else {
                    throw fail(value, nil, "channel \(channel) needs a capacity", "write \(channel): { capacity: 300 }")
                }
                try allowOnly(inner, ["capacity"], action: nil)
                policy.channelCapacity[channel] = try count(cap, "capacity of \(channel)", action: nil)
            }
        }
        return policy
    }

    func days(_ node: Node, _ field: String) throws -> Int {
        let words = (node.scalar?.string ?? "").split(separator: " ")
        guard (words.count == 1 || (words.count == 2 && (words[1] == "days" || words[1] == "day"))), let d = Int(words[0]), d >= 0 else {
            throw fail(node, nil, "\(field) must read like '14 days'", "write \(field): N days")
        }
        return d
    }
}
