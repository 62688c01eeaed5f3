import CustomerData

/// Control-group membership by a stable hash of (customer id, action, campaign id): the same
/// customer is held out (or not) for the same action and campaign in every run, on every
/// machine, whatever other customers are in the base or in which order.
public enum ControlGroup {
    /// A uniform number in [0, 1) for the triple: 64-bit FNV-1a over the UTF-8 bytes separated by
    /// 0x1F, finished with the SplitMix64 mixer (Steele et al. 2014) so nearby inputs spread.
    public static func draw(customerID: String, action: String, campaignID: String) -> Double {
        var h = FNV1a()
        h.add(bytes: customerID.utf8)
        h.add(bytes: [0x1F])
        h.add(bytes: action.utf8)
        h.add(bytes: [0x1F])
        h.add(bytes: campaignID.utf8)
        var z = h.value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53
    }

    /// True when the customer is held out of `action` in `campaignID` at control share `share`.
    public static func isControl(customerID: String, action: String, campaignID: String, share: Double) -> Bool {
        share > 0 && draw(customerID: customerID, action: action, campaignID: campaignID) < share
    }
}
