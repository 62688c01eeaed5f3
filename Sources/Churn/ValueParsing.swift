/// How raw CSV strings become numbers. Kept in one place so training and scoring read values
/// identically.
///
/// - A value is *blank* when it is empty or only spaces/tabs (Telco's TotalCharges has `" "`).
/// - Booleans: `yes/true/1` are 1 and `no/false/0` are 0, case-insensitive.
/// - Numbers: Swift's `Double(String)` after trimming spaces; `nan`/`inf` are rejected so a model
///   is never fed non-finite values.
public enum ValueParsing {
    static func trimmed(_ s: String) -> Substring {
        var sub = Substring(s)
        while let c = sub.first, c == " " || c == "\t" { sub = sub.dropFirst() }
        while let c = sub.last, c == " " || c == "\t" { sub = sub.dropLast() }
        return sub
    }

    public static func isBlank(_ s: String) -> Bool { trimmed(s).isEmpty }

    public static func number(_ s: String) -> Double? {
        guard let v = Double(trimmed(s)), v.isFinite else { return nil }
        return v
    }

    public static func boolean(_ s: String) -> Double? {
        switch trimmed(s).lowercased() {
        case "yes", "true", "1": return 1
        case "no", "false", "0": return 0
        default: return nil
        }
    }

    /// The level string a categorical value is known by (trimmed of surrounding spaces).
    static func level(_ s: String) -> String { String(trimmed(s)) }
}
