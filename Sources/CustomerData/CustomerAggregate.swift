import Foundation

/// Per-customer running totals, updated row by row in any order and mergeable across threads.
struct CustomerAggregate {
    /// First purchase day (over calibration and holdout) and the summed amount on that day.
    var firstDay: Int32
    var firstDayAmount: Double
    /// Last purchase day within the calibration period (Int32.min if none).
    var lastCalibrationDay: Int32
    /// Sums of amounts in the calibration period and in the holdout period.
    var calibrationAmount: Double
    var holdoutAmount: Double

    /// Totals of a customer's first row.
    init(day: Int32, amount: Double, calibrationEnd: Int32) {
        firstDay = day
        firstDayAmount = amount
        if day <= calibrationEnd {
            lastCalibrationDay = day
            calibrationAmount = amount
            holdoutAmount = 0
        } else {
            lastCalibrationDay = Int32.min
            calibrationAmount = 0
            holdoutAmount = amount
        }
    }

    @inline(__always)
    mutating func add(day: Int32, amount: Double, calibrationEnd: Int32) {
        if day < firstDay {
            firstDay = day
            firstDayAmount = amount
        } else if day == firstDay {
            firstDayAmount += amount
        }
        if day <= calibrationEnd {
            calibrationAmount += amount
            if day > lastCalibrationDay { lastCalibrationDay = day }
        } else {
            holdoutAmount += amount
        }
    }

    /// Combines the totals of the same customer from another part of the file.
    mutating func merge(_ other: CustomerAggregate) {
        if other.firstDay < firstDay {
            firstDay = other.firstDay
            firstDayAmount = other.firstDayAmount
        } else if other.firstDay == firstDay {
            firstDayAmount += other.firstDayAmount
        }
        lastCalibrationDay = max(lastCalibrationDay, other.lastCalibrationDay)
        calibrationAmount += other.calibrationAmount
        holdoutAmount += other.holdoutAmount
    }
}

/// Interns customer ids (raw bytes) to dense indices 0, 1, 2, ... in order of first appearance,
/// with an open-addressing hash table, and keeps one `CustomerAggregate` per customer.
/// Ids are stored once in a byte arena; no String is made until the summary is built.
final class CustomerTable {
    private(set) var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaUsed = 0
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    /// Slot: high 32 bits = hash, low 32 bits = index + 1; 0 = empty.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    var aggregates: [CustomerAggregate] = []

    init(expectedCustomers: Int = 1 << 12) {
        var capacity = 1 << 12
        while capacity < expectedCustomers * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
        arenaCapacity = 1 << 16
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// The index of the id in `n` bytes at `p`, and whether it was new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (index: Int, isNew: Bool) {
        let hash = UInt32(truncatingIfNeeded: hashBytes(p, n) >> 32)
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let index = Int(UInt32(truncatingIfNeeded: entry)) - 1
                if Int(lengths[index]) == n && memcmp(arena + offsets[index], p, n) == 0 {
                    return (index, false)
                }
            }
            slot = (slot + 1) & mask
        }
        let index = count
        appendKey(p, n)
        slots[slot] = UInt64(hash) << 32 | UInt64(index + 1)
        count += 1
        if count * 2 > mask + 1 { grow() }
        return (index, true)
    }

    /// The bytes of customer `index`'s id.
    func withKey<R>(_ index: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        body(arena + offsets[index], Int(lengths[index]))
    }

    /// The id of customer `index` as a String.
    func id(_ index: Int) -> String {
        withKey(index) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
    }

    private func appendKey(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if arenaUsed + n > arenaCapacity {
            var newCapacity = arenaCapacity * 2
            while arenaUsed + n > newCapacity { newCapacity *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: arena, count: arenaUsed)
            arena.deallocate()
            arena = bigger
            arenaCapacity = newCapacity
        }
        (arena + arenaUsed).update(from: p, count: n)
        offsets.append(arenaUsed)
        lengths.append(Int32(n))
        arenaUsed += n
    }

    private func grow() {
        let oldCapacity = mask + 1
        let newCapacity = oldCapacity * 2
        let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: 0, count: newCapacity)
        let newMask = newCapacity - 1
        for i in 0..<oldCapacity where slots[i] != 0 {
            var slot = Int(UInt32(truncatingIfNeeded: slots[i] >> 32)) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = slots[i]
        }
        slots.deallocate()
        slots = newSlots
        mask = newMask
    }
}
