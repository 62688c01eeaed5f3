import CustomerData
import Foundation

/// Turns the parsed YAML tree into a `RescoreConfig`: unknown keys, missing keys and wrong types
/// are errors naming the key path, so a typo never silently falls back to a default.
struct ConfigReader {
    let file: URL
    let root: [String: Any]
    var base: URL { file.deletingLastPathComponent() }

    func read() throws -> RescoreConfig {
        try known(root, at: "", ["drops", "history", "models", "money", "outputs", "store", "refit", "gates", "changes", "decide"])
        let drops = try section("drops", in: root, at: "")
        let store = try section("store", in: root, at: "")
        let storeFile = try path("file", in: store, at: "store")
        try known(store, at: "store", ["file", "models_dir"])
        let models = try section("models", in: root, at: "")
        try known(models, at: "models", ["purchase", "spend"])
        let money = try section("money", in: root, at: "")
        try known(money, at: "money", ["margin", "cost_per_order", "cost_per_period", "horizon", "horizon_unit", "discount_rate", "discount_period"])
        let outputs = try section("outputs", in: root, at: "")
        try known(outputs, at: "outputs", ["dir"])
        let refit = try optionalSection("refit", in: root) ?? [:]
        try known(refit, at: "refit", ["max_age_days", "max_drift", "min_holdout_days", "penalizer"])
        let gates = try optionalSection("gates", in: root) ?? [:]
        try known(gates, at: "gates", ["require_drop", "max_transaction_drop", "max_active_customer_drop", "baseline_drops", "max_rejected_share"])
        let changes = try optionalSection("changes", in: root) ?? [:]
        try known(changes, at: "changes", ["at_risk_below", "min_clv_change"])
        var history: RescoreConfig.History? = nil
        if let h = try optionalSection("history", in: root) {
            try known(h, at: "history", ["file", "through"] + layoutKeys)
            history = .init(file: try path("file", in: h, at: "history"), layout: try layout(h, at: "history"),
                            through: try day("through", in: h, at: "history"))
        }
        try known(drops, at: "drops", ["folder"] + layoutKeys)
        var decide: RescoreConfig.Decide? = nil
        if let d = try optionalSection("decide", in: root) {
            try known(d, at: "decide", ["catalog", "customers", "customer_id_column"])
            decide = .init(catalog: try path("catalog", in: d, at: "decide"), customers: try optionalPath("customers", in: d),
                           customerIDColumn: try text("customer_id_column", in: d, at: "decide") ?? "customer_id")
        }
        let margin = try number("margin", in: money, at: "money")
        guard margin.map({ $0 > 0 && $0 <= 1 }) ?? false else { throw bad("money.margin", "must be a share of revenue in (0, 1], e.g. margin: 0.3") }
        return RescoreConfig(
            configFile: file,
            dropsFolder: try path("folder", in: drops, at: "drops"),
            dropLayout: try layout(drops, at: "drops"),
            history: history,
            models: .init(purchase: try path("purchase", in: models, at: "models"), spend: try path("spend", in: models, at: "models")),
            money: .init(margin: margin!, costPerOrder: try number("cost_per_order", in: money, at: "money") ?? 0,
                         costPerPeriod: try number("cost_per_period", in: money, at: "money") ?? 0,
                         horizon: try text("horizon", in: money, at: "money") ?? "12",
                         horizonUnit: try text("horizon_unit", in: money, at: "money") ?? "month",
                         discountRate: try number("discount_rate", in: money, at: "money") ?? 0.10,
                         discountPeriod: try text("discount_period", in: money, at: "money") ?? "year"),
            outputDir: try path("dir", in: outputs, at: "outputs"),
            storeFile: storeFile,
            modelsDir: try optionalPath("models_dir", in: store) ?? storeFile.deletingLastPathComponent().appendingPathComponent("models"),
            refit: try refitPolicy(refit),
            gates: .init(requireDrop: try flag("require_drop", in: gates, at: "gates") ?? true,
                         maxTransactionDrop: try share("max_transaction_drop", in: gates, default: 0.5),
                         maxActiveCustomerDrop: try share("max_active_customer_drop", in: gates, default: 0.5),
                         baselineDrops: Int(try number("baseline_drops", in: gates, at: "gates") ?? 7),
                         maxRejectedShare: try share("max_rejected_share", in: gates, default: 0.01)),
            changes: .init(atRiskBelow: try share("at_risk_below", in: changes, default: 0.5, at: "changes"),
                           minCLVChange: try number("min_clv_change", in: changes, at: "changes") ?? 0.10),
            decide: decide)
    }

    let layoutKeys = ["delimiter", "date_format", "columns", "customer_column", "date_column", "amount_column"]

