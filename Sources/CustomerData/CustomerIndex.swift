import Foundation

/// Interns customer ids (raw bytes) to dense indices 0, 1, 2, ... in order of first appearance, with an
/// open-addressing hash table over a dense entry array; each entry holds the id, the customer's totals and
/// its distinct purchase days (overflow beyond 16 in `overflowDays`). No String is made until the summary is built.
final class CustomerIndex {
    /// Distinct (customer, day) pairs of customers with more than `CustomerEntry.inlineDays` purchase days.
    let overflowDays = DayPairSet()
    private(set) var count = 0
    private(set) var entries: UnsafeMutablePointer<CustomerEntry>
    private var entryCapacity: Int
    /// Bytes of ids longer than 24 bytes.
    private var arena: [UInt8] = []
    /// Slot: high 32 bits = hash, low 32 bits = index + 1; 0 = empty.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int

    init(expectedCustomers: Int = 1 << 12) {
        var capacity = 1 << 12
        while capacity < expectedCustomers * 2 { capacity <<= 1 }
        slots = HugeBuffer.allocate(UInt64.self, count: capacity)
        mask = capacity - 1
        entryCapacity = capacity / 2
        entries = HugeBuffer.allocate(CustomerEntry.self, count: entryCapacity)
    }

    deinit {
        HugeBuffer.free(slots, count: mask + 1)
        HugeBuffer.free(entries, count: entryCapacity)
    }

    /// Loads the key's home slot (a prefetch: batches of rows touch their slots before the real lookups).
    @inline(__always)
    func touchSlot(_ key: CustomerKey) -> UInt64 {
        slots[Int(UInt32(truncatingIfNeeded: key.hash >> 32)) & mask]
    }

    /// Loads both cache lines of the entry the home slot points to, if any (second-stage prefetch).
    @inline(__always)
    func touchEntry(_ key: CustomerKey) -> UInt64 {
        let slot = slots[Int(UInt32(truncatingIfNeeded: key.hash >> 32)) & mask]
        guard slot != 0 else { return 0 }
        let e = entries + (Int(UInt32(truncatingIfNeeded: slot)) - 1)
        return e.pointee.w0 &+ UInt64(UInt32(bitPattern: e.pointee.days.8))
    }

    /// Records a purchase day of customer `index`; true if the day is new for the customer.
    @inline(__always)
    @discardableResult
    func addDay(_ index: Int, _ day: Int32) -> Bool {
        let e = entries + index
        let days = (UnsafeMutableRawPointer(e) + CustomerEntry.daysOffset).assumingMemoryBound(to: Int32.self)
        let n = Int(e.pointee.dayCount)
        for k in 0..<n where days[k] == day { return false }
        if n < CustomerEntry.inlineDays {
            days[n] = day
            e.pointee.dayCount = Int32(n + 1)
            return true
        }
        return overflowDays.insert(DayPairSet.key(customer: index, day: day))
    }

    /// Calls `body` with every distinct purchase day of customer `index` stored inline (overflow days are in `overflowDays`).
    @inline(__always)
    func forEachInlineDay(_ index: Int, _ body: (Int32) -> Void) {
        let e = entries + index
        let days = (UnsafeMutableRawPointer(e) + CustomerEntry.daysOffset).assumingMemoryBound(to: Int32.self)
        for k in 0..<Int(e.pointee.dayCount) { body(days[k]) }
    }

    /// The index of `key`; a new customer gets index `count` and `initial` as its totals.
    @inline(__always)
    func intern(_ key: CustomerKey, initial: @autoclosure () -> CustomerAggregate) -> (index: Int, isNew: Bool) {
        let hash32 = UInt32(truncatingIfNeeded: key.hash >> 32)
        var slot = Int(hash32) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash32 {
                let index = Int(UInt32(truncatingIfNeeded: entry)) - 1
                if matches(entries[index], key) { return (index, false) }
            }
            slot = (slot + 1) & mask
        }
        let index = count
        append(key, initial())
        slots[slot] = UInt64(hash32) << 32 | UInt64(index + 1)
        count += 1
        if count * 2 > mask + 1 { grow() }
        return (index, true)
    }

    @inline(__always)
    private func matches(_ e: CustomerEntry, _ key: CustomerKey) -> Bool {
        guard Int(e.length) == key.length else { return false }
        if key.isInline { return e.w0 == key.w0 && e.w1 == key.w1 && e.w2 == key.w2 }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + Int(e.w0), key.bytes, key.length) == 0 }
    }

    private func append(_ key: CustomerKey, _ aggregate: CustomerAggregate) {
        if count == entryCapacity {
            entries = HugeBuffer.grow(entries, count: entryCapacity, to: entryCapacity * 2)
            entryCapacity *= 2
        }
        var entry = CustomerEntry(w0: key.w0, w1: key.w1, w2: key.w2, length: Int32(key.length), aggregate: aggregate)
        if !key.isInline {
            entry.w0 = UInt64(arena.count)
            arena.append(contentsOf: UnsafeBufferPointer(start: key.bytes, count: key.length))
        }
        (entries + count).initialize(to: entry)
    }

    /// Calls `body` with the bytes of customer `index`'s id.
    func withKey<R>(_ index: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let e = entries[index]
        let n = Int(e.length)
        if n > CustomerKey.inlineLimit {
            return arena.withUnsafeBufferPointer { body($0.baseAddress! + Int(e.w0), n) }
        }
        var words = (e.w0, e.w1, e.w2)
        return withUnsafeBytes(of: &words) { body($0.baseAddress!.assumingMemoryBound(to: UInt8.self), n) }
    }

    /// The id of customer `index` as a String.
    func id(_ index: Int) -> String {
        withKey(index) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
    }

    private func grow() {
        let oldCapacity = mask + 1
        let newCapacity = oldCapacity * 2
        let newSlots = HugeBuffer.allocate(UInt64.self, count: newCapacity)
        let newMask = newCapacity - 1
        for i in 0..<oldCapacity where slots[i] != 0 {
            var slot = Int(UInt32(truncatingIfNeeded: slots[i] >> 32)) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = slots[i]
        }
        HugeBuffer.free(slots, count: oldCapacity)
        slots = newSlots
        mask = newMask
    }
}
