import CustomerData

/// A reproducible fingerprint of training data (FNV-1a 64 over the patterns' bits), stored in
/// model files so a model can be traced to the data it was fitted on without storing any rows.
public enum DataFingerprint {
    public static func of(_ data: PurchasePatterns) -> String {
        var hash = FNV1a()
        for i in 0..<data.count {
            hash.add(data.frequency[i].bitPattern)
            hash.add(data.recency[i].bitPattern)
            hash.add(data.T[i].bitPattern)
            hash.add(data.weight[i].bitPattern)
        }
        return "fnv1a64:" + hash.hex
    }

    public static func of(columns: [[Double]]) -> String {
        var hash = FNV1a()
        for column in columns { for v in column { hash.add(v.bitPattern) } }
        return "fnv1a64:" + hash.hex
    }
}