    func layout(_ map: [String: Any], at key: String) throws -> RescoreConfig.TableLayout {
        guard let columns = map["columns"] as? [Any], !columns.isEmpty else {
            throw bad("\(key).columns", "must list the header of the files, e.g. columns: [customer_id, date, amount]")
        }
        let names = columns.map { "\($0)" }
        let layout = RescoreConfig.TableLayout(
            delimiter: try text("delimiter", in: map, at: key) ?? ",",
            datePattern: try datePattern(try text("date_format", in: map, at: key) ?? "yyyy-MM-dd", at: "\(key).date_format"),
            columns: names,
            customerColumn: try text("customer_column", in: map, at: key) ?? "customer_id",
            dateColumn: try text("date_column", in: map, at: key) ?? "date",
            amountColumn: try text("amount_column", in: map, at: key) ?? "amount")
        guard [",", ";", "tab", "whitespace"].contains(layout.delimiter) else {
            throw bad("\(key).delimiter", "must be \",\", \";\", tab or whitespace, not \(layout.delimiter)")
        }
        for (option, column) in [("customer_column", layout.customerColumn), ("date_column", layout.dateColumn), ("amount_column", layout.amountColumn)] where !names.contains(column) {
            throw bad("\(key).\(option)", "names \(column), which is not among columns \(names)")
        }
        return layout
    }

    // MARK: - Typed lookups

    func bad(_ key: String, _ problem: String) -> RescoreError {
        RescoreError(.badInput, "\(file.path): \(key) \(problem)")
    }

    func known(_ map: [String: Any], at key: String, _ keys: [String]) throws {
        for k in map.keys.sorted() where !keys.contains(k) {
            throw bad(key.isEmpty ? k : "\(key).\(k)", "is not a known key (known: \(keys.joined(separator: ", ")))")
        }
    }

    func section(_ key: String, in map: [String: Any], at parent: String) throws -> [String: Any] {
        guard let value = try optionalSection(key, in: map) else { throw bad(key, "is missing") }
        return value
    }

    func optionalSection(_ key: String, in map: [String: Any]) throws -> [String: Any]? {
        guard let value = map[key] else { return nil }
        guard let section = value as? [String: Any] else { throw bad(key, "must be a mapping of keys") }
        return section
    }

    func text(_ key: String, in map: [String: Any], at parent: String) throws -> String? {
        guard let value = map[key] else { return nil }
        if value is [Any] || value is [String: Any] { throw bad("\(parent).\(key)", "must be a single value") }
        if let date = value as? Date {
            // YAML reads an unquoted 2026-12-01 as a timestamp: give back the day as written.
            return CalendarDay(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down))).description
        }
        return "\(value)"
    }

    func refitPolicy(_ refit: [String: Any]) throws -> RescoreConfig.RefitPolicy {
        let maxDrift = try number("max_drift", in: refit, at: "refit")
        if let maxDrift, maxDrift <= 0 { throw bad("refit.max_drift", "must be a positive share, e.g. max_drift: 0.2 (refit when actual repeat purchases differ from the prediction by more than 20%)") }
        let minDays = try number("min_holdout_days", in: refit, at: "refit") ?? 7
        guard minDays >= 1, minDays == minDays.rounded() else { throw bad("refit.min_holdout_days", "must be a whole number of days >= 1, not \(minDays)") }
        return .init(maxAgeDays: try number("max_age_days", in: refit, at: "refit").map { Int($0) }, maxDrift: maxDrift,
                     minHoldoutDays: Int(minDays), penalizer: try number("penalizer", in: refit, at: "refit") ?? 0)
    }

    func number(_ key: String, in map: [String: Any], at parent: String) throws -> Double? {
        guard let value = map[key] else { return nil }
        if let n = value as? Int { return Double(n) }
        if let n = value as? Double, n.isFinite { return n }
        throw bad("\(parent).\(key)", "must be a number, not \(value)")
    }

    func share(_ key: String, in map: [String: Any], default value: Double, at parent: String = "gates") throws -> Double {
        guard let n = try number(key, in: map, at: parent) else { return value }
        guard n >= 0 && n <= 1 else { throw bad("\(parent).\(key)", "must be a share between 0 and 1, not \(n)") }
        return n
    }

    func flag(_ key: String, in map: [String: Any], at parent: String) throws -> Bool? {
        guard let value = map[key] else { return nil }
        guard let b = value as? Bool else { throw bad("\(parent).\(key)", "must be true or false, not \(value)") }
        return b
    }

    func path(_ key: String, in map: [String: Any], at parent: String) throws -> URL {
        guard let url = try optionalPath(key, in: map) else { throw bad("\(parent).\(key)", "is missing (a path relative to the config file)") }
        return url
    }

    func optionalPath(_ key: String, in map: [String: Any]) throws -> URL? {
        guard let value = map[key] else { return nil }
        let text = "\(value)"
        return (text.hasPrefix("/") ? URL(fileURLWithPath: text) : base.appendingPathComponent(text)).standardizedFileURL
    }

    func day(_ key: String, in map: [String: Any], at parent: String) throws -> CalendarDay {
        guard let value = try text(key, in: map, at: parent) else { throw bad("\(parent).\(key)", "is missing (a date, yyyy-MM-dd)") }
        do { return try CalendarDay(parsing: value) } catch { throw bad("\(parent).\(key)", "must be a date yyyy-MM-dd, not \(value)") }
    }

    func datePattern(_ text: String, at key: String) throws -> DatePattern {
        do { return try DatePattern(text) } catch { throw bad(key, "is not a date pattern: \(error)") }
    }
}
