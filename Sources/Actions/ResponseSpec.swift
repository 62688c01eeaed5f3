/// Where an action's response probability comes from.
public enum ResponseSpec: Equatable, Sendable {
    /// The same probability for every customer (`response: { rate: 0.25 }`).
    case rate(Double)
    /// P(response) per customer from a propensity model scored on `--customers`
    /// (`response: { model: models/x.json }`), or on the table `data` when given
    /// (`response: { model: m.json, data: internet_customers.csv }`: customers not in it get no score).
    case propensityModel(path: String, data: String? = nil)
    /// The incremental response of one treatment from an uplift model scored on `--customers`
    /// (`response: { uplift-model: models/u.json, treatment: "Mens E-Mail" }`): customers who
    /// would respond anyway are not paid for. `data` as for propensity models.
    case upliftModel(path: String, treatment: String, data: String? = nil)

    /// The model file, if any.
    public var modelPath: String? {
        switch self {
        case .rate: return nil
        case .propensityModel(let p, _), .upliftModel(let p, _, _): return p
        }
    }
}
