/// A hash set of (customer index, day) pairs packed into one UInt64: the distinct purchase days of
/// customers with more days than their `CustomerEntry` holds inline. Open addressing with linear probing; 0 marks an empty slot, so keys store index + 1.
/// Memory: 8 bytes per slot, at most 70% full, so about 12 bytes per distinct (customer, day).
final class DayPairSet {
    private(set) var count = 0
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var shift: UInt64

    init(expectedCount: Int = 1 << 12) {
        capacity = 1 << 12
        while Double(capacity) * 0.7 < Double(expectedCount) { capacity <<= 1 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        slots = HugeBuffer.allocate(UInt64.self, count: capacity)
    }

    deinit { HugeBuffer.free(slots, count: capacity) }

    @inline(__always)
    static func key(customer: Int, day: Int32) -> UInt64 {
        UInt64(customer + 1) << 32 | UInt64(UInt32(bitPattern: day))
    }

    @inline(__always)
    static func customer(of key: UInt64) -> Int { Int(key >> 32) - 1 }

    @inline(__always)
    static func day(of key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key)) }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Inserts the key; true if it was not there yet.
    @inline(__always)
    @discardableResult
    func insert(_ key: UInt64) -> Bool {
        let mask = capacity - 1
        var slot = home(key)
        while true {
            let entry = slots[slot]
            if entry == key { return false }
            if entry == 0 { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = key
        count += 1
        if count * 10 > capacity * 7 { grow() }
        return true
    }

    /// Loads the key's home slot (a prefetch before the real insert).
    @inline(__always)
    func touch(_ key: UInt64) -> UInt64 { slots[home(key)] }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        let mask = capacity - 1
        var slot = home(key)
        while true {
            let entry = slots[slot]
            if entry == key { return true }
            if entry == 0 { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with every key, in slot order.
    func forEach(_ body: (UInt64) -> Void) {
        for i in 0..<capacity where slots[i] != 0 { body(slots[i]) }
    }

    private func grow() {
        let old = slots
        let oldCapacity = capacity
        capacity *= 2
        shift -= 1
        slots = HugeBuffer.allocate(UInt64.self, count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where old[i] != 0 {
            var slot = home(old[i])
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = old[i]
        }
        HugeBuffer.free(old, count: oldCapacity)
    }
}
